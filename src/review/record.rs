//! Recording a completed review (`policygen review ORG POLICY`): the request
//! checked against the loaded library, the entry appended to the profile's
//! text by `profile_edit`, and the edited profile re-validated in memory.
//! Pure: the caller writes the edited text (atomically) only when this
//! succeeds.

use chrono::NaiveDate;

use crate::check::{self, Review};
use crate::diagnostic::{self, Diagnostic, Location};
use crate::load::project::{FileId, Loaded, Project};
use crate::load::source::{self, SourceFile};
use crate::model::organisation::{self, Organisation};
use crate::resolve::checked::{BuildContext, Checked, Selection};
use crate::review::profile_edit::{self, NewReview};
use crate::review::{self, Schedule, effective_cycle, schedule};

/// A review to record, as the command line gives it.
#[derive(Debug, Clone)]
pub struct Request {
    pub org: String,
    pub policy: String,
    pub date: NaiveDate,
    pub by: Option<String>,
    pub approved_by: Option<String>,
    pub version: Option<String>,
    pub note: Option<String>,
}

/// Why nothing was recorded.
#[derive(Debug)]
pub enum Refused {
    /// The command line names something the library lacks: an unknown
    /// organisation or policy (exit 2).
    Request(Vec<Diagnostic>),
    /// The profile has errors of its own; a review is recorded only in a
    /// profile that validates.
    Profile(Vec<Diagnostic>),
    /// What was asked cannot be recorded (a date after the build date or
    /// before the newest review, a review already recorded), the profile
    /// cannot be read, or the edit could not be made or would break it
    /// (exit 1).
    Findings(Vec<Diagnostic>),
}

/// A review ready to be written.
#[derive(Debug)]
pub struct Recorded {
    /// The profile's path in the library.
    pub path: String,
    /// The profile's text with the review appended.
    pub text: String,
    pub entry: NewReview,
    /// Whether the version was carried over from the newest earlier review.
    pub carried_version: bool,
}

/// The day of the review: `--date`, else the build date. (A date after the
/// build date is refused by [`record`], which names the profile.)
pub fn review_date(text: Option<&str>, today: NaiveDate) -> Result<NaiveDate, Diagnostic> {
    match text {
        None => Ok(today),
        Some(text) => review::parse_date(text).ok_or_else(|| {
            Diagnostic::error(format!("`--date {text}` is not a real date"))
                .with_hint("write the day of the review as YYYY-MM-DD, e.g. `--date 2026-03-14`")
        }),
    }
}

/// Appends the review to the profile in `project` (in memory) and returns
/// the edited text, or why it was refused, leaving `project` as it was.
pub fn record(
    project: &mut Project,
    request: &Request,
    today: NaiveDate,
) -> Result<Recorded, Refused> {
    let Some(loaded) = project.organisations.get(&request.org) else {
        return Err(unknown_org(project, &request.org));
    };
    let file_id = loaded.file;
    let path = project.file(file_id).path.clone();
    if !project.policies.contains_key(&request.policy) {
        let hint = project.unknown_policy_hint(&request.policy);
        return Err(Refused::Request(vec![
            Diagnostic::error(format!("unknown policy `{}`", request.policy)).with_hint(hint),
        ]));
    }
    // Refusals of what was asked (not of how it was typed) name the
    // profile and exit 1, like any finding.
    if request.date > today {
        return Err(Refused::Findings(vec![
            Diagnostic::error(format!(
                "the review date {} is after the build date {today}",
                request.date
            ))
            .in_source(project.file(file_id))
            .with_hint(
                "record a review once it has taken place: pass the day it happened with --date",
            ),
        ]));
    }
    let errors = profile_errors(project, file_id, today);
    if !errors.is_empty() {
        return Err(Refused::Profile(errors));
    }
    let history = history(project, request, today);
    let newest = history.iter().max_by_key(|r| r.date);
    let (entry, carried_version) = new_entry(request, newest);
    if let Some(newest) = newest {
        check_order(project, request, file_id, newest, &entry)?;
    }
    let before = project.file(file_id).text.clone();
    let text = profile_edit::append_review(&before, &request.policy, &entry)
        .and_then(|after| {
            profile_edit::verify(&before, &after, &request.policy, &entry).map(|()| after)
        })
        .map_err(|e| {
            let hint = e.hint();
            Refused::Findings(vec![
                Diagnostic::error(format!("cannot add the review: {e}"))
                    .in_source(project.file(file_id))
                    .with_hint(hint),
            ])
        })?;
    revalidate(project, &request.org, file_id, &text, today)?;
    Ok(Recorded {
        path,
        text,
        entry,
        carried_version,
    })
}

