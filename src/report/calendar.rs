//! Review dates as an iCalendar file (RFC 5545): one all-day event per
//! (organisation × policy) on its next review date. UIDs are stable and
//! DTSTAMP comes from the build date, so the same inputs give the same bytes.

use chrono::NaiveDate;

use crate::review::schedule::Row;

/// The calendar of `rows`, stamped with the build date.
pub fn ics(rows: &[Row], build_date: NaiveDate) -> String {
    let mut sorted: Vec<&Row> = rows.iter().collect();
    sorted.sort_by(|a, b| (&a.org, &a.policy).cmp(&(&b.org, &b.policy)));
    let stamp = format!("{}T000000Z", build_date.format("%Y%m%d"));
    let mut out = String::new();
    let mut line = |text: &str| fold(text, &mut out);
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line("PRODID:-//policygen//Policy review dates//EN");
    line("CALSCALE:GREGORIAN");
    line("METHOD:PUBLISH");
    line("X-WR-CALNAME:Policy reviews");
    for row in sorted {
        let next = row.next_review;
        let end = next.succ_opt().unwrap_or(next);
        line("BEGIN:VEVENT");
        line(&format!("UID:{}.{}@policygen", row.org, row.policy));
        line(&format!("DTSTAMP:{stamp}"));
        line(&format!("DTSTART;VALUE=DATE:{}", next.format("%Y%m%d")));
        line(&format!("DTEND;VALUE=DATE:{}", end.format("%Y%m%d")));
        // A draft's event says so: it is not in force until approved.
        let draft = if row.control.state.is_draft() {
            " (draft, not yet approved)"
        } else {
            ""
        };
        line(&format!(
            "SUMMARY:{}",
            text(&format!(
                "Review due: {} – {}{draft}",
                row.policy_title, row.org_name
            ))
        ));
        let last = row
            .last_review
            .map_or("no review recorded".to_string(), |d| {
                format!("last reviewed {d}")
            });
        line(&format!(
            "DESCRIPTION:{}",
            text(&format!(
                "{} ({}, variant {}) for {}: {last}; review cycle {}; approval: {}.",
                row.policy_title,
                row.policy_code,
                row.variant,
                row.org_name,
                row.cycle,
                crate::report::due::approval_text(row)
            ))
        ));
        line("TRANSP:TRANSPARENT");
        line("END:VEVENT");
    }
    line("END:VCALENDAR");
    out
}

/// Escapes a TEXT value (RFC 5545 §3.3.11).
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends a content line folded at 75 octets (never inside a character), CRLF-terminated.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::Status;

    fn row(org: &str, name: &str) -> Row {
        Row {
            org: org.into(),
            org_name: name.into(),
            policy: "key-worker".into(),
            policy_title: "Key Worker Policy".into(),
            policy_code: "KW-CIW".into(),
            variant: "ciw-care-home".into(),
            last_review: NaiveDate::from_ymd_opt(2026, 3, 14),
            next_review: NaiveDate::from_ymd_opt(2027, 3, 14).unwrap(),
            cycle: "12 months".into(),
            days_left: 100,
            status: Status::Current,
            control: crate::control::state::Approval {
                state: crate::control::state::State::Awaiting,
                review: NaiveDate::from_ymd_opt(2026, 3, 14),
                version: "3".into(),
                approved_by: None,
                approved_on: None,
                tracked: false,
            },
        }
    }

    #[test]
    fn lines_are_folded_within_75_octets() {
        let long =
            "Cartref Gofal Tŷ’r Ŵyn, Llanfairpwllgwyngyll; a very long organisation name indeed";
        let ics = ics(
            &[row("a", long)],
            NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        );
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{line:?} is {} octets", line.len());
        }
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains(
            "SUMMARY:Review due: Key Worker Policy – Cartref Gofal Tŷ’r Ŵyn\\, Llanfair"
        ));
        assert!(unfolded.contains("indeed (draft\\, not yet approved)\r\n"));
        assert!(unfolded.contains("approval: awaiting approval.\r\n"));
        assert!(unfolded.contains("DTSTAMP:20261123T000000Z"));
        assert!(unfolded.contains("DTSTART;VALUE=DATE:20270314"));
        assert!(unfolded.contains("UID:a.key-worker@policygen"));
    }
}
