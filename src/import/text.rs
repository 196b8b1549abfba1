//! The plain-text reader: one [`Line`] per input line, cleaned of what
//! exported text carries and a policy source cannot hold (control
//! characters, invisible spaces, tabs), with nothing else recognised yet.

use crate::import::{Line, Style};

pub fn read(text: &str) -> Vec<Line> {
    lines(text)
        .enumerate()
        .map(|(i, raw)| Line {
            no: i + 1,
            raw,
            markdown: None,
            style: Style::Plain,
            anchor: None,
        })
        .collect()
}

/// The input's lines, each cleaned with [`clean`]. `\r\n`, `\r` and `\n`
/// all end a line, as they do for the YAML parser.
pub fn lines(text: &str) -> impl Iterator<Item = String> + '_ {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = rest.find(['\n', '\r']).unwrap_or(rest.len());
        let line = &rest[..end];
        let mut next = end;
        if rest[end..].starts_with("\r\n") {
            next += 2;
        } else if end < rest.len() {
            next += 1;
        }
        rest = &rest[next..];
        Some(clean(line))
    })
}

/// One line made safe to keep: tabs become spaces (four at the start, one
/// inside), and each character passes through [`plain_char`]; trailing
/// space is trimmed.
pub fn clean(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut leading = true;
    for c in line.chars() {
        if c == '\t' && leading {
            out.push_str("    ");
            continue;
        }
        if let Some(c) = plain_char(c) {
            leading &= c == ' ';
            out.push(c);
        }
    }
    out.truncate(out.trim_end().len());
    out
}

/// A character as an import keeps it: spaces a word processor uses
/// (no-break, thin, ideographic, tab) become ordinary ones; invisible
/// characters, soft hyphens and control characters (which a policy source
/// cannot hold) go.
pub fn plain_char(c: char) -> Option<char> {
    match c {
        '\t' | '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}' => {
            Some(' ')
        }
        '\u{2028}' | '\u{2029}' | '\u{85}' => Some(' '),
        '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{fffe}'
        | '\u{ffff}' | '\u{ad}' => None,
        c if c.is_control() => None,
        c => Some(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_ends_and_cleaning() {
        let lines: Vec<String> = lines("a\r\nb\rc\n\td\u{a0}e\u{200b} \u{7}\n\n").collect();
        assert_eq!(lines, ["a", "b", "c", "    d e", ""]);
        assert_eq!(read("x\ny")[1].no, 2);
    }
}
