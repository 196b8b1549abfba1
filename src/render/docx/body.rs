//! `document.xml`: the front matter, then every block — headings in
//! `Heading 1..3` (numbered by Word, bookmarked for links), paragraphs in
//! `Normal` with bold, italic and hyperlink runs, lists as real numbered or
//! bulleted list paragraphs, tables, the logo — then the closing block, the
//! staff acknowledgement sheet on a page of its own, and the page setup.

use crate::document::sheet;
use crate::render::blocks::{Block, Heading, Link, List, Run, Style};
use crate::render::docx::numbering::{self, ListKind};
use crate::render::docx::styles::{HEADING, HYPERLINK, LIST};
use crate::render::docx::xml::{A, PIC, R, W, WP, Xml};
use crate::render::docx::{LOGO_REL, Refs, bookmark_name, drawing, front, page, table};

/// Paragraph properties, written in the order the schema requires.
#[derive(Default)]
pub struct Para<'a> {
    pub style: Option<&'a str>,
    pub keep_next: bool,
    /// Starts a new page.
    pub page_break: bool,
    /// `numId` and list level; `numId` 0 switches a style's numbering off.
    pub num: Option<(u32, usize)>,
    /// A rule above (`top`) or below (`bottom`): side, colour, width in
    /// eighths of a point, space in points.
    pub rule: Option<(&'a str, &'a str, u32, u32)>,
    /// Space before and after, in twips.
    pub spacing: Option<(u32, u32)>,
    /// Left indent in twips.
    pub indent: Option<u32>,
}

impl Para<'_> {
    pub fn styled(style: &str) -> Para<'_> {
        Para {
            style: Some(style),
            ..Para::default()
        }
    }

    /// Writes `<w:p>` and its properties; the caller writes the runs and
    /// closes the paragraph.
    pub fn open(&self, x: &mut Xml) {
        x.open("w:p", &[]);
        x.open("w:pPr", &[]);
        if let Some(style) = self.style {
            x.empty("w:pStyle", &[("w:val", style)]);
        }
        if self.keep_next {
            x.empty("w:keepNext", &[]);
        }
        if self.page_break {
            x.empty("w:pageBreakBefore", &[]);
        }
        if let Some((id, level)) = self.num {
            x.open("w:numPr", &[]);
            x.empty("w:ilvl", &[("w:val", &level.to_string())]);
            x.empty("w:numId", &[("w:val", &id.to_string())]);
            x.close("w:numPr");
        }
        if let Some((side, colour, size, space)) = self.rule {
            x.open("w:pBdr", &[]);
            x.empty(
                &format!("w:{side}"),
                &[
                    ("w:val", "single"),
                    ("w:sz", &size.to_string()),
                    ("w:space", &space.to_string()),
                    ("w:color", colour),
                ],
            );
            x.close("w:pBdr");
        }
        if let Some((before, after)) = self.spacing {
            x.empty(
                "w:spacing",
                &[
                    ("w:before", &before.to_string()),
                    ("w:after", &after.to_string()),
                ],
            );
        }
        if let Some(left) = self.indent {
            x.empty("w:ind", &[("w:left", &left.to_string())]);
        }
        x.close("w:pPr");
    }
}

/// The whole `document.xml`.
pub fn document(refs: &mut Refs, blocks: &[Block]) -> Vec<u8> {
    let mut x = Xml::new();
    x.open(
        "w:document",
        &[
            ("xmlns:w", W),
            ("xmlns:r", R),
            ("xmlns:wp", WP),
            ("xmlns:a", A),
            ("xmlns:pic", PIC),
        ],
    );
    x.open("w:body", &[]);
    front::front(&mut x, refs);
    blocks_xml(&mut x, refs, blocks, 0);
    page::section(&mut x);
    x.close("w:body");
    x.close("w:document");
    x.finish()
}

/// Blocks in order; `depth` is the list nesting they sit in (0 outside
/// lists).
fn blocks_xml(x: &mut Xml, refs: &mut Refs, blocks: &[Block], depth: usize) {
    let mut previous: Option<&Block> = None;
    for block in blocks {
        if let (Some(Block::Table(_)), Block::Table(_)) = (previous, block) {
            // Word joins two tables with nothing between them into one.
            Para::default().open(x);
            x.close("w:p");
        }
        let after_list = matches!(previous, Some(Block::List(_)));
        block_xml(x, refs, block, depth, after_list);
        previous = Some(block);
    }
}

/// One block; `after_list` when it follows a list, which it stands apart
/// from.
fn block_xml(x: &mut Xml, refs: &mut Refs, block: &Block, depth: usize, after_list: bool) {
    match block {
        Block::Heading(heading) => heading_xml(x, refs, heading),
        Block::Paragraph(runs) => {
            let mut para = if depth > 0 {
                Para {
                    style: Some(LIST),
                    indent: Some(numbering::text_indent(depth - 1)),
                    ..Para::default()
                }
            } else {
                Para::default()
            };
            if after_list && depth == 0 {
                para.spacing = Some((130, 130));
            }
            paragraph(x, refs, &para, runs);
        }
        Block::List(list) => list_xml(x, refs, list, depth),
        Block::Table(t) => table::table(x, refs, &t.header, &t.rows),
        Block::Logo { alt } => logo(x, refs, alt, 18),
        Block::Closing { lines, copyright } => front::closing(x, refs, lines, copyright),
    }
}

