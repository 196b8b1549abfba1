//! Cross-file validation of the loaded project: organisations against their
//! jurisdiction (service, registration number), review cycles and review
//! histories, and jurisdictions against themselves. Produces the checked,
//! typed facts later stages rely on, and a finding for every problem.

pub mod colour;
mod jurisdiction;
mod organisation;
pub mod policy;
pub mod staff;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use regex_lite::Regex;

use crate::diagnostic::Diagnostic;
use crate::load::project::{FileId, Project};
use crate::load::source::SourceFile;
use crate::review::Cycle;

/// One recorded review, checked.
#[derive(Debug, Clone)]
pub struct Review {
    pub date: NaiveDate,
    pub by: Option<String>,
    pub approved_by: Option<String>,
    /// When it was approved: `approved_on`, else the review's own date.
    pub approved_on: NaiveDate,
    pub version: Option<String>,
    pub note: Option<String>,
}

/// What an organisation records about one policy, checked.
#[derive(Debug, Clone, Default)]
pub struct PolicyFacts {
    pub cycle: Option<Cycle>,
    pub reviews: Vec<Review>,
    pub exclude: bool,
    /// Who read which version, as recorded (oldest first).
    pub acknowledgements: Vec<staff::Acknowledgement>,
}

impl PolicyFacts {
    pub fn last_review(&self) -> Option<NaiveDate> {
        self.reviews.iter().map(|r| r.date).max()
    }
}

/// An organisation whose profile passed validation well enough to build.
#[derive(Debug, Clone)]
pub struct OrgFacts {
    pub slug: String,
    pub file: FileId,
    pub jurisdiction: String,
    pub service: String,
    pub cycle: Option<Cycle>,
    pub policies: BTreeMap<String, PolicyFacts>,
    /// The staff roster, in the profile's order, leavers included.
    pub staff: Vec<staff::Staff>,
    /// `#rrggbb` brand colour, when set.
    pub brand_colour: Option<String>,
}

/// The result of validation.
#[derive(Debug, Default)]
pub struct Validated {
    /// Organisations with no errors, by slug.
    pub organisations: BTreeMap<String, OrgFacts>,
    /// Each jurisdiction's registration-number pattern, compiled.
    pub patterns: BTreeMap<String, Regex>,
}

/// Validates jurisdictions and organisations.
pub fn validate(project: &Project, today: NaiveDate) -> (Validated, Vec<Diagnostic>) {
    validate_with(project, today, false)
}

/// Validates as [`validate`] does; with `lenient`, an organisation whose
/// only errors are in values its documents merely quote (an empty name or
/// registration number) is validated too, so `check` can also list what
/// its documents need. Those errors are reported either way; nothing is
/// ever built from a lenient validation.
pub fn validate_with(
    project: &Project,
    today: NaiveDate,
    lenient: bool,
) -> (Validated, Vec<Diagnostic>) {
    let mut validated = Validated::default();
    let mut findings = Vec::new();

    for (id, loaded) in &project.jurisdictions {
        let file = project.file(loaded.file);
        if let Some(regex) = jurisdiction::check_jurisdiction(id, file, loaded, &mut findings) {
            validated.patterns.insert(id.clone(), regex);
        }
    }

    for (slug, loaded) in &project.organisations {
        let before = findings.len();
        let mut quoted = Vec::new();
        let facts = organisation::check_organisation(
            project,
            &validated,
            slug,
            loaded.file,
            &loaded.value,
            today,
            &mut findings,
            &mut quoted,
        );
        let has_error = findings[before..].iter().any(Diagnostic::is_error)
            || (!lenient && quoted.iter().any(Diagnostic::is_error));
        findings.extend(quoted);
        if let (Some(facts), false) = (facts, has_error) {
            validated.organisations.insert(slug.clone(), facts);
        }
    }
    (validated, findings)
}

/// The longest organisation name accepted: registered names are at most 160
/// characters, and the name heads every page of every document (a name of
/// thousands of characters made PDF layout take seconds; found by fuzzing).
pub const MAX_NAME_CHARS: usize = 200;

/// Parses a cycle, recording a finding when it is malformed.
pub fn parse_cycle(
    file: &SourceFile,
    text: &serde_saphyr::Spanned<String>,
    findings: &mut Vec<Diagnostic>,
) -> Option<Cycle> {
    match text.value.parse::<Cycle>() {
        Ok(cycle) => Some(cycle),
        Err(e) => {
            findings.push(
                file.error(
                    e.to_string(),
                    file.location_of_span(text, text.value.chars().count()),
                )
                .with_hint(e.hint()),
            );
            None
        }
    }
}

/// Lowercase letters, digits and single hyphens: `bryn-haven`.
pub fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !text.starts_with('-')
        && !text.ends_with('-')
        && !text.contains("--")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(is_slug("bryn-haven"));
        assert!(is_slug("home-2"));
        for bad in ["Bryn", "a_b", "-a", "a-", "a--b", ""] {
            assert!(!is_slug(bad), "{bad}");
        }
    }
}
