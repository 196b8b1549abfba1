//! The review schedule as CSV for spreadsheets: `out/schedule.csv` and
//! `policygen due --format csv`. One row per (organisation × policy), worst
//! first, with the fields of `due --format json`; RFC 4180 quoting (by the
//! `csv` crate) and CRLF line ends. A value a spreadsheet would run as a
//! formula (one starting `=`, `+`, `-`, `@`, a tab or a carriage return) is
//! written with a leading `'`, so an organisation called
//! `=HYPERLINK("http://…")` shows as that text and never as a link.

use crate::review::schedule::Row;

/// The header row: the JSON field names, in the JSON's order.
pub const HEADER: [&str; 16] = [
    "org",
    "org_name",
    "registration_no",
    "regulator",
    "service",
    "registered_manager",
    "policy",
    "policy_title",
    "policy_code",
    "variant",
    "last_review",
    "next_review",
    "cycle",
    "days_left",
    "status",
    "approval",
];

/// The UTF-8 byte-order mark that tells Excel the file is UTF-8 (without
/// it, Excel shows "Tŷ" as "TÅ·"); written at the start of the file in `out/`.
pub const BOM: &str = "\u{feff}";

/// The schedule as CSV text.
pub fn csv(rows: &[Row]) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let mut records: Vec<Vec<String>> = vec![HEADER.iter().map(|h| h.to_string()).collect()];
    for row in rows {
        let text = |value: &str| neutralise(value);
        records.push(vec![
            text(&row.org),
            text(&row.org_name),
            text(&row.registration_no),
            text(&row.regulator),
            text(&row.service),
            text(row.registered_manager.as_deref().unwrap_or("")),
            text(&row.policy),
            text(&row.policy_title),
            text(&row.policy_code),
            text(&row.variant),
            row.last_review.map(|d| d.to_string()).unwrap_or_default(),
            row.next_review.to_string(),
            text(&row.cycle),
            // A number of our own: `-52` is a count of days, not a formula.
            row.days_left.to_string(),
            row.status.as_str().to_string(),
            row.control.state.as_str().to_string(),
        ]);
    }
    for record in records {
        // Writing to memory cannot fail.
        let _ = writer.write_record(&record);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// A value with a leading `'` when a spreadsheet would take it for a
/// formula (OWASP's list, with the full-width forms some spreadsheets
/// also accept).
fn neutralise(value: &str) -> String {
    const FORMULA_STARTS: &[char] = &[
        '=', '+', '-', '@', '\t', '\r', '\u{ff1d}', '\u{ff0b}', '\u{ff0d}', '\u{ff20}',
    ];
    if value.starts_with(FORMULA_STARTS) {
        format!("'{value}")
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::Status;
    use chrono::NaiveDate;

    #[test]
    fn quoting_and_formulas() {
        let row = Row {
            org: "evil".into(),
            org_name: "=HYPERLINK(\"http://x.example\",\"Click\"), \"Ltd\"\nline two".into(),
            registration_no: "+1-234".into(),
            regulator: "CIW".into(),
            service: "care-home".into(),
            registered_manager: None,
            policy: "key-worker".into(),
            policy_title: "@SUM(A1)".into(),
            policy_code: "-KW".into(),
            variant: "ciw-care-home".into(),
            last_review: None,
            next_review: NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
            cycle: "12 months".into(),
            days_left: -175,
            status: Status::Overdue,
            control: crate::control::state::Approval {
                state: crate::control::state::State::None,
                review: None,
                version: "1".into(),
                approved_by: None,
                approved_on: None,
                tracked: false,
            },
        };
        let text = csv(&[row]);
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(lines[0], HEADER.join(","));
        assert_eq!(
            text.split_once("\r\n").unwrap().1,
            "evil,\"'=HYPERLINK(\"\"http://x.example\"\",\"\"Click\"\"), \"\"Ltd\"\"\nline two\",'+1-234,CIW,care-home,,key-worker,'@SUM(A1),'-KW,ciw-care-home,,2026-06-01,12 months,-175,overdue,none\r\n"
        );
    }
}
