//! The site-level reports a build writes beside the documents: the
//! calendar and the schedule for spreadsheets for the whole library, and a
//! calendar per organisation. Each names a row's document by whichever of
//! its outputs the output folder holds.

use std::collections::BTreeSet;
use std::fmt::{self, Write};

use sha2::{Digest, Sha256};

use crate::GENERATOR;
use crate::build::{Options, keys};
use crate::render::{self, Format};
use crate::report::{calendar, csv_export, dashboard};
use crate::resolve::checked::Checked;
use crate::review::schedule::{self, Row};

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

/// `<org>/reviews.ics`: the calendar of one organisation's reviews (`mine`,
/// its rows of the schedule), so each home's manager can subscribe to just
/// theirs.
pub(super) fn org_calendar(
    checked: &Checked,
    options: &Options,
    mine: &[Row],
    available: &BTreeSet<String>,
    org: &str,
) -> Vec<u8> {
    let document = |row: &Row| document_for(available, row);
    let calendar = calendar::Calendar {
        name: format!("Policy reviews – {}", calendar_name(checked, org)),
        path: dashboard::org_calendar(org),
        build_date: checked.context.today,
        within_days: checked.context.due_within,
        publish: &options.publish,
        document: &document,
    };
    calendar::ics(mine, &calendar).into_bytes()
}

/// The input key of `<org>/reviews.ics`: everything [`org_calendar`] makes
/// it from — policygen's version, the organisation's name, the build date,
/// the window, where the site is published, and each of its rows of the
/// schedule (every field, as `Debug` writes it) with the document the row
/// links to — so an unchanged calendar is neither made nor read back.
pub(super) fn org_calendar_key(
    checked: &Checked,
    options: &Options,
    mine: &[&Row],
    available: &BTreeSet<String>,
    org: &str,
) -> String {
    let mut h = Sha256::new();
    let mut w = HashWriter(&mut h);
    // Writing into a hash cannot fail.
    let _ = writeln!(
        w,
        "{GENERATOR}\n{org}\n{}\n{}\n{}\n{:?}",
        calendar_name(checked, org),
        checked.context.today,
        checked.context.due_within,
        options.publish
    );
    for row in mine {
        let _ = writeln!(w, "{row:?}\n{:?}", document_for(available, row));
    }
    keys::hex(&h.finalize())
}

/// The organisation's name as its calendar gives it.
fn calendar_name(checked: &Checked, org: &str) -> String {
    checked
        .project
        .organisations
        .get(org)
        .map_or(org.to_string(), |o| o.value.name.value.trim().to_string())
}

/// Feeds formatted text straight into a hash.
struct HashWriter<'a>(&'a mut Sha256);

impl fmt::Write for HashWriter<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.update(s.as_bytes());
        Ok(())
    }
}
