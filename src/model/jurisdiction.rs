//! A jurisdiction, `jurisdictions/<id>.yaml`: its regulator, law, terminology
//! per service, registration-number format, date format and languages
//! (SPEC §3). Everything jurisdiction-specific is data here, so adding a
//! regulator is a new file, not new code.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_saphyr::Spanned;

/// The services policygen knows; a jurisdiction says which it regulates.
pub const SERVICES: &[&str] = &[
    "care-home",
    "childrens-home",
    "domiciliary",
    "supported-living",
];

/// A service id as words for people: `childrens-home` → "children's home".
pub fn service_label(service: &str) -> &str {
    match service {
        "care-home" => "care home",
        "childrens-home" => "children's home",
        "domiciliary" => "domiciliary care",
        "supported-living" => "supported living",
        other => other,
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Jurisdiction {
    /// The country or area, e.g. `Wales`.
    pub name: String,
    pub regulator: Regulator,
    pub legislation: Legislation,
    /// Terminology per service id; the keys are the services regulated here.
    pub services: BTreeMap<String, Terms>,
    pub registration: Registration,
    /// Document date pattern (`%-d %B %Y`); see `review::format_date`.
    pub date_format: Option<String>,
    /// Languages documents may be produced in, the first being the default
    /// (BCP 47 primary tags: `en`, `cy`).
    pub languages: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Regulator {
    pub name: String,
    pub short: String,
    pub website: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Legislation {
    pub act: Law,
    pub regulations: Law,
    #[serde(default)]
    pub related: Vec<Law>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Law {
    pub title: String,
    pub short: Option<String>,
}

/// What people and roles are called for one service.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Terms {
    /// The person supported, singular: `resident`.
    pub person: String,
    /// Plural: `residents`.
    pub people: String,
    /// The manager registered with the regulator: `Registered Manager`.
    pub manager: String,
    /// The provider's accountable individual: `Responsible Individual`.
    pub responsible: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Registration {
    /// What the number is called: `CIW service ID`.
    pub label: String,
    /// A regular expression the whole number must match.
    pub pattern: Spanned<String>,
    /// A valid example, shown in hints and scaffolds.
    pub example: String,
}
