//! Section bodies as Markdown. Plain text exported from a PDF or Word breaks
//! lines mid-sentence and scatters blank lines and spaces: its lines are
//! joined into paragraphs again, and lines opening with `-`, `•`, `*`, `1.`,
//! `a)` or `(ii)` become list items, nested by indentation or by a change of
//! marker. A Word document's paragraphs and lists are taken as they are.
//! Markdown input is kept as written, with raw HTML made literal text (a
//! body cannot hold HTML).

use pulldown_cmark::{Event, Parser, Tag};

use crate::diagnostic::Diagnostic;
use crate::document::placeholder::{self, BLOCK_NAMES};
use crate::import::outline::Section;
use crate::import::{Kind, Line, Style, escape, location};

/// Fills every section's `body`.
pub fn bodies(
    path: &str,
    kind: Kind,
    lines: &[Line],
    sections: &mut [Section],
    findings: &mut Vec<Diagnostic>,
) {
    let width = wrap_width(lines);
    for section in sections.iter_mut() {
        let blocks = match kind {
            Kind::Markdown => markdown_blocks(lines, section),
            Kind::Text => text_blocks(lines, section, width),
            Kind::Docx => docx_blocks(lines, section),
        };
        let mut body = blocks.join("\n\n");
        if kind == Kind::Markdown && literal_html(&mut body) {
            let first = section
                .body_lines
                .iter()
                .find(|&&i| lines[i].raw.contains('<'));
            let line = &lines[first.copied().unwrap_or(section.index)];
            let column = line
                .raw
                .find('<')
                .map_or(1, |b| line.raw[..b].chars().count() + 1);
            findings.push(
                Diagnostic::warning(format!(
                    "section “{}” holds raw HTML, kept as literal text",
                    section.title
                ))
                .in_file(path)
                .at(location(kind, line, column, 1))
                .with_hint(
                    "a policy body is Markdown only; rewrite the HTML as Markdown in the source",
                ),
            );
        }
        if !body.is_empty() {
            body.push('\n');
        }
        section.body = body;
    }
}

/// Whether `text` (trimmed) is a placeholder that expands to a block.
fn block_placeholder(text: &str) -> bool {
    let found = placeholder::scan(text);
    found.len() == 1
        && BLOCK_NAMES.contains(&found[0].name.as_str())
        && found[0].literal(text) == text.trim()
}

fn folded(section: &Section, index: usize) -> Option<String> {
    section
        .folded
        .iter()
        .find(|(i, _)| *i == index)
        .map(|(_, title)| format!("**{}**", escape::inline_part(title)))
}

// ---- Markdown ---------------------------------------------------------------

fn markdown_blocks(lines: &[Line], section: &Section) -> Vec<String> {
    let mut text: Vec<String> = Vec::new();
    for &i in &section.body_lines {
        match folded(section, i) {
            Some(bold) => {
                text.push(String::new());
                text.push(bold);
                text.push(String::new());
            }
            None => text.push(lines[i].markdown.clone().unwrap_or_default()),
        }
    }
    let indent = text
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut blocks = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for line in text {
        if line.trim().is_empty() {
            if !current.is_empty() {
                blocks.push(current.join("\n"));
                current.clear();
            }
        } else {
            current.push(line.get(indent..).unwrap_or(line.trim_start()).to_string());
        }
    }
    if !current.is_empty() {
        blocks.push(current.join("\n"));
    }
    blocks
}

/// Makes raw HTML (and any heading left inside a list or quote) literal by
/// escaping its first character; returns whether there was any.
fn literal_html(body: &mut String) -> bool {
    let mut changed = false;
    for _ in 0..8 {
        let mut at: Vec<usize> = Vec::new();
        for (event, range) in
            Parser::new_ext(body, crate::render::markdown_options()).into_offset_iter()
        {
            match event {
                Event::Html(_) | Event::InlineHtml(_) => {
                    if let Some(lt) = body[range.clone()].find('<') {
                        at.push(range.start + lt);
                    }
                }
                Event::Start(Tag::Heading { .. }) => {
                    if let Some(hash) = body[range.clone()].find('#') {
                        at.push(range.start + hash);
                    }
                }
                _ => {}
            }
        }
        if at.is_empty() {
            break;
        }
        changed = true;
        at.sort_unstable();
        at.dedup();
        for offset in at.into_iter().rev() {
            body.insert(offset, '\\');
        }
    }
    changed
}

// ---- Word -------------------------------------------------------------------

fn docx_blocks(lines: &[Line], section: &Section) -> Vec<String> {
    let mut out = Blocks::default();
    let mut table: Vec<String> = Vec::new();
    let mut last_level = 0u8;
    for &i in &section.body_lines {
        let line = &lines[i];
        let text = line.markdown.clone().unwrap_or_default();
        if !matches!(line.style, Style::Row { .. }) && !table.is_empty() {
            out.push(std::mem::take(&mut table).join("\n"));
        }
        if let Some(bold) = folded(section, i) {
            out.push(bold);
            continue;
        }
        match line.style {
            Style::Row { first } => {
                if first && !table.is_empty() {
                    out.push(std::mem::take(&mut table).join("\n"));
                }
                let columns = text.matches(" | ").count() + 1;
                table.push(text);
                if table.len() == 1 {
                    table.push(format!("|{}", "---|".repeat(columns)));
                }
            }
            _ if line.blank() => {}
            Style::Item { level, ordered } => {
                let level = level.min(last_level + 1).min(2);
                last_level = level;
                out.item(level, ordered, text);
            }
            _ if block_placeholder(&line.raw) => out.push(line.raw.trim().to_string()),
            _ => match typed_bullet(&line.raw) {
                Some(rest) => {
                    last_level = 0;
                    let skip = text.chars().count().saturating_sub(rest.chars().count());
                    out.item(
                        0,
                        false,
                        text.chars()
                            .skip(skip)
                            .collect::<String>()
                            .trim()
                            .to_string(),
                    )
                }
                None => out.paragraph(text),
            },
        }
    }
    if !table.is_empty() {
        out.push(table.join("\n"));
    }
    out.finish()
}

