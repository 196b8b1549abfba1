//! The walk through `word/document.xml`: paragraphs, runs with their bold
//! and italic, tables as rows, and the content left out (drawings, text
//! boxes, deleted text, field codes).

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::runs::{Format, cell_markdown, clean, runs_markdown};
use super::styles::{Numbering, Styles, paragraph_style, style_name};
use super::{attr, local};
use crate::import::{Line, Style};

/// One paragraph as read.
#[derive(Debug, Default)]
pub(super) struct Paragraph {
    pub(super) no: usize,
    pub(super) style: Option<String>,
    pub(super) outline: Option<u8>,
    pub(super) num: Option<(String, u8)>,
    pub(super) runs: Vec<(String, Format)>,
    pub(super) image: bool,
    pub(super) bookmarks: Vec<String>,
}

/// The state of the walk through `document.xml`.
#[derive(Default)]
struct Walk {
    lines: Vec<Line>,
    count: usize,
    paragraph: Option<Paragraph>,
    format: Format,
    in_run: bool,
    in_run_props: bool,
    in_text: bool,
    /// Depth inside an element whose content is left out (drawing, text box…).
    skip: usize,
    table_depth: usize,
    rows: Vec<Vec<String>>,
    row_no: usize,
}

/// Elements whose content is not the document's text.
const SKIPPED: &[&str] = &[
    "drawing",
    "pict",
    "object",
    "txbxContent",
    "Fallback",
    "instrText",
    "delText",
    "footnoteReference",
];

