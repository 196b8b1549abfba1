//! A source file held in memory, and the YAML front door: typed parsing with
//! serde-saphyr, turning its errors into [`Diagnostic`]s that point at the
//! line and column and suggest the key the user probably meant.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use serde_saphyr::Spanned;

use crate::diagnostic::{self, Diagnostic, Location};

/// Files larger than this are refused before parsing (a profile is a few KB).
pub const MAX_SOURCE_BYTES: usize = 1024 * 1024;

/// One file read from the project, with its path relative to the root.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        SourceFile {
            path: path.into(),
            text: text.into(),
        }
    }

    /// The location of a byte offset, with a caret `width` characters wide.
    pub fn location_at(&self, offset: usize, width: usize) -> Location {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let line_start = self.text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line_end = self.text[offset..]
            .find('\n')
            .map_or(self.text.len(), |i| offset + i);
        let line = self.text[..line_start].matches('\n').count() + 1;
        let column = self.text[line_start..offset].chars().count() + 1;
        Location {
            line,
            column,
            line_text: self.text[line_start..line_end]
                .trim_end_matches('\r')
                .to_string(),
            width: width.max(1),
        }
    }

    /// The location of a 1-based line and column (as serde-saphyr reports them).
    pub fn location_of(&self, line: usize, column: usize, width: usize) -> Option<Location> {
        if line == 0 {
            return None;
        }
        let line_text = self.text.lines().nth(line - 1)?.trim_end_matches('\r');
        Some(Location {
            line,
            column: column.max(1),
            line_text: line_text.to_string(),
            width: width.max(1),
        })
    }

    /// The location of a spanned value; a quoted value is underlined
    /// quotes included.
    pub fn location_of_span<T>(&self, spanned: &Spanned<T>, width: usize) -> Option<Location> {
        let loc = spanned.referenced;
        let mut location = self.location_of(loc.line() as usize, loc.column() as usize, width)?;
        let first = location.line_text.chars().nth(location.column - 1);
        if matches!(first, Some('"' | '\'')) {
            location.width += 2;
        }
        Some(location)
    }

    /// Where the `occurrence`-th (0-based) copy of `needle` starts at or after
    /// `from`, as a location; used to place a finding inside a YAML scalar.
    pub fn find_after(&self, from: usize, needle: &str, occurrence: usize) -> Option<Location> {
        let from = floor_char_boundary(&self.text, from.min(self.text.len()));
        let mut start = from;
        for _ in 0..occurrence {
            start += self.text[start..].find(needle)? + needle.len();
        }
        let at = start + self.text[start..].find(needle)?;
        Some(self.location_at(at, needle.chars().count()))
    }

    /// The location of a top-level or nested mapping key, found by its text.
    pub fn find_key(&self, key: &str) -> Option<Location> {
        self.text.lines().enumerate().find_map(|(i, line)| {
            let trimmed = line.trim_start();
            let rest = trimmed.strip_prefix(key)?;
            if rest.trim_start().starts_with(':') {
                let column = line.len() - trimmed.len() + 1;
                self.location_of(i + 1, column, key.chars().count())
            } else {
                None
            }
        })
    }

    /// A diagnostic for this file.
    pub fn error(&self, message: impl Into<String>, location: Option<Location>) -> Diagnostic {
        Diagnostic::error(message).in_file(&self.path).at(location)
    }
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// Byte offset of a spanned value in its source, when known.
pub fn byte_offset<T>(spanned: &Spanned<T>) -> Option<usize> {
    spanned
        .referenced
        .span()
        .byte_offset()
        .map(|offset| offset as usize)
}

/// Parses a whole file into `T`, or returns one diagnostic explaining why not.
pub fn parse_yaml<T: DeserializeOwned>(
    file: &SourceFile,
    expected_keys: &[&str],
) -> Result<T, Diagnostic> {
    if file.text.len() > MAX_SOURCE_BYTES {
        return Err(Diagnostic::error(format!(
            "file is too large ({} bytes; the limit is {} bytes)",
            file.text.len(),
            MAX_SOURCE_BYTES
        ))
        .in_file(&file.path)
        .with_hint("a profile or policy source is a few kilobytes; check that the right file is in this folder"));
    }
    let mut options = serde_saphyr::options! { with_snippet: false };
    options.budget = serde_saphyr::budget! {
        max_depth: 64,
        max_aliases: 256,
        max_events: 200_000,
        max_nodes: 100_000,
        max_total_scalar_bytes: MAX_SOURCE_BYTES * 4,
    };
    serde_saphyr::from_str_with_options::<T>(&file.text, options)
        .map_err(|error| yaml_diagnostic(file, &error.to_string(), error.location(), expected_keys))
}

