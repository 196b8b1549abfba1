//! Turns what can go wrong in a YAML file into findings a care manager can
//! act on: checks made before parsing (empty files, invisible characters,
//! indentation pasted from a word processor), then serde-saphyr's errors
//! mapped one kind at a time to a plain message, the place in the file and a
//! hint. `source::parse_yaml` is the only caller.

use serde_saphyr::Error;
use serde_saphyr::budget::BudgetBreach;

use crate::diagnostic::{self, Diagnostic, Location};
use crate::load::source::SourceFile;

/// What kind of file a path holds, for hints that say what belongs in it.
struct Kind {
    /// `an organisation profile`.
    what: &'static str,
    /// The keys every file of this kind needs.
    required: &'static [&'static str],
}

fn kind(path: &str) -> Kind {
    if path.starts_with("organisations/") {
        Kind {
            what: "an organisation profile",
            required: &["name", "registration_no", "jurisdiction", "service"],
        }
    } else if path.starts_with("policies/") {
        Kind {
            what: "a policy variant",
            required: &["title", "code", "version", "applies_to", "sections"],
        }
    } else if path.starts_with("jurisdictions/") {
        Kind {
            what: "a jurisdiction",
            required: &[
                "name",
                "regulator",
                "legislation",
                "services",
                "registration",
                "languages",
            ],
        }
    } else {
        Kind {
            what: "this file",
            required: &[],
        }
    }
}

fn key_list(keys: &[&str]) -> String {
    let quoted: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => quoted.join(""),
    }
}

/// An example line for a key users often leave out.
fn example(key: &str) -> Option<&'static str> {
    Some(match key {
        "name" => "`name: Bryn Haven Care Home`",
        "registration_no" => "`registration_no: \"SIN-00012345-ABCD\"` (in quotes)",
        "jurisdiction" => "`jurisdiction: ciw` (an id from jurisdictions/)",
        "service" => {
            "`service: care-home` (care-home, childrens-home, domiciliary or supported-living)"
        }
        "date" => "`date: 2026-03-14`",
        "first_name" => "`first_name: Carys`",
        "last_name" => "`last_name: Evans`",
        "applies_to" => "`applies_to: { jurisdictions: [ciw], services: [care-home] }`",
        "id" => "`id: purpose` (lowercase letters, digits and hyphens)",
        "title" => "`title: Purpose`",
        "role" => "`role: Senior Care Worker`",
        "version" => "`version: \"3\"`",
        _ => return None,
    })
}

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
    None
}

/// Who holds the value at a place in the file: the key it belongs to, a list
/// entry, or the top level of the file.
enum Owner {
    TopLevel,
    Key { name: String, location: Location },
    Item { location: Location },
}

/// One `key:` at the start of a line (after an optional `- `).
fn leading_key(line: &str) -> Option<(usize, &str, bool)> {
    let trimmed = line.trim_start_matches(' ');
    let (item, rest) = match trimmed.strip_prefix("- ") {
        Some(rest) => (true, rest.trim_start_matches(' ')),
        None => (false, trimmed),
    };
    let end = rest.find(':')?;
    let key = rest[..end].trim_end();
    let valid = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ' ' | '.'));
    let after = &rest[end + 1..];
    (valid && (after.is_empty() || after.starts_with([' ', '\r', '\n'])))
        .then(|| (line.len() - rest.len(), key, item))
}

