//! The site-level reports a build writes beside the documents: the
//! calendar and the schedule for spreadsheets for the whole library, and a
//! calendar per organisation. Each names a row's document by whichever of
//! its outputs the output folder holds.

use std::collections::BTreeSet;

use crate::build::Options;
use crate::render::{self, Format};
use crate::report::{calendar, csv_export, dashboard};
use crate::resolve::checked::Checked;
use crate::review::schedule;

/// The output path of a row's document for the calendars: the HTML page,
/// else the PDF, else the Markdown, whichever is in the output folder.
fn document_for(available: &BTreeSet<String>, row: &schedule::Row) -> Option<String> {
    [Format::Html, Format::Pdf, Format::Md]
        .into_iter()
        .map(|f| render::output_path(&row.org, &row.policy, f))
        .find(|path| available.contains(path))
}

/// The site calendar and the schedule for spreadsheets (which starts with
/// a byte-order mark so that Excel reads it as UTF-8).
pub(super) fn site_reports(
    checked: &Checked,
    options: &Options,
    rows: &[schedule::Row],
    available: &BTreeSet<String>,
) -> Vec<(String, Vec<u8>)> {
    let document = |row: &schedule::Row| document_for(available, row);
    let calendar = calendar::Calendar {
        name: "Policy reviews".to_string(),
        path: dashboard::CALENDAR.to_string(),
        build_date: checked.context.today,
        within_days: checked.context.due_within,
        publish: &options.publish,
        document: &document,
    };
    let csv = format!("{}{}", csv_export::BOM, csv_export::csv(rows));
    vec![
        (
            dashboard::CALENDAR.to_string(),
            calendar::ics(rows, &calendar).into_bytes(),
        ),
        (dashboard::SCHEDULE_CSV.to_string(), csv.into_bytes()),
    ]
}

/// `<org>/reviews.ics`: the calendar of one organisation's reviews, so each
/// home's manager can subscribe to just theirs.
pub(super) fn org_calendar(
    checked: &Checked,
    options: &Options,
    rows: &[schedule::Row],
    available: &BTreeSet<String>,
    org: &str,
) -> Vec<u8> {
    let mine: Vec<schedule::Row> = rows.iter().filter(|r| r.org == org).cloned().collect();
    let name = checked
        .project
        .organisations
        .get(org)
        .map_or(org.to_string(), |o| o.value.name.value.trim().to_string());
    let document = |row: &schedule::Row| document_for(available, row);
    let calendar = calendar::Calendar {
        name: format!("Policy reviews – {name}"),
        path: dashboard::org_calendar(org),
        build_date: checked.context.today,
        within_days: checked.context.due_within,
        publish: &options.publish,
        document: &document,
    };
    calendar::ics(&mine, &calendar).into_bytes()
}
