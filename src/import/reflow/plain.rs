//! Plain text re-flowed: wrapped lines joined into paragraphs again, and
//! lines opening with a list marker made list items, nested by indentation
//! or by a change of marker.

use super::blocks::Blocks;
use super::{block_placeholder, folded};
use crate::import::outline::Section;
use crate::import::{Line, Style, escape};

/// A bullet character typed at the start of a Word paragraph: the text after it.
pub(super) fn typed_bullet(text: &str) -> Option<&str> {
    let mut chars = text.char_indices();
    let (_, c) = chars.next()?;
    if !matches!(c, '•' | '◦' | '▪' | '·' | '●' | '○' | '■' | '➢' | '►' | '✓') {
        return None;
    }
    let rest = text[c.len_utf8()..].trim_start();
    (!rest.is_empty()).then_some(rest)
}

// ---- Plain text -------------------------------------------------------------

/// The kinds of list marker, for telling a sub-list from its parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    Bullet(char),
    Number,
    Letter,
    Paren,
}

impl Marker {
    fn ordered(self) -> bool {
        !matches!(self, Marker::Bullet(_))
    }
}

/// A list item's marker at the start of a line: its indent, kind and the text after it.
fn list_marker(line: &str) -> Option<(usize, Marker, &str)> {
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    let mut chars = trimmed.chars();
    let first = chars.next()?;
    let after = |n: usize| trimmed.get(n..).unwrap_or_default();
    let spaced = |rest: &str| rest.starts_with(' ') && !rest.trim().is_empty();
    let bullet = matches!(
        first,
        '-' | '*'
            | '+'
            | '•'
            | '◦'
            | '▪'
            | '·'
            | '‣'
            | '●'
            | '○'
            | '■'
            | '□'
            | '➢'
            | '►'
            | '✓'
            | '–'
            | '—'
    );
    if bullet {
        let rest = after(first.len_utf8());
        let tight = first == '•' && !rest.trim().is_empty();
        if spaced(rest) || tight {
            return Some((indent, Marker::Bullet(first), rest.trim_start()));
        }
        return None;
    }
    if first == 'o' && spaced(after(1)) && after(1).trim_start().starts_with(char::is_alphabetic) {
        return Some((indent, Marker::Bullet('o'), after(1).trim_start()));
    }
    let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
    if (1..=3).contains(&digits) {
        let rest = after(digits);
        if (rest.starts_with('.') || rest.starts_with(')')) && spaced(&rest[1..]) {
            return Some((indent, Marker::Number, rest[1..].trim_start()));
        }
        return None;
    }
    if first.is_ascii_lowercase() {
        let rest = after(1);
        if (rest.starts_with('.') || rest.starts_with(')')) && spaced(&rest[1..]) {
            return Some((indent, Marker::Letter, rest[1..].trim_start()));
        }
    }
    if first == '(' {
        let close = trimmed.find(')')?;
        let inside = &trimmed[1..close];
        let fits = (1..=4).contains(&inside.len())
            && (inside.chars().all(|c| c.is_ascii_digit())
                || (inside.len() == 1 && inside.chars().all(|c| c.is_ascii_lowercase()))
                || inside.chars().all(|c| matches!(c, 'i' | 'v' | 'x')));
        if fits && spaced(&trimmed[close + 1..]) {
            return Some((indent, Marker::Paren, trimmed[close + 1..].trim_start()));
        }
    }
    None
}

/// The width a hard-wrapped document's lines were wrapped to, or 0 when its
/// lines do not look wrapped (a paragraph per line).
pub(super) fn wrap_width(lines: &[Line]) -> usize {
    let mut widths: Vec<usize> = lines
        .iter()
        .filter(|l| l.style == Style::Plain && !l.blank())
        .map(|l| l.raw.trim().chars().count())
        .collect();
    if widths.len() < 10 {
        return 0;
    }
    widths.sort_unstable();
    let p90 = widths[widths.len() * 9 / 10];
    if (40..=110).contains(&p90) { p90 } else { 0 }
}

fn ends_sentence(text: &str) -> bool {
    let text = text.trim_end_matches(['"', '”', '’', '\'', ')', ']', ' ']);
    text.ends_with(['.', '!', '?', ':', ';'])
}

fn starts_lower(text: &str) -> bool {
    text.trim_start().starts_with(|c: char| c.is_lowercase())
}

/// Joins a wrapped line to the text before it: a word broken at a hyphen
/// stays joined (`well-` `being` → `well-being`).
fn join(text: &mut String, line: &str) {
    let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
    let hyphenated = text.ends_with('-')
        && text[..text.len() - 1].ends_with(char::is_alphabetic)
        && starts_lower(&line);
    if !hyphenated && !text.is_empty() {
        text.push(' ');
    }
    text.push_str(&line);
}

#[derive(Debug)]
enum Open {
    None,
    Paragraph(String),
    /// An item being read: its text, and the indent of its marker.
    Item(String, usize),
}

