//! `policygen list`: the policies and their variants, the organisations, and
//! which variant each organisation gets.

use std::path::Path;

use chrono::NaiveDate;

use crate::Outcome;
use crate::app::cli::{ListArgs, ListFormat};
use crate::app::ui::Ui;
use crate::load::project::Project;
use crate::report::listing;
use crate::resolve::checked::Checked;

pub fn run(root: &Path, args: &ListArgs, today: NaiveDate, ui: &Ui) -> Outcome {
    let project = Project::load(root);
    let checked = Checked::new(&project, super::context(today));
    let listing = listing::listing(&checked);
    match args.format {
        ListFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&listing).unwrap_or_default()
        ),
        ListFormat::Table => print!("{}", listing::table(&listing)),
    }
    ui.report(&checked.diagnostics);
    if checked.has_errors() {
        Outcome::Findings
    } else {
        Outcome::Success
    }
}
