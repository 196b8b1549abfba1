//! `policygen review ORG POLICY`: records a completed review in the
//! organisation's profile. `review::record` checks the request, edits the
//! text and re-validates it in memory; only then is the file replaced
//! (atomically).

use std::path::Path;

use chrono::NaiveDate;

use crate::Outcome;
use crate::app::cli::ReviewArgs;
use crate::app::ui::Ui;
use crate::control::approve;
use crate::diagnostic::Diagnostic;
use crate::load::project::Project;
use crate::resolve::checked::Checked;
use crate::review::profile_file::EditLock;
use crate::review::record::{self, Recorded, Refused, Request};
use crate::review::target::{Refusal, Target};

const UNTOUCHED: &str = "nothing was written";

pub fn run(root: &Path, args: &ReviewArgs, today: NaiveDate, ui: &Ui) -> Outcome {
    let refuse = |outcome: Outcome, findings: &[Diagnostic]| {
        ui.report(findings);
        eprintln!("{UNTOUCHED}");
        outcome
    };
    let date = match record::review_date(args.date.as_deref(), today) {
        Ok(date) => date,
        Err(error) => return refuse(Outcome::Usage, &[error]),
    };
    let request = Request {
        org: args.org.clone(),
        policy: args.policy.clone(),
        date,
        by: args.by.clone(),
        approved_by: args.approved_by.clone(),
        version: args.version.clone(),
        note: args.note.clone(),
    };
    // Held until the edit is written: a second edit waits, then starts
    // from the profile this one wrote.
    let lock = match EditLock::acquire(root) {
        Ok(lock) => lock,
        Err(error) => return refuse(Outcome::Findings, &[error]),
    };
    let mut project = Project::load(root);
    let recorded = match record::record(&mut project, &request, today) {
        Ok(recorded) => recorded,
        Err(Refused::Request(findings)) => return refuse(Outcome::Usage, &findings),
        Err(Refused::Findings(findings)) => return refuse(Outcome::Findings, &findings),
        Err(Refused::Profile(errors)) => {
            ui.report(&errors);
            eprintln!(
                "fix the profile first: a review is recorded only in a profile that validates"
            );
            eprintln!("{UNTOUCHED}");
            return Outcome::Findings;
        }
    };
    let errors = super::renders(&project, &request.org, &request.policy, today);
    if !errors.is_empty() {
        return refuse(Outcome::Findings, &errors);
    }
    // An approved review's text is archived first, never replacing another.
    let archived = match archive(root, &project, &request, &recorded, today) {
        Ok(archived) => archived,
        Err(refusal) => return super::refused(ui, refusal),
    };
    if let Err(error) = lock.write(root, &recorded.path, &recorded.text) {
        return refuse(Outcome::Findings, &[error]);
    }
    drop(lock);
    say_recorded(&project, &request, &recorded, today, ui);
    match archived {
        Some(Some(archive)) => ui.say(&format!("archived the approved text in {archive}")),
        Some(None) => ui.say(&format!(
            "it awaits approval: `policygen approve {} {} --by NAME`",
            request.org, request.policy
        )),
        None => {}
    }
    ui.say(&format!(
        "run `policygen build --org {}` to update its documents",
        request.org
    ));
    Outcome::Success
}

/// Archives the approved text when the review names an approver; `None`
/// when no document is built for the pair, `Some(None)` when the review
/// awaits approval.
fn archive(
    root: &Path,
    project: &Project,
    request: &Request,
    recorded: &Recorded,
    today: NaiveDate,
) -> Result<Option<Option<String>>, Refusal> {
    let checked = Checked::new(project, super::context(today));
    if checked
        .resolved
        .assignment(&request.org, &request.policy)
        .is_none()
    {
        return Ok(None);
    }
    if recorded.entry.approved_by.is_none() {
        return Ok(Some(None));
    }
    let target = Target {
        file: project.organisations[&request.org].file,
        path: recorded.path.clone(),
    };
    let (archive, _) = approve::store(root, &checked, &request.org, &request.policy, &target)?;
    Ok(Some(Some(archive)))
}

/// What was recorded, when the policy is next due, and what to run next.
fn say_recorded(
    project: &Project,
    request: &Request,
    recorded: &Recorded,
    today: NaiveDate,
    ui: &Ui,
) {
    let version = match (&recorded.entry.version, recorded.carried_version) {
        (Some(v), true) => format!(" (version {v}, as at the last review)"),
        (Some(v), false) => format!(" (version {v})"),
        (None, _) => String::new(),
    };
    ui.say(&format!(
        "recorded a review of {} on {} in {}{version}",
        request.policy, request.date, recorded.path
    ));
    let (schedule, warning) = record::next_review(
        project,
        &request.org,
        &request.policy,
        super::context(today),
    );
    if let Some(warning) = warning {
        ui.report(&[warning]);
    }
    ui.say(&format!(
        "next review: {} (every {})",
        schedule.next_review, schedule.cycle
    ));
}
