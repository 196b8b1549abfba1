//! `policygen changes ORG POLICY`: what changed between the last approved
//! text and the text a build would now make, word by word, on a terminal
//! (coloured there; `[-…-]`/`{+…+}` when piped). The same changes as the
//! redline page.

use std::io::Write;
use std::path::Path;

use chrono::NaiveDate;

use crate::Outcome;
use crate::app::cli::ChangesArgs;
use crate::app::ui::Ui;
use crate::control::archive::ApprovedText;
use crate::control::{diff, state, terminal};
use crate::load::project::Project;
use crate::resolve::checked::Checked;
use crate::review::target::{self, Refusal};

pub fn run(root: &Path, args: &ChangesArgs, today: NaiveDate, ui: &Ui) -> Outcome {
    let (org, policy) = (args.org.as_str(), args.policy.as_str());
    let project = Project::load(root);
    let purpose = "changes are worked out only for a profile that validates";
    if let Err(refusal) = target::find(&project, org, policy, today, purpose) {
        ui.report(&refusal.findings);
        if let Some(note) = &refusal.note {
            eprintln!("{note}");
        }
        return refusal.outcome;
    }
    let checked = Checked::new(&project, super::context(today));
    let Some(assignment) = checked.resolved.assignment(org, policy) else {
        let message = format!("no document of `{policy}` is built for `{org}`");
        let refusal = Refusal::usage(
            crate::diagnostic::Diagnostic::error(message)
                .with_hint("run `policygen list` to see which variant each organisation gets"),
        );
        ui.report(&refusal.findings);
        return refusal.outcome;
    };
    let document = match checked.document(assignment) {
        Ok(document) => document,
        Err(errors) => {
            ui.report(&errors);
            return Outcome::Findings;
        }
    };
    let reviews = checked
        .validated
        .organisations
        .get(org)
        .and_then(|f| f.policies.get(policy))
        .map(|p| p.reviews.as_slice())
        .unwrap_or_default();
    let default_version = checked
        .resolved
        .variant(policy, &assignment.variant)
        .map_or("", |v| v.version.as_str());
    let Some(baseline) = state::baseline(reviews, default_version, |v| {
        project.approved_text(org, policy, v).map(|a| &a.text)
    }) else {
        ui.say(&format!(
            "no approved text of {policy} for {org} is archived, so there is nothing to compare with ({})",
            match document.control.state {
                state::State::None => "it has never been reviewed",
                state::State::Awaiting => "its first approval is awaited",
                _ => "it was approved before policygen kept approved texts; the next approval starts the record",
            }
        ));
        return Outcome::Success;
    };
    let now = ApprovedText::of(&document.policy.title, &document.sections);
    let changes = diff::compare(baseline.text, &now);
    let since = format!(
        "version {}, approved by {} on {}",
        baseline.version, baseline.approved_by, baseline.approved_on
    );
    if changes.is_empty() {
        ui.say(&format!(
            "no changes: {policy} for {org} reads as approved ({since})"
        ));
        return Outcome::Success;
    }
    let heading = format!(
        "{} for {} ({org}): changes since {since}",
        document.policy.title, document.org.name
    );
    let text = terminal::text(&changes, &heading, ui.color_out);
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
    Outcome::Success
}
