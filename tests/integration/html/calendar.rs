//! `out/reviews.ics` and `out/<org>/reviews.ics`, read back by a real
//! iCalendar parser: overdue reviews today, a reminder the `--within`
//! window ahead, each document named, UIDs stable and collision-free.

use std::collections::BTreeSet;
use std::path::Path;

use chrono::NaiveDate;
use icalendar::{Component, DatePerhapsTime, Event};

use crate::html::support::{build, built, fixture, read, run};

/// The events of a calendar file, after checking its lines.
fn events(path: &Path) -> Vec<Event> {
    let text = read(path);
    for line in text.split_terminator("\r\n") {
        assert!(line.len() <= 75, "line longer than 75 octets: {line:?}");
        assert!(!line.contains('\n'), "bare line feed in {line:?}");
    }
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    let unfolded = icalendar::parser::unfold(&text);
    let parsed = icalendar::parser::read_calendar(&unfolded).expect("a valid iCalendar file");
    let calendar: icalendar::Calendar = parsed.into();
    calendar
        .components
        .iter()
        .filter_map(|c| c.as_event())
        .cloned()
        .collect()
}

/// An iCalendar TEXT value as written, unescaped.
fn unescape(text: &str) -> String {
    text.replace("\\n", "\n")
        .replace("\\,", ",")
        .replace("\\;", ";")
        .replace("\\\\", "\\")
}

fn by_summary<'a>(events: &'a [Event], start: &str) -> &'a Event {
    events
        .iter()
        .find(|e| e.get_summary().is_some_and(|s| s.starts_with(start)))
        .unwrap_or_else(|| panic!("no event {start:?}"))
}

/// The single alarm of an event: its trigger and description.
fn alarm(event: &Event) -> (String, String) {
    let alarms: Vec<_> = event
        .components()
        .iter()
        .filter(|c| c.component_kind() == "VALARM")
        .collect();
    assert_eq!(alarms.len(), 1);
    assert_eq!(alarms[0].property_value("ACTION"), Some("DISPLAY"));
    (
        alarms[0].property_value("TRIGGER").unwrap().to_string(),
        unescape(alarms[0].property_value("DESCRIPTION").unwrap()),
    )
}

#[test]
fn calendar_has_overdue_reviews_today_and_reminders_ahead() {
    let out = built();
    let events = events(&out.path().join("reviews.ics"));
    assert_eq!(events.len(), 4);
    let date = |y, m, d| DatePerhapsTime::Date(NaiveDate::from_ymd_opt(y, m, d).unwrap());

    // Overdue since 1 June 2026: an event on the build date that says so.
    let overdue = by_summary(&events, "Review overdue");
    assert_eq!(
        overdue.get_summary(),
        Some("Review overdue by 175 days: Staff Induction Policy – Tŷ Derw Care Home")
    );
    assert_eq!(overdue.get_start(), Some(date(2026, 11, 23)));
    assert_eq!(overdue.get_end(), Some(date(2026, 11, 24)));
    let description = unescape(overdue.get_description().unwrap());
    assert!(
        description.contains("next review 1 June 2026, 175 days ago; approval: approved."),
        "{description}"
    );
    assert!(
        description.ends_with("\nDocument: ty-derw/induction.html"),
        "{description}"
    );
    assert_eq!(alarm(overdue).0, "PT9H");

    // Due on 10 December 2026: on that day, with a reminder 30 days before.
    let due = by_summary(&events, "Review due: Medication Policy – Tŷ Derw");
    assert_eq!(due.get_start(), Some(date(2026, 12, 10)));
    assert_eq!(
        alarm(due),
        (
            "-P30D".to_string(),
            "Review due in 30 days: Medication Policy – Tŷ Derw Care Home".to_string()
        )
    );
    // Never reviewed: its first review is due on the build date, and the
    // event says it is a draft.
    let never = by_summary(&events, "Review due: Medication Policy – Evil");
    assert_eq!(never.get_start(), Some(date(2026, 11, 23)));
    assert!(
        never
            .get_summary()
            .is_some_and(|s| s.ends_with(" (draft, not yet approved)")),
        "{:?}",
        never.get_summary()
    );
    assert!(
        unescape(never.get_description().unwrap()).contains("; approval: never reviewed."),
        "{:?}",
        never.get_description()
    );

    // Without --site-url there is no address, only the path in out/.
    assert!(events.iter().all(|e| e.property_value("URL").is_none()));

    // UIDs: UUIDs (no domain was given), one per event, the same next build.
    let uids: BTreeSet<String> = events
        .iter()
        .map(|e| e.get_uid().unwrap().to_string())
        .collect();
    assert_eq!(uids.len(), 4);
    for uid in &uids {
        let parts: Vec<usize> = uid.split('-').map(str::len).collect();
        assert_eq!(parts, [8, 4, 4, 4, 12], "{uid}");
        assert!(
            uid.chars().all(|c| c == '-' || c.is_ascii_hexdigit()),
            "{uid}"
        );
    }
    let again = built();
    let again: BTreeSet<String> = self::events(&again.path().join("reviews.ics"))
        .iter()
        .map(|e| e.get_uid().unwrap().to_string())
        .collect();
    assert_eq!(uids, again);

    // Values are escaped for iCalendar and read back literally.
    let hostile = by_summary(&events, "Review due: Staff Induction Policy – Evil");
    assert_eq!(
        unescape(hostile.get_summary().unwrap()),
        "Review due: Staff Induction Policy – Evil <script>alert('name')</script> & Sons \"Care\" {{ x }} <<org_field_email>> [click](https://evil.example) <img src=x onerror=alert(1)>"
    );
}

