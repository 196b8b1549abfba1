//! Review dates as an iCalendar file (RFC 5545): one all-day event per
//! (organisation × policy). A review still ahead sits on its next review
//! date with a reminder the `--within` window before it; an overdue review
//! sits on the build date and says how many days overdue it is, so a
//! subscriber sees it today rather than on a date already past. Each event
//! names the document (its address with `--site-url`, else its path in
//! `out/`); a draft's event says it is not yet approved. UIDs are stable and DTSTAMP comes from the build date, so the
//! same inputs give the same bytes.

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use crate::report::due;
use crate::report::publish::Publish;
use crate::review::schedule::Row;
use crate::review::{self, Status};

/// What a calendar covers and how it names things.
pub struct Calendar<'a> {
    /// `Policy reviews`, or `Policy reviews – Tŷ Derw Care Home`.
    pub name: String,
    /// The calendar's own path in `out/` (`reviews.ics`), for its address.
    pub path: String,
    pub build_date: NaiveDate,
    /// The `--within` window: reminders come this many days ahead.
    pub within_days: u32,
    pub publish: &'a Publish,
    /// The output path of a row's document, when one is built.
    pub document: &'a dyn Fn(&Row) -> Option<String>,
}

/// The calendar of `rows`.
pub fn ics(rows: &[Row], calendar: &Calendar) -> String {
    let mut sorted: Vec<&Row> = rows.iter().collect();
    sorted.sort_by(|a, b| (&a.org, &a.policy).cmp(&(&b.org, &b.policy)));
    let stamp = format!("{}T000000Z", calendar.build_date.format("%Y%m%d"));
    let uid_domain = calendar.publish.uid_domain();
    let mut out = String::new();
    let mut line = |text: &str| fold(text, &mut out);
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line("PRODID:-//policygen//Policy review dates//EN");
    line("CALSCALE:GREGORIAN");
    line("METHOD:PUBLISH");
    line(&format!("NAME:{}", text(&calendar.name)));
    line(&format!("X-WR-CALNAME:{}", text(&calendar.name)));
    // Subscribers fetch it daily, so an overdue review moves to each new day.
    line("REFRESH-INTERVAL;VALUE=DURATION:P1D");
    line("X-PUBLISHED-TTL:P1D");
    if let Some(source) = calendar.publish.absolute(&calendar.path) {
        line(&format!("SOURCE;VALUE=URI:{source}"));
    }
    for row in sorted {
        for text in event(row, calendar, &stamp, uid_domain.as_deref()) {
            line(&text);
        }
    }
    line("END:VCALENDAR");
    out
}

/// The content lines of one row's event, unfolded.
fn event(row: &Row, calendar: &Calendar, stamp: &str, uid_domain: Option<&str>) -> Vec<String> {
    let today = calendar.build_date;
    let date = |d| review::format_date(d, review::DEFAULT_DATE_FORMAT, "en");
    let mut lines = Vec::new();
    let overdue = row.status == Status::Overdue;
    let day = if overdue { today } else { row.next_review };
    let end = day.succ_opt().unwrap_or(day);
    // A draft's event says so: it is not in force until approved.
    let draft = if row.control.state.is_draft() {
        " (draft, not yet approved)"
    } else {
        ""
    };
    let what = format!("{} – {}{draft}", row.policy_title, row.org_name);
    let summary = if overdue {
        format!("Review overdue by {}: {what}", days(-row.days_left))
    } else {
        format!("Review due: {what}")
    };
    let last = row
        .last_review
        .map_or("no review recorded".to_string(), |d| {
            format!("last reviewed {}", date(d))
        });
    let document = (calendar.document)(row);
    let link = document
        .as_deref()
        .map(|path| calendar.publish.absolute(path).unwrap_or(path.to_string()));
    let mut description = format!(
        "{} ({}, variant {}) for {}: {last}; review cycle {}; next review {}",
        row.policy_title,
        row.policy_code,
        row.variant,
        row.org_name,
        row.cycle,
        date(row.next_review)
    );
    if overdue {
        description.push_str(&format!(", {} ago", days(-row.days_left)));
    }
    description.push_str(&format!("; approval: {}.", due::approval_text(row)));
    if let Some(link) = &link {
        description.push_str(&format!("\nDocument: {link}"));
    }
    lines.push(String::from("BEGIN:VEVENT"));
    lines.push(format!("UID:{}", uid(row, uid_domain)));
    lines.push(format!("DTSTAMP:{stamp}"));
    lines.push(format!("DTSTART;VALUE=DATE:{}", day.format("%Y%m%d")));
    lines.push(format!("DTEND;VALUE=DATE:{}", end.format("%Y%m%d")));
    lines.push(format!("SUMMARY:{}", text(&summary)));
    lines.push(format!("DESCRIPTION:{}", text(&description)));
    if let Some(url) = document.and_then(|path| calendar.publish.absolute(&path)) {
        lines.push(format!("URL:{url}"));
    }
    lines.push(String::from("TRANSP:TRANSPARENT"));
    lines.push(String::from("BEGIN:VALARM"));
    lines.push(String::from("ACTION:DISPLAY"));
    if overdue {
        // The event is today: remind at nine in the morning.
        lines.push(format!("DESCRIPTION:{}", text(&summary)));
        lines.push(String::from("TRIGGER:PT9H"));
    } else {
        let ahead = days(i64::from(calendar.within_days));
        lines.push(format!(
            "DESCRIPTION:{}",
            text(&format!("Review due in {ahead}: {what}"))
        ));
        lines.push(format!("TRIGGER:-P{}D", calendar.within_days));
    }
    lines.push(String::from("END:VALARM"));
    lines.push(String::from("END:VEVENT"));
    lines
}

