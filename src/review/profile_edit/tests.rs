use super::*;

fn review(date: &str) -> NewReview {
    NewReview {
        date: NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap(),
        by: Some("Siân Evans".into()),
        approved_by: None,
        version: Some("4".into()),
        note: Some("Annual review, no changes".into()),
    }
}

fn edit(before: &str) -> String {
    let r = review("2026-11-23");
    let after = append_review(before, "key-worker", &r).unwrap();
    verify(before, &after, "key-worker", &r).unwrap();
    after
}

fn ack(name: &str) -> Entry {
    Entry {
        list: "acknowledgements",
        fields: vec![
            ("name", name.to_string()),
            ("date", "2026-11-23".to_string()),
            ("version", "4".to_string()),
        ],
    }
}

fn edit_all(before: &str, entries: &[Entry]) -> String {
    let after = append_all(before, "key-worker", entries).unwrap();
    verify_all(before, &after, "key-worker", entries).unwrap();
    after
}

#[test]
fn acknowledgements_follow_their_own_list_else_the_reviews() {
    // Block entries for reviews, flow lines for acknowledgements: each list
    // keeps its own style.
    let before = "policies:\n  key-worker:\n    reviews:\n      - date: 2026-01-01\n        version: \"4\"\n    acknowledgements:\n      - { name: A, date: 2026-01-02, version: \"4\" }\n";
    assert_eq!(
        edit_all(before, &[ack("Siân"), ack("Tomos")]),
        format!(
            "{before}      - {{ name: Siân, date: 2026-11-23, version: \"4\" }}\n      - {{ name: Tomos, date: 2026-11-23, version: \"4\" }}\n"
        )
    );
    // No acknowledgements yet: the new list is written like the reviews.
    let before =
        "policies:\n  key-worker:\n    reviews:\n    - date: 2026-01-01\n      version: \"4\"\n";
    assert_eq!(
        edit_all(before, &[ack("Siân")]),
        format!(
            "{before}    acknowledgements:\n    - name: Siân\n      date: 2026-11-23\n      version: \"4\"\n"
        )
    );
    // A review and an acknowledgement in one edit each land in their list.
    let before = "policies:\n  key-worker: { reviews: [] }\n";
    let both = [review("2026-11-23").entry(), ack("Siân")];
    assert_eq!(
        edit_all(before, &both),
        "policies:\n  key-worker: { reviews: [{ date: 2026-11-23, by: Siân Evans, version: \"4\", note: \"Annual review, no changes\" }], acknowledgements: [{ name: Siân, date: 2026-11-23, version: \"4\" }] }\n"
    );
}

#[test]
fn verify_all_wants_every_entry_in_order() {
    let before = "policies:\n  key-worker:\n    acknowledgements: []\n";
    let after = append_all(before, "key-worker", &[ack("A"), ack("B")]).unwrap();
    assert!(verify_all(before, &after, "key-worker", &[ack("A"), ack("B")]).is_ok());
    assert!(verify_all(before, &after, "key-worker", &[ack("B"), ack("A")]).is_err());
    assert!(verify_all(before, &after, "key-worker", &[ack("A")]).is_err());
}

#[test]
fn quotes_only_when_yaml_needs_it() {
    assert_eq!(scalar("Siân Evans"), "Siân Evans");
    assert_eq!(scalar("O'Brien"), "O'Brien");
    assert_eq!(scalar("2026-11-23"), "2026-11-23");
    assert_eq!(scalar("3"), "\"3\"");
    assert_eq!(scalar("1.10"), "\"1.10\"");
    assert_eq!(scalar("yes"), "\"yes\"");
    assert_eq!(scalar("null"), "\"null\"");
    assert_eq!(
        scalar("Annual review, no changes"),
        "\"Annual review, no changes\""
    );
    assert_eq!(scalar("Note: see #4"), "\"Note: see #4\"");
    assert_eq!(scalar("- list"), "\"- list\"");
    assert_eq!(scalar("say \"hi\"\\"), "say \"hi\"\\");
    assert_eq!(scalar("\"quoted\" \\ text"), "\"\\\"quoted\\\" \\\\ text\"");
    assert_eq!(scalar("a\nb"), "\"a\\nb\"");
    assert_eq!(scalar(" padded"), "\" padded\"");
    assert_eq!(scalar(""), "\"\"");
}

