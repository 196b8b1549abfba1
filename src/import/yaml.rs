//! Writes the policy source as a person would: keys in the shipped sources'
//! order, titles plain where YAML reads them back unchanged and quoted where
//! it would not (a colon, a `#`, a leading `-`, `yes`…), and bodies as
//! literal block scalars.

use std::fmt::Write as _;

use crate::import::Request;
use crate::import::boilerplate::Meta;
use crate::import::outline::Section;

pub fn write(request: &Request, meta: &Meta, sections: &[Section]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Imported from {} by `policygen import`.",
        comment_safe(request.path)
    );
    let _ = writeln!(
        out,
        "# Read the import report, then check the text against the original."
    );
    let _ = writeln!(out, "title: {}", scalar(&meta.title.0));
    let _ = writeln!(out, "code: {}", scalar(&meta.code.0));
    let _ = writeln!(out, "version: {}", quoted(&meta.version.0));
    let _ = writeln!(out, "applies_to:");
    let _ = writeln!(
        out,
        "  jurisdictions: [{}]",
        flow_item(request.jurisdiction)
    );
    let _ = writeln!(out, "  services: [{}]", flow_item(request.service));
    let _ = writeln!(out, "review_cycle: 12 months");
    let _ = writeln!(out, "sections:");
    let mut i = 0;
    write_level(&mut out, sections, &mut i, 1);
    out
}

/// Writes the sections at `depth` starting at `sections[*i]`, and their
/// children, until one shallower comes.
fn write_level(out: &mut String, sections: &[Section], i: &mut usize, depth: usize) {
    let pad = "    ".repeat(depth - 1);
    let mut first = true;
    while let Some(s) = sections.get(*i) {
        if s.depth < depth {
            return;
        }
        if !first {
            out.push('\n');
        }
        first = false;
        let _ = writeln!(out, "{pad}  - id: {}", scalar(&s.id));
        let _ = writeln!(out, "{pad}    title: {}", scalar(&s.title));
        if !s.body.trim().is_empty() {
            block(
                out,
                &format!("{pad}    body: "),
                &format!("{pad}      "),
                &s.body,
            );
        }
        *i += 1;
        if sections.get(*i).is_some_and(|next| next.depth > depth) {
            let _ = writeln!(out, "{pad}    sections:");
            write_level(out, sections, i, depth + 1);
        }
    }
}

/// A literal block scalar: `|` (with an indentation indicator when the
/// first line starts with a space), each line indented; the text ends with
/// exactly one line break, which `|` keeps.
fn block(out: &mut String, key: &str, indent: &str, text: &str) {
    let text = text.trim_end_matches('\n');
    let indicator = if text.starts_with(' ') { "|2" } else { "|" };
    let _ = writeln!(out, "{key}{indicator}");
    for line in text.split('\n') {
        if line.trim().is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "{indent}{line}");
        }
    }
}

/// A YAML scalar for a title or an id: plain when that reads back as the
/// same string, else double-quoted.
pub fn scalar(text: &str) -> String {
    if plain_is_safe(text) {
        text.to_string()
    } else {
        quoted(text)
    }
}

/// An item of a flow sequence (`[cqc]`): plain only for simple words.
fn flow_item(text: &str) -> String {
    if !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && plain_is_safe(text)
    {
        text.to_string()
    } else {
        quoted(text)
    }
}

fn plain_is_safe(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    let lower = text.to_ascii_lowercase();
    let special = [
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", ".nan", ".inf", "-.inf",
        ".",
    ];
    let looks_numeric = text.parse::<f64>().is_ok()
        || text.starts_with("0x")
        || text.starts_with("0o")
        || text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | ':' | '.' | '_' | '+'));
    !(text != text.trim()
        || special.contains(&lower.as_str())
        || looks_numeric
        || "-?:,[]{}#&*!|>'\"%@`".contains(first)
        || text.contains(": ")
        || text.contains(" #")
        || text.ends_with(':')
        || text.chars().any(|c| c.is_control() || !is_printable(c)))
}

/// Characters YAML lets stand unescaped (and that the loader accepts).
fn is_printable(c: char) -> bool {
    !matches!(
        c,
        '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}' | '\u{a0}'
    ) && !c.is_control()
}

/// A double-quoted YAML scalar, every character that needs it escaped.
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || !is_printable(c) => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A path for a comment line: line breaks would end the comment.
fn comment_safe(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct One {
        v: String,
    }

    fn round_trip(value: &str) -> String {
        let yaml = format!("v: {}\n", scalar(value));
        serde_saphyr::from_str::<One>(&yaml)
            .unwrap_or_else(|e| panic!("{yaml}: {e}"))
            .v
    }

    #[test]
    fn awkward_titles_read_back_unchanged() {
        for title in [
            "Purpose",
            "Roles: who does what",
            "Staff #1 priority",
            "- dash first",
            "yes",
            "No",
            "12",
            "1.0",
            "2026-03-14",
            "null",
            "~",
            "'quoted'",
            "\"double\"",
            "Back\\slash",
            "Ends with colon:",
            "# hash",
            "&anchor",
            "*alias",
            "!tag",
            "%directive",
            "@at",
            "`tick",
            "[flow]",
            "{map}",
            "a | b > c",
            " leading space",
            "trailing space ",
            "Tŷ Siân — “quotes”",
            "control\u{7}char",
            "nbsp\u{a0}here",
            "",
        ] {
            assert_eq!(round_trip(title), title, "{}", scalar(title));
        }
        assert_eq!(scalar("Purpose"), "Purpose");
        assert_eq!(scalar("Roles: who"), "\"Roles: who\"");
    }

    #[test]
    fn bodies_are_literal_blocks() {
        let mut out = String::new();
        block(&mut out, "body: ", "  ", "  - indented first\n\nlast\n");
        let value: One = serde_saphyr::from_str(&out.replacen("body", "v", 1)).unwrap();
        assert_eq!(value.v, "  - indented first\n\nlast\n");
    }
}
