//! `policygen changes` on a terminal: the same changes as the redline page,
//! as `-` (approved) and `+` (now) lines under each section's heading, the
//! changed words in colour (red struck through, green underlined) or, when
//! the output is piped, marked `[-like this-]` and `{+like this+}`. Pure:
//! changes in, text out.

use crate::control::diff::{Changes, Kind, Piece, Tag};
use crate::control::redline::{paragraphs, summary};

/// The changes as text; `color` for ANSI colour.
pub fn text(changes: &Changes, heading: &str, color: bool) -> String {
    let paint = |code: &str, text: &str| {
        if color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    let mut out = String::new();
    out.push_str(&paint("1", heading));
    out.push('\n');
    for line in summary(&changes.counts, changes.title.is_some()) {
        out.push_str(&format!("  {line}\n"));
    }
    if let Some(title) = &changes.title {
        out.push('\n');
        out.push_str(&paint("1", "Title"));
        out.push('\n');
        lines(title, color, &mut out);
    }
    for section in &changes.sections {
        let label = match section.kind {
            Kind::Changed => "changed",
            Kind::Added => "added",
            Kind::Removed => "removed",
            Kind::Moved => "moved",
        };
        out.push('\n');
        let was = section
            .was
            .as_ref()
            .map(|w| format!(", was {w}"))
            .unwrap_or_default();
        out.push_str(&paint("1", &format!("{} ({label}{was})", section.heading)));
        out.push('\n');
        if !section.title.is_empty() {
            lines(&section.title, color, &mut out);
        }
        if section.kind == Kind::Moved
            && !section
                .title
                .iter()
                .chain(&section.body)
                .any(|p| p.tag != Tag::Same)
        {
            out.push_str("  its words are unchanged\n");
        } else {
            lines(&section.body, color, &mut out);
        }
    }
    out
}

/// Prints each paragraph of `pieces` that holds a change: as it was (`-`)
/// and as it is (`+`); one only added or only removed gets one of the two.
/// Paragraphs are joined from their source lines as on the redline page.
fn lines(pieces: &[Piece], color: bool, out: &mut String) {
    for paragraph in paragraphs(pieces) {
        if paragraph.iter().all(|p| p.tag == Tag::Same) {
            continue;
        }
        for (sign, keep, code, open, close) in [
            ('-', Tag::Deleted, "31", "[-", "-]"),
            ('+', Tag::Inserted, "32", "{+", "+}"),
        ] {
            if paragraph
                .iter()
                .filter(|p| p.tag == Tag::Same || p.tag == keep)
                .all(|p| p.text.trim().is_empty())
            {
                continue;
            }
            let mut text = String::new();
            // A word space that only the other side's change held is kept.
            let mut spaced = false;
            for piece in &paragraph {
                if piece.tag != Tag::Same && piece.tag != keep {
                    spaced |= piece.text.starts_with(char::is_whitespace)
                        || piece.text.ends_with(char::is_whitespace);
                    continue;
                }
                if std::mem::take(&mut spaced)
                    && !text.is_empty()
                    && !text.ends_with(char::is_whitespace)
                    && !piece.text.starts_with(char::is_whitespace)
                {
                    text.push(' ');
                }
                if piece.tag == Tag::Same {
                    text.push_str(&piece.text);
                } else if color {
                    // Bold and struck through or underlined, then back to the line's colour.
                    let mark = if keep == Tag::Deleted { "1;9" } else { "1;4" };
                    text.push_str(&format!("\x1b[{mark}m{}\x1b[22;29;24m", piece.text));
                } else {
                    text.push_str(&format!("{open}{}{close}", piece.text));
                }
            }
            for line in text.split('\n') {
                if color {
                    out.push_str(&format!("\x1b[{code}m{sign} {line}\x1b[0m\n"));
                } else {
                    out.push_str(&format!("{sign} {line}\n"));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::control::archive::ApprovedText;
    use crate::control::diff::compare;

    fn text_of(body: &str) -> ApprovedText {
        ApprovedText::parse(&format!(
            "# T\n\n<!-- section: a -->\n## 1. Visits\n\n{body}\n"
        ))
        .unwrap()
    }

    #[test]
    fn plain_text_marks_the_words() {
        let changes = compare(
            &text_of("Intro stays.\n\nThe key worker visits each month.\n\nEnd."),
            &text_of("Intro stays.\n\nThe key worker phones each week.\n\nEnd.\n\nA new line."),
        );
        let shown = text(&changes, "Key Worker Policy", false);
        assert_eq!(
            shown,
            "Key Worker Policy\n  1 section changed\n  6 words added and 3 removed\n\n1. Visits (changed)\n- The key worker [-visits each month.-]\n+ The key worker {+phones each week.+}\n+ {+A new line.+}\n"
        );
        let coloured = text(&changes, "Key Worker Policy", true);
        assert!(
            coloured.contains(
                "\x1b[31m- The key worker \x1b[1;9mvisits each month.\x1b[22;29;24m\x1b[0m"
            ),
            "{coloured:?}"
        );
    }
}
