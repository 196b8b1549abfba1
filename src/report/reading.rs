//! How `policygen reading` presents who has read what: aligned columns for
//! people (the standing coloured on a terminal), and JSON with stable,
//! documented field names for scripts. Pure: reading rows in, text out.

use chrono::NaiveDate;
use serde::Serialize;

use crate::review::reading::{Row, Standing};

/// How many rows stand each way, and how many people are outstanding.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub unapproved: usize,
    pub unread: usize,
    pub read: usize,
    pub no_staff: usize,
    /// Acknowledgements still to come across the `unread` rows.
    pub outstanding: usize,
}

impl Summary {
    pub fn of(rows: &[Row]) -> Summary {
        let mut summary = Summary::default();
        for row in rows {
            match row.status {
                Standing::Unapproved => summary.unapproved += 1,
                Standing::Unread => {
                    summary.unread += 1;
                    summary.outstanding += row.outstanding.len();
                }
                Standing::Read => summary.read += 1,
                Standing::NoStaff => summary.no_staff += 1,
            }
        }
        summary
    }
}

/// The JSON document printed by `reading --format json` (see the README
/// for every field; renaming one breaks users' scripts).
#[derive(Debug, Serialize)]
struct ReadingJson<'a> {
    build_date: String,
    summary: Summary,
    reading: &'a [Row],
}

/// The rows as pretty-printed JSON, ending in a newline.
pub fn json(rows: &[Row], build_date: NaiveDate) -> String {
    let doc = ReadingJson {
        build_date: build_date.to_string(),
        summary: Summary::of(rows),
        reading: rows,
    };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

const HEADERS: [&str; 5] = ["Organisation", "Policy", "Version", "Read", "Outstanding"];

/// "3 of 4", "draft", "no staff listed".
fn read_text(row: &Row) -> String {
    match row.status {
        Standing::Unapproved => "draft".to_string(),
        Standing::NoStaff => "no staff listed".to_string(),
        Standing::Unread | Standing::Read => format!("{} of {}", row.read, row.staff),
    }
}

/// The rows as aligned columns, header first; the last column names who is
/// outstanding, or why a draft has nothing to read yet. With `color`, the
/// header is bold and the Read column red (someone outstanding), yellow (a
/// draft) or green (read by all).
pub fn table(rows: &[Row], color: bool) -> String {
    let cells: Vec<[String; 5]> = rows
        .iter()
        .map(|row| {
            [
                row.org.clone(),
                row.policy.clone(),
                row.version.clone().unwrap_or_else(|| "-".to_string()),
                read_text(row),
                match row.status {
                    Standing::Unread => row.outstanding.join(", "),
                    Standing::Unapproved => format!(
                        "nothing to read: {}",
                        row.draft_reason.as_deref().unwrap_or("not yet approved")
                    ),
                    Standing::Read | Standing::NoStaff => String::new(),
                },
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
        if color && !code.is_empty() {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    let pad = |cell: &str, i: usize| " ".repeat(widths[i] - cell.chars().count() + 2);
    let mut out = paint(
        "1",
        &HEADERS
            .iter()
            .enumerate()
            .map(|(i, h)| {
                if i + 1 == HEADERS.len() {
                    h.to_string()
                } else {
                    format!("{h}{}", pad(h, i))
                }
            })
            .collect::<String>(),
    );
    out.push('\n');
    for (row, line) in rows.iter().zip(&cells) {
        let code = match row.status {
            Standing::Unread => "1;31",
            Standing::Unapproved => "1;33",
            Standing::Read => "32",
            Standing::NoStaff => "",
        };
        let mut text = String::new();
        for (i, cell) in line.iter().enumerate() {
            if i == 3 {
                text.push_str(&paint(code, cell));
            } else {
                text.push_str(cell);
            }
            if i + 1 < line.len() {
                text.push_str(&pad(cell, i));
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    }
    out
}

/// "as of 2026-11-23: 2 policies with staff still to read them (5
/// acknowledgements outstanding), 1 draft with nothing to read yet, 3 read
/// by everyone".
pub fn summary_line(rows: &[Row], build_date: NaiveDate) -> String {
    let s = Summary::of(rows);
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    let mut parts = vec![if s.unread == 0 {
        "no acknowledgements outstanding".to_string()
    } else {
        format!(
            "{} ({} outstanding)",
            plural(
                s.unread,
                "policy with staff still to read it",
                "policies with staff still to read them"
            ),
            plural(s.outstanding, "acknowledgement", "acknowledgements")
        )
    }];
    if s.unapproved > 0 {
        parts.push(plural(
            s.unapproved,
            "draft with nothing to read yet",
            "drafts with nothing to read yet",
        ));
    }
    if s.read > 0 {
        parts.push(format!("{} read by everyone", s.read));
    }
    if s.no_staff > 0 {
        parts.push(format!("{} with no staff listed", s.no_staff));
    }
    format!("as of {build_date}: {}", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::control::state::State;

    fn row(org: &str, status: Standing, read: usize, outstanding: &[&str]) -> Row {
        Row {
            org: org.into(),
            org_name: "Home".into(),
            policy: "key-worker".into(),
            policy_title: "Key Worker Policy".into(),
            status,
            approval: if status == Standing::Unapproved {
                State::Awaiting
            } else {
                State::Approved
            },
            draft_reason: (status == Standing::Unapproved)
                .then(|| "version 3 awaits approval (review of 2026-10-01)".into()),
            version: (status != Standing::Unapproved).then(|| "3".into()),
            approved_on: None,
            staff: read + outstanding.len(),
            read,
            outstanding: outstanding.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn columns_align_and_colour_only_the_count() {
        let rows = [
            row("a", Standing::Unapproved, 0, &["Ann Lee"]),
            row(
                "longer-name",
                Standing::Unread,
                1,
                &["Ann Lee", "Tomos Price"],
            ),
            row("b", Standing::Read, 2, &[]),
        ];
        assert_eq!(
            table(&rows, false),
            "\
Organisation  Policy      Version  Read    Outstanding
a             key-worker  -        draft   nothing to read: version 3 awaits approval (review of 2026-10-01)
longer-name   key-worker  3        1 of 3  Ann Lee, Tomos Price
b             key-worker  3        2 of 2
"
        );
        let coloured = table(&rows, true);
        assert!(coloured.contains("\x1b[1;31m1 of 3\x1b[0m"));
        assert!(coloured.starts_with("\x1b[1mOrganisation"));
    }

    #[test]
    fn the_summary_counts_policies_and_people() {
        let rows = [
            row("a", Standing::Unread, 0, &["A", "B"]),
            row("b", Standing::Unread, 0, &["C"]),
            row("c", Standing::Read, 2, &[]),
            row("d", Standing::Unapproved, 0, &["D"]),
        ];
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(
            summary_line(&rows, today),
            "as of 2026-11-23: 2 policies with staff still to read them (3 acknowledgements outstanding), 1 draft with nothing to read yet, 1 read by everyone"
        );
        assert_eq!(
            summary_line(&rows[2..], today),
            "as of 2026-11-23: no acknowledgements outstanding, 1 draft with nothing to read yet, 1 read by everyone"
        );
        assert_eq!(
            summary_line(&rows[..1], today),
            "as of 2026-11-23: 1 policy with staff still to read it (2 acknowledgements outstanding)"
        );
    }
}