/// Finds the owner of the node at 1-based `line` and character `column`.
fn owner(file: &SourceFile, line: usize, column: usize) -> Owner {
    let lines: Vec<&str> = file.text.lines().collect();
    let Some(text) = lines.get(line.wrapping_sub(1)) else {
        return Owner::TopLevel;
    };
    let text = text.trim_end_matches('\r');
    let cut = text
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(text.len(), |(i, _)| i);
    let prefix = &text[..cut];
    let key_at = |line_no: usize, line_text: &str, byte: usize, key: &str| Owner::Key {
        name: key.to_string(),
        location: file
            .location_of(
                line_no,
                line_text[..byte].chars().count() + 1,
                key.chars().count(),
            )
            .unwrap_or(Location {
                line: line_no,
                column: 1,
                line_text: line_text.to_string(),
                width: 1,
            }),
    };
    // `key: <value here>` on the same line.
    if let Some((byte, key, _)) = leading_key(prefix)
        && prefix[byte + key.len()..]
            .trim_start()
            .trim_start_matches(':')
            .trim()
            .is_empty()
    {
        return key_at(line, text, byte, key);
    }
    // Inside `{ … }` or `[ … ]` opened on this line: the key before the bracket.
    if let Some(open) = prefix.rfind(['{', '[']) {
        let before = &prefix[..open];
        if let Some((byte, key, _)) = leading_key(before)
            && before[byte + key.len()..]
                .trim_start()
                .trim_start_matches(':')
                .trim()
                .is_empty()
        {
            return key_at(line, text, byte, key);
        }
        if before.trim_start().starts_with('-') {
            let dash = before.find('-').unwrap_or(0);
            return Owner::Item {
                location: file.location_at(line_start(file, line) + dash, 1),
            };
        }
    }
    // The first key of a list entry: `- key: value`.
    let body = prefix.trim_start_matches(' ');
    if body.starts_with("- ") || body == "-" {
        let dash = prefix.len() - body.len();
        return Owner::Item {
            location: file.location_at(line_start(file, line) + dash, 1),
        };
    }
    // A block mapping: the nearest line above that starts further left.
    let indent = prefix.chars().take_while(|&c| c == ' ').count() + 1;
    for above in (1..line).rev() {
        let text = lines[above - 1].trim_end_matches('\r');
        let content = text.trim_start_matches(' ');
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let start = text.len() - content.len() + 1;
        if start >= indent {
            continue;
        }
        return match leading_key(text) {
            Some((byte, key, _)) if byte + 1 < indent => key_at(above, text, byte, key),
            Some((_, _, true)) | None if content.starts_with('-') => Owner::Item {
                location: file.location_at(line_start(file, above) + start - 1, 1),
            },
            _ => Owner::TopLevel,
        };
    }
    Owner::TopLevel
}

fn line_start(file: &SourceFile, line: usize) -> usize {
    file.text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum()
}

/// What sits at a place: the start of a list, a mapping, or a value.
fn found_at(file: &SourceFile, line: usize, column: usize) -> &'static str {
    let Some(location) = file.location_of(line, column, 1) else {
        return "a single value";
    };
    let rest: String = location.line_text.chars().skip(column - 1).collect();
    let rest = rest.trim_start();
    if rest.starts_with('[') || rest.starts_with("- ") || rest == "-" {
        "a list"
    } else if rest.starts_with('{') || leading_key(rest).is_some() {
        "a mapping"
    } else {
        "a single value"
    }
}