/// A paragraph of runs.
pub fn paragraph(x: &mut Xml, refs: &mut Refs, para: &Para, text: &[Run]) {
    para.open(x);
    runs(x, refs, text);
    x.close("w:p");
}

fn heading_xml(x: &mut Xml, refs: &mut Refs, heading: &Heading) {
    let level = usize::from(heading.level.clamp(1, 3)) - 1;
    let para = Para {
        style: Some(HEADING[level]),
        // Unnumbered headings (review history) and, when Word's numbering
        // would differ, all headings switch the style's numbering off.
        num: (heading.number.is_none() || !refs.auto_numbers).then_some((0, 0)),
        // The staff acknowledgement sheet is a page of its own, to print
        // and pin up, as in the PDF.
        page_break: heading.anchors.iter().any(|a| a == sheet::ANCHOR),
        ..Para::default()
    };
    para.open(x);
    let mut opened = Vec::new();
    for anchor in &heading.anchors {
        let name = bookmark_name(anchor);
        if let Some(id) = refs.bookmark(&name) {
            let id = id.to_string();
            x.empty("w:bookmarkStart", &[("w:id", &id), ("w:name", &name)]);
            opened.push(id);
        }
    }
    let title = match &heading.number {
        Some(number) if !refs.auto_numbers => format!("{number}\t{}", heading.title),
        _ => heading.title.clone(),
    };
    text_run(x, &title, Style::REGULAR, None);
    for id in opened {
        x.empty("w:bookmarkEnd", &[("w:id", &id)]);
    }
    x.close("w:p");
}

/// A list: each item's first paragraph carries the number or bullet, later
/// paragraphs of the item are indented to its text, nested lists go one
/// level deeper.
fn list_xml(x: &mut Xml, refs: &mut Refs, list: &List, depth: usize) {
    let kind = match list.start {
        Some(start) => ListKind::Ordered(start),
        None => ListKind::Bullet,
    };
    let level = depth.min(numbering::MAX_LEVEL);
    let id = refs.lists.add(kind, level);
    for item in &list.items {
        let numbered = Para {
            style: Some(LIST),
            num: Some((id, level)),
            ..Para::default()
        };
        match item.first() {
            Some(Block::Paragraph(text)) => paragraph(x, refs, &numbered, text),
            // An item that starts with a nested list or table still shows
            // its number, on a line of its own.
            _ => paragraph(x, refs, &numbered, &[]),
        }
        let rest = match item.first() {
            Some(Block::Paragraph(_)) => &item[1..],
            _ => &item[..],
        };
        blocks_xml(x, refs, rest, depth + 1);
    }
}

/// The logo on a line of its own, `height_mm` high.
pub fn logo(x: &mut Xml, refs: &mut Refs, alt: &str, height_mm: i64) {
    let Some(picture) = refs.picture else {
        return;
    };
    let id = refs.drawing();
    Para::default().open(x);
    x.open("w:r", &[]);
    drawing::inline(x, picture, LOGO_REL, id, alt, picture.extent(height_mm, 80));
    x.close("w:r");
    x.close("w:p");
}

/// Runs, with consecutive runs of the same link grouped in one hyperlink.
pub fn runs(x: &mut Xml, refs: &mut Refs, runs: &[Run]) {
    let mut i = 0;
    while i < runs.len() {
        let Some(link) = &runs[i].link else {
            text_run(x, &runs[i].text, runs[i].style, None);
            i += 1;
            continue;
        };
        let end = runs[i..]
            .iter()
            .position(|r| r.link.as_ref() != Some(link))
            .map_or(runs.len(), |n| i + n);
        match link {
            Link::Uri(target) => {
                let id = refs.link(target);
                x.open("w:hyperlink", &[("r:id", &id), ("w:history", "1")]);
            }
            Link::Anchor(anchor) => {
                let name = bookmark_name(anchor);
                x.open("w:hyperlink", &[("w:anchor", &name), ("w:history", "1")]);
            }
        }
        for run in &runs[i..end] {
            text_run(x, &run.text, run.style, Some(HYPERLINK));
        }
        x.close("w:hyperlink");
        i = end;
    }
}

/// One run of text in a style; line breaks and tabs become Word's own.
pub fn text_run(x: &mut Xml, text: &str, style: Style, char_style: Option<&str>) {
    x.open("w:r", &[]);
    if style.bold || style.italic || char_style.is_some() {
        x.open("w:rPr", &[]);
        if let Some(id) = char_style {
            x.empty("w:rStyle", &[("w:val", id)]);
        }
        if style.bold {
            x.empty("w:b", &[]);
            x.empty("w:bCs", &[]);
        }
        if style.italic {
            x.empty("w:i", &[]);
            x.empty("w:iCs", &[]);
        }
        x.close("w:rPr");
    }
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            x.empty("w:br", &[]);
        }
        for (j, piece) in line.split('\t').enumerate() {
            if j > 0 {
                x.empty("w:tab", &[]);
            }
            if piece.is_empty() {
                continue;
            }
            let spaced = piece.starts_with(' ') || piece.ends_with(' ') || piece.contains("  ");
            if spaced {
                x.leaf("w:t", &[("xml:space", "preserve")], piece);
            } else {
                x.leaf("w:t", &[], piece);
            }
        }
    }
    x.close("w:r");
}