fn days(n: i64) -> String {
    if n == 1 {
        "1 day".to_string()
    } else {
        format!("{n} days")
    }
}

/// A stable event UID. Under a domain the user controls it is readable:
/// `ty-derw.induction@policies.example.org`. Without one it is a name-based
/// UUID (RFC 9562 version 8, from SHA-256) of the regulator, the
/// registration number, the organisation and the policy: registration
/// numbers are issued once per provider by their regulator, so two
/// providers' calendars cannot share a UID, and it never changes while they
/// do not.
fn uid(row: &Row, domain: Option<&str>) -> String {
    if let Some(domain) = domain {
        return format!("{}.{}@{domain}", row.org, row.policy);
    }
    let mut hash = Sha256::new();
    for part in [
        "policygen review",
        &row.regulator,
        &row.registration_no,
        &row.org,
        &row.policy,
    ] {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    let mut bytes: [u8; 16] = [0; 16];
    bytes.copy_from_slice(&hash.finalize()[..16]);
    bytes[6] = (bytes[6] & 0x0f) | 0x80; // version 8
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 9562 variant
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
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
    use crate::report::publish;

    fn row(org: &str, name: &str) -> Row {
        Row {
            org: org.into(),
            org_name: name.into(),
            registration_no: "SIN-00012345-ABCD".into(),
            regulator: "CIW".into(),
            service: "care-home".into(),
            registered_manager: Some("Carys Evans".into()),
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

    fn calendar<'a>(
        publish: &'a Publish,
        document: &'a dyn Fn(&Row) -> Option<String>,
    ) -> Calendar<'a> {
        Calendar {
            name: "Policy reviews".into(),
            path: "reviews.ics".into(),
            build_date: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            within_days: 30,
            publish,
            document,
        }
    }

    #[test]
    fn lines_are_folded_within_75_octets() {
        let long =
            "Cartref Gofal Tŷ’r Ŵyn, Llanfairpwllgwyngyll; a very long organisation name indeed";
        let publish = Publish::default();
        let none = |_: &Row| None;
        let ics = ics(&[row("a", long)], &calendar(&publish, &none));
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
        assert!(unfolded.contains("TRIGGER:-P30D"));
        assert!(!unfolded.contains("URL:"));
    }

    #[test]
    fn overdue_reviews_are_today_and_documents_have_addresses() {
        let mut late = row("ty-derw", "Tŷ Derw");
        late.status = Status::Overdue;
        late.days_left = -175;
        late.next_review = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let publish = Publish {
            site_url: publish::parse_site_url("https://policies.example.org/out").ok(),
            uid_domain: None,
        };
        let html = |r: &Row| Some(format!("{}/{}.html", r.org, r.policy));
        let ics = ics(&[late], &calendar(&publish, &html)).replace("\r\n ", "");
        assert!(ics.contains("DTSTART;VALUE=DATE:20261123\r\n"), "{ics}");
        assert!(
            ics.contains("SUMMARY:Review overdue by 175 days: Key Worker Policy – Tŷ Derw (draft\\, not yet approved)\r\n")
        );
        assert!(ics.contains("UID:ty-derw.key-worker@policies.example.org\r\n"));
        assert!(ics.contains("URL:https://policies.example.org/out/ty-derw/key-worker.html\r\n"));
        assert!(ics.contains("SOURCE;VALUE=URI:https://policies.example.org/out/reviews.ics\r\n"));
        assert!(ics.contains("TRIGGER:PT9H\r\n"));
    }

    #[test]
    fn uids_without_a_domain_are_uuids_that_differ_by_provider() {
        let a = uid(&row("home", "Home"), None);
        let mut other = row("home", "Home");
        other.registration_no = "SIN-00099999-ZZZZ".into();
        let b = uid(&other, None);
        assert_ne!(a, b);
        assert_eq!(a, uid(&row("home", "Home"), None));
        let parts: Vec<&str> = a.split('-').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(parts[2].starts_with('8'), "{a}");
        assert!(matches!(&parts[3][..1], "8" | "9" | "a" | "b"), "{a}");
    }
}