/// Turns a serde-saphyr error into one finding.
pub fn diagnose(file: &SourceFile, error: &Error, expected_keys: &[&str]) -> Diagnostic {
    let error = error.without_snippet();
    let (line, column) = error
        .location()
        .map(|l| (l.line() as usize, l.column() as usize))
        .unwrap_or((0, 0));
    let here = |width: usize| file.location_of(line, column, width);
    let raw = strip_position(&error.to_string());
    match error {
        Error::AliasError { error: inner, .. } => {
            let mut finding = diagnose(file, inner, expected_keys);
            // Point at the alias that pulled the value in.
            if let Some(location) = here(1) {
                finding.location = Some(location);
            }
            finding
        }
        Error::SerdeUnknownField {
            field, expected, ..
        } => unknown_key(file, field, expected, expected_keys, line, column),
        Error::SerdeMissingField { field, .. } => missing_key(file, field, line, column),
        Error::DuplicateMappingKey { key, .. } => {
            let key = key.clone().unwrap_or_default();
            file.error(format!("duplicate key `{key}`"), here(key.chars().count()))
                .with_hint("each key may appear once in a mapping; remove or merge the repeated one")
        }
        Error::Unexpected { expected, .. } if expected.contains("mapping") => {
            wrong_shape(file, line, column, MAPPING, None)
        }
        Error::Unexpected { expected, .. } if expected.contains("sequence") => {
            wrong_shape(file, line, column, LIST, None)
        }
        Error::Unexpected { expected, .. } if expected.contains("string") => {
            wrong_shape(file, line, column, TEXT, None)
        }
        Error::SerdeInvalidType {
            expected,
            unexpected,
            ..
        } => {
            let wanted = if expected.starts_with("text or") {
                TEXT_OR_MAPPING
            } else if expected.contains("text") || expected.contains("string") {
                TEXT
            } else if expected.contains("map") || expected.contains("struct") {
                MAPPING
            } else if expected.contains("sequence") {
                LIST
            } else {
                "a different kind of value"
            };
            let found = if unexpected.contains("sequence") {
                "a list"
            } else if unexpected.contains("map") {
                "a mapping"
            } else if unexpected.contains("unit") {
                "an empty value"
            } else {
                "a single value"
            };
            wrong_shape(file, line, column, wanted, Some(found))
        }
        Error::NullIntoString { .. } => {
            let owner = key_on_line(file, line, column).unwrap_or_else(|| owner(file, line, column));
            let who = match owner {
                Owner::Key { name, .. } => format!("`{name}`"),
                _ => "this entry".into(),
            };
            file.error(format!("{who} has no value"), here(1)).with_hint(
                "write the value after the colon, or remove the line if the value is optional",
            )
        }
        Error::InvalidBooleanStrict { .. } | Error::InvalidScalar { ty: "boolean", .. } => {
            let who = match owner(file, line, column) {
                Owner::Key { name, .. } => format!("`{name}`"),
                _ => "this value".into(),
            };
            file.error(format!("{who} must be `true` or `false`"), here(value_width(file, line, column)))
                .with_hint("write `true` or `false`, without quotes")
        }
        Error::InvalidScalar { ty, .. } => {
            let who = match owner(file, line, column) {
                Owner::Key { name, .. } => format!("`{name}`"),
                _ => "this value".into(),
            };
            file.error(format!("{who} must be a {ty}"), here(value_width(file, line, column)))
                .with_hint(format!("write a {ty} here"))
        }
        Error::Eof { .. } => file
            .error("the file ends in the middle of a value", here(1))
            .with_hint("check for a quote, `[` or `{` that is opened but never closed"),
        Error::MultipleDocuments { .. } => {
            let separator = (1..=line).rev().find(|&l| {
                file.location_of(l, 1, 3)
                    .is_some_and(|loc| loc.line_text.trim_end().starts_with("---"))
            });
            let location = separator
                .and_then(|l| file.location_of(l, 1, 3))
                .or_else(|| here(1));
            file.error("the file holds more than one YAML document", location)
                .with_hint("a `---` line starts a new document; remove it, and put each organisation or policy variant in its own file")
        }
        Error::UnknownAnchor { .. } => {
            let name = alias_name(file, line, column);
            file.error(
                format!("`*{name}` refers to an anchor `&{name}` that is not defined"),
                here(name.chars().count() + 1),
            )
            .with_hint(format!(
                "write the value out in full; or, if `*{name}` is meant as text, put it in quotes"
            ))
        }
        Error::Budget { breach, .. } => budget(file, breach, line, column),
        Error::AliasReplayLimitExceeded { .. }
        | Error::AliasExpansionLimitExceeded { .. }
        | Error::AliasReplayStackDepthExceeded { .. }
        | Error::AliasReplayCounterOverflow { .. } => file
            .error("aliases (`*name`) repeat too much here", here(1))
            .with_hint(ALIAS_HINT),
        Error::ExternalMessage { msg, .. } => syntax(file, msg, line, column),
        _ => file
            .error(raw, here(1))
            .with_hint("check the YAML near this place: indentation with spaces, quotes closed, one `key: value` per line"),
    }
}

fn value_width(file: &SourceFile, line: usize, column: usize) -> usize {
    file.location_of(line, column, 1)
        .map(|l| {
            let rest: String = l.line_text.chars().skip(column - 1).collect();
            let value = rest.split(" #").next().unwrap_or_default();
            value
                .trim_end()
                .trim_end_matches([',', '}', ']'])
                .trim_end()
                .chars()
                .count()
        })
        .unwrap_or(1)
        .max(1)
}

fn alias_name(file: &SourceFile, line: usize, column: usize) -> String {
    file.location_of(line, column, 1)
        .map(|l| {
            l.line_text
                .chars()
                .skip(column - 1)
                .skip_while(|&c| c == '*')
                .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '-'))
                .collect()
        })
        .unwrap_or_default()
}

