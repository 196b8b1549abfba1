//! The placeholder scanner and filler. The first line of the input is a
//! value, the rest a policy text. Checks: placeholders are found in order,
//! never overlap and cut the text at character boundaries; filling replaces
//! exactly what was found; a value inserted with Markdown escaping reads
//! back from a CommonMark parser as the literal text, never as markup.

#![no_main]

use libfuzzer_sys::fuzz_target;
use policygen::document::escape;
use policygen::document::placeholder::{self, Values};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

fuzz_target!(|input: &str| {
    let (value, text) = input.split_once('\n').unwrap_or((input, ""));

    let found = placeholder::scan(text);
    let mut last = 0;
    for p in &found {
        assert!(p.start >= last && p.start < p.end && p.end <= text.len());
        assert!(text.is_char_boundary(p.start) && text.is_char_boundary(p.end));
        assert!(p.literal(text).contains(&p.name));
        last = p.end;
    }
    let _ = placeholder::check_names(text);

    // Every name found has the value "<v>": filling must replace exactly the
    // placeholders found, and nothing else.
    let mut values = Values::default();
    for p in &found {
        values.text.insert(p.name.clone(), "<v>".into());
    }
    let filled = values.fill(text, placeholder::verbatim).expect("every name has a value");
    let mut expected = String::new();
    let mut at = 0;
    for p in &found {
        expected.push_str(&text[at..p.start]);
        expected.push_str("<v>");
        at = p.end;
    }
    expected.push_str(&text[at..]);
    assert_eq!(filled, expected);

    // The value, escaped, is literal text in Markdown.
    let value = value.trim_matches(|c: char| c.is_ascii_whitespace());
    if value.is_empty() || value.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n')) {
        return;
    }
    let mut values = Values::default();
    values.text.insert("v".into(), value.to_string());
    let markdown = values.fill("x <<v>> y", escape::markdown).expect("v has a value");
    let mut read = String::new();
    for event in Parser::new_ext(&markdown, pulldown_cmark::Options::ENABLE_TABLES) {
        match event {
            Event::Text(t) => read.push_str(&t),
            Event::SoftBreak => read.push(' '),
            Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => {}
            other => panic!("value {value:?} became markup {other:?} in {markdown:?}"),
        }
    }
    let collapse = |s: &str| s.split_ascii_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(
        collapse(&read),
        collapse(&format!("x {value} y")),
        "value {value:?} escaped as {markdown:?}"
    );
});
