//! Line breaking: runs of styled text into lines no wider than a measure,
//! at UAX #14 break opportunities, with widths from the font metrics.

use std::sync::Arc;

use unicode_linebreak::{BreakOpportunity, linebreaks};

use super::memo;
use super::{EPSILON, Font, Line, Piece};
use crate::render::blocks::{Link, Run};
use crate::render::pdf::fonts::{Family, Style};

/// A run of text within a line while it is being broken.
#[derive(Debug)]
struct Part {
    text: String,
    style: Style,
    link: Option<Link>,
    width: f32,
    trailing: f32,
}

/// Breaks runs into lines no wider than `width`. The same runs at the same
/// size and width recur in every document of a variant, so lines are set
/// once per build and kept (`memo`); they depend on nothing else.
pub(super) fn break_lines(family: &Family, runs: &[Run], font: Font, width: f32) -> Vec<Line> {
    memo::lines(family, runs, font, width, || {
        set_lines(family, runs, font, width)
    })
}

/// Breaks runs into lines no wider than `width`, without the memo.
fn set_lines(family: &Family, runs: &[Run], font: Font, width: f32) -> Vec<Line> {
    let mut full = String::new();
    let mut bounds = Vec::with_capacity(runs.len());
    for (i, run) in runs.iter().enumerate() {
        let start = full.len();
        full.push_str(&run.text);
        bounds.push((start, full.len(), i));
    }
    let style_of = |i: usize| {
        let mut style = runs[i].style;
        style.bold |= font.force_bold;
        style
    };
    let mut lines = Vec::new();
    let mut line: Vec<Part> = Vec::new();
    // Width of the current line including its trailing spaces.
    let mut advance = 0.0f32;
    let mut start = 0;
    let mut segment_pieces: Vec<Part> = Vec::new();
    // The first run not wholly before the segment: segments only move
    // forward, so each run is passed over once (linear in the paragraph).
    let mut first = 0;
    for (end, opportunity) in linebreaks(&full) {
        segment_pieces.clear();
        while first < bounds.len() && bounds[first].1 <= start {
            first += 1;
        }
        for &(run_start, run_end, i) in &bounds[first..] {
            if run_start >= end {
                break;
            }
            let (s, e) = (start.max(run_start), end.min(run_end));
            if s >= e {
                continue;
            }
            let text: String = full[s..e]
                .chars()
                .filter(|c| *c != '\n' && *c != '\r')
                .collect();
            if text.is_empty() {
                continue;
            }
            let style = style_of(i);
            let (width, trailing) = family.face(style).measure(&text, font.size);
            segment_pieces.push(Part {
                width,
                trailing,
                text,
                style,
                link: runs[i].link.clone(),
            });
        }
        let full_width: f32 = segment_pieces.iter().map(|p| p.width).sum();
        let trailing = segment_pieces.last().map_or(0.0, |p| p.trailing);
        let ink = full_width - trailing;
        if !line.is_empty() && advance + ink > width + EPSILON {
            lines.push(finish_line(family, std::mem::take(&mut line), font.size));
            advance = 0.0;
        }
        if line.is_empty() && ink > width + EPSILON {
            // A word wider than the line (a long address): break it anywhere.
            for piece in segment_pieces.drain(..) {
                for c in piece.text.chars() {
                    let mut buf = [0u8; 4];
                    let text = c.encode_utf8(&mut buf);
                    let (w, trailing) = family.face(piece.style).measure(text, font.size);
                    if !line.is_empty() && advance + w > width + EPSILON && c != ' ' {
                        lines.push(finish_line(family, std::mem::take(&mut line), font.size));
                        advance = 0.0;
                    }
                    line.push(Part {
                        text: text.to_string(),
                        style: piece.style,
                        link: piece.link.clone(),
                        width: w,
                        trailing,
                    });
                    advance += w;
                }
            }
        } else {
            advance += full_width;
            line.append(&mut segment_pieces);
        }
        if opportunity == BreakOpportunity::Mandatory && end < full.len() {
            lines.push(finish_line(family, std::mem::take(&mut line), font.size));
            advance = 0.0;
        }
        start = end;
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(finish_line(family, line, font.size));
    }
    lines
}