pub(super) fn text_blocks(lines: &[Line], section: &Section, width: usize) -> Vec<String> {
    let full = |text: &str| width > 0 && text.trim().chars().count() * 10 >= width * 8;
    let mut out = Blocks::default();
    let mut open = Open::None;
    let mut blank = false;
    let mut last = String::new();
    // (indent, marker) of each open list level.
    let mut stack: Vec<(usize, Marker)> = Vec::new();
    for &i in &section.body_lines {
        let line = &lines[i];
        if line.blank() {
            blank = true;
            continue;
        }
        if let Some(bold) = folded(section, i) {
            close(&mut open, &mut out, &stack);
            stack.clear();
            out.push(bold);
            blank = false;
            continue;
        }
        let raw = line.raw.as_str();
        if block_placeholder(raw) {
            close(&mut open, &mut out, &stack);
            stack.clear();
            out.push(raw.trim().to_string());
            blank = false;
            continue;
        }
        if let Some((indent, marker, text)) = list_marker(raw) {
            let in_list =
                matches!(open, Open::Item(..)) || (!stack.is_empty() && matches!(open, Open::None));
            close(&mut open, &mut out, &stack);
            if !in_list {
                stack.clear();
            }
            nest(&mut stack, indent, marker);
            open = Open::Item(
                text.split_whitespace().collect::<Vec<_>>().join(" "),
                indent,
            );
            last = raw.to_string();
            blank = false;
            continue;
        }
        let indent = raw.len() - raw.trim_start().len();
        let continues = match &open {
            Open::None => false,
            Open::Paragraph(_) if !blank => true,
            Open::Item(_, marker_indent) if !blank => {
                indent > *marker_indent
                    || starts_lower(raw)
                    || (full(&last) && !ends_sentence(&last))
            }
            _ => !ends_sentence(&last) && (starts_lower(raw) || full(&last)),
        };
        if continues {
            match &mut open {
                Open::Paragraph(text) | Open::Item(text, _) => join(text, raw),
                Open::None => {}
            }
        } else {
            close(&mut open, &mut out, &stack);
            stack.clear();
            open = Open::Paragraph(raw.split_whitespace().collect::<Vec<_>>().join(" "));
        }
        last = raw.to_string();
        blank = false;
    }
    close(&mut open, &mut out, &stack);
    out.finish()
}

/// Ends the paragraph or item being read.
fn close(open: &mut Open, out: &mut Blocks, stack: &[(usize, Marker)]) {
    match std::mem::replace(open, Open::None) {
        Open::None => {}
        Open::Paragraph(text) => out.paragraph(escape::inline(&text)),
        Open::Item(text, _) => {
            let level = stack.len().saturating_sub(1).min(2) as u8;
            let ordered = stack.last().is_some_and(|s| s.1.ordered());
            out.item(level, ordered, escape::inline(&text));
        }
    }
}

/// Places an item in the open lists: deeper indent or a new kind of marker
/// opens a sub-list; a shallower indent or a marker of a list above goes back.
fn nest(stack: &mut Vec<(usize, Marker)>, indent: usize, marker: Marker) {
    while stack.last().is_some_and(|&(i, _)| indent + 1 < i) {
        stack.pop();
    }
    match stack.last() {
        None => stack.push((indent, marker)),
        Some(&(top_indent, top_marker)) => {
            if indent > top_indent + 1 {
                stack.push((indent, marker));
            } else if marker == top_marker {
            } else if let Some(at) = stack.iter().position(|&(_, m)| m == marker) {
                stack.truncate(at + 1);
            } else {
                stack.push((indent, marker));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::text;

    fn reflow(source: &str) -> String {
        let lines = text::read(source);
        let section = Section {
            index: 0,
            number: None,
            title: "T".into(),
            id: "t".into(),
            depth: 1,
            body_lines: (0..lines.len()).collect(),
            folded: Vec::new(),
            body: String::new(),
        };
        text_blocks(&lines, &section, wrap_width(&lines)).join("\n\n")
    }

    #[test]
    fn hard_wrapped_paragraphs_and_scattered_blank_lines() {
        assert_eq!(
            reflow(
                "Every person has a named key worker who gets to know\nthem well and\n\ncoordinates their care.\n\nA second   paragraph\nstarts here.\n"
            ),
            "Every person has a named key worker who gets to know them well and\ncoordinates their care.\n\nA second paragraph starts here."
        );
    }

    #[test]
    fn lists_and_sub_items() {
        assert_eq!(
            reflow(
                "The key worker:\n• gets to know the person\n• leads on the care\nplan with them\n   o reviewing it monthly\n   o and when needs change\n• speaks up for them\nAfter the list.\n"
            ),
            "The key worker:\n\n- gets to know the person\n- leads on the care plan with them\n  - reviewing it monthly\n  - and when needs change\n- speaks up for them\n\nAfter the list."
        );
        assert_eq!(
            reflow(
                "Steps:\n1. Tell the manager\n2. Write it down\na) the date\nb) what was seen\n3. Call the family\n"
            ),
            "Steps:\n\n1. Tell the manager\n2. Write it down\n   1. the date\n   2. what was seen\n3. Call the family"
        );
    }

    #[test]
    fn markers_need_text_after_them() {
        assert_eq!(list_marker("- item").map(|m| m.2), Some("item"));
        assert_eq!(list_marker("-"), None);
        assert_eq!(list_marker("--- rule"), None);
        assert_eq!(list_marker("(ii) second").map(|m| m.1), Some(Marker::Paren));
        assert_eq!(list_marker("2016. A year"), None);
        assert_eq!(list_marker("often said"), None);
        assert_eq!(list_marker("o the person").map(|m| m.2), Some("the person"));
    }
}
