//! `policygen approve ORG POLICY --by NAME [--date D]`: records the approval
//! of the newest review and archives the approved text (`control::approve`).

use std::path::Path;

use chrono::NaiveDate;

use crate::Outcome;
use crate::app::cli::ApproveArgs;
use crate::app::ui::Ui;
use crate::control::approve::{self, Request};
use crate::control::archive::Written;

pub fn run(root: &Path, args: &ApproveArgs, today: NaiveDate, ui: &Ui) -> Outcome {
    let request = Request {
        org: &args.org,
        policy: &args.policy,
        by: &args.by,
        date: args.date.as_deref(),
    };
    let done = match approve::approve(root, &request, super::context(today)) {
        Ok(done) => done,
        Err(refusal) => return super::refused(ui, refusal),
    };
    let (org, policy) = (&args.org, &args.policy);
    if done.profile_changed {
        ui.say(&format!(
            "approved the review of {policy} of {} (version {}) for {org}: by {} on {} in {}",
            done.review,
            done.version,
            args.by.trim(),
            done.on,
            done.profile
        ));
    } else {
        ui.say(&format!(
            "version {} of {policy} for {org} was approved on {} before policygen kept approved texts; its text is archived now, so its changes are tracked from here on",
            done.version, done.on
        ));
    }
    ui.say(&match done.written {
        Written::Created => format!("archived the approved text in {}", done.archive),
        Written::AlreadyThere => {
            format!("the approved text was already archived in {}", done.archive)
        }
    });
    ui.say(&format!(
        "run `policygen build --org {org}` to update its documents"
    ));
    Outcome::Success
}
