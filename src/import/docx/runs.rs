//! A paragraph's runs as Markdown: bold and italic marks where Markdown
//! can hold them, placeholders kept whole, table cells escaped.

use crate::document::placeholder;
use crate::import::escape;

/// Run formatting that reaches the Markdown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Format {
    pub(super) bold: bool,
    pub(super) italic: bool,
}

/// Text from Word made safe to keep (see `text::clean`), with runs of
/// spaces made one.
pub(super) fn clean(text: &str) -> String {
    crate::import::text::clean(text)
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

pub(super) fn cell_markdown(text: &str) -> String {
    escape::inline(text).replace('|', "\\|")
}

/// A paragraph's runs as Markdown: text escaped, bold and italic marked.
/// A placeholder Word split over runs of different formatting takes the
/// formatting of its first character, so it stays whole.
pub(super) fn runs_markdown(runs: &[(String, Format)]) -> String {
    let mut chars: Vec<(char, Format)> = Vec::new();
    for (text, format) in runs {
        chars.extend(
            text.chars()
                .filter_map(crate::import::text::plain_char)
                .map(|c| (c, *format)),
        );
    }
    // Collapse runs of spaces, keeping the first one's format.
    chars.dedup_by(|b, a| a.0 == ' ' && b.0 == ' ');
    let plain: String = chars.iter().map(|(c, _)| *c).collect();
    let mut byte_to_char = Vec::with_capacity(plain.len());
    for (i, c) in plain.chars().enumerate() {
        byte_to_char.extend(std::iter::repeat_n(i, c.len_utf8()));
    }
    for p in placeholder::scan(&plain) {
        let (start, end) = (byte_to_char[p.start], byte_to_char[p.end - 1]);
        let format = chars[start].1;
        for c in &mut chars[start..=end] {
            c.1 = format;
        }
    }
    let mut segments: Vec<(String, Format)> = Vec::new();
    for (c, format) in chars {
        match segments.last_mut() {
            Some((text, f)) if *f == format => text.push(c),
            _ => segments.push((c.to_string(), format)),
        }
    }
    let mut out = String::new();
    let count = segments.len();
    for i in 0..count {
        let (text, format) = &segments[i];
        let escaped = if out.trim().is_empty() {
            escape::inline(text.trim_start())
        } else {
            escape::inline_part(text)
        };
        let marker = match (format.bold, format.italic) {
            (true, true) => "***",
            (true, false) => "**",
            (false, true) => "*",
            (false, false) => "",
        };
        let before = out.chars().last();
        let after = segments.get(i + 1).and_then(|(t, _)| t.chars().next());
        if marker.is_empty() || !can_mark(&escaped, before, after) {
            out.push_str(&escaped);
            continue;
        }
        let inner = escaped.trim();
        let lead = &escaped[..escaped.len() - escaped.trim_start().len()];
        let trail = &escaped[escaped.trim_end().len()..];
        out.push_str(lead);
        out.push_str(marker);
        out.push_str(inner);
        out.push_str(marker);
        out.push_str(trail);
    }
    out.trim().to_string()
}

/// Whether emphasis markers around `text` would be read as emphasis
/// (CommonMark's flanking rules) rather than shown as asterisks.
fn can_mark(text: &str, before: Option<char>, after: Option<char>) -> bool {
    let inner = text.trim();
    let (Some(first), Some(last)) = (inner.chars().next(), inner.chars().last()) else {
        return false;
    };
    let punct = |c: char| c.is_ascii_punctuation() || (!c.is_alphanumeric() && !c.is_whitespace());
    let lead_space = text.starts_with(char::is_whitespace);
    let trail_space = text.ends_with(char::is_whitespace);
    let opens = lead_space || !punct(first) || before.is_none_or(|b| b.is_whitespace() || punct(b));
    let closes = trail_space || !punct(last) || after.is_none_or(|a| a.is_whitespace() || punct(a));
    opens && closes && !inner.ends_with('\\')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, bold: bool) -> (String, Format) {
        (
            text.to_string(),
            Format {
                bold,
                italic: false,
            },
        )
    }

    #[test]
    fn runs_become_markdown() {
        assert_eq!(
            runs_markdown(&[run("Key workers ", true), run("are named.", false)]),
            "**Key workers** are named."
        );
        // A placeholder split over runs stays whole and unescaped.
        assert_eq!(
            runs_markdown(&[
                run("At <<org_", false),
                run("field_name>>", true),
                run(", *care*", false)
            ]),
            "At <<org_field_name>>, \\*care\\*"
        );
        assert_eq!(
            runs_markdown(&[run("Scope:", true), run("text", false)]),
            "Scope:text"
        );
        assert_eq!(
            runs_markdown(&[run("  ", true), run("- a", false)]),
            "\\- a"
        );
    }
}
