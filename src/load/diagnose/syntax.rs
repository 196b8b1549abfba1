//! Errors from the YAML scanner and parser, which serde-saphyr passes on
//! with the scanner's typed error kind: each kind policygen can explain is
//! mapped to a plain finding; any other keeps the scanner's own words.

use serde_saphyr::granit_parser::ErrorKind;

use crate::diagnostic::Diagnostic;
use crate::load::source::SourceFile;

use super::owner::{leading_key, line_start};

/// The scanner errors policygen explains in its own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Scan {
    UnclosedQuote,
    TextAfterQuote,
    ColonInValue,
    Indentation,
    BadFirstCharacter,
    OpenBracket,
    TooDeep,
    Tab,
}

/// Which of them a scanner error is, by its kind.
pub(super) fn scan(kind: &ErrorKind) -> Option<Scan> {
    use ErrorKind as K;
    Some(match kind {
        K::UnclosedQuotedScalar => Scan::UnclosedQuote,
        K::InvalidTrailingSingleQuotedScalar | K::InvalidTrailingDoubleQuotedScalar => {
            Scan::TextAfterQuote
        }
        K::MappingValueNotAllowed => Scan::ColonInValue,
        K::ExpectedBlockMappingKey | K::ExpectedBlockSequenceEntry => Scan::Indentation,
        K::UnexpectedCharacter { .. } => Scan::BadFirstCharacter,
        K::UnclosedFlowCollection { .. } | K::ExpectedFlowMappingSeparator => Scan::OpenBracket,
        K::RecursionLimitExceeded => Scan::TooDeep,
        K::TabNotAllowed | K::TabInBlockIndentation | K::TabInPlainScalar => Scan::Tab,
        _ => return None,
    })
}

/// Errors from the YAML scanner and parser: `kind` when serde-saphyr gives
/// the scanner's error, `msg` its text.
///
/// Long because it is a table: one branch per scanner error that gets its
/// own message and caret, tried in turn, with the crate's text as the last
/// resort.
pub(super) fn syntax(
    file: &SourceFile,
    kind: Option<&ErrorKind>,
    msg: &str,
    line: usize,
    column: usize,
) -> Diagnostic {
    let msg = strip_position(msg);
    let scan = kind.and_then(scan);
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
    if scan == Some(Scan::UnclosedQuote) {
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
    if scan == Some(Scan::TextAfterQuote) {
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
    if scan == Some(Scan::ColonInValue) {
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
    if scan == Some(Scan::Indentation) {
        return file
            .error("this line does not fit the indentation of the lines above", here(1))
            .with_hint("keys of one mapping start in the same column, and `- item` lines sit under the key of their list; check this line's indentation");
    }
    if scan == Some(Scan::BadFirstCharacter) {
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
    if scan == Some(Scan::OpenBracket) {
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
    if scan == Some(Scan::TooDeep) {
        return file
            .error("values are nested too deeply", here(1))
            .with_hint(
                "a profile or policy needs only a few levels; check the brackets near this place",
            );
    }
    if scan == Some(Scan::Tab) {
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

#[cfg(test)]
mod tests {
    use serde_saphyr::{Error, ExternalMessageSource};

    use super::*;

    /// The scanner's error kind for `yaml`, as serde-saphyr passes it on.
    fn scan_of(yaml: &str) -> Option<Scan> {
        let Err(error) = serde_saphyr::from_str::<serde_json::Value>(yaml) else {
            panic!("{yaml:?} parsed");
        };
        match error.without_snippet() {
            Error::ExternalMessage { source, .. } => match source.as_ref() {
                ExternalMessageSource::Parser(error) => scan(error.kind()),
                other => panic!("not a scanner error: {other:?}"),
            },
            other => panic!("not a scanner error: {other:?}"),
        }
    }

    /// Each error policygen explains, as the scanner reports it; a
    /// dependency update that changes a kind fails here, not in front of
    /// a user.
    #[test]
    fn scanner_errors_are_recognised_by_kind() {
        let cases = [
            (
                "name: \"Broken Home\nservice: care-home\n",
                Scan::UnclosedQuote,
            ),
            ("name: \"Broken\" Home\n", Scan::TextAfterQuote),
            ("name: 'Broken' Home\n", Scan::TextAfterQuote),
            ("name: Broken Home: Nursing\n", Scan::ColonInValue),
            ("a:\n  b: 1\n c: 2\n", Scan::Indentation),
            ("a:\n  - x\n  y: 1\n", Scan::Indentation),
            ("name: @home care\n", Scan::BadFirstCharacter),
            (
                "manager: { first_name: Ann, last_name: Lee\nphone: x\n",
                Scan::OpenBracket,
            ),
            (
                "manager: { first_name: Ann last_name: Lee }\n",
                Scan::OpenBracket,
            ),
            ("name: x\n\tservice: care-home\n", Scan::Tab),
            ("reviews:\n\t- x\n", Scan::Tab),
        ];
        for (yaml, expected) in cases {
            assert_eq!(scan_of(yaml), Some(expected), "{yaml:?}");
        }
    }
}
