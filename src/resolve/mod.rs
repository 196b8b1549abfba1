//! Resolves the policy library: each variant's `extends` chain into one
//! complete variant (title, metadata and section tree), and each
//! (organisation × policy) to the one variant that applies to it.

mod assign;
pub mod checked;
mod checks;
mod extends;

use std::collections::BTreeMap;

use serde_saphyr::Spanned;

use crate::check::{self, Validated};
use crate::diagnostic::{Diagnostic, Location};
use crate::load::project::{FileId, Project};
use crate::load::source;
use crate::model::policy::When;
use crate::review::Cycle;

/// A piece of source text and where it was written, for placeholder errors.
#[derive(Debug, Clone)]
pub struct Located {
    pub text: String,
    pub file: FileId,
    /// Byte offset of the YAML scalar holding the text.
    pub offset: usize,
    pub line: usize,
    pub column: usize,
}

impl Located {
    /// Where the scalar starts, underlined to its length (quotes included).
    pub fn location(&self, file: &source::SourceFile) -> Option<Location> {
        let mut location = file.location_of(self.line, self.column, self.text.chars().count())?;
        let first = location.line_text.chars().nth(location.column - 1);
        if matches!(first, Some('"' | '\'')) {
            location.width += 2;
        }
        Some(location)
    }

    /// Where a part of the text (at byte `start`, reading `literal`) is in
    /// the file; the scalar's start when the part cannot be found (an
    /// escaped or folded scalar).
    pub fn location_of_part(
        &self,
        file: &source::SourceFile,
        start: usize,
        literal: &str,
    ) -> Option<Location> {
        let occurrence = self
            .text
            .get(..start)
            .map_or(0, |before| before.matches(literal).count());
        file.find_after(self.offset, literal, occurrence)
            .or_else(|| file.location_of(self.line, self.column, 1))
    }

    pub(crate) fn new(spanned: &Spanned<String>, file: FileId) -> Located {
        Located {
            text: spanned.value.clone(),
            file,
            offset: source::byte_offset(spanned).unwrap_or(0),
            line: spanned.referenced.line() as usize,
            column: spanned.referenced.column() as usize,
        }
    }
}

/// A section after inheritance.
#[derive(Debug, Clone)]
pub struct Section {
    pub id: String,
    /// Where the id is written, for findings about the section.
    pub id_at: Located,
    pub title: Located,
    pub body: Option<Located>,
    pub when: Option<When>,
    pub children: Vec<Section>,
}

/// A related policy as the variant lists it.
#[derive(Debug, Clone)]
pub struct Related {
    pub id: String,
    pub title: Option<String>,
    pub code: Option<String>,
}

/// A variant with its `extends` chain applied.
#[derive(Debug, Clone)]
pub struct Variant {
    pub policy: String,
    pub id: String,
    pub file: FileId,
    /// This variant's file and those it extends, nearest first.
    pub chain: Vec<FileId>,
    pub title: Located,
    pub code: String,
    pub version: String,
    pub jurisdictions: Vec<String>,
    pub services: Vec<String>,
    pub cycle: Option<Cycle>,
    pub triggers: Vec<Located>,
    pub related: Vec<Related>,
    pub sections: Vec<Section>,
}

impl Variant {
    pub fn applies(&self, jurisdiction: &str, service: &str) -> bool {
        self.jurisdictions.iter().any(|j| j == jurisdiction)
            && self.services.iter().any(|s| s == service)
    }
}

/// One document to produce: an organisation, a policy and its variant.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Assignment {
    pub org: String,
    pub policy: String,
    pub variant: String,
}

/// The resolved library.
#[derive(Debug, Default)]
pub struct Resolved {
    /// Policy id → variant id → variant.
    pub variants: BTreeMap<String, BTreeMap<String, Variant>>,
    /// Every (organisation × policy) to build, sorted.
    pub assignments: Vec<Assignment>,
}

impl Resolved {
    pub fn variant(&self, policy: &str, variant: &str) -> Option<&Variant> {
        self.variants.get(policy)?.get(variant)
    }

    /// Every assignment of one organisation (the list is sorted by organisation).
    pub fn assignments_of(&self, org: &str) -> &[Assignment] {
        let start = self.assignments.partition_point(|a| a.org.as_str() < org);
        let end = self.assignments.partition_point(|a| a.org.as_str() <= org);
        &self.assignments[start..end]
    }

    /// The assignment of `policy` to `org`, found by binary search: the
    /// assignments are sorted by organisation, then policy, and each pair
    /// appears at most once.
    pub fn assignment(&self, org: &str, policy: &str) -> Option<&Assignment> {
        self.assignments
            .binary_search_by(|a| (a.org.as_str(), a.policy.as_str()).cmp(&(org, policy)))
            .ok()
            .map(|i| &self.assignments[i])
    }
}

/// Resolves every variant, then assigns variants to the validated organisations.
pub fn resolve(project: &Project, validated: &Validated) -> (Resolved, Vec<Diagnostic>) {
    let mut findings = Vec::new();
    let mut resolved = Resolved::default();
    for (policy_id, variants) in &project.policies {
        let mut done: BTreeMap<String, Option<Variant>> = BTreeMap::new();
        for variant_id in variants.keys() {
            let mut stack = Vec::new();
            extends::Chains {
                project,
                policy_id,
                variants,
                done: &mut done,
                stack: &mut stack,
                findings: &mut findings,
            }
            .resolve(variant_id);
        }
        let ok: BTreeMap<String, Variant> = done
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k, v)))
            .collect();
        for variant in ok.values() {
            checks::check_variant(project, variant, &mut findings);
        }
        resolved.variants.insert(policy_id.clone(), ok);
    }
    check::policy::check_sources(project, &mut findings);
    assign::assign(project, validated, &mut resolved, &mut findings);
    checks::check_unused_placeholders(project, &resolved, &mut findings);
    (resolved, findings)
}
