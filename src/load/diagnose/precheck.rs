//! Checks made before parsing: an empty file, invisible characters and
//! indentation pasted from a word processor, which the parser would report
//! in terms a user cannot act on.

use crate::diagnostic::Diagnostic;
use crate::load::source::SourceFile;

use super::{key_list, kind};

/// Characters that look like a space but are not one to YAML.
fn is_odd_space(c: char) -> bool {
    matches!(
        c,
        '\u{a0}' | '\u{2000}'..='\u{200b}' | '\u{202f}' | '\u{205f}' | '\u{3000}' | '\u{feff}'
    )
}

fn unicode_name(c: char) -> String {
    match c {
        '\u{a0}' => "a non-breaking space".into(),
        '\u{200b}' => "a zero-width space".into(),
        '\u{feff}' => "a byte-order mark".into(),
        c if c.is_whitespace() => format!("a special space (U+{:04X})", c as u32),
        c => format!("an invisible control character (U+{:04X})", c as u32),
    }
}

/// Problems found before parsing, which the parser would report in terms a
/// user cannot act on.
pub fn precheck(file: &SourceFile) -> Option<Diagnostic> {
    let text = &file.text;
    let has_content = text.lines().any(|line| {
        let line = line.trim();
        !line.is_empty() && !line.starts_with('#') && line != "---" && line != "..."
    });
    if !has_content {
        let kind = kind(&file.path);
        let hint = if kind.required.is_empty() {
            "write the file's `key: value` lines, or delete the file".to_string()
        } else {
            format!(
                "{} needs at least {}, written as `key: value` lines; or delete the file",
                kind.what,
                key_list(kind.required)
            )
        };
        return Some(file.error("the file is empty", None).with_hint(hint));
    }
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let indent = line
            .char_indices()
            .find(|&(_, c)| c != ' ' && c != '\t')
            .filter(|&(_, c)| is_odd_space(c));
        if let Some((i, c)) = indent {
            return Some(
                file.error(
                    format!("this line is indented with {}", unicode_name(c)),
                    Some(file.location_at(offset + i, 1)),
                )
                .with_hint("replace it with ordinary spaces; such characters often come with text pasted from a word processor or web page"),
            );
        }
        if let Some((i, after, c)) = odd_space_after_marker(line) {
            return Some(
                file.error(
                    format!("{} follows `{after}`, where YAML needs an ordinary space", unicode_name(c)),
                    Some(file.location_at(offset + i, 1)),
                )
                .with_hint("replace it with an ordinary space; such characters often come with text pasted from a word processor or web page"),
            );
        }
        offset += line.len();
    }
    if let Some((i, c)) = text
        .char_indices()
        .find(|&(_, c)| (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{fffe}')
    {
        return Some(
            file.error(
                format!("the file contains {}", unicode_name(c)),
                Some(file.location_at(i, 1)),
            )
            .with_hint("delete the character (it is marked with a caret); it often comes with text copied from another program"),
        );
    }
    escaped_control(file).or_else(|| foreign_tag(file))
}

/// The Core Schema tags (`!!str`, `!!int`, …), which only say how to read a
/// plain value; any other tag (`!!python/object:…`, `!custom`) asks a
/// program to build something and means nothing in a profile or a policy.
const CORE_TAGS: &[&str] = &["str", "int", "float", "bool", "null", "map", "seq"];

/// The first YAML tag that is not a Core Schema one, found by the parser
/// (so a `!` inside text is never taken for one), as a finding at the tag.
fn foreign_tag(file: &SourceFile) -> Option<Diagnostic> {
    use serde_saphyr::granit_parser::Parser;
    if !file.text.contains('!') {
        return None;
    }
    let text = &file.text;
    // A syntax error ends the scan; parsing reports it.
    for (event, span) in Parser::new_from_str(text).map_while(Result::ok) {
        let Some(tag) = event.tag() else { continue };
        if tag.handle() == "tag:yaml.org,2002:" && CORE_TAGS.contains(&tag.suffix()) {
            continue;
        }
        let tag_span = span.tag_span();
        let written = tag_span.and_then(|s| s.slice(text)).map_or_else(
            || format!("{}{}", tag.original_handle(), tag.suffix()),
            str::to_string,
        );
        let location = tag_span
            .and_then(|s| s.start.byte_offset())
            .map(|at| file.location_at(at, written.chars().count()));
        return Some(
            file.error(
                format!("the YAML tag `{written}` is not allowed: a value here is plain text, a number, a date, a list or a mapping"),
                location,
            )
            .with_hint(format!("delete `{written}` (it is marked with carets); tags such as `!!python/object` ask a program to build objects, which policygen never does")),
        );
    }
    None
}

/// A look-alike space right after a line's `key:` or `-`, where YAML needs
/// an ordinary one to see a key or a list entry: its byte offset in the
/// line, the marker it follows, and the character.
fn odd_space_after_marker(line: &str) -> Option<(usize, String, char)> {
    let content = line.trim_start_matches(' ');
    let start = line.len() - content.len();
    if let Some(rest) = content.strip_prefix('-')
        && let Some(c) = rest.chars().next().filter(|&c| is_odd_space(c))
    {
        return Some((start + 1, "-".into(), c));
    }
    let content = content.strip_prefix("- ").unwrap_or(content);
    let start = line.len() - content.len();
    let colon = content.find(':')?;
    let key = &content[..colon];
    let key_like = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'));
    let c = content[colon + 1..]
        .chars()
        .next()
        .filter(|&c| is_odd_space(c))?;
    key_like.then(|| (start + colon + 1, format!("{key}:"), c))
}

/// A control character written as an escape in a double-quoted value
/// (`"Home\e[31m"`, `"\0"`, `"\x07"`): refused like a typed one, so no
/// route puts a raw control character into a document or a terminal.
/// `\t` and `\n` are allowed (a value's line breaks become spaces).
fn escaped_control(file: &SourceFile) -> Option<Diagnostic> {
    let (at, escape) = double_quoted_escapes(&file.text)
        .into_iter()
        .find(|(_, escape)| escape_is_control(escape))?;
    Some(
        file.error(
            format!("the escape `{escape}` puts an invisible control character in this value"),
            Some(file.location_at(at, escape.chars().count())),
        )
        .with_hint("delete the escape (it is marked with carets); a value is plain text"),
    )
}

/// Whether a YAML escape stands for a control character other than a tab
/// or a line break.
fn escape_is_control(escape: &str) -> bool {
    let code = match escape.as_bytes().get(1) {
        Some(b'0' | b'a' | b'b' | b'e' | b'f' | b'v') => return true,
        Some(b'x' | b'u' | b'U') => u32::from_str_radix(&escape[2..], 16).ok(),
        _ => None,
    };
    code.and_then(char::from_u32)
        .is_some_and(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// The escapes (`\e`, `\x1b`, `\u001B`, …) inside double-quoted scalars,
/// with their byte offsets. A small scanner: a `"` opens a double-quoted
/// scalar only where a value can start (after `: `, `- `, `[`, `{`, `,` or
/// at the start of a line), and comments and single-quoted scalars are
/// skipped, so a backslash in plain text is never taken for an escape.
fn double_quoted_escapes(text: &str) -> Vec<(usize, String)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    // The last character that was not a space, outside any scalar.
    let mut before = b'\n';
    while i < bytes.len() {
        let c = bytes[i];
        let starts_value = matches!(before, b'\n' | b':' | b'-' | b'[' | b'{' | b',' | b'?');
        match c {
            b'#' if matches!(before, b'\n') || i > 0 && matches!(bytes[i - 1], b' ' | b'\t') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'\'' if starts_value => {
                i += 1;
                while i < bytes.len() {
                    if bytes[i] == b'\'' {
                        if bytes.get(i + 1) == Some(&b'\'') {
                            i += 1;
                        } else {
                            break;
                        }
                    }
                    i += 1;
                }
                before = b'\'';
            }
            b'"' if starts_value => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        let len = match bytes.get(i + 1) {
                            Some(b'x') => 4,
                            Some(b'u') => 6,
                            Some(b'U') => 10,
                            _ => 2,
                        };
                        let end = (i + len).min(bytes.len());
                        if let Some(escape) = text.get(i..end) {
                            found.push((i, escape.to_string()));
                        }
                        i = end;
                        continue;
                    }
                    i += 1;
                }
                before = b'"';
            }
            b' ' | b'\t' | b'\r' => {}
            _ => before = c,
        }
        i += 1;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escapes(text: &str) -> Vec<String> {
        double_quoted_escapes(text)
            .into_iter()
            .filter(|(_, e)| escape_is_control(e))
            .map(|(_, e)| e)
            .collect()
    }

    #[test]
    fn control_escapes_are_found_only_in_double_quotes() {
        assert_eq!(escapes("name: \"A\\e[31m\\0\"\n"), ["\\e", "\\0"]);
        assert_eq!(
            escapes("a: \"\\x1b \\u0007 \\U0000009b\"\n"),
            ["\\x1b", "\\u0007", "\\U0000009b"]
        );
        // Allowed escapes, plain and single-quoted text, comments.
        assert!(escapes("a: \"tab\\there\\nnew \\\\ \\\" \\u00e9\"\n").is_empty());
        assert!(escapes("a: C:\\e\\0\nb: 'x\\e' # \"\\e\"\nc: say \"\\e\"\n").is_empty());
    }
}
