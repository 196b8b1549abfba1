//! `policygen changes` on a terminal: the same changes as the redline page,
//! as `-` (approved) and `+` (now) lines under each section's heading, the
//! changed words in colour (red struck through, green underlined) or, when
//! the output is piped, marked `[-like this-]` and `{+like this+}`. Pure:
//! changes in, text out.

use crate::control::diff::{Changes, Kind, Piece, Tag};
use crate::control::redline::summary;

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

/// Prints the lines of `pieces` that hold a change: each as it was (`-`)
/// and as it is (`+`); a line only added or only removed gets one of the two.
fn lines(pieces: &[Piece], color: bool, out: &mut String) {
    let mut rows: Vec<Vec<Piece>> = vec![Vec::new()];
    for piece in pieces {
        let mut parts = piece.text.split('\n').peekable();
        while let Some(part) = parts.next() {
            if !part.is_empty()
                && let Some(row) = rows.last_mut()
            {
                row.push(Piece {
                    tag: piece.tag,
                    text: part.to_string(),
                });
            }
            if parts.peek().is_some() {
                rows.push(Vec::new());
            }
        }
    }
    for row in rows.iter().filter(|r| r.iter().any(|p| p.tag != Tag::Same)) {
        for (sign, keep, code, open, close) in [
            ('-', Tag::Deleted, "31", "[-", "-]"),
            ('+', Tag::Inserted, "32", "{+", "+}"),
        ] {
            let side: Vec<&Piece> = row
                .iter()
                .filter(|p| p.tag == Tag::Same || p.tag == keep)
                .collect();
            if side.iter().all(|p| p.text.trim().is_empty()) {
                continue;
            }
            let mut line = String::new();
            for piece in side {
                if piece.tag == Tag::Same {
                    line.push_str(&piece.text);
                } else if color {
                    // Bold and struck through or underlined, then back to the line's colour.
                    let mark = if keep == Tag::Deleted { "1;9" } else { "1;4" };
                    line.push_str(&format!("\x1b[{mark}m{}\x1b[22;29;24m", piece.text));
                } else {
                    line.push_str(&format!("{open}{}{close}", piece.text));
                }
            }
            if color {
                out.push_str(&format!("\x1b[{code}m{sign} {line}\x1b[0m\n"));
            } else {
                out.push_str(&format!("{sign} {line}\n"));
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