fn unknown_key(
    file: &SourceFile,
    key: &str,
    expected: &[&str],
    fallback: &[&str],
    line: usize,
    column: usize,
) -> Diagnostic {
    let expected: Vec<&str> = if expected.is_empty() {
        fallback.to_vec()
    } else {
        expected.to_vec()
    };
    let line_text = file
        .location_of(line, column, 1)
        .map(|l| l.line_text)
        .unwrap_or_default();
    let hint = if key.contains(' ') && line_text.contains('{') {
        "inside `{ … }` a comma separates entries; put text that contains a comma in quotes, e.g. `title: \"Quality, Improvement and Regulation\"`"
            .to_string()
    } else {
        diagnostic::did_you_mean(key, expected.iter().copied()).unwrap_or_else(|| {
            let extras = if expected.contains(&"fields") {
                "; put free-form values under `fields:`"
            } else {
                ""
            };
            format!("allowed keys here: {}{extras}", expected.join(", "))
        })
    };
    let message = if key.contains(' ') && line_text.contains('{') {
        format!("`{key}` was read as a key: a comma inside `{{ … }}` split the text before it")
    } else {
        format!("unknown key `{key}`")
    };
    file.error(message, file.location_of(line, column, key.chars().count()))
        .with_hint(hint)
}

fn missing_key(file: &SourceFile, key: &str, line: usize, column: usize) -> Diagnostic {
    let example = example(key)
        .map(|e| format!(", e.g. {e}"))
        .unwrap_or_default();
    match owner(file, line, column) {
        Owner::TopLevel => file
            .error(format!("missing required key `{key}`"), None)
            .with_hint(format!(
                "add `{key}: …` at the top level of the file{example}"
            )),
        Owner::Key { name, location } => file
            .error(format!("`{name}` is missing `{key}`"), Some(location))
            .with_hint(format!("add `{key}: …` to `{name}`{example}")),
        Owner::Item { location } => file
            .error(
                format!("this list entry is missing `{key}`"),
                Some(location),
            )
            .with_hint(format!("add `{key}: …` to the entry{example}")),
    }
}

const TEXT: &str = "a single piece of text";
const MAPPING: &str = "a mapping of `key: value` lines";
const LIST: &str = "a list";
const TEXT_OR_MAPPING: &str = "text or a mapping of `key: value` lines";

/// The key starting exactly at a place, when there is one: serde reports
/// some errors at the key of the entry whose value is wrong.
fn key_here(file: &SourceFile, line: usize, column: usize) -> Option<Owner> {
    let location = file.location_of(line, column, 1)?;
    let (byte, key, _) = leading_key(&location.line_text)?;
    let (name, starts_here) = (
        key.to_string(),
        location.line_text[..byte].chars().count() + 1 == column,
    );
    starts_here.then(|| Owner::Key {
        location: Location {
            width: name.chars().count(),
            ..location
        },
        name,
    })
}

/// The key written before `column` on its line (`name:` for the empty
/// value after it).
fn key_on_line(file: &SourceFile, line: usize, column: usize) -> Option<Owner> {
    let location = file.location_of(line, 1, 1)?;
    let (byte, key, _) = leading_key(&location.line_text)?;
    let start = location.line_text[..byte].chars().count() + 1;
    let name = key.to_string();
    (start < column).then(|| Owner::Key {
        location: Location {
            column: start,
            width: name.chars().count(),
            ..location
        },
        name,
    })
}

/// Where the value written after `key:` on the key's own line starts, and
/// how wide it is; `None` when the value is on the lines below.
fn inline_value(key: &Location) -> Option<Location> {
    let text = &key.line_text;
    let after_key: usize = text
        .char_indices()
        .nth(key.column - 1 + key.width)
        .map_or(text.len(), |(i, _)| i);
    let rest = text[after_key..].trim_start().strip_prefix(':')?;
    let value = rest.trim_start();
    let shown = value.split(" #").next().unwrap_or_default().trim_end();
    if shown.is_empty() || shown.starts_with('#') {
        return None;
    }
    let start = text.len() - value.len();
    Some(Location {
        column: text[..start].chars().count() + 1,
        width: shown.chars().count(),
        ..key.clone()
    })
}