/// The reviews the profile records for the policy, checked.
fn history(project: &Project, request: &Request, today: NaiveDate) -> Vec<Review> {
    let (validated, _) = check::validate(project, today);
    validated
        .organisations
        .get(&request.org)
        .and_then(|facts| facts.policies.get(&request.policy))
        .map(|record| record.reviews.clone())
        .unwrap_or_default()
}

/// The entry to append: the request's values trimmed, the version carried
/// over from the newest review when not given. Also says whether it was.
fn new_entry(request: &Request, newest: Option<&Review>) -> (NewReview, bool) {
    let given = |value: &Option<String>| {
        value
            .as_ref()
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let carried_version =
        request.version.is_none() && newest.and_then(|r| r.version.as_ref()).is_some();
    let entry = NewReview {
        date: request.date,
        by: given(&request.by),
        approved_by: given(&request.approved_by),
        version: given(&request.version).or_else(|| newest.and_then(|r| r.version.clone())),
        note: given(&request.note),
    };
    (entry, carried_version)
}

/// Reviews are kept oldest first, and the same review is not recorded twice.
fn check_order(
    project: &Project,
    request: &Request,
    file_id: FileId,
    newest: &Review,
    entry: &NewReview,
) -> Result<(), Refused> {
    let file = project.file(file_id);
    let date = entry.date;
    if date < newest.date {
        return Err(Refused::Findings(vec![Diagnostic::error(format!(
            "the review date {date} is earlier than the newest review recorded for `{}` ({})",
            request.policy, newest.date
        ))
        .in_source(file)
        .at(newest_location(project, &request.org, &request.policy, newest.date))
        .with_hint("reviews are kept oldest first; to correct an older entry, edit the profile by hand")]));
    }
    let same = newest.date == entry.date
        && newest.by == entry.by
        && newest.approved_by == entry.approved_by
        && newest.version == entry.version
        && newest.note == entry.note;
    if same {
        return Err(Refused::Findings(vec![
            Diagnostic::error(format!(
                "this review of `{}` on {date} is already recorded",
                request.policy
            ))
            .in_source(file)
            .with_hint("nothing to do; run `policygen due` to see what is still to review"),
        ]));
    }
    Ok(())
}

/// Reads the edited text back and validates the project with it, before
/// anything touches the disk; on success `project` holds the edited profile.
pub fn revalidate(
    project: &mut Project,
    org: &str,
    file_id: FileId,
    text: &str,
    today: NaiveDate,
) -> Result<(), Refused> {
    let old = project.file(file_id);
    let saved = old.text.clone();
    let file =
        SourceFile::new(old.path.clone(), text.to_string()).as_source(file_id, old.org.clone());
    let parsed = source::parse_yaml::<Organisation>(&file, organisation::KEYS)
        .map_err(|error| Refused::Findings(vec![error]))?;
    project.sources[file_id] = file;
    project.organisations.insert(
        org.to_string(),
        Loaded {
            file: file_id,
            value: parsed,
        },
    );
    let mut errors = profile_errors(project, file_id, today);
    as_saved(&mut errors, &project.file(file_id).path, &saved);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Refused::Findings(errors))
    }
}

