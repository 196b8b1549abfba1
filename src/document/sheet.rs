//! The staff acknowledgement sheet that closes every document (SPEC §9): the
//! roster with each person's role and the day they acknowledged the
//! version this document is, then blank rows to sign on paper. A draft's
//! sheet says it cannot be signed yet. Every renderer draws this one view.

use chrono::NaiveDate;
use serde::Serialize;

use crate::review::reading::Reading;

/// The fewest blank signature rows a sheet has.
pub const MIN_SIGNATURE_ROWS: usize = 10;

/// Anchor of the sheet's heading in HTML and PDF.
pub const ANCHOR: &str = "staff-acknowledgement";

/// The sheet, ready to draw.
#[derive(Debug, Clone, Serialize)]
pub struct SheetView {
    pub title: &'static str,
    /// Whether this document is an approved version staff can sign.
    pub signable: bool,
    /// The paragraph under the title.
    pub intro: String,
    /// The roster's date column heading: `Read version 3 on`.
    pub date_heading: String,
    /// The roster, in the profile's order (people who have left omitted).
    pub roster: Vec<SheetRow>,
    /// The sentence above the signature rows.
    pub declaration: String,
    /// One entry per blank signature row (none on a draft).
    pub blank_rows: Vec<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SheetRow {
    pub name: String,
    pub role: String,
    /// The day they acknowledged this version, formatted; empty if not yet.
    pub date: String,
}

/// The sheet of a document at `version`; `signable` when that version is
/// the approved one (not a draft).
pub fn sheet(
    reading: &Reading,
    version: &str,
    signable: bool,
    date: &dyn Fn(NaiveDate) -> String,
) -> SheetView {
    let roster: Vec<SheetRow> = reading
        .readers
        .iter()
        .map(|r| SheetRow {
            name: r.name.clone(),
            role: r.role.clone(),
            date: if signable {
                r.read_on.map(date).unwrap_or_default()
            } else {
                String::new()
            },
        })
        .collect();
    let intro = match (signable, roster.is_empty()) {
        (true, false) => format!(
            "Everyone listed reads version {version} of this policy and confirms it. The dates are the acknowledgements recorded so far; a blank date is still to come."
        ),
        (true, true) => format!(
            "Everyone who works under this policy reads version {version} and signs below."
        ),
        (false, false) => "This document is a draft: it cannot be signed until it is approved. Once it is, everyone listed reads it and signs.".to_string(),
        (false, true) => "This document is a draft: it cannot be signed until it is approved.".to_string(),
    };
    SheetView {
        title: "Staff acknowledgement",
        signable,
        intro,
        date_heading: format!("Read version {version} on"),
        blank_rows: if signable {
            (1..=roster.len().max(MIN_SIGNATURE_ROWS)).collect()
        } else {
            Vec::new()
        },
        roster,
        declaration: format!(
            "By signing, I confirm that I have read and understood version {version} of this policy and will work to it."
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::control::state::State;
    use crate::review::reading::{Approved, Reader};

    fn reading(people: usize, read: usize) -> Reading {
        Reading {
            state: State::Approved,
            draft_reason: None,
            approved: Some(Approved {
                version: "3".into(),
                on: NaiveDate::from_ymd_opt(2026, 3, 14).unwrap(),
            }),
            readers: (0..people)
                .map(|i| Reader {
                    name: format!("Person {i}"),
                    role: "Care Worker".into(),
                    read_on: (i < read).then(|| NaiveDate::from_ymd_opt(2026, 3, 20).unwrap()),
                })
                .collect(),
        }
    }

    fn iso(d: NaiveDate) -> String {
        d.to_string()
    }

    #[test]
    fn at_least_ten_signature_rows_or_one_per_person() {
        assert_eq!(sheet(&reading(3, 1), "3", true, &iso).blank_rows.len(), 10);
        assert_eq!(sheet(&reading(14, 1), "3", true, &iso).blank_rows.len(), 14);
        assert_eq!(sheet(&reading(0, 0), "3", true, &iso).blank_rows.len(), 10);
    }

    #[test]
    fn dates_show_only_on_an_approved_document() {
        let approved = sheet(&reading(2, 1), "3", true, &iso);
        assert_eq!(approved.roster[0].date, "2026-03-20");
        assert_eq!(approved.roster[1].date, "");
        assert_eq!(approved.date_heading, "Read version 3 on");
        let draft = sheet(&reading(2, 1), "4", false, &iso);
        assert!(draft.roster.iter().all(|r| r.date.is_empty()));
        assert!(draft.blank_rows.is_empty());
        assert!(
            draft
                .intro
                .contains("cannot be signed until it is approved")
        );
    }
}
