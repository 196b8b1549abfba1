//! Encoders that make a value literal text in an output format, so a value
//! from a profile can never become Markdown, HTML or template syntax.

/// Escapes text for inline Markdown: every character CommonMark could read
/// as markup is backslash-escaped, and line breaks become spaces (a value
/// can never start a new block).
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut at_start = true;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '!' | '|' | '#' | '~' | '{'
            | '}' => {
                out.push('\\');
                out.push(c);
            }
            // List markers only matter at the start, followed by a space.
            '-' | '+' if at_start && !chars.peek().is_some_and(|n| n.is_alphanumeric()) => {
                out.push('\\');
                out.push(c);
            }
            // A line of `=` or `-` under text makes a heading.
            '=' if at_start => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' | '\t' => out.push(' '),
            // `policygen:` starts the link targets renderers rewrite
            // (`policygen:logo`); a value must never spell one.
            ':' if out.len() >= 9
                && out.is_char_boundary(out.len() - 9)
                && out[out.len() - 9..].eq_ignore_ascii_case("policygen") =>
            {
                out.push_str("\\:");
            }
            c if c.is_ascii_digit() && at_start => {
                // "1. " or "1) " at the start of a line would open a list.
                out.push(c);
                let mut digits = String::new();
                while let Some(&d) = chars.peek() {
                    if d.is_ascii_digit() {
                        digits.push(d);
                        chars.next();
                    } else {
                        break;
                    }
                }
                out.push_str(&digits);
                if let Some(&p @ ('.' | ')')) = chars.peek() {
                    chars.next();
                    // Only "1. " or "1)" followed by a space (or nothing) opens a list.
                    if matches!(chars.peek(), None | Some(' ' | '\t')) {
                        out.push('\\');
                    }
                    out.push(p);
                }
            }
            c => out.push(c),
        }
        at_start = false;
    }
    out
}

/// Escapes text for HTML element content and quoted attribute values.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use pulldown_cmark::{Event, Parser};

    /// The text a Markdown parser reads back from `source`.
    fn read_back(source: &str) -> (String, bool) {
        let mut text = String::new();
        let mut markup = false;
        for event in Parser::new_ext(source, pulldown_cmark::Options::ENABLE_TABLES) {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::Start(pulldown_cmark::Tag::Paragraph)
                | Event::End(pulldown_cmark::TagEnd::Paragraph) => {}
                Event::SoftBreak => text.push(' '),
                _ => markup = true,
            }
        }
        (text, markup)
    }

    #[test]
    fn hostile_name_is_literal() {
        let name = "O'Brien & <b>Sons</b> [x](y) {{ z }}";
        let (text, markup) = read_back(&format!("Name: {}", markdown(name)));
        assert_eq!(text, format!("Name: {name}"));
        assert!(!markup);
    }

    #[test]
    fn ordinary_values_stay_readable() {
        assert_eq!(markdown("1.1"), "1.1");
        assert_eq!(markdown("-5 degrees"), "-5 degrees");
        assert_eq!(markdown("Ty'n-y-Coed, 3.5 miles"), "Ty'n-y-Coed, 3.5 miles");
    }

    #[test]
    fn values_never_spell_a_renderer_link_target() {
        let value = "policygen:logo and PolicyGen:policy/x";
        let escaped = markdown(value);
        assert!(
            !escaped.to_ascii_lowercase().contains("policygen:"),
            "{escaped}"
        );
        let (text, markup) = read_back(&format!("x {escaped}"));
        assert_eq!(text, format!("x {value}"));
        assert!(!markup);
    }

    #[test]
    fn leading_markers_do_not_open_blocks() {
        for value in [
            "1. first",
            "1.",
            "-",
            "---",
            "- - -",
            "- item",
            "+ item",
            "# heading",
            "===",
            "> quote",
            "12) x",
        ] {
            let (text, markup) = read_back(&markdown(value));
            assert_eq!(text, value, "{value}");
            assert!(!markup, "{value}");
        }
    }

    proptest! {
        #[test]
        fn any_printable_value_reads_back_as_itself(value in "[ -~]{1,40}") {
            let value = value.trim().to_string();
            prop_assume!(!value.is_empty());
            let (text, markup) = read_back(&format!("x {}", markdown(&value)));
            // Runs of spaces are kept by the parser; only the value matters.
            prop_assert_eq!(text, format!("x {value}"));
            prop_assert!(!markup);
        }

        #[test]
        fn html_escape_leaves_no_markup(value in ".{0,40}") {
            let escaped = html(&value);
            prop_assert!(!escaped.contains('<') && !escaped.contains('>') && !escaped.contains('"'));
        }
    }
}
