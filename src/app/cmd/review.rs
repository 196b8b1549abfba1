//! `policygen review ORG POLICY`: records a completed review in the
//! organisation's profile. Checks the request against the loaded library,
//! has `profile_edit` append the entry to the text, re-validates the edited
//! profile in memory, and only then replaces the file (atomically).

use std::path::Path;

use chrono::NaiveDate;

use crate::Outcome;
use crate::app::cli::ReviewArgs;
use crate::app::ui::Ui;
use crate::build::output;
use crate::build::pipeline::{Checked, Selection};
use crate::check::{self, Review};
use crate::diagnostic::{self, Diagnostic};
use crate::load::project::{Loaded, Project};
use crate::load::source::{self, SourceFile};
use crate::model::organisation::{self, Organisation};
use crate::review::profile_edit::{self, NewReview};
use crate::review::schedule;
use crate::review::{self, Schedule, effective_cycle};

const UNTOUCHED: &str = "nothing was written";

pub fn run(root: &Path, args: &ReviewArgs, today: NaiveDate, ui: &Ui) -> Outcome {
    let refuse = |outcome: Outcome, findings: &[Diagnostic]| {
        ui.report(findings);
        eprintln!("{UNTOUCHED}");
        outcome
    };
    let date = match &args.date {
        None => today,
        Some(text) => match review::parse_date(text) {
            Some(date) => date,
            None => {
                return refuse(
                    Outcome::Usage,
                    &[
                        Diagnostic::error(format!("`--date {text}` is not a real date")).with_hint(
                            "write the day of the review as YYYY-MM-DD, e.g. `--date 2026-03-14`",
                        ),
                    ],
                );
            }
        },
    };
    if date > today {
        return refuse(
            Outcome::Usage,
            &[Diagnostic::error(format!(
                "the review date {date} is after the build date {today}"
            ))
            .with_hint(
                "record a review once it has taken place: pass the day it happened with --date",
            )],
        );
    }

    let mut project = Project::load(root);
    let Some(loaded) = project.organisations.get(&args.org) else {
        return unknown_org(&project, &args.org, &refuse);
    };
    let file_id = loaded.file;
    let path = project.file(file_id).path.clone();
    if !project.policies.contains_key(&args.policy) {
        let hint = project.unknown_policy_hint(&args.policy);
        return refuse(
            Outcome::Usage,
            &[Diagnostic::error(format!("unknown policy `{}`", args.policy)).with_hint(hint)],
        );
    }

    let errors = profile_errors(&project, &path, today);
    if !errors.is_empty() {
        ui.report(&errors);
        eprintln!("fix the profile first: a review is recorded only in a profile that validates");
        eprintln!("{UNTOUCHED}");
        return Outcome::Findings;
    }
    let (validated, _) = check::validate(&project, today);
    let history: Vec<Review> = validated
        .organisations
        .get(&args.org)
        .and_then(|facts| facts.policies.get(&args.policy))
        .map(|record| record.reviews.clone())
        .unwrap_or_default();
    let newest = history.iter().max_by_key(|r| r.date);

    let given = |value: &Option<String>| {
        value
            .as_ref()
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let carried_version =
        args.version.is_none() && newest.and_then(|r| r.version.as_ref()).is_some();
    let entry = NewReview {
        date,
        by: given(&args.by),
        approved_by: given(&args.approved_by),
        version: given(&args.version).or_else(|| newest.and_then(|r| r.version.clone())),
        note: given(&args.note),
    };
    if let Some(newest) = newest {
        if date < newest.date {
            return refuse(
                Outcome::Usage,
                &[Diagnostic::error(format!(
                    "the review date {date} is earlier than the newest review recorded for `{}` ({})",
                    args.policy, newest.date
                ))
                .in_file(&path)
                .at(newest_location(&project, &args.org, &args.policy, newest.date))
                .with_hint("reviews are kept oldest first; to correct an older entry, edit the profile by hand")],
            );
        }
        let same = newest.date == entry.date
            && newest.by == entry.by
            && newest.approved_by == entry.approved_by
            && newest.version == entry.version
            && newest.note == entry.note;
        if same {
            return refuse(
                Outcome::Usage,
                &[Diagnostic::error(format!(
                    "this review of `{}` on {date} is already recorded",
                    args.policy
                ))
                .in_file(&path)
                .with_hint("nothing to do; run `policygen due` to see what is still to review")],
            );
        }
    }

    let before = project.file(file_id).text.clone();
    let edited =
        match profile_edit::append_review(&before, &args.policy, &entry).and_then(|after| {
            profile_edit::verify(&before, &after, &args.policy, &entry).map(|()| after)
        }) {
            Ok(after) => after,
            Err(e) => {
                let hint = e.hint();
                return refuse(
                    Outcome::Findings,
                    &[Diagnostic::error(format!("cannot add the review: {e}"))
                        .in_file(&path)
                        .with_hint(hint)],
                );
            }
        };

    // Re-validate the edited profile in memory before anything touches the disk.
    let file = SourceFile::new(path.clone(), edited.clone());
    let parsed = match source::parse_yaml::<Organisation>(&file, organisation::KEYS) {
        Ok(parsed) => parsed,
        Err(error) => return refuse(Outcome::Findings, &[error]),
    };
    project.sources[file_id] = file;
    project.organisations.insert(
        args.org.clone(),
        Loaded {
            file: file_id,
            value: parsed,
        },
    );
    let errors = profile_errors(&project, &path, today);
    if !errors.is_empty() {
        return refuse(Outcome::Findings, &errors);
    }

    if let Err(e) = output::write_atomic(&root.join(&path), edited.as_bytes()) {
        return refuse(
            Outcome::Findings,
            &[Diagnostic::error(format!("cannot write `{path}`: {e}"))
                .with_hint("check that the profile is writable and the disk is not full")],
        );
    }

    let version = match (&entry.version, carried_version) {
        (Some(v), true) => format!(" (version {v}, as at the last review)"),
        (Some(v), false) => format!(" (version {v})"),
        (None, _) => String::new(),
    };
    ui.say(&format!(
        "recorded a review of {} on {date} in {path}{version}",
        args.policy
    ));
    ui.say(&next_review_line(
        &project,
        &args.org,
        &args.policy,
        today,
        ui,
    ));
    ui.say(&format!(
        "run `policygen build --org {}` to update its documents",
        args.org
    ));
    Outcome::Success
}

/// Where the profile records the review dated `date` of `policy`.
fn newest_location(
    project: &Project,
    org: &str,
    policy: &str,
    date: NaiveDate,
) -> Option<crate::diagnostic::Location> {
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
fn profile_errors(project: &Project, path: &str, today: NaiveDate) -> Vec<Diagnostic> {
    let (_, findings) = check::validate(project, today);
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

fn unknown_org(
    project: &Project,
    org: &str,
    refuse: &dyn Fn(Outcome, &[Diagnostic]) -> Outcome,
) -> Outcome {
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
        return refuse(Outcome::Findings, &unreadable);
    }
    let known: Vec<&str> = project.organisation_slugs().collect();
    let hint = diagnostic::did_you_mean(org, known.iter().copied()).unwrap_or_else(|| {
        if known.is_empty() {
            "there are no profiles in organisations/; create one with `policygen new`".to_string()
        } else {
            format!("organisations in this library: {}", known.join(", "))
        }
    });
    refuse(
        Outcome::Usage,
        &[Diagnostic::error(format!("unknown organisation `{org}`")).with_hint(hint)],
    )
}

/// "next review: 2027-11-23 (every 12 months)", from the edited profile.
fn next_review_line(
    project: &Project,
    org: &str,
    policy: &str,
    today: NaiveDate,
    ui: &Ui,
) -> String {
    let checked = Checked::new(project, super::context(today));
    let selection = Selection {
        orgs: vec![org.to_string()],
        policies: vec![policy.to_string()],
    };
    if let Some(row) = schedule::rows(&checked, &selection, super::DEFAULT_DUE_WITHIN).first() {
        return format!("next review: {} (every {})", row.next_review, row.cycle);
    }
    // No document is built for this pair: say why, and date it from the profile alone.
    let facts = checked.validated.organisations.get(org);
    let record = facts.and_then(|f| f.policies.get(policy));
    let why = if record.is_some_and(|r| r.exclude) {
        format!("`{policy}` is excluded in this profile")
    } else {
        format!("no variant of `{policy}` applies to `{org}`")
    };
    ui.report(&[
        Diagnostic::warning(format!("{why}, so no document shows this review"))
            .with_hint("run `policygen list` to see which variant each organisation gets"),
    ]);
    let schedule = match facts {
        Some(facts) => schedule::schedule(facts, policy, None, today),
        None => Schedule::new(None, effective_cycle(None, None, None), today),
    };
    format!(
        "next review: {} (every {})",
        schedule.next_review, schedule.cycle
    )
}