#[test]
fn appends_flow_entry_in_block_list() {
    let before = "policies:\n  key-worker:\n    reviews:\n      - { date: 2025-03-14, by: A }  # first\n    # trailing\nfields: {}\n";
    assert_eq!(
        edit(before),
        "policies:\n  key-worker:\n    reviews:\n      - { date: 2025-03-14, by: A }  # first\n      - { date: 2026-11-23, by: Siân Evans, version: \"4\", note: \"Annual review, no changes\" }\n    # trailing\nfields: {}\n"
    );
}

#[test]
fn follows_unspaced_braces_and_block_entries() {
    let before = "policies:\n  key-worker:\n    reviews:\n    - {date: 2025-03-14}\n";
    assert_eq!(
        edit(before),
        "policies:\n  key-worker:\n    reviews:\n    - {date: 2025-03-14}\n    - {date: 2026-11-23, by: Siân Evans, version: \"4\", note: \"Annual review, no changes\"}\n"
    );
    let before =
        "policies:\n  key-worker:\n    reviews:\n      -   date: 2025-03-14\n          by: A\n";
    assert_eq!(
        edit(before),
        "policies:\n  key-worker:\n    reviews:\n      -   date: 2025-03-14\n          by: A\n      -   date: 2026-11-23\n          by: Siân Evans\n          version: \"4\"\n          note: \"Annual review, no changes\"\n"
    );
}

#[test]
fn appends_to_flow_lists() {
    assert_eq!(
        edit("policies:\n  key-worker:\n    reviews: [{date: 2025-03-14}]   # c\n"),
        "policies:\n  key-worker:\n    reviews: [{date: 2025-03-14}, {date: 2026-11-23, by: Siân Evans, version: \"4\", note: \"Annual review, no changes\"}]   # c\n"
    );
    assert_eq!(
        edit(
            "policies:\n  key-worker:\n    reviews: [\n      { date: 2025-03-14 },  # one\n    ]\n"
        ),
        "policies:\n  key-worker:\n    reviews: [\n      { date: 2025-03-14 },  # one\n      { date: 2026-11-23, by: Siân Evans, version: \"4\", note: \"Annual review, no changes\" },\n    ]\n"
    );
    assert_eq!(
        edit("policies:\n  key-worker:\n    reviews: [\n      { date: 2025-03-14 }\n    ]\n"),
        "policies:\n  key-worker:\n    reviews: [\n      { date: 2025-03-14 },\n      { date: 2026-11-23, by: Siân Evans, version: \"4\", note: \"Annual review, no changes\" }\n    ]\n"
    );
    assert_eq!(
        edit("policies:\n  key-worker:\n    reviews: []\n"),
        "policies:\n  key-worker:\n    reviews: [{ date: 2026-11-23, by: Siân Evans, version: \"4\", note: \"Annual review, no changes\" }]\n"
    );
}

#[test]
fn creates_what_is_missing() {
    let entry =
        "{ date: 2026-11-23, by: Siân Evans, version: \"4\", note: \"Annual review, no changes\" }";
    assert_eq!(
        edit("name: X\nfields:\n    fax: \"1\"\n# end\n"),
        format!(
            "name: X\nfields:\n    fax: \"1\"\npolicies:\n    key-worker:\n        reviews:\n            - {entry}\n# end\n"
        )
    );
    assert_eq!(
        edit("name: X"),
        format!("name: X\npolicies:\n  key-worker:\n    reviews:\n      - {entry}\n")
    );
    assert_eq!(
        edit("policies:\n  medication:\n    exclude: true\nfields: {}\n"),
        format!(
            "policies:\n  medication:\n    exclude: true\n  key-worker:\n    reviews:\n      - {entry}\nfields: {{}}\n"
        )
    );
    assert_eq!(
        edit("policies: {}  # none yet\n"),
        format!("policies:  # none yet\n  key-worker:\n    reviews:\n      - {entry}\n")
    );
    assert_eq!(
        edit("policies:\n  key-worker:\n    review_cycle: 6 months\n"),
        format!(
            "policies:\n  key-worker:\n    review_cycle: 6 months\n    reviews:\n      - {entry}\n"
        )
    );
    assert_eq!(
        edit("policies:\n  key-worker:\n    reviews: ~\n"),
        format!("policies:\n  key-worker:\n    reviews:\n      - {entry}\n")
    );
    assert_eq!(
        edit("policies:\n  key-worker: { review_cycle: 6 months }\n"),
        format!("policies:\n  key-worker: {{ review_cycle: 6 months, reviews: [{entry}] }}\n")
    );
    assert_eq!(
        edit("policies: { medication: { exclude: true } }\n"),
        format!(
            "policies: {{ medication: {{ exclude: true }}, key-worker: {{ reviews: [{entry}] }} }}\n"
        )
    );
}

