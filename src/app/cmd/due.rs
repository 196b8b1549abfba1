//! `policygen due`: the review schedule, worst first. Loads and validates the
//! library, works out every review date, and renders nothing.

use std::io::Write;
use std::path::Path;

use chrono::NaiveDate;

use crate::Outcome;
use crate::app::cli::{DueArgs, DueFormat, FailOn};
use crate::app::ui::Ui;
use crate::diagnostic::Diagnostic;
use crate::load::project::Project;
use crate::report::due as due_report;
use crate::report::{calendar, csv_export};
use crate::resolve::checked::BuildContext;
use crate::resolve::checked::Checked;
use crate::review::Status;
use crate::review::schedule;

pub fn run(root: &Path, args: &DueArgs, today: NaiveDate, ui: &Ui) -> Outcome {
    let project = Project::load(root);
    let selection = match super::select(&project, &args.select, ui) {
        Ok(selection) => selection,
        Err(outcome) => return outcome,
    };
    let context = BuildContext {
        today,
        due_within: args.within,
    };
    let mut checked = Checked::new(&project, context);
    checked.diagnostics.retain(|d| selection.relevant(d));
    ui.report(&checked.diagnostics);
    if checked.has_errors() {
        eprintln!("fix the errors above to see the full review schedule");
        return Outcome::Findings;
    }

    let rows = schedule::rows(&checked, &selection, args.within);
    let text = match args.format {
        DueFormat::Json => due_report::json(&rows, today, args.within),
        DueFormat::Ics => {
            // `due` builds nothing: events name each document's HTML page.
            let document = |row: &schedule::Row| Some(format!("{}/{}.html", row.org, row.policy));
            let publish = args.publish.publish();
            let calendar = calendar::Calendar {
                name: "Policy reviews".to_string(),
                path: crate::report::dashboard::CALENDAR.to_string(),
                build_date: today,
                within_days: args.within,
                publish: &publish,
                document: &document,
            };
            calendar::ics(&rows, &calendar)
        }
        DueFormat::Csv => csv_export::csv(&rows),
        DueFormat::Table if rows.is_empty() => String::new(),
        DueFormat::Table => due_report::table(&rows, ui.color_out),
    };
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
    drop(out);
    if args.format == DueFormat::Table {
        if rows.is_empty() {
            ui.say("no policies are built for the selected organisations, so nothing is due");
        } else {
            ui.say("");
            ui.say(&due_report::summary_line(&rows, today, args.within));
        }
    }

    let Some(fail_on) = args.fail_on else {
        return Outcome::Success;
    };
    let (hits, finding) = match fail_on {
        FailOn::Unapproved => {
            let hits = rows.iter().filter(|r| r.control.state.is_draft()).count();
            let noun = if hits == 1 {
                "policy is"
            } else {
                "policies are"
            };
            (
                hits,
                Diagnostic::error(format!("{hits} {noun} not approved (--fail-on unapproved)"))
                    .with_hint("`policygen due` says why each is a draft, `policygen changes ORG POLICY` what changed; approve with `policygen approve ORG POLICY --by NAME`"),
            )
        }
        FailOn::Overdue | FailOn::Due => {
            let (limit, label, flag) = match fail_on {
                FailOn::Overdue => (Status::Overdue, "overdue", "overdue"),
                _ => (Status::Due, "due or overdue", "due"),
            };
            let hits = rows.iter().filter(|r| r.status <= limit).count();
            let noun = if hits == 1 {
                "policy review is"
            } else {
                "policy reviews are"
            };
            (
                hits,
                Diagnostic::error(format!("{hits} {noun} {label} (--fail-on {flag})"))
                    .with_hint("record each completed review with `policygen review ORG POLICY`"),
            )
        }
    };
    if hits == 0 {
        return Outcome::Success;
    }
    eprint!("{}", finding.render(ui.color));
    Outcome::Findings
}
