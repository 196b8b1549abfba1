//! `policygen review ORG POLICY`: records a completed review in the
//! organisation's profile. Checks the request against the loaded library,
//! has `profile_edit` append the entry to the text, re-validates the edited
//! profile in memory, and only then replaces the file (atomically).

use std::path::Path;

use chrono::NaiveDate;

use crate::Outcome;
use crate::app::cli::ReviewArgs;
use crate::app::ui::Ui;
use crate::build::pipeline::{Checked, Selection};
use crate::check::{self, Review};
use crate::control::approve;
use crate::diagnostic::Diagnostic;
use crate::load::project::Project;
use crate::review::profile_edit::{self, NewReview};
use crate::review::schedule;
use crate::review::target::{self, Refusal};
use crate::review::{Schedule, effective_cycle};

pub fn run(root: &Path, args: &ReviewArgs, today: NaiveDate, ui: &Ui) -> Outcome {
    match record(root, args, today, ui) {
        Ok(()) => Outcome::Success,
        Err(refusal) => super::refused(ui, refusal),
    }
}

fn record(root: &Path, args: &ReviewArgs, today: NaiveDate, ui: &Ui) -> Result<(), Refusal> {
    let date = target::day(args.date.as_deref(), today, "review")?;
    let mut project = Project::load(root);
    let target = target::find(
        &project,
        &args.org,
        &args.policy,
        today,
        "a review is recorded only in a profile that validates",
    )?;
    let path = target.path.clone();
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
            return Err(Refusal::usage(
                Diagnostic::error(format!(
                    "the review date {date} is earlier than the newest review recorded for `{}` ({})",
                    args.policy, newest.date
                ))
                .in_file(&path)
                .at(target::review_location(&project, &args.org, &args.policy, newest.date))
                .with_hint("reviews are kept oldest first; to correct an older entry, edit the profile by hand"),
            ));
        }
        let same = newest.date == entry.date
            && newest.by == entry.by
            && newest.approved_by == entry.approved_by
            && newest.version == entry.version
            && newest.note == entry.note;
        if same {
            return Err(Refusal::usage(
                Diagnostic::error(format!(
                    "this review of `{}` on {date} is already recorded",
                    args.policy
                ))
                .in_file(&path)
                .with_hint("nothing to do; run `policygen due` to see what is still to review"),
            ));
        }
    }

    let before = project.file(target.file).text.clone();
    let edited = profile_edit::append_review(&before, &args.policy, &entry)
        .and_then(|after| {
            profile_edit::verify(&before, &after, &args.policy, &entry).map(|()| after)
        })
        .map_err(|e| {
            let hint = e.hint();
            Refusal::finding(
                Diagnostic::error(format!("cannot add the review: {e}"))
                    .in_file(&path)
                    .with_hint(hint),
            )
        })?;
    // Re-validate the edited profile in memory before anything touches the disk.
    target::replace(&mut project, &args.org, &target, &edited, today)?;
    // An approved review's text is archived first (never replacing another).
    let checked = Checked::new(&project, super::context(today));
    let built = checked
        .resolved
        .assignment(&args.org, &args.policy)
        .is_some();
    let archived = match (&entry.approved_by, built) {
        (Some(_), true) => {
            Some(approve::store(root, &checked, &args.org, &args.policy, &target)?.0)
        }
        _ => None,
    };
    drop(checked);
    approve::write_profile(root, &project, &target)?;

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
    match (archived, built) {
        (Some(archive), _) => ui.say(&format!("archived the approved text in {archive}")),
        (None, true) => ui.say(&format!(
            "it awaits approval: `policygen approve {} {} --by NAME`",
            args.org, args.policy
        )),
        (None, false) => {}
    }
    ui.say(&format!(
        "run `policygen build --org {}` to update its documents",
        args.org
    ));
    Ok(())
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