#[test]
fn each_organisation_has_its_own_calendar() {
    let out = built();
    let mine = events(&out.path().join("ty-derw/reviews.ics"));
    let summaries: Vec<&str> = mine.iter().filter_map(|e| e.get_summary()).collect();
    assert_eq!(
        summaries,
        [
            "Review overdue by 175 days: Staff Induction Policy – Tŷ Derw Care Home",
            "Review due: Medication Policy – Tŷ Derw Care Home",
        ]
    );
    let text = read(&out.path().join("ty-derw/reviews.ics")).replace("\r\n ", "");
    assert!(text.contains("\r\nX-WR-CALNAME:Policy reviews – Tŷ Derw Care Home\r\n"));
    // The same UIDs as in the site calendar, so subscribing to both never doubles.
    let site: BTreeSet<String> = events(&out.path().join("reviews.ics"))
        .iter()
        .map(|e| e.get_uid().unwrap().to_string())
        .collect();
    assert!(mine.iter().all(|e| site.contains(e.get_uid().unwrap())));
    assert!(events(&out.path().join("quiet-lane/reviews.ics")).is_empty());
}

#[test]
fn a_site_url_gives_addresses_and_uids_under_its_domain() {
    let out = tempfile::tempdir().unwrap();
    build(
        &fixture(),
        out.path(),
        &[
            "--format",
            "html",
            "--site-url",
            "https://policies.example.org/care",
        ],
    );
    let events = events(&out.path().join("reviews.ics"));
    let overdue = by_summary(&events, "Review overdue");
    assert_eq!(
        overdue.get_uid(),
        Some("ty-derw.induction@policies.example.org")
    );
    assert_eq!(
        overdue.property_value("URL"),
        Some("https://policies.example.org/care/ty-derw/induction.html")
    );
    assert!(
        unescape(overdue.get_description().unwrap())
            .ends_with("\nDocument: https://policies.example.org/care/ty-derw/induction.html")
    );
    let text = read(&out.path().join("ty-derw/reviews.ics")).replace("\r\n ", "");
    assert!(text.contains(
        "\r\nSOURCE;VALUE=URI:https://policies.example.org/care/ty-derw/reviews.ics\r\n"
    ));
    // The dashboards give the calendars' addresses to subscribe to.
    assert!(read(&out.path().join("index.html")).contains(
        "subscribe to <span class=\"address\">https://policies.example.org/care/reviews.ics</span>"
    ));
    assert!(read(&out.path().join("ty-derw/index.html")).contains(
        "subscribe to <span class=\"address\">https://policies.example.org/care/ty-derw/reviews.ics</span>"
    ));

    // A domain of the user's own wins over the site's.
    let other = tempfile::tempdir().unwrap();
    build(
        &fixture(),
        other.path(),
        &[
            "--format",
            "md",
            "--site-url",
            "https://policies.example.org/care",
            "--uid-domain",
            "Example.COM",
        ],
    );
    let events = self::events(&other.path().join("reviews.ics"));
    assert_eq!(
        by_summary(&events, "Review overdue").get_uid(),
        Some("ty-derw.induction@example.com")
    );
}

#[test]
fn a_bad_site_url_or_domain_is_a_usage_error() {
    let out = tempfile::tempdir().unwrap();
    let root = fixture();
    let root = root.to_str().unwrap();
    let outdir = out.path().to_str().unwrap();
    for (flag, value, says) in [
        ("--site-url", "policies.example.org", "not a web address"),
        (
            "--site-url",
            "ftp://policies.example.org/",
            "must start with https://",
        ),
        (
            "--site-url",
            "https://policies.example.org/?page=1",
            "must not have a query",
        ),
        (
            "--uid-domain",
            "my domain",
            "write a domain name you control",
        ),
    ] {
        let output = run(&["build", "--root", root, "--out", outdir, flag, value]);
        assert_eq!(output.status.code(), Some(2), "{flag} {value}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(says), "{flag} {value}: {stderr}");
    }
    assert!(
        std::fs::read_dir(out.path()).unwrap().next().is_none(),
        "nothing written"
    );
}
