//! The Word reader: a `.docx` is a zip of XML parts (zip + quick-xml). One
//! [`Line`] per paragraph of `word/document.xml`, styled from Word's own
//! markup — heading styles and outline levels, the Title style, list
//! numbering from `word/numbering.xml` (bullet or numbered, and its level) —
//! and one per table row. Bold and italic runs become `**` and `*`; text
//! boxes, drawings, deleted text and field codes are left out, and a
//! paragraph holding only a picture is marked as an image (the logo).

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::diagnostic::Diagnostic;
use crate::document::placeholder;
use crate::import::{Line, Style, escape};

/// A part larger than this once unzipped is refused (a zip bomb, or not a policy).
const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;

pub fn read(path: &str, bytes: &[u8]) -> Result<Vec<Line>, Diagnostic> {
    let refuse = |message: String, hint: &str| {
        Diagnostic::error(message)
            .in_file(path)
            .with_hint(hint.to_string())
    };
    let resave = "open it in Word or LibreOffice and save it again as a Word document (.docx)";
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| refuse(format!("the Word document cannot be opened: {e}"), resave))?;
    let mut part = |name: &str| -> Result<Option<String>, Diagnostic> {
        let Ok(file) = archive.by_name(name) else {
            return Ok(None);
        };
        let mut text = String::new();
        let mut limited = file.take(MAX_PART_BYTES + 1);
        limited.read_to_string(&mut text).map_err(|e| {
            refuse(
                format!("`{name}` in the Word document cannot be read: {e}"),
                resave,
            )
        })?;
        if text.len() as u64 > MAX_PART_BYTES {
            return Err(refuse(
                format!("`{name}` in the Word document is larger than 64 MB unzipped"),
                "import one policy document at a time",
            ));
        }
        Ok(Some(text))
    };
    let Some(document) = part("word/document.xml")? else {
        return Err(refuse(
            "the file is a zip archive but not a Word document (it has no `word/document.xml`)"
                .into(),
            "import a Word document (.docx); a spreadsheet or an OpenDocument file must be saved as .docx first",
        ));
    };
    let styles = part("word/styles.xml")?
        .map(|x| read_styles(&x))
        .unwrap_or_default();
    let numbering = part("word/numbering.xml")?
        .map(|x| read_numbering(&x))
        .unwrap_or_default();
    read_document(&document, &styles, &numbering).map_err(|e| {
        refuse(
            format!("the Word document's text cannot be read: {e}"),
            resave,
        )
    })
}

/// What a paragraph style says, following `basedOn`.
#[derive(Debug, Clone, Default)]
struct StyleDef {
    name: String,
    based_on: Option<String>,
    outline: Option<u8>,
    num_id: Option<String>,
}

type Styles = BTreeMap<String, StyleDef>;
/// `numId` → level → whether the list is numbered (not bulleted).
type Numbering = BTreeMap<String, BTreeMap<u8, bool>>;

fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// The value of attribute `w:<name>` (any prefix).
fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (local(a.key.as_ref()) == name).then(|| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_default()
        })
    })
}