/// Merges neighbouring parts of the same style and link, measures the
/// line and sets each piece's glyphs.
fn finish_line(family: &Family, line: Vec<Part>, size: f32) -> Line {
    let mut parts: Vec<Part> = Vec::with_capacity(line.len());
    let mut merged = false;
    for part in line {
        if let Some(last) = parts.last_mut()
            && last.style == part.style
            && last.link == part.link
        {
            last.text.push_str(&part.text);
            last.width += part.width;
            last.trailing = part.trailing;
            merged = true;
            continue;
        }
        parts.push(part);
    }
    // Kerning across a merge can move what follows by a fraction of a
    // point: measure again where another piece is placed after it.
    if merged && parts.len() > 1 {
        let last = parts.len() - 1;
        for part in &mut parts[..last] {
            (part.width, part.trailing) = family.face(part.style).measure(&part.text, size);
        }
    }
    let width =
        parts.iter().map(|p| p.width).sum::<f32>() - parts.last().map_or(0.0, |p| p.trailing);
    let pieces: Arc<[Piece]> = parts
        .into_iter()
        .map(|part| {
            let face = family.face(part.style);
            Piece {
                glyphs: face.glyphs(&part.text).into(),
                complete: part.text.chars().all(|c| face.covers(c) || c.is_control()),
                text: Arc::from(part.text),
                style: part.style,
                link: part.link,
                width: part.width,
                trailing: part.trailing,
            }
        })
        .collect();
    Line { pieces, width }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdf::fonts::{Style, lookups};
    use crate::render::pdf::layout::{body_font, family};

    fn text(line: &Line) -> String {
        line.pieces.iter().map(|p| &*p.text).collect()
    }

    #[test]
    fn lines_break_between_words_and_fit_the_width() {
        let family = family();
        let runs = [Run::plain(
            "Every resident has a named key worker who gets to know them well and speaks up for them.",
        )];
        let lines = break_lines(&family, &runs, body_font((0, 0, 0)), 150.0);
        assert!(lines.len() > 2, "{lines:?}");
        for line in &lines {
            assert!(
                line.width <= 150.0 + EPSILON,
                "{} is {}",
                text(line),
                line.width
            );
        }
        let joined: String = lines.iter().map(text).collect();
        assert_eq!(joined, runs[0].text);
        assert!(text(&lines[0]).ends_with(' '), "breaks fall after spaces");
    }

    #[test]
    fn lines_once_set_are_remembered_as_they_were_set() {
        let family = family();
        let runs = [
            Run::plain("Key workers meet the "),
            Run::styled("people they support", Style::BOLD),
            Run::plain(" each week and write down what was said."),
        ];
        let font = body_font((0, 0, 0));
        let fresh = set_lines(&family, &runs, font, 150.0);
        let first = break_lines(&family, &runs, font, 150.0);
        let before = lookups();
        let again = break_lines(&family, &runs, font, 150.0);
        assert_eq!(lookups(), before, "remembered lines are not set again");
        assert_eq!(again, fresh);
        assert_eq!(first, fresh);
        // Another width, size or family is set afresh.
        let wider = break_lines(&family, &runs, font, 300.0);
        assert!(lookups() > before);
        assert!(wider.len() < fresh.len(), "{wider:?}");
        let other = super::super::family();
        let before = lookups();
        assert_eq!(break_lines(&other, &runs, font, 150.0), fresh);
        assert!(lookups() > before, "a new family sets its own lines");
    }

    #[test]
    fn hard_breaks_and_overlong_words_break_lines() {
        let family = family();
        let lines = break_lines(
            &family,
            &[Run::plain("one\ntwo")],
            body_font((0, 0, 0)),
            400.0,
        );
        assert_eq!(lines.iter().map(text).collect::<Vec<_>>(), ["one", "two"]);
        let long = "x".repeat(200);
        let lines = break_lines(&family, &[Run::plain(&long)], body_font((0, 0, 0)), 100.0);
        assert!(lines.len() > 5);
        assert!(lines.iter().all(|l| l.width <= 100.0 + EPSILON));
    }

    #[test]
    fn styles_survive_line_breaking() {
        let family = family();
        let runs = [
            Run::plain("Plain then "),
            Run::styled("bold words", Style::BOLD),
            Run::plain(" then plain."),
        ];
        let lines = break_lines(&family, &runs, body_font((0, 0, 0)), 1000.0);
        assert_eq!(lines.len(), 1);
        let styles: Vec<_> = lines[0].pieces.iter().map(|p| p.style.bold).collect();
        assert_eq!(styles, [false, true, false]);
    }

    #[test]
    fn a_paragraph_of_20000_characters_breaks_in_one_pass() {
        // Every other word bold: thousands of runs, each passed over once.
        // Work is counted in glyph look-ups, not timed: each character is
        // measured as part of its word, again when the words of a line merge
        // into one piece, and looked up twice more for its glyph and its
        // coverage; a pass that went back over the runs or lines already set
        // would look up millions.
        let family = family();
        let runs: Vec<Run> = (0..3_400)
            .map(|i| {
                if i % 2 == 0 {
                    Run::plain("care and ")
                } else {
                    Run::styled("support ", Style::BOLD)
                }
            })
            .collect();
        let whole: String = runs.iter().map(|r| r.text.as_str()).collect();
        assert!(whole.len() > 20_000);
        let before = lookups();
        let lines = break_lines(&family, &runs, body_font((0, 0, 0)), 450.0);
        let looked_up = lookups() - before;
        assert!(looked_up <= 5 * whole.len(), "{looked_up} look-ups");
        assert!(lines.len() > 200, "{}", lines.len());
        assert_eq!(lines.iter().map(text).collect::<String>(), whole);
        assert!(lines.iter().all(|l| l.width <= 450.0 + EPSILON));
        // One run of ordinary words: the same bound.
        let plain = "the key worker meets the person each week ".repeat(500);
        let before = lookups();
        let lines = break_lines(&family, &[Run::plain(&plain)], body_font((0, 0, 0)), 450.0);
        let looked_up = lookups() - before;
        assert!(looked_up <= 5 * plain.len(), "{looked_up} look-ups");
        assert_eq!(lines.iter().map(text).collect::<String>(), plain);
    }
}
