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
