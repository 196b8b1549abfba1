//! A source file held in memory, and the YAML front door: typed parsing with
//! serde-saphyr, turning its errors into [`Diagnostic`]s that point at the
//! line and column and suggest the key the user probably meant.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use serde_saphyr::Spanned;

use crate::diagnostic::{Diagnostic, FileId, Location, Origin};
use crate::load::diagnose;

/// Files larger than this are refused before parsing (a profile is a few KB).
pub const MAX_SOURCE_BYTES: usize = 1024 * 1024;

/// One file read from the project, with its path relative to the root.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
    /// Its index in the project, once it is one of the project's sources.
    pub id: Option<FileId>,
    /// The organisation, when the file is a profile (`organisations/<slug>.yaml`).
    pub org: Option<String>,
}

impl SourceFile {
    /// A lone carriage return (old Mac line endings, or a stray one) is a
    /// line break to YAML; it becomes `\n` here so that the lines counted
    /// for locations are the lines the parser counts.
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        let mut text = text.into();
        if text.contains('\r') {
            text = lone_carriage_returns_to_newlines(&text);
        }
        SourceFile {
            path: path.into(),
            text,
            id: None,
            org: None,
        }
    }

    /// This file as source `id` of a project, the profile of `org` when it is one.
    pub fn as_source(mut self, id: FileId, org: Option<String>) -> Self {
        self.id = Some(id);
        self.org = org;
        self
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

    /// The location of a top-level or nested mapping key, found by its text:
    /// at the start of a line (`key:`, `- key:`) or inside a flow mapping
    /// (`{key: …}`, `, key: …`), quoted or not; comments are skipped.
    pub fn find_key(&self, key: &str) -> Option<Location> {
        if key.is_empty() {
            return None;
        }
        let mut offset = 0;
        for line in self.text.split_inclusive('\n') {
            let mut from = 0;
            while let Some(found) = line[from..].find(key) {
                let at = from + found;
                from = at + key.len();
                let before = line[..at].trim_end_matches([' ', '\t']);
                let (before, quote) = match before.strip_suffix(['"', '\'']) {
                    Some(rest) => (
                        rest.trim_end_matches([' ', '\t']),
                        line[..at].chars().last(),
                    ),
                    None => (before, None),
                };
                if before.contains('#') && !before.contains(['"', '\'']) {
                    break;
                }
                let starts_key = before.is_empty()
                    || before.ends_with(['{', ',', '?'])
                    || before.trim_start() == "-";
                let mut after = &line[from..];
                if let Some(quote) = quote {
                    let Some(rest) = after.strip_prefix(quote) else {
                        continue;
                    };
                    after = rest;
                }
                let after = after.trim_start_matches([' ', '\t']);
                let ends_key = after.strip_prefix(':').is_some_and(|rest| {
                    rest.is_empty() || rest.starts_with([' ', '\t', '\r', '\n', ',', '}'])
                });
                if starts_key && ends_key {
                    return Some(self.location_at(offset + at, key.chars().count()));
                }
            }
            offset += line.len();
        }
        None
    }

    /// A diagnostic for this file.
    pub fn error(&self, message: impl Into<String>, location: Option<Location>) -> Diagnostic {
        Diagnostic::error(message).in_source(self).at(location)
    }
}

impl Origin for SourceFile {
    fn path(&self) -> &str {
        &self.path
    }

    fn id(&self) -> Option<FileId> {
        self.id
    }

    fn org(&self) -> Option<&str> {
        self.org.as_deref()
    }
}

fn lone_carriage_returns_to_newlines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() != Some(&'\n') {
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
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
/// `expected_keys` are the top-level keys, for "did you mean" hints.
pub fn parse_yaml<T: DeserializeOwned>(
    file: &SourceFile,
    expected_keys: &[&str],
) -> Result<T, Diagnostic> {
    if file.text.len() > MAX_SOURCE_BYTES {
        return Err(too_large(&file.path, file.text.len() as u64));
    }
    if let Some(problem) = diagnose::precheck(file) {
        return Err(problem);
    }
    let mut options = serde_saphyr::options! { with_snippet: false };
    options.budget = serde_saphyr::budget! {
        max_depth: 64,
        max_aliases: 256,
        max_events: 200_000,
        max_nodes: 100_000,
        max_total_scalar_bytes: MAX_SOURCE_BYTES * 4,
    };
    // Aliases replay the events of what they name; hand-written sources need
    // few, so a "billion laughs" stops after a few thousand copies.
    options.alias_limits = serde_saphyr::alias_limits! {
        max_total_replayed_events: 20_000,
        max_replay_stack_depth: 16,
    };
    serde_saphyr::from_str_with_options::<T>(&file.text, options)
        .map_err(|error| diagnose::diagnose(file, &error, expected_keys))
}

/// The finding for a file over [`MAX_SOURCE_BYTES`].
/// The size is given in bytes as well as megabytes, so a file just over the
/// limit never reads as the limit itself ("1.0 MB; the limit is 1.0 MB").
pub fn too_large(path: &str, bytes: u64) -> Diagnostic {
    Diagnostic::error(format!(
        "file is too large: {} bytes ({:.2} MB); the limit is {} bytes (1 MB)",
        thousands(bytes),
        bytes as f64 / (1024.0 * 1024.0),
        thousands(MAX_SOURCE_BYTES as u64)
    ))
    .in_file(path)
    .with_hint("a profile or policy source is a few kilobytes; check that the right file is in this folder, or split a very long policy into several policies")
}

/// A count with thousands separated by commas: `1048576` → `1,048,576`
/// (file sizes here, counts on the dashboards).
pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
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
        assert_eq!(d.message, "this quoted text is never closed");
        assert_eq!(
            d.hint.as_deref(),
            Some("end the text with a closing `'` on the same line")
        );
    }

    /// Found by fuzzing: a lone `\r` is a line break to the parser, so the
    /// finding pointed at a line that was not the one shown.
    #[test]
    fn lone_carriage_returns_are_line_breaks() {
        let file = SourceFile::new("a.yaml", "\r  oaa\nb\n");
        let d = parse_yaml::<Small>(&file, &[]).unwrap_err();
        let loc = d.location.clone().unwrap();
        assert_eq!(
            file.text.lines().nth(loc.line - 1),
            Some(loc.line_text.as_str())
        );
        assert!(
            loc.column <= loc.line_text.chars().count() + 1,
            "{}",
            d.render(false)
        );
        // Windows line endings are left alone.
        assert_eq!(SourceFile::new("a", "a\r\nb").text, "a\r\nb");
    }

    #[test]
    fn keys_are_found_in_block_and_flow_style() {
        let f = SourceFile::new(
            "a",
            "# key-wroker: in a comment\nname: key-wroker: x\npolicies: {sample: {}, key-wroker: {exclude: true}}\n",
        );
        let loc = f.find_key("key-wroker").unwrap();
        assert_eq!((loc.line, loc.column, loc.width), (3, 24, 10));
        let f = SourceFile::new("a", "policies:\n  - \"key-wroker\" : x\n");
        let loc = f.find_key("key-wroker").unwrap();
        assert_eq!((loc.line, loc.column), (2, 6));
        assert!(
            SourceFile::new("a", "policies: {x: key-wroker}\n")
                .find_key("key-wroker")
                .is_none()
        );
    }

    #[test]
    fn locations_count_characters_not_bytes() {
        let f = SourceFile::new("a", "name: Tŷ Siân <<x>>\n");
        let loc = f.find_after(0, "<<x>>", 0).unwrap();
        assert_eq!((loc.line, loc.column, loc.width), (1, 15, 5));
    }
}
