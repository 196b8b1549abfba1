//! How `policygen due` presents the review schedule: aligned columns for
//! people (status coloured on a terminal), and JSON with stable, documented
//! field names for scripts. Pure: schedule rows in, text out.

use chrono::NaiveDate;
use serde::Serialize;

use crate::control::state::State;
use crate::review::Status;
use crate::review::schedule::Row;

/// How many rows have each status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub overdue: usize,
    pub due: usize,
    pub current: usize,
}

impl Summary {
    pub fn of(rows: &[Row]) -> Summary {
        let mut summary = Summary::default();
        for row in rows {
            match row.status {
                Status::Overdue => summary.overdue += 1,
                Status::Due => summary.due += 1,
                Status::Current => summary.current += 1,
            }
        }
        summary
    }
}

/// The JSON document printed by `due --format json` (see the README for the
/// meaning of every field; renaming one breaks users' scripts).
#[derive(Debug, Serialize)]
struct DueJson<'a> {
    build_date: String,
    within_days: u32,
    summary: Summary,
    schedule: &'a [Row],
}

/// The schedule as pretty-printed JSON, ending in a newline.
pub fn json(rows: &[Row], build_date: NaiveDate, within_days: u32) -> String {
    let doc = DueJson {
        build_date: build_date.to_string(),
        within_days,
        summary: Summary::of(rows),
        schedule: rows,
    };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

/// "12 days", "1 day", "today", "overdue by 3 days".
pub fn days_text(days_left: i64) -> String {
    let days = |n: i64| {
        if n == 1 {
            "1 day".to_string()
        } else {
            format!("{n} days")
        }
    };
    match days_left {
        0 => "today".to_string(),
        n if n > 0 => days(n),
        n => format!("overdue by {}", days(-n)),
    }
}

const HEADERS: [&str; 8] = [
    "Organisation",
    "Policy",
    "Variant",
    "Last review",
    "Next review",
    "Days left",
    "Status",
    "Approval",
];

/// The approval column in words: why a draft is a draft.
pub fn approval_text(row: &Row) -> String {
    match row.control.state {
        State::None => "never reviewed".to_string(),
        State::Awaiting => "awaiting approval".to_string(),
        State::Changed => format!("changed since v{}", row.control.version),
        State::Approved => "approved".to_string(),
    }
}

/// The schedule as aligned columns, one row per line, header first. With
/// `color`, the header is bold, the status red, yellow or green, and a
/// draft's approval yellow.
pub fn table(rows: &[Row], color: bool) -> String {
    let cells: Vec<[String; 8]> = rows
        .iter()
        .map(|row| {
            [
                row.org.clone(),
                row.policy.clone(),
                row.variant.clone(),
                row.last_review
                    .map_or_else(|| "none".to_string(), |d| d.to_string()),
                row.next_review.to_string(),
                days_text(row.days_left),
                row.status.as_str().to_string(),
                approval_text(row),
            ]
        })
        .collect();
    let mut widths = HEADERS.map(|h| h.chars().count());
    for line in &cells {
        for (width, cell) in widths.iter_mut().zip(line) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let paint = |code: &str, text: &str| {
        if color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    // Cells padded to their column; the status and approval painted.
    let layout = |line: &[String; 8], status: String, approval: String| {
        let mut out = String::new();
        for (i, cell) in line.iter().enumerate().take(6) {
            out.push_str(cell);
            out.push_str(&" ".repeat(widths[i] - cell.chars().count() + 2));
        }
        out.push_str(&status);
        out.push_str(&" ".repeat(widths[6] - line[6].chars().count() + 2));
        out.push_str(&approval);
        out
    };
    let mut out = String::new();
    let header = HEADERS.map(str::to_string);
    let header_line = layout(&header, HEADERS[6].to_string(), HEADERS[7].to_string());
    out.push_str(&paint("1", &header_line));
    out.push('\n');
    for (row, line) in rows.iter().zip(&cells) {
        let code = match row.status {
            Status::Overdue => "1;31",
            Status::Due => "1;33",
            Status::Current => "32",
        };
        let approval = if row.control.state.is_draft() {
            "1;33"
        } else {
            "32"
        };
        out.push_str(&layout(
            line,
            paint(code, &line[6]),
            paint(approval, &line[7]),
        ));
        out.push('\n');
    }
    out
}

/// "as of 2026-11-23: 1 overdue, 2 due within 30 days, 3 current"
pub fn summary_line(rows: &[Row], build_date: NaiveDate, within_days: u32) -> String {
    let s = Summary::of(rows);
    let within = if within_days == 1 {
        "1 day".to_string()
    } else {
        format!("{within_days} days")
    };
    let drafts = rows.iter().filter(|r| r.control.state.is_draft()).count();
    let drafts = match drafts {
        0 => "every policy approved".to_string(),
        1 => "1 draft not yet approved".to_string(),
        n => format!("{n} drafts not yet approved"),
    };
    format!(
        "as of {build_date}: {} overdue, {} due within {within}, {} current; {drafts}",
        s.overdue, s.due, s.current
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(org: &str, days_left: i64, status: Status, last: Option<&str>) -> Row {
        Row {
            org: org.into(),
            org_name: "Home".into(),
            registration_no: "SIN-00012345-ABCD".into(),
            regulator: "CIW".into(),
            service: "care-home".into(),
            registered_manager: Some("Carys Evans".into()),
            policy: "key-worker".into(),
            policy_title: "Key Worker Policy".into(),
            policy_code: "KW".into(),
            variant: "ciw-care-home".into(),
            last_review: last.map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()),
            next_review: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
                + chrono::Duration::days(days_left),
            cycle: "12 months".into(),
            days_left,
            status,
            control: crate::control::state::Approval {
                state: if last.is_some() {
                    State::Approved
                } else {
                    State::None
                },
                review: None,
                version: "2".into(),
                approved_by: None,
                approved_on: None,
                tracked: false,
            },
        }
    }

    #[test]
    fn days_read_naturally() {
        assert_eq!(days_text(0), "today");
        assert_eq!(days_text(1), "1 day");
        assert_eq!(days_text(30), "30 days");
        assert_eq!(days_text(-1), "overdue by 1 day");
        assert_eq!(days_text(-12), "overdue by 12 days");
    }

    #[test]
    fn columns_align_and_colour_the_status_and_approval() {
        let rows = [
            row("a", -3, Status::Overdue, Some("2025-11-20")),
            row("longer-name", 200, Status::Current, None),
        ];
        assert_eq!(
            table(&rows, false),
            "\
Organisation  Policy      Variant        Last review  Next review  Days left          Status   Approval
a             key-worker  ciw-care-home  2025-11-20   2026-11-20   overdue by 3 days  overdue  approved
longer-name   key-worker  ciw-care-home  none         2027-06-11   200 days           current  never reviewed
"
        );
        let coloured = table(&rows, true);
        assert!(
            coloured
                .contains("overdue by 3 days  \x1b[1;31moverdue\x1b[0m  \x1b[32mapproved\x1b[0m\n")
        );
        assert!(coloured.contains("\x1b[1;33mnever reviewed\x1b[0m\n"));
        assert!(coloured.contains("\x1b[32mcurrent\x1b[0m"));
        assert!(coloured.starts_with("\x1b[1mOrganisation"));
    }

    #[test]
    fn summary_counts_statuses() {
        let rows = [
            row("a", -3, Status::Overdue, None),
            row("b", 3, Status::Due, None),
            row("c", 300, Status::Current, None),
            row("d", 301, Status::Current, None),
        ];
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(
            summary_line(&rows, today, 30),
            "as of 2026-11-23: 1 overdue, 1 due within 30 days, 2 current; 4 drafts not yet approved"
        );
        let json = json(&rows, today, 30);
        assert!(json.contains(
            "\"summary\": {\n    \"overdue\": 1,\n    \"due\": 1,\n    \"current\": 2\n  }"
        ));
    }
}
