//! Turns what can go wrong in a YAML file into findings a care manager can
//! act on: checks made before parsing (empty files, invisible characters,
//! indentation pasted from a word processor), then serde-saphyr's errors
//! mapped one kind at a time to a plain message, the place in the file and a
//! hint. `source::parse_yaml` is the only caller.

mod owner;
mod precheck;
mod syntax;

use serde_saphyr::budget::BudgetBreach;
use serde_saphyr::{Error, ExternalMessageSource};

use crate::diagnostic::{self, Diagnostic};
use crate::load::source::SourceFile;
use owner::{Owner, found_at, inline_value, key_here, key_on_line, owner};
pub use precheck::precheck;
pub(crate) use syntax::strip_position;
use syntax::syntax;

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

/// Turns a serde-saphyr error into one finding.
///
/// Long because it is one `match` over serde-saphyr's error kinds, each arm
/// a line or two that hands on to the function for that kind.
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
            empty_value(file, line, column, MAPPING)
                .unwrap_or_else(|| wrong_shape(file, line, column, MAPPING, None))
        }
        Error::Unexpected { expected, .. } if expected.contains("sequence") => {
            empty_value(file, line, column, LIST)
                .unwrap_or_else(|| wrong_shape(file, line, column, LIST, None))
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
        Error::ExternalMessage { source, msg, .. } => {
            let kind = match source.as_ref() {
                ExternalMessageSource::Parser(scan_error) => Some(scan_error.kind()),
                _ => None,
            };
            syntax(file, kind, msg, line, column)
        }
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

/// A `key:` with nothing after it (or only a comment, on its line or the
/// lines below) where a mapping or a list belongs: said as that, not as a
/// value of the wrong kind.
fn empty_value(file: &SourceFile, line: usize, column: usize, wanted: &str) -> Option<Diagnostic> {
    let Some(Owner::Key { name, location }) = key_on_line(file, line, column + 1) else {
        return None;
    };
    if inline_value(&location).is_some() {
        return None;
    }
    let example = match (wanted, name.as_str()) {
        (_, "policies") => "list the policies below it, indented, e.g. `  key-worker: { exclude: true }`".to_string(),
        (_, "reviews") => "write each review below it, indented, e.g. `  - { date: 2026-03-14, by: Carys Evans }`".to_string(),
        (_, "staff") => "list each member of staff below it, indented, e.g. `  - { name: Carys Evans, role: Senior Care Worker }`".to_string(),
        (w, _) if w == LIST => "write its entries below it, each an indented `- …` line".to_string(),
        _ => "write its `key: value` lines below it, indented".to_string(),
    };
    Some(
        file.error(
            format!("`{name}` is empty: it needs {wanted}"),
            Some(location),
        )
        .with_hint(format!(
            "{example}; or delete the `{name}:` line while there is nothing to put there"
        )),
    )
}

const TEXT: &str = "a single piece of text";
const MAPPING: &str = "a mapping of `key: value` lines";
const LIST: &str = "a list";
const TEXT_OR_MAPPING: &str = "text or a mapping of `key: value` lines";

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
#[cfg(test)]
mod tests {
    use serde_saphyr::Error;

    use crate::model::organisation::Organisation;

    /// What serde-saphyr says when a profile holds the wrong kind of value.
    fn error<T>(extra: &str, read: impl FnOnce(&Error) -> T) -> T {
        let yaml =
            format!("registration_no: \"1-1\"\njurisdiction: cqc\nservice: care-home\n{extra}");
        match serde_saphyr::from_str::<Organisation>(&yaml) {
            Ok(_) => panic!("{extra:?} was read"),
            Err(error) => read(error.without_snippet()),
        }
    }

    /// serde-saphyr has no typed kind for a value of the wrong shape: it
    /// says what it expected and what it found in words, which `diagnose`
    /// reads. Each text it reads is pinned here, so a dependency update
    /// that rewords one fails this test rather than a user's check.
    #[test]
    fn the_words_diagnose_reads_are_pinned() {
        let unexpected = |extra: &str| {
            error(extra, |e| match e {
                Error::Unexpected { expected, .. } => *expected,
                other => panic!("{extra:?}: {other:?}"),
            })
        };
        assert_eq!(unexpected("name: x\nbrand: blue\n"), "mapping start");
        assert_eq!(unexpected("name: x\nstaff: x\n"), "sequence start");
        assert_eq!(unexpected("name: [a, b]\n"), "string scalar");
        let invalid = |extra: &str| {
            error(extra, |e| match e {
                Error::SerdeInvalidType {
                    expected,
                    unexpected,
                    ..
                } => (expected.clone(), unexpected.clone()),
                other => panic!("{extra:?}: {other:?}"),
            })
        };
        let (expected, unexpected) = invalid("name: x\nfields:\n  a: [x]\n");
        assert!(expected.starts_with("text or"), "{expected}");
        assert!(unexpected.contains("sequence"), "{unexpected}");
        let (expected, unexpected) = invalid("name: x\naddress: {a: b}\n");
        assert!(expected.contains("text"), "{expected}");
        assert!(unexpected.contains("map"), "{unexpected}");
        let (_, unexpected) = invalid("name: x\nfields:\n  a: ~\n");
        assert!(unexpected.contains("unit"), "{unexpected}");
    }
}