#[test]
fn a_byte_order_mark_is_not_indentation() {
    let after = edit("\u{feff}name: X\n");
    assert_eq!(
        after,
        "\u{feff}name: X\npolicies:\n  key-worker:\n    reviews:\n      - { date: 2026-11-23, by: Siân Evans, version: \"4\", note: \"Annual review, no changes\" }\n"
    );
}

#[test]
fn new_lists_follow_the_files_other_lists() {
    let before = "policies:\n  other:\n    reviews:\n    -  date: 2025-01-01\n  key-worker:\n    exclude: false\n";
    assert_eq!(
        edit(before),
        "policies:\n  other:\n    reviews:\n    -  date: 2025-01-01\n  key-worker:\n    exclude: false\n    reviews:\n    -  date: 2026-11-23\n       by: Siân Evans\n       version: \"4\"\n       note: \"Annual review, no changes\"\n"
    );
}

#[test]
fn keeps_crlf_and_block_scalars() {
    let before = "policies:\r\n  key-worker:\r\n    reviews:\r\n      - date: 2025-01-01\r\n        note: |\r\n          Long\r\n          text\r\n\r\nfields: {}\r\n";
    let after = edit(before);
    assert_eq!(
        after,
        "policies:\r\n  key-worker:\r\n    reviews:\r\n      - date: 2025-01-01\r\n        note: |\r\n          Long\r\n          text\r\n      - date: 2026-11-23\r\n        by: Siân Evans\r\n        version: \"4\"\r\n        note: \"Annual review, no changes\"\r\n\r\nfields: {}\r\n"
    );
}

#[test]
fn refuses_shapes_it_cannot_extend() {
    let r = review("2026-11-23");
    let err = append_review(
        "policies:\n  key-worker:\n    reviews: yes\n",
        "key-worker",
        &r,
    )
    .unwrap_err();
    assert_eq!(
        err,
        EditError::Shape {
            what: "`reviews` is not a list".into(),
            line: 3
        }
    );
    assert!(matches!(
        append_review("- a\n", "key-worker", &r),
        Err(EditError::Shape { .. })
    ));
    assert!(matches!(
        append_review("a: [\n", "key-worker", &r),
        Err(EditError::Parse(_))
    ));
}

