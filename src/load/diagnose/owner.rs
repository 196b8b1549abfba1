//! Who holds the value at a place in the file — a key, a list entry or the
//! top level — read off the text, since the parser's errors carry only a
//! line and column.

use crate::diagnostic::Location;
use crate::load::source::SourceFile;

/// Who holds the value at a place in the file: the key it belongs to, a list
/// entry, or the top level of the file.
pub(super) enum Owner {
    TopLevel,
    Key { name: String, location: Location },
    Item { location: Location },
}

/// One `key:` at the start of a line (after an optional `- `).
pub(super) fn leading_key(line: &str) -> Option<(usize, &str, bool)> {
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
pub(super) fn owner(file: &SourceFile, line: usize, column: usize) -> Owner {
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

pub(super) fn line_start(file: &SourceFile, line: usize) -> usize {
    file.text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum()
}

/// What sits at a place: the start of a list, a mapping, or a value.
pub(super) fn found_at(file: &SourceFile, line: usize, column: usize) -> &'static str {
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

/// The key starting exactly at a place, when there is one: serde reports
/// some errors at the key of the entry whose value is wrong.
pub(super) fn key_here(file: &SourceFile, line: usize, column: usize) -> Option<Owner> {
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
pub(super) fn key_on_line(file: &SourceFile, line: usize, column: usize) -> Option<Owner> {
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
pub(super) fn inline_value(key: &Location) -> Option<Location> {
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
