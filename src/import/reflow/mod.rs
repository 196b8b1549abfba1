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

mod blocks;
mod plain;

use blocks::Blocks;
use plain::{text_blocks, typed_bullet, wrap_width};

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_in_markdown_becomes_text() {
        let mut body = "A <b>bold</b> claim\n\n<div>\nblock\n</div>\n".to_string();
        assert!(literal_html(&mut body));
        let mut again = body.clone();
        assert!(!literal_html(&mut again));
    }
}
