//! `out/reviews.ics`, read back by a real iCalendar parser.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use icalendar::{Component, DatePerhapsTime};

use crate::html::support::{built, read};

#[test]
fn calendar_parses_with_one_event_per_document() {
    let out = built();
    let text = read(&out.path().join("reviews.ics"));
    for line in text.split_terminator("\r\n") {
        assert!(line.len() <= 75, "line longer than 75 octets: {line:?}");
        assert!(!line.contains('\n'), "bare line feed in {line:?}");
    }
    assert!(text.ends_with("END:VCALENDAR\r\n"));

    let unfolded = icalendar::parser::unfold(&text);
    let parsed = icalendar::parser::read_calendar(&unfolded).expect("a valid iCalendar file");
    let calendar: icalendar::Calendar = parsed.into();
    let events: Vec<&icalendar::Event> = calendar
        .components
        .iter()
        .filter_map(|c| c.as_event())
        .collect();
    assert_eq!(events.len(), 4);

    let date = |y, m, d| DatePerhapsTime::Date(NaiveDate::from_ymd_opt(y, m, d).unwrap());
    let mut uids = BTreeSet::new();
    for event in &events {
        assert!(
            uids.insert(event.get_uid().unwrap().to_string()),
            "duplicate UID"
        );
        assert_eq!(event.property_value("DTSTAMP"), Some("20261123T000000Z"));
    }
    assert_eq!(
        uids.into_iter().collect::<Vec<_>>(),
        [
            "hostile.induction@policygen",
            "hostile.medication@policygen",
            "ty-derw.induction@policygen",
            "ty-derw.medication@policygen",
        ]
    );
    let event = |uid: &str| *events.iter().find(|e| e.get_uid() == Some(uid)).unwrap();
    let overdue = event("ty-derw.induction@policygen");
    assert_eq!(overdue.get_start(), Some(date(2026, 6, 1)));
    assert_eq!(overdue.get_end(), Some(date(2026, 6, 2)));
    assert_eq!(
        overdue.get_summary(),
        Some("Review due: Staff Induction Policy – Tŷ Derw Care Home")
    );
    // Never reviewed: its first review is due on the build date, and the
    // event says it is a draft.
    let never = event("hostile.medication@policygen");
    assert_eq!(never.get_start(), Some(date(2026, 11, 23)));
    assert!(
        never
            .get_summary()
            .is_some_and(|s| s.ends_with(" (draft, not yet approved)")),
        "{:?}",
        never.get_summary()
    );

    // Values are escaped for iCalendar and read back literally.
    let hostile = event("hostile.induction@policygen");
    let summary = hostile.get_summary().unwrap().to_string();
    let summary = summary
        .replace("\\,", ",")
        .replace("\\;", ";")
        .replace("\\\\", "\\");
    assert_eq!(
        summary,
        "Review due: Staff Induction Policy – Evil <script>alert('name')</script> & Sons \"Care\" {{ x }} <<org_field_email>> [click](https://evil.example) <img src=x onerror=alert(1)>"
    );
}
