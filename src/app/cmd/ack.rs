//! `policygen ack ORG POLICY --staff NAME…`: records that members of staff
//! have read the current approved version of a policy. `review::acknowledge`
//! checks every name, edits the text and re-validates it in memory; only
//! then, under the profile edit lock and once its documents render, is the
//! file replaced (atomically).

use std::path::Path;

use chrono::NaiveDate;

use crate::Outcome;
use crate::app::cli::AckArgs;
use crate::app::ui::Ui;
use crate::diagnostic::Diagnostic;
use crate::load::project::Project;
use crate::review;
use crate::review::acknowledge::{self, Request};
use crate::review::profile_file::EditLock;
use crate::review::reading::Reading;
use crate::review::record::Refused;

const UNTOUCHED: &str = "nothing was written";

pub fn run(root: &Path, args: &AckArgs, today: NaiveDate, ui: &Ui) -> Outcome {
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
                            "write the day they read the policy as YYYY-MM-DD, e.g. `--date 2026-03-14`",
                        ),
                    ],
                );
            }
        },
    };
    let request = Request {
        org: args.org.clone(),
        policy: args.policy.clone(),
        staff: args.staff.clone(),
        date,
    };
    // Held until the edit is written: a second edit waits, then starts
    // from the profile this one wrote.
    let lock = match EditLock::acquire(root) {
        Ok(lock) => lock,
        Err(error) => return refuse(Outcome::Findings, &[error]),
    };
    let mut project = Project::load(root);
    let done = match acknowledge::acknowledge(&mut project, &request, super::context(today)) {
        Ok(done) => done,
        Err(Refused::Request(findings)) => return refuse(Outcome::Usage, &findings),
        Err(Refused::Findings(findings)) => return refuse(Outcome::Findings, &findings),
        Err(Refused::Profile(errors)) => {
            ui.report(&errors);
            eprintln!(
                "fix the profile first: an acknowledgement is recorded only in a profile that validates"
            );
            eprintln!("{UNTOUCHED}");
            return Outcome::Findings;
        }
    };
    let errors = super::renders(&project, &request.org, &request.policy, today);
    if !errors.is_empty() {
        return refuse(Outcome::Findings, &errors);
    }
    if let Err(error) = lock.write(root, &done.path, &done.text) {
        return refuse(Outcome::Findings, &[error]);
    }
    drop(lock);
    let path = &done.path;
    let names: Vec<&str> = done.names.iter().map(String::as_str).collect();
    ui.say(&format!(
        "recorded that {} read version {} of {} on {date} in {path}",
        and_list(&names),
        done.version,
        request.policy
    ));
    ui.say(&standing(&done.reading, &request.policy));
    ui.say(&format!(
        "run `policygen build --org {}` to update its acknowledgement sheets",
        request.org
    ));
    Outcome::Success
}

/// "key-worker: read by 5 of 9; still to read: Ann Lee, …".
fn standing(reading: &Reading, policy: &str) -> String {
    let outstanding: Vec<&str> = reading.outstanding().map(|r| r.name.as_str()).collect();
    if outstanding.is_empty() {
        format!(
            "{policy}: {}; everyone on the staff list has read it",
            reading.summary()
        )
    } else {
        format!(
            "{policy}: {}; still to read: {}",
            reading.summary(),
            outstanding.join(", ")
        )
    }
}

/// "A", "A and B", "A, B and C".
fn and_list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