/// A value of the wrong shape where `wanted` belongs. `found` says what was
/// there when the error reports it; otherwise it is read from the file.
fn wrong_shape(
    file: &SourceFile,
    line: usize,
    column: usize,
    wanted: &str,
    found: Option<&str>,
) -> Diagnostic {
    let complex_key = file
        .location_of(line, 1, 1)
        .is_some_and(|l| l.line_text.trim_start().starts_with("? "));
    if complex_key {
        return file
            .error(
                "a key must be a plain word, not a `? …` entry",
                file.location_of(line, 1, 1),
            )
            .with_hint(
                "write keys as `name: value`, with the name in lowercase letters, digits and `_`",
            );
    }
    let (owner, found) = match (found, key_here(file, line, column)) {
        (Some(found), Some(key)) => (key, found),
        (found, _) => (
            owner(file, line, column),
            found.unwrap_or_else(|| found_at(file, line, column)),
        ),
    };
    match owner {
        Owner::TopLevel => {
            let kind = kind(&file.path);
            let start = kind
                .required
                .first()
                .map(|k| format!(" such as `{k}: …`"))
                .unwrap_or_default();
            file.error(
                format!("the file must be a mapping of `key: value` lines, not {found}"),
                file.location_of(line, column, 1),
            )
            .with_hint(format!(
                "{} is a set of `key: value` lines{start}, each key at the left margin",
                kind.what
            ))
        }
        Owner::Key { name, location } => {
            let example = match wanted {
                w if w.starts_with("a list") => {
                    format!("`{name}: [a, b]`, or one `- item` line for each entry below it")
                }
                w if w.starts_with("a single") => format!(
                    "`{name}: …` with the value on the same line; put text containing `: `, `#`, `[` or `{{` in quotes"
                ),
                w if w.starts_with("text or") => format!(
                    "`{name}: some text`, or `{name}:` followed by indented `key: value` lines"
                ),
                _ if name.ends_with("manager") || name.ends_with("individual") => {
                    format!("`{name}: {{ first_name: …, last_name: … }}`")
                }
                _ => format!("`{name}:` followed by indented `key: value` lines"),
            };
            // Point at the value when it is on the key's line.
            let at = inline_value(&location).unwrap_or(location);
            file.error(format!("`{name}` must be {wanted}, not {found}"), Some(at))
                .with_hint(format!("write it as {example}"))
        }
        Owner::Item { location } => file
            .error(
                format!("this list entry must be {wanted}, not {found}"),
                Some(location),
            )
            .with_hint(format!("write the entry as {wanted}")),
    }
}

const ALIAS_HINT: &str = "YAML aliases (`*name`) repeat the value they refer to; a profile or policy needs none, so write the values out";

fn budget(file: &SourceFile, breach: &BudgetBreach, line: usize, column: usize) -> Diagnostic {
    let alias_hint = ALIAS_HINT;
    let first_alias = || {
        file.text
            .match_indices('*')
            .find(|&(i, _)| {
                let before = file.text[..i].chars().next_back();
                let after = file.text[i + 1..].chars().next();
                matches!(before, Some(' ' | '[' | ',' | '{'))
                    && after.is_some_and(|c| c.is_alphanumeric() || c == '_')
            })
            .map(|(i, _)| file.location_at(i, 1))
    };
    let here = file.location_of(line, column, 1);
    match breach {
        BudgetBreach::Depth { .. } => file
            .error("values are nested too deeply (more than 64 levels)", here)
            .with_hint("a profile or policy needs only a few levels; check the indentation and the brackets near this place"),
        BudgetBreach::Aliases { .. }
        | BudgetBreach::AliasAnchorRatio { .. }
        | BudgetBreach::RecordedAnchorEvents { .. }
        | BudgetBreach::RecordedAnchorBytes { .. } => file
            .error("the file uses too many aliases (`*name`)", first_alias().or(here))
            .with_hint(alias_hint),
        BudgetBreach::Events { .. } | BudgetBreach::Nodes { .. } | BudgetBreach::ScalarBytes { .. } => {
            let hint = if first_alias().is_some() {
                alias_hint
            } else {
                "a profile or policy is a few kilobytes; check that the right file is in this folder"
            };
            file.error("the file expands to too many values", here)
                .with_hint(hint)
        }
        _ => file
            .error(format!("the file is too complex to read ({breach:?})"), here)
            .with_hint("simplify the file: a profile or policy needs no anchors, aliases or deep nesting"),
    }
}

/// Errors from the YAML scanner and parser.
fn syntax(file: &SourceFile, msg: &str, line: usize, column: usize) -> Diagnostic {
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
