//! The profile a command edits (`review`, `approve`): finding it (unknown
//! organisation or policy get a "did you mean"), refusing one that does not
//! validate, putting an edited text back into the loaded project to check it
//! again before anything is written, and reading the dates given on the
//! command line. What is refused says how the command should end.

use chrono::NaiveDate;

use crate::Outcome;
use crate::diagnostic::{Diagnostic, Location};
use crate::load::project::{FileId, Loaded, Project};
use crate::load::source::{self, SourceFile};
use crate::model::organisation::{self, Organisation};
use crate::review::record::{self, Refused};

/// Why a command leaves the profile as it was.
#[derive(Debug, Clone)]
pub struct Refusal {
    /// Exit 2 for a mistake on the command line, 1 for a finding.
    pub outcome: Outcome,
    pub findings: Vec<Diagnostic>,
    /// A line to print after the findings, when one helps.
    pub note: Option<String>,
}

impl Refusal {
    pub fn usage(finding: Diagnostic) -> Refusal {
        Refusal {
            outcome: Outcome::Usage,
            findings: vec![finding],
            note: None,
        }
    }

    pub fn finding(finding: Diagnostic) -> Refusal {
        Refusal::findings(vec![finding])
    }

    pub fn findings(findings: Vec<Diagnostic>) -> Refusal {
        Refusal {
            outcome: Outcome::Findings,
            findings,
            note: None,
        }
    }
}

/// The profile being edited.
#[derive(Debug, Clone)]
pub struct Target {
    pub file: FileId,
    /// `organisations/<org>.yaml`.
    pub path: String,
}

/// A `--date` value (default: the build date), refused when it is not a
/// real date or is after the build date. `what` names the event: "review".
pub fn day(text: Option<&str>, today: NaiveDate, what: &str) -> Result<NaiveDate, Refusal> {
    let date = match text {
        None => today,
        Some(text) => review_date(text).ok_or_else(|| {
            Refusal::usage(
                Diagnostic::error(format!("`--date {text}` is not a real date")).with_hint(
                    format!("write the day of the {what} as YYYY-MM-DD, e.g. `--date 2026-03-14`"),
                ),
            )
        })?,
    };
    if date > today {
        return Err(Refusal::usage(
            Diagnostic::error(format!(
                "the {what} date {date} is after the build date {today}"
            ))
            .with_hint(format!(
                "record a {what} once it has taken place: pass the day it happened with --date"
            )),
        ));
    }
    Ok(date)
}

fn review_date(text: &str) -> Option<NaiveDate> {
    crate::review::parse_date(text)
}

/// Finds `org`'s profile and checks `policy` exists and the profile has no
/// errors. `purpose` completes "fix the profile first: …".
pub fn find(
    project: &Project,
    org: &str,
    policy: &str,
    today: NaiveDate,
    purpose: &str,
) -> Result<Target, Refusal> {
    let Some(loaded) = project.organisations.get(org) else {
        return Err(unknown_org(project, org));
    };
    let file = loaded.file;
    let path = project.file(file).path.clone();
    if !project.policies.contains_key(policy) {
        let hint = project.unknown_policy_hint(policy);
        return Err(Refusal::usage(
            Diagnostic::error(format!("unknown policy `{policy}`")).with_hint(hint),
        ));
    }
    let errors = profile_errors(project, file, today);
    if !errors.is_empty() {
        return Err(Refusal {
            note: Some(format!("fix the profile first: {purpose}")),
            ..Refusal::findings(errors)
        });
    }
    Ok(Target { file, path })
}

/// Puts the edited text of the target's profile into the project in place
/// of the one read, refusing it if it no longer validates.
pub fn replace(
    project: &mut Project,
    org: &str,
    target: &Target,
    edited: &str,
    today: NaiveDate,
) -> Result<(), Refusal> {
    let file = SourceFile::new(target.path.clone(), edited.to_string());
    let parsed =
        source::parse_yaml::<Organisation>(&file, organisation::KEYS).map_err(Refusal::finding)?;
    project.sources[target.file] = file;
    project.organisations.insert(
        org.to_string(),
        Loaded {
            file: target.file,
            value: parsed,
        },
    );
    let errors = profile_errors(project, target.file, today);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Refusal::findings(errors))
    }
}

/// Where the profile records the review dated `date` of `policy`.
pub fn review_location(
    project: &Project,
    org: &str,
    policy: &str,
    date: NaiveDate,
) -> Option<Location> {
    record::newest_location(project, org, policy, date)
}

fn profile_errors(project: &Project, file: FileId, today: NaiveDate) -> Vec<Diagnostic> {
    record::profile_errors(project, file, today)
}

fn unknown_org(project: &Project, org: &str) -> Refusal {
    match record::unknown_org(project, org) {
        Refused::Request(findings) => Refusal {
            outcome: Outcome::Usage,
            findings,
            note: None,
        },
        Refused::Findings(findings) | Refused::Profile(findings) => Refusal::findings(findings),
    }
}