/// Turns a serde-saphyr error into a finding with a useful message and hint.
fn yaml_diagnostic(
    file: &SourceFile,
    raw: &str,
    location: Option<serde_saphyr::Location>,
    expected_keys: &[&str],
) -> Diagnostic {
    let message = strip_position(raw);
    let (line, column) = location
        .map(|l| (l.line() as usize, l.column() as usize))
        .unwrap_or((0, 0));

    // serde: "unknown field `x`, expected one of a, b, c"
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let key = rest.split('`').next().unwrap_or_default().to_string();
        let expected = expected_from_message(&message, expected_keys);
        let line_text = file
            .location_of(line, column, 1)
            .map(|l| l.line_text)
            .unwrap_or_default();
        let hint = if key.contains(' ') && line_text.contains('{') {
            "inside `{ … }` a comma separates entries; put text that contains a comma in quotes"
                .to_string()
        } else {
            diagnostic::did_you_mean(&key, expected.iter().map(String::as_str)).unwrap_or_else(
                || {
                    let extras = if expected.iter().any(|k| k == "fields") {
                        "; put free-form values under `fields:`"
                    } else {
                        ""
                    };
                    format!("allowed keys here: {}{extras}", expected.join(", "))
                },
            )
        };
        return file
            .error(
                format!("unknown key `{key}`"),
                file.location_of(line, column, key.chars().count()),
            )
            .with_hint(hint);
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let key = rest.split('`').next().unwrap_or_default();
        return file
            .error(
                format!("missing required key `{key}`"),
                file.location_of(line, column, 1),
            )
            .with_hint(format!("add `{key}: …` to this mapping"));
    }
    if message.starts_with("duplicate mapping key") {
        let key = message
            .trim_start_matches("duplicate mapping key:")
            .split(',')
            .next()
            .unwrap_or_default()
            .trim()
            .to_string();
        return file
            .error(
                format!("duplicate key `{key}`"),
                file.location_of(line, column, key.chars().count()),
            )
            .with_hint("each key may appear once in a mapping; remove or merge the repeated one");
    }
    if message.contains("found a tab") || message.contains("tabs") {
        let from = file
            .text
            .lines()
            .take(line.saturating_sub(1))
            .map(|l| l.len() + 1)
            .sum::<usize>();
        let location = file.text[from.min(file.text.len())..]
            .find('\t')
            .map(|i| file.location_at(from + i, 1))
            .or_else(|| file.location_of(line, column, 1));
        return file
            .error("a tab character is used for indentation", location)
            .with_hint("YAML indentation must use spaces, not tabs; replace the tab with spaces");
    }
    if message.starts_with("expected mapping") || message.starts_with("expected sequence") {
        let line_text = file
            .location_of(line, column, 1)
            .map(|l| l.line_text)
            .unwrap_or_default();
        let key = line_text
            .trim_start()
            .trim_start_matches("- ")
            .split(':')
            .next()
            .unwrap_or_default()
            .trim()
            .to_string();
        let (what, example) = if message.starts_with("expected mapping") {
            let example = if key.ends_with("manager") || key.ends_with("individual") {
                format!("`{key}: {{ first_name: …, last_name: … }}`")
            } else {
                format!("`{key}:` followed by indented `name: value` lines")
            };
            ("a mapping of `key: value` entries", example)
        } else {
            (
                "a list",
                format!("`{key}: [a, b]` or one `- item` per line below it"),
            )
        };
        let found = if key.is_empty() {
            "this value".to_string()
        } else {
            format!("`{key}`")
        };
        return file
            .error(
                format!("{found} must be {what}, not a single value"),
                file.location_of(line, column, 1),
            )
            .with_hint(format!("write it as {example}"));
    }
    let hint = if message.contains("unclosed quote") {
        Some("close the quoted text with the same quote mark it opens with".to_string())
    } else if message.starts_with("expected mapping") {
        Some(
            "this value must be a mapping of `key: value` lines, indented under its key"
                .to_string(),
        )
    } else if message.starts_with("expected string") {
        Some("this value must be a single piece of text".to_string())
    } else if message.contains("budget") || message.contains("depth") || message.contains("alias") {
        Some("simplify the file: deeply nested values and repeated aliases are not needed in a profile".to_string())
    } else {
        None
    };
    file.error(message, file.location_of(line, column, 1))
        .with_hint_opt(hint)
}

fn strip_position(raw: &str) -> String {
    let raw = raw.trim();
    match raw.rfind(" at line ") {
        Some(i) if raw[i..].contains(", column ") => raw[..i].to_string(),
        _ => raw.to_string(),
    }
}

fn expected_from_message(message: &str, fallback: &[&str]) -> Vec<String> {
    match message.split_once("expected one of ") {
        Some((_, list)) => list
            .split(',')
            .map(|k| k.trim().trim_matches('`').to_string())
            .filter(|k| !k.is_empty())
            .collect(),
        None => fallback.iter().map(|k| k.to_string()).collect(),
    }
}

/// A scalar read as text whatever its YAML type, so `version: 3` and
/// `version: "3"` mean the same.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text(pub String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl Visitor<'_> for TextVisitor {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a text value")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
        }
        deserializer.deserialize_any(TextVisitor)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Small {
        name: String,
        registration_no: String,
    }

    fn parse(text: &str) -> Result<Small, Diagnostic> {
        parse_yaml(&SourceFile::new("a.yaml", text), &[])
    }

    #[test]
    fn unknown_key_gets_did_you_mean_and_position() {
        let d = parse("name: x\nregstration_no: y\n").unwrap_err();
        assert_eq!(d.message, "unknown key `regstration_no`");
        let loc = d.location.unwrap();
        assert_eq!((loc.line, loc.column, loc.width), (2, 1, 14));
        assert_eq!(d.hint.as_deref(), Some("did you mean `registration_no`?"));
    }

    #[test]
    fn tabs_and_quotes_get_hints() {
        let d = parse("name: x\n\tregistration_no: y\n").unwrap_err();
        assert!(d.hint.unwrap().contains("spaces"));
        let d = parse("name: 'x\nregistration_no: y\n").unwrap_err();
        assert!(d.message.contains("unclosed quote"), "{}", d.message);
    }

    #[test]
    fn locations_count_characters_not_bytes() {
        let f = SourceFile::new("a", "name: Tŷ Siân <<x>>\n");
        let loc = f.find_after(0, "<<x>>", 0).unwrap();
        assert_eq!((loc.line, loc.column, loc.width), (1, 15, 5));
    }
}