#[test]
fn verify_catches_a_changed_value() {
    let r = review("2026-11-23");
    let before = "name: X\npolicies: {}\n";
    let good = append_review(before, "key-worker", &r).unwrap();
    assert!(verify(before, &good, "key-worker", &r).is_ok());
    let bad = good.replace("name: X", "name: Y");
    assert!(matches!(
        verify(before, &bad, "key-worker", &r),
        Err(EditError::Mismatch(_))
    ));
    let retyped = good.replace("\"4\"", "4");
    assert!(verify(before, &retyped, "key-worker", &r).is_err());
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Values that stress quoting: YAML indicators, look-alike numbers
    /// and booleans, quotes, Welsh letters, and arbitrary text.
    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("Annual review: no changes".to_string()),
            Just("yes".to_string()),
            Just("1.10".to_string()),
            Just("- first".to_string()),
            Just("#4 done".to_string()),
            Just("O'Brien \"Jr\"".to_string()),
            Just("Siân Ŵyn-Jones".to_string()),
            Just("[draft], {v2}".to_string()),
            Just("~".to_string()),
            Just("a\\b".to_string()),
            "[ -~]{1,30}",
            "\\PC{1,20}",
        ]
    }

    fn entry_text(style: u8, n: usize) -> String {
        match style % 3 {
            0 => format!("{{ date: 2025-0{n}-01, by: A }}"),
            1 => format!("{{date: 2025-0{n}-01}}"),
            _ => format!("{{ date: '2025-0{n}-01', note: \"x, y\" }}"),
        }
    }

    /// A profile built from random choices of layout.
    fn profile() -> impl Strategy<Value = String> {
        (
            any::<bool>(),      // CRLF
            prop_oneof![Just(2usize), Just(4)], // indentation step
            0u8..8,             // policies layout
            0u8..9,             // reviews layout
            1usize..4,          // existing entries
            0u8..3,             // entry style
            any::<bool>(),      // a block after policies
            any::<bool>(),      // trailing comment
            any::<bool>(),      // final newline
        )
            .prop_map(|(crlf, step, policies, reviews, n, style, after, comment, final_nl)| {
                let i = |k: usize| " ".repeat(step * k);
                let entries: Vec<String> = (1..=n).map(|k| entry_text(style, k)).collect();
                let reviews_text = match reviews {
                    0 => format!("{}reviews:\n{}", i(2), entries.iter().map(|e| format!("{}- {e}  # c\n", i(3))).collect::<String>()),
                    1 => format!("{}reviews:\n{}", i(2), entries.iter().map(|e| format!("{}- {e}\n\n", i(2))).collect::<String>()),
                    2 => format!("{}reviews:\n{}", i(2), (1..=n).map(|k| format!("{}- date: 2025-0{k}-01\n{}  by: \"B\"\n", i(3), i(3))).collect::<String>()),
                    3 => format!("{}reviews: [{}]  # c\n", i(2), entries.join(", ")),
                    4 => format!("{}reviews: [\n{}{}]\n", i(2), entries.iter().map(|e| format!("{}{e},  # c\n", i(3))).collect::<String>(), i(2)),
                    5 => format!("{}reviews: [\n{}\n{}]\n", i(2), entries.iter().map(|e| format!("{}{e}", i(3))).collect::<Vec<_>>().join(",\n"), i(2)),
                    6 => format!("{}reviews: []\n", i(2)),
                    7 => format!("{}reviews:   # none yet\n", i(2)),
                    _ => format!("{}review_cycle: 6 months\n", i(2)),
                };
                let policies_text = match policies {
                    0 => String::new(),
                    1 => "policies: {}\n".to_string(),
                    2 => "policies:\n".to_string(),
                    3 => format!("policies:\n{}medication:\n{}exclude: true\n", i(1), i(2)),
                    4 => format!("policies:\n{}key-worker: {{ review_cycle: 6 months }}\n", i(1)),
                    5 => format!("policies:\n{}key-worker:\n", i(1)),
                    6 => "policies: { medication: { exclude: true } }\n".to_string(),
                    _ => format!("policies:\n{}# the key worker policy\n{}key-worker:\n{reviews_text}{}medication: {{ exclude: true }}\n", i(1), i(1), i(1)),
                };
                let mut text = format!("# profile\nname: \"Home\"\nregistered_manager:\n{}first_name: Carys\n{}last_name: Evans\n{policies_text}", i(1), i(1));
                if after {
                    text.push_str(&format!("fields:\n{}fax: \"1\"\n", i(1)));
                }
                if comment {
                    text.push_str("# end\n");
                }
                if !final_nl {
                    text.pop();
                }
                if crlf {
                    text = text.replace('\n', "\r\n");
                }
                text
            })
    }

    /// `line` is `old` with at most one piece of text inserted.
    fn grown_from(line: &str, old: &str) -> bool {
        let prefix: usize = line
            .chars()
            .zip(old.chars())
            .take_while(|(a, b)| a == b)
            .map(|(a, _)| a.len_utf8())
            .sum();
        line.len() >= old.len() && line.ends_with(&old[prefix..])
    }

    proptest! {
        #[test]
        fn every_layout_gets_exactly_the_new_entry(text in profile(), note in value(), by in value()) {
            let r = NewReview {
                date: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
                by: Some(by),
                approved_by: None,
                version: Some("2".into()),
                note: Some(note),
            };
            let after = append_review(&text, "key-worker", &r);
            prop_assert!(after.is_ok(), "{:?}\n{}", after, text);
            let after = after.unwrap();
            let checked = verify(&text, &after, "key-worker", &r);
            prop_assert!(checked.is_ok(), "{:?}\n--- before\n{}\n--- after\n{}", checked, text, after);
            // Every line of the original is still there, in order, except
            // a `reviews:`/`policies:` line whose empty value was replaced.
            let mut rest = after.lines();
            for line in text.lines() {
                if line.contains("{}") || line.contains("[]") || line.trim_end().ends_with(':') || line.contains("none yet") {
                    continue;
                }
                prop_assert!(rest.any(|l| grown_from(l, line)), "lost line {:?}\n{}", line, after);
            }
        }
    }
}
