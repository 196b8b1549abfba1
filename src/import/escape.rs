//! Plain text made into Markdown that reads back as the same text: only the
//! characters CommonMark could take for markup are escaped (a `*`, a `<`
//! that is not a placeholder, a `#` or `1.` opening a paragraph), so an
//! imported body stays readable. Placeholders are left exactly as written.

use crate::document::placeholder;

/// Escapes one paragraph or list item's text.
pub fn inline(text: &str) -> String {
    escape(text, true)
}

/// Escapes text that continues a paragraph (no block can open in it).
pub fn inline_part(text: &str) -> String {
    escape(text, false)
}

fn escape(text: &str, opening: bool) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut last = 0;
    for p in placeholder::scan(text) {
        push_escaped(&mut out, &text[last..p.start], opening && last == 0);
        out.push_str(&text[p.start..p.end]);
        last = p.end;
    }
    push_escaped(&mut out, &text[last..], opening && last == 0);
    out
}

fn push_escaped(out: &mut String, text: &str, at_start: bool) {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    if at_start {
        i = escape_opening(out, &chars);
    }
    while i < chars.len() {
        let c = chars[i];
        let before = if i == 0 {
            out.chars().last()
        } else {
            Some(chars[i - 1])
        };
        let after = chars.get(i + 1).copied();
        let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        let escape = match c {
            '\\' | '`' | '*' | '[' | ']' | '<' | '~' => true,
            // Inside a word (`file_name`) an underscore is never emphasis.
            '_' => !(word(before) && word(after)),
            // `&amp;` would be read as an entity.
            '&' => entity_follows(&chars[i + 1..]),
            // `![` opens an image; `[` is already escaped.
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
        i += 1;
    }
}

/// Escapes what would open a block at the start of a paragraph — `#`, `>`,
/// `-`/`+`/`*` and a space, `1.` or `1)` and a space, a line of `=` or `-`
/// — and returns how many characters it wrote.
fn escape_opening(out: &mut String, chars: &[char]) -> usize {
    match chars.first() {
        Some('#' | '>' | '=') => {
            out.push('\\');
            out.push(chars[0]);
            1
        }
        Some('-' | '+') if matches!(chars.get(1), None | Some(' ' | '-' | '+')) => {
            out.push('\\');
            out.push(chars[0]);
            1
        }
        Some(c) if c.is_ascii_digit() => {
            let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
            match chars.get(digits) {
                Some(&p @ ('.' | ')')) if matches!(chars.get(digits + 1), None | Some(' ')) => {
                    out.extend(&chars[..digits]);
                    out.push('\\');
                    out.push(p);
                    digits + 1
                }
                _ => 0,
            }
        }
        _ => 0,
    }
}

fn entity_follows(rest: &[char]) -> bool {
    let name = rest
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == '#')
        .count();
    name > 0 && rest.get(name) == Some(&';')
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Event, Parser};

    /// The text a CommonMark parser reads back from escaped text.
    fn reads_back(markdown: &str) -> String {
        let mut text = String::new();
        for event in Parser::new_ext(markdown, crate::render::markdown_options()) {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::Start(_) | Event::End(_) => {}
                other => text.push_str(&format!("{other:?}")),
            }
        }
        text
    }

    #[test]
    fn reads_back_as_the_same_text() {
        for text in [
            "Call *999* or [the office] at <reception> & ask for Tom_Smith",
            "# not a heading",
            "- not a list",
            "1. not a list",
            "2) nor this",
            "> not a quote",
            "=== nor a heading underline",
            "~~not struck~~ and `not code` and \\ a backslash",
            "a file_name stays, _but this_ is escaped",
            "&amp; is not an entity here",
            "“Curly quotes” — and dashes – stay",
        ] {
            assert_eq!(reads_back(&inline(text)), text, "{}", inline(text));
        }
    }

    #[test]
    fn placeholders_are_kept_and_prose_stays_readable() {
        assert_eq!(
            inline("At <<org_field_name>>, {{ term_people }} come first."),
            "At <<org_field_name>>, {{ term_people }} come first."
        );
        assert_eq!(inline("well-being, 24/7 care"), "well-being, 24/7 care");
        assert_eq!(
            inline("<<org_field_name>> - 1. x"),
            "<<org_field_name>> - 1. x"
        );
    }
}
