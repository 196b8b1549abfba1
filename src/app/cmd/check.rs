//! `policygen check`: load, validate, render every format in memory, and
//! report every finding at once.

use std::path::Path;

use chrono::NaiveDate;

use crate::Outcome;
use crate::app::cli::SelectArgs;
use crate::app::ui::Ui;
use crate::build::pipeline;
use crate::load::project::Project;
use crate::render::Format;
use crate::resolve::checked::Checked;

pub fn run(root: &Path, args: &SelectArgs, today: NaiveDate, ui: &Ui) -> Outcome {
    let project = Project::load(root);
    let selection = match super::select(&project, args, ui) {
        Ok(selection) => selection,
        Err(outcome) => return outcome,
    };
    // Lenient: a profile with an empty name or registration number still
    // has its documents rendered, so every finding shows in one round.
    let mut checked = Checked::lenient(&project, super::context(today));
    checked.diagnostics.retain(|d| selection.relevant(d));
    let mut findings = checked.diagnostics.clone();
    findings.extend(crate::control::state::untracked_warning(
        &checked, &selection,
    ));
    let rendered = match pipeline::render(&checked, &selection, Format::AVAILABLE) {
        Ok(rendered) => rendered,
        Err(errors) => {
            findings.extend(errors);
            0
        }
    };
    pipeline::dedupe(&mut findings);
    ui.report(&findings);
    if findings.iter().any(|d| d.is_error()) {
        return Outcome::Findings;
    }
    ui.say(&format!(
        "checked {} organisations, {} policies: {rendered} documents render cleanly",
        project.organisations.len(),
        project.policies.len()
    ));
    Outcome::Success
}
