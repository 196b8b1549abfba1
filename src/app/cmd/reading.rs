//! `policygen reading [ORG…]`: who has not yet read the current approved
//! version of each policy, worst first. Loads and validates the library and
//! renders nothing.

use std::io::Write;
use std::path::Path;

use chrono::NaiveDate;

use crate::Outcome;
use crate::app::cli::{ReadingArgs, ReadingFormat, SelectArgs};
use crate::app::ui::Ui;
use crate::diagnostic::Diagnostic;
use crate::load::project::Project;
use crate::report::reading as reading_report;
use crate::resolve::checked::Checked;
use crate::review::reading::{self, Standing};

pub fn run(root: &Path, args: &ReadingArgs, today: NaiveDate, ui: &Ui) -> Outcome {
    let project = Project::load(root);
    let select = SelectArgs {
        orgs: args.orgs.clone(),
        policies: args.policies.clone(),
    };
    let selection = match super::select(&project, &select, ui) {
        Ok(selection) => selection,
        Err(outcome) => return outcome,
    };
    let mut checked = Checked::new(&project, super::context(today));
    checked.diagnostics.retain(|d| selection.relevant(d));
    ui.report(&checked.diagnostics);
    if checked.has_errors() {
        eprintln!("fix the errors above to see who has read what");
        return Outcome::Findings;
    }

    let rows = reading::rows(&checked, &selection);
    let text = match args.format {
        ReadingFormat::Json => reading_report::json(&rows, today),
        ReadingFormat::Table if rows.is_empty() => String::new(),
        ReadingFormat::Table => reading_report::table(&rows, ui.color_out),
    };
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
    drop(out);
    if args.format == ReadingFormat::Table {
        if rows.is_empty() {
            ui.say(
                "no policies are built for the selected organisations, so there is nothing to read",
            );
        } else {
            ui.say("");
            ui.say(&reading_report::summary_line(&rows, today));
        }
    }

    if args.fail_on.is_none() {
        return Outcome::Success;
    }
    let unread: Vec<_> = rows
        .iter()
        .filter(|r| r.status == Standing::Unread)
        .collect();
    if unread.is_empty() {
        return Outcome::Success;
    }
    let people: usize = unread.iter().map(|r| r.outstanding.len()).sum();
    let (noun, verb) = if people == 1 {
        ("acknowledgement", "is")
    } else {
        ("acknowledgements", "are")
    };
    let finding = Diagnostic::error(format!(
        "{people} {noun} of approved policies {verb} outstanding (--fail-on unread)"
    ))
    .with_hint("record each with `policygen ack ORG POLICY --staff NAME`");
    eprint!("{}", finding.render(ui.color));
    Outcome::Findings
}