fn read_styles(xml: &str) -> Styles {
    let mut styles = Styles::new();
    let mut reader = Reader::from_str(xml);
    let mut current: Option<(String, StyleDef)> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match local(e.name().as_ref()) {
                "style" => {
                    let id = attr(&e, "styleId").unwrap_or_default();
                    current = Some((id, StyleDef::default()));
                }
                "name" => {
                    if let Some((_, s)) = current.as_mut() {
                        s.name = attr(&e, "val").unwrap_or_default();
                    }
                }
                "basedOn" => {
                    if let Some((_, s)) = current.as_mut() {
                        s.based_on = attr(&e, "val");
                    }
                }
                "outlineLvl" => {
                    if let Some((_, s)) = current.as_mut() {
                        s.outline = attr(&e, "val").and_then(|v| v.parse().ok());
                    }
                }
                "numId" => {
                    if let Some((_, s)) = current.as_mut() {
                        s.num_id = attr(&e, "val");
                    }
                }
                _ => {}
            },
            Ok(Event::End(e)) if local(e.name().as_ref()) == "style" => {
                if let Some((id, s)) = current.take() {
                    styles.insert(id, s);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    styles
}

fn read_numbering(xml: &str) -> Numbering {
    // abstractNumId → level → numbered; numId → abstractNumId.
    let mut abstracts: BTreeMap<String, BTreeMap<u8, bool>> = BTreeMap::new();
    let mut nums: BTreeMap<String, String> = BTreeMap::new();
    let mut reader = Reader::from_str(xml);
    let (mut abstract_id, mut level, mut num_id) = (None::<String>, 0u8, None::<String>);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match local(e.name().as_ref()) {
                "abstractNum" => abstract_id = attr(&e, "abstractNumId"),
                "lvl" => level = attr(&e, "ilvl").and_then(|v| v.parse().ok()).unwrap_or(0),
                "numFmt" => {
                    if let Some(id) = &abstract_id {
                        let format = attr(&e, "val").unwrap_or_default();
                        abstracts
                            .entry(id.clone())
                            .or_default()
                            .insert(level, format != "bullet" && format != "none");
                    }
                }
                "num" => num_id = attr(&e, "numId"),
                "abstractNumId" => {
                    if let (Some(num), Some(target)) = (&num_id, attr(&e, "val")) {
                        nums.insert(num.clone(), target);
                    }
                }
                _ => {}
            },
            Ok(Event::End(e)) => match local(e.name().as_ref()) {
                "abstractNum" => abstract_id = None,
                "num" => num_id = None,
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    nums.into_iter()
        .filter_map(|(num, target)| Some((num, abstracts.get(&target)?.clone())))
        .collect()
}

/// Run formatting that reaches the Markdown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Format {
    bold: bool,
    italic: bool,
}

/// One paragraph as read.
#[derive(Debug, Default)]
struct Paragraph {
    no: usize,
    style: Option<String>,
    outline: Option<u8>,
    num: Option<(String, u8)>,
    runs: Vec<(String, Format)>,
    image: bool,
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

fn read_document(xml: &str, styles: &Styles, numbering: &Numbering) -> Result<Vec<Line>, String> {
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
            self.lines.push(Line {
                no: p.no,
                markdown: Some(runs_markdown(&runs)),
                raw,
                style: line_style,
            });
            first = false;
        }
        if first {
            self.lines.push(plain_line(p.no, String::new()));
        }
    }
}

fn plain_line(no: usize, raw: String) -> Line {
    Line {
        no,
        markdown: Some(raw.clone()),
        raw,
        style: Style::Plain,
    }
}

fn style_name(styles: &Styles, id: Option<&str>) -> String {
    id.and_then(|id| styles.get(id))
        .map(|s| s.name.to_ascii_lowercase())
        .or_else(|| id.map(str::to_ascii_lowercase))
        .unwrap_or_default()
        .replace(' ', "")
}

/// What Word's markup makes of a paragraph: its own outline level and list
/// numbering first, then its style's, following `basedOn` a few steps.
fn paragraph_style(p: &Paragraph, styles: &Styles, numbering: &Numbering) -> Style {
    let mut outline = p.outline;
    let mut num = p.num.clone().filter(|(id, _)| !id.is_empty() && id != "0");
    let mut id = p.style.clone();
    let mut names = Vec::new();
    for _ in 0..8 {
        let Some(style) = id.as_deref().and_then(|i| styles.get(i)) else {
            if let Some(i) = &id {
                names.push(i.to_ascii_lowercase().replace(' ', ""));
            }
            break;
        };
        names.push(style.name.to_ascii_lowercase().replace(' ', ""));
        outline = outline.or(style.outline);
        if num.is_none() {
            num = style.num_id.clone().filter(|n| n != "0").map(|n| (n, 0));
        }
        id = style.based_on.clone();
    }
    let first = names.first().map(String::as_str).unwrap_or_default();
    if first == "title" {
        return Style::Title;
    }
    if let Some(level) = outline.filter(|&l| l < 9) {
        return Style::Heading(level + 1);
    }
    for name in &names {
        if let Some(n) = name
            .strip_prefix("heading")
            .and_then(|n| n.parse::<u8>().ok())
        {
            return Style::Heading(n);
        }
    }
    if let Some((num_id, level)) = num {
        let ordered = numbering
            .get(&num_id)
            .and_then(|levels| levels.get(&level))
            .copied()
            .unwrap_or(first.contains("number"));
        return Style::Item { level, ordered };
    }
    if first.starts_with("listbullet") || first.starts_with("listnumber") {
        return Style::Item {
            level: 0,
            ordered: first.starts_with("listnumber"),
        };
    }
    Style::Plain
}

/// Text from Word made safe to keep (see `text::clean`), with runs of
/// spaces made one.
fn clean(text: &str) -> String {
    crate::import::text::clean(text)
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn cell_markdown(text: &str) -> String {
    escape::inline(text).replace('|', "\\|")
}

/// A paragraph's runs as Markdown: text escaped, bold and italic marked.
/// A placeholder Word split over runs of different formatting takes the
/// formatting of its first character, so it stays whole.
fn runs_markdown(runs: &[(String, Format)]) -> String {
    let mut chars: Vec<(char, Format)> = Vec::new();
    for (text, format) in runs {
        chars.extend(
            text.chars()
                .filter_map(crate::import::text::plain_char)
                .map(|c| (c, *format)),
        );
    }
    // Collapse runs of spaces, keeping the first one's format.
    chars.dedup_by(|b, a| a.0 == ' ' && b.0 == ' ');
    let plain: String = chars.iter().map(|(c, _)| *c).collect();
    let mut byte_to_char = Vec::with_capacity(plain.len());
    for (i, c) in plain.chars().enumerate() {
        byte_to_char.extend(std::iter::repeat_n(i, c.len_utf8()));
    }
    for p in placeholder::scan(&plain) {
        let (start, end) = (byte_to_char[p.start], byte_to_char[p.end - 1]);
        let format = chars[start].1;
        for c in &mut chars[start..=end] {
            c.1 = format;
        }
    }
    let mut segments: Vec<(String, Format)> = Vec::new();
    for (c, format) in chars {
        match segments.last_mut() {
            Some((text, f)) if *f == format => text.push(c),
            _ => segments.push((c.to_string(), format)),
        }
    }
    let mut out = String::new();
    let count = segments.len();
    for i in 0..count {
        let (text, format) = &segments[i];
        let escaped = if out.trim().is_empty() {
            escape::inline(text.trim_start())
        } else {
            escape::inline_part(text)
        };
        let marker = match (format.bold, format.italic) {
            (true, true) => "***",
            (true, false) => "**",
            (false, true) => "*",
            (false, false) => "",
        };
        let before = out.chars().last();
        let after = segments.get(i + 1).and_then(|(t, _)| t.chars().next());
        if marker.is_empty() || !can_mark(&escaped, before, after) {
            out.push_str(&escaped);
            continue;
        }
        let inner = escaped.trim();
        let lead = &escaped[..escaped.len() - escaped.trim_start().len()];
        let trail = &escaped[escaped.trim_end().len()..];
        out.push_str(lead);
        out.push_str(marker);
        out.push_str(inner);
        out.push_str(marker);
        out.push_str(trail);
    }
    out.trim().to_string()
}

/// Whether emphasis markers around `text` would be read as emphasis
/// (CommonMark's flanking rules) rather than shown as asterisks.
fn can_mark(text: &str, before: Option<char>, after: Option<char>) -> bool {
    let inner = text.trim();
    let (Some(first), Some(last)) = (inner.chars().next(), inner.chars().last()) else {
        return false;
    };
    let punct = |c: char| c.is_ascii_punctuation() || (!c.is_alphanumeric() && !c.is_whitespace());
    let lead_space = text.starts_with(char::is_whitespace);
    let trail_space = text.ends_with(char::is_whitespace);
    let opens = lead_space || !punct(first) || before.is_none_or(|b| b.is_whitespace() || punct(b));
    let closes = trail_space || !punct(last) || after.is_none_or(|a| a.is_whitespace() || punct(a));
    opens && closes && !inner.ends_with('\\')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, bold: bool) -> (String, Format) {
        (
            text.to_string(),
            Format {
                bold,
                italic: false,
            },
        )
    }

    #[test]
    fn runs_become_markdown() {
        assert_eq!(
            runs_markdown(&[run("Key workers ", true), run("are named.", false)]),
            "**Key workers** are named."
        );
        // A placeholder split over runs stays whole and unescaped.
        assert_eq!(
            runs_markdown(&[
                run("At <<org_", false),
                run("field_name>>", true),
                run(", *care*", false)
            ]),
            "At <<org_field_name>>, \\*care\\*"
        );
        assert_eq!(
            runs_markdown(&[run("Scope:", true), run("text", false)]),
            "Scope:text"
        );
        assert_eq!(
            runs_markdown(&[run("  ", true), run("- a", false)]),
            "\\- a"
        );
    }
}