pub(super) fn read_document(
    xml: &str,
    styles: &Styles,
    numbering: &Numbering,
) -> Result<Vec<Line>, String> {
    let mut reader = Reader::from_str(xml);
    let mut walk = Walk::default();
    loop {
        let event = reader.read_event().map_err(|e| e.to_string())?;
        if walk.skip > 0 {
            match event {
                Event::Start(_) => walk.skip += 1,
                Event::End(_) => walk.skip -= 1,
                Event::Eof => break,
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(e) => walk.start(&e, false),
            Event::Empty(e) => walk.start(&e, true),
            Event::End(e) => walk.end(local(e.name().as_ref()), styles, numbering),
            Event::Text(t) if walk.in_text => {
                let text = t.xml10_content();
                walk.push_text(&text);
            }
            Event::CData(t) if walk.in_text => {
                let text = t.xml10_content();
                walk.push_text(&text);
            }
            Event::GeneralRef(r) if walk.in_text => {
                let name = r.xml10_content();
                if let Some(c) = r.resolve_char_ref().ok().flatten() {
                    walk.push_text(&c.to_string());
                } else if let Some(text) = quick_xml::escape::resolve_predefined_entity(&name) {
                    walk.push_text(text);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(walk.lines)
}

impl Walk {
    fn start(&mut self, e: &BytesStart, empty: bool) {
        let name = e.name();
        let name = local(name.as_ref());
        if SKIPPED.contains(&name) {
            if matches!(name, "drawing" | "pict" | "object")
                && let Some(p) = self.paragraph.as_mut()
            {
                p.image = true;
            }
            if !empty {
                self.skip = 1;
            }
            return;
        }
        let flag = |e: &BytesStart| {
            !matches!(
                attr(e, "val").as_deref(),
                Some("0" | "false" | "off" | "none")
            )
        };
        match name {
            "p" => {
                self.count += 1;
                self.paragraph = Some(Paragraph {
                    no: self.count,
                    ..Paragraph::default()
                });
                if empty {
                    self.paragraph = None;
                    if self.table_depth == 0 {
                        self.lines.push(plain_line(self.count, String::new()));
                    }
                }
            }
            "pStyle" => self.with_paragraph(|p| p.style = attr(e, "val")),
            "bookmarkStart" => {
                if let Some(name) = attr(e, "name") {
                    self.with_paragraph(|p| p.bookmarks.push(name));
                }
            }
            "outlineLvl" => {
                self.with_paragraph(|p| p.outline = attr(e, "val").and_then(|v| v.parse().ok()))
            }
            "ilvl" => self.with_paragraph(|p| {
                let level = attr(e, "val").and_then(|v| v.parse().ok()).unwrap_or(0);
                let id = p.num.take().map(|n| n.0).unwrap_or_default();
                p.num = Some((id, level));
            }),
            "numId" => self.with_paragraph(|p| {
                let level = p.num.take().map_or(0, |n| n.1);
                p.num = Some((attr(e, "val").unwrap_or_default(), level));
            }),
            "r" if !empty => {
                self.in_run = true;
                self.format = Format::default();
            }
            "rPr" if self.in_run && !empty => self.in_run_props = true,
            "b" if self.in_run_props => self.format.bold = flag(e),
            "i" if self.in_run_props => self.format.italic = flag(e),
            "t" if self.in_run && !empty => self.in_text = true,
            "tab" if self.in_run && !self.in_run_props => self.push_text(" "),
            "br" | "cr" if self.in_run && attr(e, "type").as_deref() != Some("page") => {
                self.push_text("\n")
            }
            "noBreakHyphen" if self.in_run => self.push_text("-"),
            "tbl" if !empty => {
                self.table_depth += 1;
                if self.table_depth == 1 {
                    self.rows.clear();
                    self.row_no = self.count + 1;
                }
            }
            "tr" if self.table_depth == 1 && !empty => self.rows.push(Vec::new()),
            "tc" if self.table_depth == 1 && !empty => {
                if let Some(row) = self.rows.last_mut() {
                    row.push(String::new());
                }
            }
            _ => {}
        }
    }

    fn with_paragraph(&mut self, f: impl FnOnce(&mut Paragraph)) {
        if let Some(p) = self.paragraph.as_mut() {
            f(p);
        }
    }

    fn push_text(&mut self, text: &str) {
        let format = self.format;
        if let Some(p) = self.paragraph.as_mut() {
            match p.runs.last_mut() {
                Some((last, f)) if *f == format => last.push_str(text),
                _ => p.runs.push((text.to_string(), format)),
            }
        }
    }

    fn end(&mut self, name: &str, styles: &Styles, numbering: &Numbering) {
        match name {
            "t" => self.in_text = false,
            "rPr" => self.in_run_props = false,
            "r" => {
                self.in_run = false;
                self.in_run_props = false;
            }
            "p" => {
                let Some(p) = self.paragraph.take() else {
                    return;
                };
                if self.table_depth > 0 {
                    let text: String = p.runs.iter().map(|(t, _)| t.as_str()).collect();
                    let text = clean(&text.replace('\n', " "));
                    if let Some(cell) = self.rows.last_mut().and_then(|r| r.last_mut())
                        && !text.is_empty()
                    {
                        if !cell.is_empty() {
                            cell.push(' ');
                        }
                        cell.push_str(&text);
                    }
                } else {
                    self.finish(p, styles, numbering);
                }
            }
            "tbl" => {
                self.table_depth = self.table_depth.saturating_sub(1);
                if self.table_depth == 0 {
                    let rows = std::mem::take(&mut self.rows);
                    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
                    for (i, row) in rows.into_iter().enumerate() {
                        let mut cells: Vec<String> = row.iter().map(|c| cell_markdown(c)).collect();
                        cells.resize(width, String::new());
                        let raw = row.join(" | ");
                        self.lines.push(Line {
                            no: self.row_no + i,
                            raw,
                            markdown: Some(format!("| {} |", cells.join(" | "))),
                            style: Style::Row { first: i == 0 },
                            anchor: None,
                        });
                    }
                }
            }
            _ => {}
        }
    }

    /// Turns a finished paragraph into lines: one per line break in it.
    fn finish(&mut self, p: Paragraph, styles: &Styles, numbering: &Numbering) {
        let style = paragraph_style(&p, styles, numbering);
        if style_name(styles, p.style.as_deref()).starts_with("toc") {
            return;
        }
        let mut pieces: Vec<Vec<(String, Format)>> = vec![Vec::new()];
        for (text, format) in &p.runs {
            for (i, piece) in text.split('\n').enumerate() {
                if i > 0 {
                    pieces.push(Vec::new());
                }
                if let Some(last) = pieces.last_mut() {
                    last.push((piece.to_string(), *format));
                }
            }
        }
        let mut first = true;
        for runs in pieces {
            let raw = clean(&runs.iter().map(|(t, _)| t.as_str()).collect::<String>());
            if raw.is_empty() && !(first && p.image) {
                continue;
            }
            let line_style = match style {
                _ if raw.is_empty() => Style::Image,
                Style::Heading(_) | Style::Title | Style::Item { .. } if !first => Style::Plain,
                s => s,
            };
            let anchor = matches!(line_style, Style::Heading(_))
                .then(|| section_id(&p.bookmarks))
                .flatten();
            self.lines.push(Line {
                no: p.no,
                markdown: Some(runs_markdown(&runs)),
                raw,
                style: line_style,
                anchor,
            });
            first = false;
        }
        if first {
            self.lines.push(plain_line(p.no, String::new()));
        }
    }
}

pub(super) fn plain_line(no: usize, raw: String) -> Line {
    Line {
        no,
        markdown: Some(raw.clone()),
        raw,
        style: Style::Plain,
        anchor: None,
    }
}

/// The section id a heading's bookmarks give, when a policygen build wrote
/// them: its renderer names a heading's bookmarks `section_4_1` (the
/// number) and the id with `_` for `-` (`building_trust`), `s_` before a
/// digit, cut at 40 characters. Word's own (`_Toc…`, `_GoBack`) and names
/// that could be cut short are not ids.
fn section_id(bookmarks: &[String]) -> Option<String> {
    bookmarks.iter().rev().find_map(|name| {
        let numbered = name.strip_prefix("section").is_some_and(|rest| {
            !rest.is_empty()
                && rest.split('_').skip(1).all(|n| n.parse::<u32>().is_ok())
                && rest.starts_with('_')
        });
        let ours = name.len() < 40
            && name.starts_with(|c: char| c.is_ascii_lowercase())
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if numbered || !ours {
            return None;
        }
        let name = match name.strip_prefix("s_") {
            Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => rest,
            _ => name,
        };
        let id = name.replace('_', "-");
        crate::check::is_slug(&id).then_some(id)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_ids_from_our_bookmarks_only() {
        let ids =
            |names: &[&str]| section_id(&names.iter().map(|n| n.to_string()).collect::<Vec<_>>());
        assert_eq!(
            ids(&["section_4_1", "building_trust"]).as_deref(),
            Some("building-trust")
        );
        assert_eq!(
            ids(&["section_2", "s_4_things"]).as_deref(),
            Some("4-things")
        );
        assert_eq!(ids(&["section_3"]), None);
        assert_eq!(ids(&["_Toc123456"]), None);
        assert_eq!(ids(&["Purpose"]), None);
        assert_eq!(ids(&["a_name_exactly_forty_characters_long_xyz"]), None);
    }
}
