//! A policy variant source, `policies/<policy-id>/<variant>.yaml`, as written
//! (SPEC §4): metadata, applicability, the section tree and, for a variant
//! that `extends` another, its add / replace / remove operations. The
//! `resolve` module turns these into one flat, inherited variant.

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::load::source::Text;

pub const KEYS: &[&str] = &[
    "extends",
    "title",
    "code",
    "version",
    "applies_to",
    "review_cycle",
    "review_triggers",
    "related",
    "sections",
    "add",
    "replace",
    "remove",
];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VariantSource {
    pub extends: Option<Spanned<String>>,
    pub title: Option<Spanned<String>>,
    pub code: Option<Spanned<Text>>,
    pub version: Option<Spanned<Text>>,
    pub applies_to: AppliesTo,
    pub review_cycle: Option<Spanned<String>>,
    pub review_triggers: Option<Vec<Spanned<String>>>,
    pub related: Option<Vec<RelatedSource>>,
    pub sections: Option<Vec<SectionSource>>,
    #[serde(default)]
    pub add: Vec<AddOp>,
    #[serde(default)]
    pub replace: Vec<ReplaceOp>,
    #[serde(default)]
    pub remove: Vec<Spanned<String>>,
}

/// Which organisations a variant serves.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppliesTo {
    pub jurisdictions: Vec<Spanned<String>>,
    pub services: Vec<Spanned<String>>,
}

/// A related policy, by policy id; title and code are required when the
/// library does not ship that policy.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelatedSource {
    pub id: Spanned<String>,
    pub title: Option<String>,
    pub code: Option<String>,
}

/// A section as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionSource {
    pub id: Spanned<String>,
    pub title: Spanned<String>,
    pub body: Option<Spanned<String>>,
    pub when: Option<When>,
    #[serde(default)]
    pub sections: Vec<SectionSource>,
}

/// A condition on a section: include it only for these jurisdictions and/or
/// services (an empty list means any).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct When {
    #[serde(default)]
    pub jurisdictions: Vec<Spanned<String>>,
    #[serde(default)]
    pub services: Vec<Spanned<String>>,
}

impl When {
    pub fn matches(&self, jurisdiction: &str, service: &str) -> bool {
        (self.jurisdictions.is_empty()
            || self.jurisdictions.iter().any(|j| j.value == jurisdiction))
            && (self.services.is_empty() || self.services.iter().any(|s| s.value == service))
    }
}

/// Adds a section to the inherited tree.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddOp {
    pub after: Option<Spanned<String>>,
    pub before: Option<Spanned<String>>,
    pub into: Option<Spanned<String>>,
    pub section: SectionSource,
}

/// Replaces parts of an inherited section, found by id.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplaceOp {
    pub id: Spanned<String>,
    pub title: Option<Spanned<String>>,
    pub body: Option<Spanned<String>>,
    pub when: Option<When>,
    pub sections: Option<Vec<SectionSource>>,
}

/// The CommonMark extensions policy bodies may use.
pub fn markdown_options() -> pulldown_cmark::Options {
    pulldown_cmark::Options::ENABLE_TABLES | pulldown_cmark::Options::ENABLE_STRIKETHROUGH
}