/// Findings about an edit that was refused point at the profile as it is
/// saved: a place only the edit would have written (a line not in the file)
/// is left out, since the file still reads as it did.
pub fn as_saved(findings: &mut [Diagnostic], path: &str, saved: &str) {
    for finding in findings.iter_mut() {
        if finding.path.as_deref() != Some(path) {
            continue;
        }
        let there = finding.location.as_ref().is_some_and(|loc| {
            saved
                .lines()
                .nth(loc.line.wrapping_sub(1))
                .map(|l| l.trim_end_matches('\r'))
                == Some(loc.line_text.as_str())
        });
        if !there {
            finding.location = None;
        }
    }
}

/// Where the profile records the review dated `date` of `policy`.
pub(crate) fn newest_location(
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
        .find(|r| review::parse_date(&r.date.value.0) == Some(date))?;
    file.location_of_span(&entry.date, entry.date.value.0.trim().chars().count())
}

/// Errors in one profile: loading and validation findings for its file.
/// Findings about the library (a policy no variant covers) do not count.
pub fn profile_errors(project: &Project, file: FileId, today: NaiveDate) -> Vec<Diagnostic> {
    let (_, findings) = check::validate(project, today);
    let mut errors: Vec<Diagnostic> = project
        .diagnostics
        .iter()
        .chain(&findings)
        .filter(|d| d.is_error() && d.file == Some(file))
        .cloned()
        .collect();
    diagnostic::sort(&mut errors);
    errors
}

/// The refusal for an organisation the library does not have (or cannot read).
pub fn unknown_org(project: &Project, org: &str) -> Refused {
    // A profile that exists but cannot be read is a finding, not a typo.
    let unreadable: Vec<Diagnostic> = project
        .diagnostics
        .iter()
        .filter(|d| d.org.as_deref() == Some(org))
        .cloned()
        .collect();
    if !unreadable.is_empty() {
        return Refused::Findings(unreadable);
    }
    let known: Vec<&str> = project.organisation_slugs().collect();
    let hint = diagnostic::did_you_mean(org, known.iter().copied()).unwrap_or_else(|| {
        if known.is_empty() {
            "there are no profiles in organisations/; create one with `policygen new`".to_string()
        } else {
            format!("organisations in this library: {}", known.join(", "))
        }
    });
    Refused::Request(vec![
        Diagnostic::error(format!("unknown organisation `{org}`")).with_hint(hint),
    ])
}

/// When the policy is next due for the organisation, from the (edited)
/// project: its schedule row, or — when no document is built for the pair —
/// the profile alone, with a warning saying why.
pub fn next_review(
    project: &Project,
    org: &str,
    policy: &str,
    context: BuildContext,
) -> (Schedule, Option<Diagnostic>) {
    let today = context.today;
    let checked = Checked::new(project, context);
    let selection = Selection {
        orgs: vec![org.to_string()],
        policies: vec![policy.to_string()],
    };
    let facts = checked.validated.organisations.get(org);
    let built = checked
        .select(&selection)
        .first()
        .and_then(|a| checked.resolved.variant(&a.policy, &a.variant));
    if let (Some(facts), Some(variant)) = (facts, built) {
        return (
            schedule::schedule(facts, policy, Some(variant), today),
            None,
        );
    }
    // No document is built for this pair: say why, and date it from the profile alone.
    let record = facts.and_then(|f| f.policies.get(policy));
    let why = if record.is_some_and(|r| r.exclude) {
        format!("`{policy}` is excluded in this profile")
    } else {
        format!("no variant of `{policy}` applies to `{org}`")
    };
    let warning = Diagnostic::warning(format!("{why}, so no document shows this review"))
        .with_hint("run `policygen list` to see which variant each organisation gets");
    let schedule = match facts {
        Some(facts) => schedule::schedule(facts, policy, None, today),
        None => Schedule::new(None, effective_cycle(None, None, None), today),
    };
    (schedule, Some(warning))
}
