//! Errors from the YAML scanner and parser, which serde-saphyr passes on as
//! text: each message the scanner writes is mapped to a plain finding.

use crate::diagnostic::Diagnostic;
use crate::load::source::SourceFile;

use super::owner::{leading_key, line_start};

/// Errors from the YAML scanner and parser.
pub(super) fn syntax(file: &SourceFile, msg: &str, line: usize, column: usize) -> Diagnostic {
    let msg = strip_position(msg);
    let here = |width: usize| file.location_of(line, column, width);
    let offset = file
        .location_of(line, 1, 1)
        .map(|_| line_start(file, line))
        .map(|start| {
            let line_text = &file.text[start..];
            start
                + line_text
                    .char_indices()
                    .nth(column.saturating_sub(1))
                    .map_or(line_text.len(), |(i, _)| i)
        })
        .unwrap_or(0);
    if msg.contains("unclosed quote") {
        let quote = file.text[offset.min(file.text.len())..]
            .chars()
            .next()
            .unwrap_or('"');
        return file
            .error("this quoted text is never closed", here(1))
            .with_hint(format!(
                "end the text with a closing `{quote}` on the same line"
            ));
    }
    if msg.contains("trailing content after") && msg.contains("quoted scalar") {
        // Usually a quote left open on an earlier line, closed by the first
        // quote of a later one.
        let before = &file.text[..offset.min(file.text.len())];
        let closing = before.trim_end().char_indices().next_back();
        if let Some((close_at, quote @ ('"' | '\''))) = closing
            && let Some(open_at) = before[..close_at].rfind(quote)
        {
            let opened = file.location_at(open_at, 1);
            if opened.line < line {
                let hint = format!(
                    "end the text on line {} with a closing `{quote}`",
                    opened.line
                );
                return file
                    .error("this quoted text is not closed on its line", Some(opened))
                    .with_hint(hint);
            }
        }
        return file
            .error("unexpected text after the closing quote", here(1))
            .with_hint("put the whole value inside the quotes, or remove the text after them");
    }
    if msg.contains("mapping values are not allowed") {
        let location = here(1);
        let line_text = location
            .as_ref()
            .map(|l| l.line_text.clone())
            .unwrap_or_default();
        let colon_is_key = leading_key(&line_text).is_some_and(|(byte, key, _)| {
            line_text[..byte].chars().count() + key.chars().count() + 1 >= column.saturating_sub(1)
        });
        return if colon_is_key {
            file.error("this line is indented more than the lines around it", file.location_of(line, 1 + line_text.len() - line_text.trim_start().len(), 1))
                .with_hint("keys of one mapping must start in the same column; a value on the line above cannot also have keys below it")
        } else {
            file.error("unexpected `:` in a value", location).with_hint(
                "put text that contains `: ` in quotes, e.g. `name: \"Bryn Haven: Nursing\"`",
            )
        };
    }
    if msg.contains("did not find expected key") || msg.contains("did not find expected '-'") {
        return file
            .error("this line does not fit the indentation of the lines above", here(1))
            .with_hint("keys of one mapping start in the same column, and `- item` lines sit under the key of their list; check this line's indentation");
    }
    if msg.contains("unexpected character") || msg.contains("cannot start any token") {
        let c = file.text[offset.min(file.text.len())..]
            .chars()
            .next()
            .unwrap_or('?');
        let shown = if c == '`' {
            "a backtick (`)".to_string()
        } else {
            format!("`{c}`")
        };
        return file
            .error(format!("a value cannot start with {shown}"), here(1))
            .with_hint("put the whole value in double quotes: `name: \"…\"`");
    }
    if msg.contains("unclosed bracket") || msg.contains("did not find expected ',' or") {
        // The innermost bracket still open before the error.
        let before = &file.text[..offset.min(file.text.len())];
        let mut depth = 0usize;
        let opened = before.char_indices().rev().find(|&(_, c)| match c {
            '}' | ']' => {
                depth += 1;
                false
            }
            '{' | '[' if depth == 0 => true,
            '{' | '[' => {
                depth -= 1;
                false
            }
            _ => false,
        });
        let (open, location) = match opened {
            Some((i, c)) => (c, Some(file.location_at(i, 1))),
            None => ('{', here(1)),
        };
        let close = if open == '{' { '}' } else { ']' };
        return file
            .error(format!("`{open}` is never closed"), location)
            .with_hint(format!(
                "close it with `{close}`, and separate entries inside it with commas; put text containing `,`, `[` or `{{` in quotes"
            ));
    }
    if msg.contains("recursion limit") {
        return file
            .error("values are nested too deeply", here(1))
            .with_hint(
                "a profile or policy needs only a few levels; check the brackets near this place",
            );
    }
    if msg.contains("found a tab") || msg.contains("tabs") {
        let from = line_start(file, line);
        let location = file.text[from.min(file.text.len())..]
            .find('\t')
            .map(|i| file.location_at(from + i, 1))
            .or_else(|| here(1));
        return file
            .error("a tab character is used for indentation", location)
            .with_hint("YAML indentation must use spaces, not tabs; replace the tab with spaces");
    }
    file.error(format!("the YAML cannot be read here: {msg}"), here(1))
        .with_hint("check the YAML near this place: indentation with spaces, quotes closed, one `key: value` per line")
}

pub(crate) fn strip_position(raw: &str) -> String {
    let raw = raw.trim();
    match raw.find(" at line ") {
        Some(i) if raw[i..].contains(", column ") => raw[..i].to_string(),
        _ => raw.to_string(),
    }
}
