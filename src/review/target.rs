//! The profile a command edits (`review`, `approve`): finding it (unknown
//! organisation or policy get a "did you mean"), refusing one that does not
//! validate, putting an edited text back into the loaded project to check it
//! again before anything is written, and reading the dates given on the
//! command line. What is refused says how the command should end.

use chrono::NaiveDate;

use crate::Outcome;
use crate::diagnostic::{self, Diagnostic, Location};
use crate::load::project::{FileId, Loaded, Project};
use crate::load::source::{self, SourceFile};
use crate::model::organisation::{self, Organisation};

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
    let errors = profile_errors(project, &path, today);
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
    let errors = profile_errors(project, &target.path, today);
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
    let loaded = project.organisations.get(org)?;
    let file = project.file(loaded.file);
    let entry = loaded
        .value
        .policies
        .get(policy)?
        .reviews
        .iter()
        .rev()
        .find(|r| review_date(&r.date.value.0) == Some(date))?;
    file.location_of_span(&entry.date, entry.date.value.0.trim().chars().count())
}

/// Errors in one profile: loading and validation findings for its file.
/// Findings about the library (a policy no variant covers) do not count.
fn profile_errors(project: &Project, path: &str, today: NaiveDate) -> Vec<Diagnostic> {
    let (_, findings) = crate::check::validate(project, today);
    let mut errors: Vec<Diagnostic> = project
        .diagnostics
        .iter()
        .chain(&findings)
        .filter(|d| d.is_error() && d.path.as_deref() == Some(path))
        .cloned()
        .collect();
    diagnostic::sort(&mut errors);
    errors
}

fn unknown_org(project: &Project, org: &str) -> Refusal {
    // A profile that exists but cannot be read is a finding, not a typo.
    let unreadable: Vec<Diagnostic> = project
        .diagnostics
        .iter()
        .filter(|d| {
            d.path.as_deref().is_some_and(|p| {
                p == format!("organisations/{org}.yaml") || p == format!("organisations/{org}.yml")
            })
        })
        .cloned()
        .collect();
    if !unreadable.is_empty() {
        return Refusal::findings(unreadable);
    }
    let known: Vec<&str> = project.organisation_slugs().collect();
    let hint = diagnostic::did_you_mean(org, known.iter().copied()).unwrap_or_else(|| {
        if known.is_empty() {
            "there are no profiles in organisations/; create one with `policygen new`".to_string()
        } else {
            format!("organisations in this library: {}", known.join(", "))
        }
    });
    Refusal::usage(Diagnostic::error(format!("unknown organisation `{org}`")).with_hint(hint))
}