/// A bullet character typed at the start of a Word paragraph: the text after it.
fn typed_bullet(text: &str) -> Option<&str> {
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
fn wrap_width(lines: &[Line]) -> usize {
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

fn text_blocks(lines: &[Line], section: &Section, width: usize) -> Vec<String> {
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

/// Lines of a body are wrapped to this many characters where they can be.
const WIDTH: usize = 72;

/// Wraps Markdown inline text to [`WIDTH`], the first line starting at
/// column `first` and the others indented by `rest`. A line is never
/// broken inside a placeholder, nor before a word that would open a block
/// at the start of a line (`-`, `#`, `>`, `1.`…): such a word stays on the
/// line before.
fn wrap(text: &str, first: usize, rest: usize) -> String {
    let protected: Vec<(usize, usize)> = placeholder::scan(text)
        .iter()
        .map(|p| (p.start, p.end))
        .collect();
    let mut words: Vec<&str> = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c == ' ' && !protected.iter().any(|&(s, e)| s < i && i < e) {
            if start < i {
                words.push(&text[start..i]);
            }
            start = i + 1;
        }
    }
    if start < text.len() {
        words.push(&text[start..]);
    }
    let opens_block = |word: &str| {
        word.starts_with(['-', '+', '*', '#', '>', '=', '|', '`', '~', '<'])
            || (word.starts_with(|c: char| c.is_ascii_digit())
                && word
                    .trim_start_matches(|c: char| c.is_ascii_digit())
                    .starts_with(['.', ')']))
    };
    let mut out = String::with_capacity(text.len() + 16);
    let mut column = first;
    for (k, word) in words.iter().enumerate() {
        let width = word.chars().count();
        if k > 0 {
            if column + 1 + width > WIDTH && !opens_block(word) {
                out.push('\n');
                out.push_str(&" ".repeat(rest));
                column = rest;
            } else {
                out.push(' ');
                column += 1;
            }
        }
        out.push_str(word);
        column += width;
    }
    out
}

/// Blocks of Markdown being assembled; list items gather into one list.
#[derive(Default)]
struct Blocks {
    blocks: Vec<String>,
    /// The list being written: its lines, and per level the marker width and
    /// the next number (0 for a bulleted level).
    list: Vec<String>,
    levels: Vec<(usize, u32, bool)>,
}

impl Blocks {
    fn push(&mut self, block: String) {
        self.end_list();
        if !block.trim().is_empty() {
            self.blocks.push(block);
        }
    }

    fn item(&mut self, level: u8, ordered: bool, text: String) {
        let level = usize::from(level).min(self.levels.len());
        self.levels.truncate(level + 1);
        if self.levels.len() == level + 1 && self.levels[level].2 != ordered {
            self.levels.truncate(level);
        }
        if self.levels.len() == level {
            self.levels.push((0, 1, ordered));
        }
        let indent: usize = self.levels[..level].iter().map(|l| l.0).sum();
        let marker = if ordered {
            let n = self.levels[level].1;
            self.levels[level].1 += 1;
            format!("{n}.")
        } else {
            "-".to_string()
        };
        self.levels[level].0 = marker.len() + 1;
        let lead = format!("{}{marker} ", " ".repeat(indent));
        let wrapped = wrap(&text, lead.len(), indent + marker.len() + 1);
        self.list.push(format!("{lead}{wrapped}"));
    }

    /// A paragraph, wrapped.
    fn paragraph(&mut self, text: String) {
        self.push(wrap(&text, 0, 0));
    }

    fn end_list(&mut self) {
        if !self.list.is_empty() {
            self.blocks.push(std::mem::take(&mut self.list).join("\n"));
        }
        self.levels.clear();
    }

    fn finish(mut self) -> Vec<String> {
        self.end_list();
        self.blocks
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
    fn wrapping_never_opens_a_block_or_splits_a_placeholder() {
        let text = format!(
            "{} - 2 {{{{ term_people }}}} {} 1. x # y",
            "word ".repeat(13).trim(),
            "z".repeat(40)
        );
        let wrapped = wrap(&text, 0, 2);
        for line in wrapped.lines().skip(1) {
            let rest = line.trim_start();
            assert!(
                !rest.starts_with(['-', '#']) && !rest.starts_with("1."),
                "{wrapped}"
            );
        }
        assert!(wrapped.contains("{{ term_people }}"), "{wrapped}");
        assert!(
            wrapped
                .lines()
                .all(|l| l.chars().count() <= WIDTH || !l.contains(' ')),
            "{wrapped}"
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

    #[test]
    fn html_in_markdown_becomes_text() {
        let mut body = "A <b>bold</b> claim\n\n<div>\nblock\n</div>\n".to_string();
        assert!(literal_html(&mut body));
        let mut again = body.clone();
        assert!(!literal_html(&mut again));
    }
}
