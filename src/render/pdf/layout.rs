//! Typesetting: breaks the blocks into lines (UAX #14 break opportunities
//! from `unicode-linebreak`, widths from the font metrics) and places them on
//! A4 pages, keeping each heading with the start of what follows it, never
//! leaving one line of a paragraph alone at the foot or head of a page, and
//! repeating a table's header row on every page it crosses.
//!
//! The result is a [`Layout`]: positioned items per page, plus the logical
//! structure (the tag tree, in reading order), the outline and the link
//! anchors. Drawing it is `draw`'s job; nothing here knows about PDF objects.

use std::collections::{BTreeSet, HashMap};

use unicode_linebreak::{BreakOpportunity, linebreaks};

use crate::check::colour;
use crate::check::colour::parse_hex_colour;
use crate::document::Document;
use crate::render::pdf::blocks::{Block, Heading, Link, List, Run, Table, nfc};
use crate::render::pdf::fonts::{Family, Style};

/// Points per millimetre.
pub const MM: f32 = 72.0 / 25.4;
/// A4 in points.
pub const PAGE_WIDTH: f32 = 210.0 * MM;
pub const PAGE_HEIGHT: f32 = 297.0 * MM;
/// Left and right margins.
pub const MARGIN_X: f32 = 20.0 * MM;
/// Where the body starts on the first page (no running header there).
const TOP_FIRST: f32 = 18.0 * MM;
/// Where the body starts on later pages, below the running header.
pub const TOP: f32 = 30.0 * MM;
/// Where the body ends, above the footer.
pub const BOTTOM: f32 = PAGE_HEIGHT - 22.0 * MM;
pub const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN_X;

const BODY_SIZE: f32 = 10.0;
const BODY_LEADING: f32 = 14.5;
const PARA_GAP: f32 = 6.5;
const ITEM_GAP: f32 = 2.5;
const TABLE_SIZE: f32 = 9.0;
const TABLE_LEADING: f32 = 12.5;
const CELL_PAD_X: f32 = 5.0;
const CELL_PAD_Y: f32 = 4.0;
const LOGO_HEIGHT_FIRST: f32 = 22.0 * MM;
const LOGO_HEIGHT_BODY: f32 = 18.0 * MM;
const EPSILON: f32 = 0.01;

/// An sRGB colour.
pub type Rgb = (u8, u8, u8);

/// The colours of a document, from the organisation's brand colour.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    /// Headings and links: the brand colour, darkened if needed so it reads
    /// against white at WCAG AA (4.5:1).
    pub brand: Rgb,
    /// A pale tint of the brand colour for table header rows.
    pub tint: Rgb,
    pub text: Rgb,
    pub muted: Rgb,
    pub rule: Rgb,
}

impl Theme {
    pub fn new(brand: Option<&str>) -> Theme {
        // The same shade the HTML uses when the brand colour is too pale.
        let brand = brand
            .and_then(|c| colour::accessible(c, colour::PAGE))
            .and_then(|a| parse_hex_colour(&a.colour))
            .unwrap_or((0x1f, 0x4e, 0x79));
        let mix = |c: u8| (255.0 - (255.0 - f32::from(c)) * 0.12).round() as u8;
        Theme {
            brand,
            tint: (mix(brand.0), mix(brand.1), mix(brand.2)),
            text: (0x1a, 0x1a, 0x1a),
            muted: (0x55, 0x55, 0x55),
            rule: (0xc4, 0xc4, 0xc4),
        }
    }
}

/// A piece of text positioned on a line.
#[derive(Debug, Clone)]
pub struct Frag {
    pub x: f32,
    pub text: String,
    pub style: Style,
    pub size: f32,
    pub colour: Rgb,
}

/// Something to draw on a page.
#[derive(Debug, Clone)]
pub enum Item {
    /// Real content: one marked-content sequence, a leaf of the tag tree.
    Text {
        content: usize,
        baseline: f32,
        frags: Vec<Frag>,
    },
    /// The logo as a figure; its alternative text is on the tag.
    Logo {
        content: usize,
        x: f32,
        y: f32,
        height: f32,
    },
    /// A link annotation over text.
    Link {
        annot: usize,
        /// x, y, width, height of each line the link covers on this page.
        rects: Vec<[f32; 4]>,
        target: Link,
        alt: String,
    },
    /// Decoration (rules, cell shading, underlines): drawn as an artifact.
    Rect {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
        colour: Rgb,
    },
    /// Text repeated for the reader's convenience (a table header row on a
    /// continuation page): drawn as an artifact so it is not read twice.
    ArtifactText { baseline: f32, frags: Vec<Frag> },
}

/// The logical structure: tag groups in reading order.
#[derive(Debug, Clone)]
pub enum Node {
    Group(Kind, Vec<Node>),
    Content(usize),
    Annot(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// Heading level (1 = the title) and its text.
    H(u16, String),
    P,
    /// A list; `true` when numbered.
    L(bool),
    LI,
    Lbl,
    LBody,
    Table,
    TR,
    /// A header cell; `true` for a row header, `false` for a column header.
    TH(bool),
    TD,
    Figure(String),
    Link,
}

#[derive(Debug, Clone)]
pub struct OutlineEntry {
    pub level: u8,
    pub title: String,
    pub page: usize,
    pub y: f32,
}

#[derive(Debug, Default)]
pub struct PageItems {
    pub items: Vec<Item>,
}

/// A typeset document.
#[derive(Debug, Default)]
pub struct Layout {
    pub pages: Vec<PageItems>,
    pub tree: Vec<Node>,
    pub outline: Vec<OutlineEntry>,
    /// Link anchor → (page, y).
    pub anchors: HashMap<String, (usize, f32)>,
    pub contents: usize,
    pub annots: usize,
    /// Characters the font family cannot show.
    pub missing: BTreeSet<char>,
}

/// A run of text within a line, before positioning.
#[derive(Debug, Clone)]
struct Piece {
    text: String,
    style: Style,
    link: Option<Link>,
    width: f32,
    /// The width of its trailing white space.
    trailing: f32,
}

/// One broken line: pieces left to right, width without trailing spaces.
#[derive(Debug, Clone, Default)]
struct Line {
    pieces: Vec<Piece>,
    width: f32,
}

/// Text settings for a block of lines.
#[derive(Debug, Clone, Copy)]
struct Font {
    size: f32,
    leading: f32,
    colour: Rgb,
    /// Overrides the runs' own styles (headings are bold throughout).
    force_bold: bool,
}

/// Breaks runs into lines no wider than `width`.
fn break_lines(family: &Family, runs: &[Run], font: Font, width: f32) -> Vec<Line> {
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
    let mut line = Line::default();
    // Width of the current line including its trailing spaces.
    let mut advance = 0.0f32;
    let mut start = 0;
    let mut segment_pieces: Vec<Piece> = Vec::new();
    for (end, opportunity) in linebreaks(&full) {
        segment_pieces.clear();
        for &(run_start, run_end, i) in &bounds {
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
            segment_pieces.push(Piece {
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
        if !line.pieces.is_empty() && advance + ink > width + EPSILON {
            lines.push(finish_line(family, std::mem::take(&mut line), font.size));
            advance = 0.0;
        }
        if line.pieces.is_empty() && ink > width + EPSILON {
            // A word wider than the line (a long address): break it anywhere.
            for piece in segment_pieces.drain(..) {
                for c in piece.text.chars() {
                    let mut buf = [0u8; 4];
                    let text = c.encode_utf8(&mut buf);
                    let (w, trailing) = family.face(piece.style).measure(text, font.size);
                    if !line.pieces.is_empty() && advance + w > width + EPSILON && c != ' ' {
                        lines.push(finish_line(family, std::mem::take(&mut line), font.size));
                        advance = 0.0;
                    }
                    line.pieces.push(Piece {
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
            line.pieces.append(&mut segment_pieces);
        }
        if opportunity == BreakOpportunity::Mandatory && end < full.len() {
            lines.push(finish_line(family, std::mem::take(&mut line), font.size));
            advance = 0.0;
        }
        start = end;
    }
    if !line.pieces.is_empty() || lines.is_empty() {
        lines.push(finish_line(family, line, font.size));
    }
    lines
}

/// Shares `width` among columns that need at least `min` and at most `max`
/// (plus `pad`): a column whose whole text fits in an equal share keeps it
/// unbroken; the others share what is left in proportion to how much they
/// could use; any width left over widens every column alike.
fn column_widths(min: &[f32], max: &[f32], pad: f32, width: f32) -> Vec<f32> {
    let n = min.len().max(1) as f32;
    let max_sum: f32 = max.iter().map(|w| w + pad).sum();
    if max_sum <= width {
        let extra = (width - max_sum) / n;
        return max.iter().map(|w| w + pad + extra).collect();
    }
    let narrow: Vec<bool> = max.iter().map(|w| w + pad <= width / n).collect();
    let fixed: f32 = max
        .iter()
        .zip(&narrow)
        .filter(|(_, n)| **n)
        .map(|(w, _)| w + pad)
        .sum();
    let rest = width - fixed;
    let (lo_sum, hi_sum) = min
        .iter()
        .zip(max)
        .zip(&narrow)
        .filter(|(_, n)| !**n)
        .fold((0.0, 0.0), |(lo, hi), ((a, b), _)| {
            (lo + a + pad, hi + b + pad)
        });
    min.iter()
        .zip(max)
        .zip(&narrow)
        .map(|((lo, hi), narrow)| {
            if *narrow {
                hi + pad
            } else if lo_sum <= rest {
                let share = (rest - lo_sum) / (hi_sum - lo_sum).max(EPSILON);
                lo + pad + (hi - lo) * share
            } else {
                (lo + pad) * rest / lo_sum.max(EPSILON)
            }
        })
        .collect()
}

/// The narrowest a cell can be (its longest word) and the width it takes
/// unbroken (its longest hard line), at `size` points.
fn extent(family: &Family, runs: &[Run], size: f32) -> (f32, f32) {
    let (mut narrowest, mut widest, mut line) = (0.0f32, 0.0f32, 0.0f32);
    for run in runs {
        let face = family.face(run.style);
        let mut start = 0;
        for (end, opportunity) in linebreaks(&run.text) {
            let (width, trailing) = face.measure(&run.text[start..end], size);
            narrowest = narrowest.max(width - trailing);
            line += width;
            widest = widest.max(line - trailing);
            if opportunity == BreakOpportunity::Mandatory && end < run.text.len() {
                line = 0.0;
            }
            start = end;
        }
    }
    (narrowest, widest)
}

/// Merges neighbouring pieces of the same style and link and measures the line.
fn finish_line(family: &Family, line: Line, size: f32) -> Line {
    let mut pieces: Vec<Piece> = Vec::with_capacity(line.pieces.len());
    let mut merged = false;
    for piece in line.pieces {
        if let Some(last) = pieces.last_mut()
            && last.style == piece.style
            && last.link == piece.link
        {
            last.text.push_str(&piece.text);
            last.width += piece.width;
            last.trailing = piece.trailing;
            merged = true;
            continue;
        }
        pieces.push(piece);
    }
    // Kerning across a merge can move what follows by a fraction of a
    // point: measure again where another piece is placed after it.
    if merged && pieces.len() > 1 {
        let last = pieces.len() - 1;
        for piece in &mut pieces[..last] {
            (piece.width, piece.trailing) = family.face(piece.style).measure(&piece.text, size);
        }
    }
    let width =
        pieces.iter().map(|p| p.width).sum::<f32>() - pieces.last().map_or(0.0, |p| p.trailing);
    Line { pieces, width }
}

/// A block measured for a given width.
#[derive(Debug)]
enum Prep {
    Heading {
        heading: Heading,
        number: Option<Line>,
        lines: Vec<Line>,
        indent: f32,
        font: Font,
        before: f32,
        after: f32,
    },
    Para(Vec<Line>),
    List {
        numbered: bool,
        items: Vec<PrepItem>,
    },
    Table(PrepTable),
    Logo {
        alt: String,
    },
    Closing {
        lines: Vec<Vec<Line>>,
        copyright: Vec<Line>,
    },
}

#[derive(Debug)]
struct PrepItem {
    label: Line,
    indent: f32,
    blocks: Vec<Prep>,
}

#[derive(Debug)]
struct PrepTable {
    columns: Vec<f32>,
    header: PrepRow,
    rows: Vec<PrepRow>,
}

#[derive(Debug)]
struct PrepRow {
    cells: Vec<Vec<Line>>,
    height: f32,
}

fn body_font(colour: Rgb) -> Font {
    Font {
        size: BODY_SIZE,
        leading: BODY_LEADING,
        colour,
        force_bold: false,
    }
}

fn heading_font(level: u8, theme: &Theme) -> (Font, f32, f32) {
    let (size, leading, colour, before, after) = match level {
        1 => (13.5, 18.0, theme.brand, 15.0, 5.0),
        2 => (11.5, 15.5, theme.brand, 10.0, 3.5),
        _ => (10.5, 14.5, theme.text, 8.0, 2.5),
    };
    (
        Font {
            size,
            leading,
            colour,
            force_bold: true,
        },
        before,
        after,
    )
}

struct Preparer<'a> {
    family: &'a Family,
    theme: &'a Theme,
}

impl Preparer<'_> {
    /// Measures a block; `depth` counts the lists around it.
    fn block(&self, block: &Block, width: f32, depth: usize) -> Prep {
        match block {
            Block::Heading(heading) => {
                let (font, before, after) = heading_font(heading.level, self.theme);
                let number = heading
                    .number
                    .as_ref()
                    .map(|n| break_lines(self.family, &[Run::plain(n)], font, width).remove(0));
                let indent = number.as_ref().map_or(0.0, |n| n.width + font.size * 0.6);
                let lines = break_lines(
                    self.family,
                    &[Run::plain(&heading.title)],
                    font,
                    width - indent,
                );
                Prep::Heading {
                    heading: heading.clone(),
                    number,
                    lines,
                    indent,
                    font,
                    before,
                    after,
                }
            }
            Block::Paragraph(runs) => Prep::Para(break_lines(
                self.family,
                runs,
                body_font(self.theme.text),
                width,
            )),
            Block::List(list) => self.list(list, width, depth),
            Block::Table(table) => Prep::Table(self.table(table, width)),
            Block::Logo { alt } => Prep::Logo { alt: alt.clone() },
            Block::Closing { lines, copyright } => Prep::Closing {
                lines: lines
                    .iter()
                    .map(|runs| break_lines(self.family, runs, body_font(self.theme.text), width))
                    .collect(),
                copyright: break_lines(
                    self.family,
                    &[Run::plain(copyright)],
                    Font {
                        size: 9.0,
                        leading: 13.0,
                        colour: self.theme.muted,
                        force_bold: false,
                    },
                    width,
                ),
            },
        }
    }

    fn list(&self, list: &List, width: f32, depth: usize) -> Prep {
        let font = body_font(self.theme.text);
        let labels: Vec<String> = (0..list.items.len())
            .map(|i| match list.start {
                Some(start) => format!("{}.", start.saturating_add(i as u64)),
                None => if depth.is_multiple_of(2) {
                    "•"
                } else {
                    "–"
                }
                .to_string(),
            })
            .collect();
        let labels: Vec<Line> = labels
            .iter()
            .map(|l| break_lines(self.family, &[Run::plain(l)], font, width).remove(0))
            .collect();
        let widest = labels.iter().map(|l| l.width).fold(0.0, f32::max);
        let indent = (widest + 7.0).max(14.0);
        let items = list
            .items
            .iter()
            .zip(labels)
            .map(|(blocks, label)| PrepItem {
                label,
                indent,
                blocks: blocks
                    .iter()
                    .map(|b| self.block(b, width - indent, depth + 1))
                    .collect(),
            })
            .collect();
        Prep::List {
            numbered: list.start.is_some(),
            items,
        }
    }

    fn table(&self, table: &Table, width: f32) -> PrepTable {
        let font = Font {
            size: TABLE_SIZE,
            leading: TABLE_LEADING,
            colour: self.theme.text,
            force_bold: false,
        };
        let columns = table
            .rows
            .iter()
            .map(Vec::len)
            .chain([table.header.len()])
            .max()
            .unwrap_or(0)
            .max(1);
        // Narrowest (longest word) and widest (one line) needs of each column.
        let mut min = vec![0.0f32; columns];
        let mut max = vec![0.0f32; columns];
        for row in std::iter::once(&table.header).chain(&table.rows) {
            for (i, cell) in row.iter().enumerate() {
                let (narrowest, widest) = extent(self.family, cell, font.size);
                min[i] = min[i].max(narrowest);
                max[i] = max[i].max(widest);
            }
        }
        let widths = column_widths(&min, &max, 2.0 * CELL_PAD_X, width);
        let pad = 2.0 * CELL_PAD_X;
        let row = |cells: &[Vec<Run>]| {
            let cells: Vec<Vec<Line>> = (0..columns)
                .map(|i| {
                    let runs = cells.get(i).map_or(&[][..], Vec::as_slice);
                    break_lines(self.family, runs, font, widths[i] - pad)
                })
                .collect();
            let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
            PrepRow {
                cells,
                height: lines as f32 * TABLE_LEADING + 2.0 * CELL_PAD_Y,
            }
        };
        PrepTable {
            header: row(&table.header),
            rows: table.rows.iter().map(|r| row(r)).collect(),
            columns: widths,
        }
    }
}

/// Lines of a paragraph that must start together on a page: all of a short
/// paragraph, else two (so no line is left alone at a page foot).
fn min_lines(n: usize) -> usize {
    if n < 4 { n } else { 2 }
}

/// The height that must fit on a page before this block may start there.
fn start_height(prep: &Prep, next: &[Prep]) -> f32 {
    match prep {
        Prep::Heading {
            lines, font, after, ..
        } => {
            let own = lines.len() as f32 * font.leading + after;
            own + next.first().map_or(0.0, |n| {
                let gap = match n {
                    Prep::Heading { before, .. } => *before,
                    _ => 0.0,
                };
                gap + start_height(n, &next[1..])
            })
        }
        Prep::Para(lines) => min_lines(lines.len()) as f32 * BODY_LEADING,
        Prep::List { items, .. } => items.first().map_or(0.0, |item| {
            item.blocks
                .first()
                .map_or(BODY_LEADING, |b| start_height(b, &item.blocks[1..]))
        }),
        Prep::Table(table) => table.header.height + table.rows.first().map_or(0.0, |r| r.height),
        Prep::Logo { .. } => LOGO_HEIGHT_BODY,
        Prep::Closing { lines, copyright } => closing_height(lines, copyright),
    }
}

/// The full height of a block, spacing before it included (the end matter's
/// paragraphs, table and closing block).
fn whole_height(prep: &Prep) -> f32 {
    match prep {
        Prep::Heading {
            lines, font, after, ..
        } => lines.len() as f32 * font.leading + after,
        Prep::Para(lines) => PARA_GAP + lines.len() as f32 * BODY_LEADING,
        Prep::List { items, .. } => {
            PARA_GAP
                + items
                    .iter()
                    .map(|i| ITEM_GAP + i.blocks.iter().map(whole_height).sum::<f32>())
                    .sum::<f32>()
        }
        Prep::Table(table) => {
            PARA_GAP + 2.0 + table.header.height + table.rows.iter().map(|r| r.height).sum::<f32>()
        }
        Prep::Logo { .. } => PARA_GAP + LOGO_HEIGHT_BODY,
        Prep::Closing { lines, copyright } => 18.0 + closing_height(lines, copyright),
    }
}

fn closing_height(lines: &[Vec<Line>], copyright: &[Line]) -> f32 {
    let body: usize = lines.iter().map(Vec::len).sum();
    14.0 + body as f32 * BODY_LEADING + 8.0 + copyright.len() as f32 * 13.0
}

/// Builds the tag tree as content is placed.
#[derive(Default)]
struct Tree {
    stack: Vec<(Kind, Vec<Node>)>,
    root: Vec<Node>,
}

impl Tree {
    fn open(&mut self, kind: Kind) {
        self.stack.push((kind, Vec::new()));
    }

    fn close(&mut self) {
        if let Some((kind, children)) = self.stack.pop() {
            self.leaf(Node::Group(kind, children));
        }
    }

    /// Adds to the last group placed in the open one (a Link continuing
    /// onto the next line).
    fn extend_last(&mut self, node: Node) {
        let children = match self.stack.last_mut() {
            Some((_, children)) => children,
            None => &mut self.root,
        };
        match children.last_mut() {
            Some(Node::Group(_, grandchildren)) => grandchildren.push(node),
            _ => children.push(node),
        }
    }

    fn leaf(&mut self, node: Node) {
        match self.stack.last_mut() {
            Some((_, children)) => children.push(node),
            None => self.root.push(node),
        }
    }
}

/// Places prepared blocks on pages.
struct Pager<'a> {
    family: &'a Family,
    theme: &'a Theme,
    layout: Layout,
    tree: Tree,
    y: f32,
    top: f32,
    /// The next paragraph goes straight into the open group, without a P.
    bare_paragraph: bool,
    /// A link that ended a line: its target, page and item index there.
    open_link: Option<(Link, usize, usize)>,
}

impl<'a> Pager<'a> {
    fn new(family: &'a Family, theme: &'a Theme) -> Pager<'a> {
        let mut layout = Layout::default();
        layout.pages.push(PageItems::default());
        Pager {
            family,
            theme,
            layout,
            tree: Tree::default(),
            y: TOP_FIRST,
            top: TOP_FIRST,
            bare_paragraph: false,
            open_link: None,
        }
    }

    fn page(&self) -> usize {
        self.layout.pages.len() - 1
    }

    fn push(&mut self, item: Item) {
        if let Some(page) = self.layout.pages.last_mut() {
            page.items.push(item);
        }
    }

    fn at_top(&self) -> bool {
        self.y <= self.top + EPSILON
    }

    fn new_page(&mut self) {
        self.layout.pages.push(PageItems::default());
        self.top = TOP;
        self.y = TOP;
    }

    /// Starts a new page unless `height` fits below the cursor (or the page is fresh).
    fn fit(&mut self, height: f32) {
        if self.y + height > BOTTOM + EPSILON && !self.at_top() {
            self.new_page();
        }
    }

    fn space(&mut self, height: f32) {
        if !self.at_top() {
            self.y += height;
        }
    }

    fn content(&mut self) -> usize {
        self.layout.contents += 1;
        self.layout.contents - 1
    }

    fn baseline(&self, font: Font) -> f32 {
        let face = self.family.face(Style::REGULAR);
        let ascent = face.ascender * font.size;
        let descent = face.descender * font.size;
        self.y + (font.leading - ascent - descent) / 2.0 + ascent
    }

    fn check(&mut self, text: &str, style: Style) {
        let face = self.family.face(style);
        for c in text.chars() {
            if !face.covers(c) && !c.is_control() {
                self.layout.missing.insert(c);
            }
        }
    }

    /// Places one line at the cursor as tagged content (links get their own
    /// content and annotation) and moves down one leading.
    fn line(&mut self, x: f32, line: &Line, font: Font) {
        let baseline = self.baseline(font);
        let mut cursor = x;
        let mut i = 0;
        while i < line.pieces.len() {
            let link = line.pieces[i].link.clone();
            let mut frags = Vec::new();
            let start = cursor;
            let mut trailing = 0.0;
            while i < line.pieces.len() && line.pieces[i].link == link {
                let piece = &line.pieces[i];
                trailing = piece.trailing;
                self.check(&piece.text, piece.style);
                frags.push(Frag {
                    x: cursor,
                    text: piece.text.clone(),
                    style: piece.style,
                    size: font.size,
                    colour: if link.is_some() {
                        self.theme.brand
                    } else {
                        font.colour
                    },
                });
                cursor += piece.width;
                i += 1;
            }
            let content = self.content();
            match link {
                Some(target) => {
                    let text: String = frags.iter().map(|f| f.text.as_str()).collect();
                    let width = cursor - start - trailing;
                    let area = [start, baseline - font.size, width.max(1.0), font.size * 1.3];
                    // A link that wrapped from the line above continues its
                    // annotation (one more quad) and its Link tag.
                    let continued = match &self.open_link {
                        Some((open, page, item)) if start <= x + EPSILON && *open == target => {
                            Some((*page, *item))
                        }
                        _ => None,
                    };
                    let here = self.page();
                    match continued {
                        Some((page, item)) if page == here => {
                            if let Some(Item::Link { rects, alt, .. }) =
                                self.layout.pages[page].items.get_mut(item)
                            {
                                rects.push(area);
                                alt.push(' ');
                                alt.push_str(text.trim());
                            }
                            self.tree.extend_last(Node::Content(content));
                        }
                        _ => {
                            let annot = self.layout.annots;
                            self.layout.annots += 1;
                            if continued.is_some() {
                                self.tree.extend_last(Node::Annot(annot));
                                self.tree.extend_last(Node::Content(content));
                            } else {
                                self.tree.open(Kind::Link);
                                self.tree.leaf(Node::Annot(annot));
                                self.tree.leaf(Node::Content(content));
                                self.tree.close();
                            }
                            self.push(Item::Link {
                                annot,
                                rects: vec![area],
                                target: target.clone(),
                                alt: text.trim().to_string(),
                            });
                        }
                    }
                    let item = self.layout.pages[here]
                        .items
                        .iter()
                        .rposition(|i| matches!(i, Item::Link { .. }))
                        .unwrap_or(0);
                    self.open_link = (i == line.pieces.len()).then_some((target, here, item));
                    self.push(Item::Rect {
                        x: start,
                        y: baseline + font.size * 0.12,
                        width: width.max(0.0),
                        height: 0.6,
                        colour: self.theme.brand,
                    });
                }
                None => {
                    self.open_link = None;
                    self.tree.leaf(Node::Content(content));
                }
            }
            self.push(Item::Text {
                content,
                baseline,
                frags,
            });
        }
        self.y += font.leading;
    }

    /// Places a paragraph's lines, splitting across pages only where at least
    /// two lines stay on each side.
    fn lines(&mut self, x: f32, lines: &[Line], font: Font) {
        self.open_link = None;
        let mut rest = lines;
        loop {
            let room = ((BOTTOM - self.y) / font.leading + EPSILON)
                .floor()
                .max(0.0) as usize;
            if room >= rest.len() {
                for line in rest {
                    self.line(x, line, font);
                }
                return;
            }
            let mut take = room;
            if rest.len() - take < 2 {
                take = rest.len().saturating_sub(2);
            }
            if take < 2 {
                if self.at_top() {
                    // Not even two lines fit on an empty page: fill it.
                    take = room.max(1);
                } else {
                    self.new_page();
                    continue;
                }
            }
            for line in &rest[..take] {
                self.line(x, line, font);
            }
            rest = &rest[take..];
            self.new_page();
        }
    }

    fn blocks(&mut self, x: f32, preps: &[Prep]) {
        for (i, prep) in preps.iter().enumerate() {
            // A heading's own space after replaces the gap between blocks.
            let gap = match i.checked_sub(1).map(|p| &preps[p]) {
                None | Some(Prep::Heading { .. }) => 0.0,
                Some(_) if x > MARGIN_X + EPSILON => ITEM_GAP + 1.0,
                Some(_) => PARA_GAP,
            };
            self.block(x, prep, &preps[i + 1..], gap);
        }
    }

    fn block(&mut self, x: f32, prep: &Prep, next: &[Prep], gap: f32) {
        match prep {
            Prep::Heading {
                heading,
                number,
                lines,
                indent,
                font,
                before,
                after,
            } => {
                self.space(*before);
                // The review history and closing block stay together on one
                // page when they can: the document's sign-off reads as a unit.
                let end_matter = heading.anchors.iter().any(|a| a == "review-history");
                let whole = whole_height(prep) + next.iter().map(whole_height).sum::<f32>();
                if end_matter && whole <= BOTTOM - TOP {
                    self.fit(whole);
                } else {
                    self.fit(start_height(prep, next));
                }
                let title = match &heading.number {
                    Some(n) => format!("{n} {}", heading.title),
                    None => heading.title.clone(),
                };
                for anchor in &heading.anchors {
                    self.layout
                        .anchors
                        .insert(anchor.clone(), (self.page(), self.y));
                }
                self.layout.outline.push(OutlineEntry {
                    level: heading.level,
                    title: title.clone(),
                    page: self.page(),
                    y: self.y,
                });
                self.tree.open(Kind::H(u16::from(heading.level) + 1, title));
                if let Some(number) = number {
                    let saved = self.y;
                    self.line(x, number, *font);
                    self.y = saved;
                }
                for line in lines {
                    self.line(x + indent, line, *font);
                }
                self.tree.close();
                self.y += after;
            }
            Prep::Para(lines) => {
                self.space(gap);
                let wrap = !std::mem::take(&mut self.bare_paragraph);
                if wrap {
                    self.tree.open(Kind::P);
                }
                self.lines(x, lines, body_font(self.theme.text));
                if wrap {
                    self.tree.close();
                }
            }
            Prep::List { numbered, items } => {
                self.space(gap);
                self.tree.open(Kind::L(*numbered));
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.space(ITEM_GAP);
                    }
                    let first = item.blocks.first();
                    let need = first.map_or(BODY_LEADING, |b| start_height(b, &item.blocks[1..]));
                    self.fit(need);
                    self.tree.open(Kind::LI);
                    self.tree.open(Kind::Lbl);
                    let font = body_font(self.theme.text);
                    let saved = self.y;
                    let label_x = x + item.indent - 5.0 - item.label.width;
                    self.line(label_x, &item.label, font);
                    self.y = saved;
                    self.tree.close();
                    self.tree.open(Kind::LBody);
                    // An item of one paragraph needs no P of its own inside
                    // its LBody (a smaller file, the same reading).
                    self.bare_paragraph = matches!(item.blocks.first(), Some(Prep::Para(_)))
                        && item
                            .blocks
                            .iter()
                            .filter(|b| matches!(b, Prep::Para(_)))
                            .count()
                            == 1;
                    self.blocks(x + item.indent, &item.blocks);
                    self.tree.close();
                    self.tree.close();
                }
                self.tree.close();
            }
            Prep::Table(table) => {
                self.space(if gap > 0.0 { gap + 2.0 } else { 0.0 });
                self.table(x, table);
            }
            Prep::Logo { alt } => {
                self.space(gap);
                self.fit(LOGO_HEIGHT_BODY);
                let content = self.content();
                self.tree.open(Kind::Figure(alt.clone()));
                self.tree.leaf(Node::Content(content));
                self.tree.close();
                self.push(Item::Logo {
                    content,
                    x,
                    y: self.y,
                    height: LOGO_HEIGHT_BODY,
                });
                self.y += LOGO_HEIGHT_BODY;
            }
            Prep::Closing { lines, copyright } => {
                self.space(18.0);
                self.fit(closing_height(lines, copyright));
                if !self.at_top() {
                    // A rule sets the block apart; at a page top the header's does.
                    self.push(Item::Rect {
                        x,
                        y: self.y,
                        width: CONTENT_WIDTH - (x - MARGIN_X),
                        height: 1.2,
                        colour: self.theme.brand,
                    });
                    self.y += 10.0;
                }
                for line in lines {
                    self.tree.open(Kind::P);
                    self.lines(x, line, body_font(self.theme.text));
                    self.tree.close();
                }
                self.y += 8.0;
                self.tree.open(Kind::P);
                self.lines(
                    x,
                    copyright,
                    Font {
                        size: 9.0,
                        leading: 13.0,
                        colour: self.theme.muted,
                        force_bold: false,
                    },
                );
                self.tree.close();
            }
        }
    }

    fn table(&mut self, x: f32, table: &PrepTable) {
        let first = table.rows.first().map_or(0.0, |r| r.height);
        self.fit(table.header.height + first);
        self.tree.open(Kind::Table);
        self.row(x, table, &table.header, true, false);
        for row in &table.rows {
            if self.y + row.height > BOTTOM + EPSILON {
                self.new_page();
                self.row(x, table, &table.header, true, true);
            }
            self.row(x, table, row, false, false);
        }
        self.tree.close();
    }

    /// Draws one table row; `repeat` draws a header row again as an artifact.
    fn row(&mut self, x: f32, table: &PrepTable, row: &PrepRow, header: bool, repeat: bool) {
        let width: f32 = table.columns.iter().sum();
        let font = Font {
            size: TABLE_SIZE,
            leading: TABLE_LEADING,
            colour: self.theme.text,
            force_bold: header,
        };
        if header {
            self.push(Item::Rect {
                x,
                y: self.y,
                width,
                height: row.height,
                colour: self.theme.tint,
            });
        }
        let top = self.y;
        if !repeat {
            self.tree.open(Kind::TR);
        }
        let mut cell_x = x;
        for (i, lines) in row.cells.iter().enumerate() {
            self.y = top + CELL_PAD_Y;
            if repeat {
                for line in lines {
                    let baseline = self.baseline(font);
                    let mut cursor = cell_x + CELL_PAD_X;
                    let frags = line
                        .pieces
                        .iter()
                        .map(|p| {
                            let frag = Frag {
                                x: cursor,
                                text: p.text.clone(),
                                style: p.style,
                                size: font.size,
                                colour: font.colour,
                            };
                            cursor += p.width;
                            frag
                        })
                        .collect();
                    self.push(Item::ArtifactText { baseline, frags });
                    self.y += font.leading;
                }
            } else {
                self.tree
                    .open(if header { Kind::TH(false) } else { Kind::TD });
                for line in lines {
                    self.line(cell_x + CELL_PAD_X, line, font);
                }
                self.tree.close();
            }
            cell_x += table.columns[i];
        }
        if !repeat {
            self.tree.close();
        }
        self.y = top + row.height;
        self.push(Item::Rect {
            x,
            y: self.y - 0.3,
            width,
            height: if header { 0.9 } else { 0.6 },
            colour: if header {
                self.theme.brand
            } else {
                self.theme.rule
            },
        });
    }

    /// The first page's front matter: logo, organisation, title, key facts.
    fn front(&mut self, document: &Document, logo: Option<(f32, f32)>) {
        let x = MARGIN_X;
        let theme = *self.theme;
        let mut text_x = x;
        let start = self.y;
        if let Some((w, h)) = logo {
            let width = LOGO_HEIGHT_FIRST * w / h.max(1.0);
            let width = width.min(CONTENT_WIDTH / 2.0);
            let height = width * h / w.max(1.0);
            let content = self.content();
            self.tree.open(Kind::Figure(document.org.logo_alt.clone()));
            self.tree.leaf(Node::Content(content));
            self.tree.close();
            self.push(Item::Logo {
                content,
                x,
                y: self.y,
                height,
            });
            text_x = x + width + 8.0 * MM;
        }
        let text_width = CONTENT_WIDTH - (text_x - x);
        let name_font = Font {
            size: 15.0,
            leading: 19.0,
            colour: theme.text,
            force_bold: true,
        };
        let small = Font {
            size: 9.5,
            leading: 13.0,
            colour: theme.muted,
            force_bold: false,
        };
        let mut texts: Vec<(Vec<Line>, Font)> = vec![(
            break_lines(
                self.family,
                &[Run::plain(&document.org.name)],
                name_font,
                text_width,
            ),
            name_font,
        )];
        texts.push((
            break_lines(
                self.family,
                &[Run::plain(&format!(
                    "{}: {}",
                    document.org.registration_label, document.org.registration_no
                ))],
                small,
                text_width,
            ),
            small,
        ));
        if let Some(address) = &document.org.address {
            texts.push((
                break_lines(self.family, &[Run::plain(address)], small, text_width),
                small,
            ));
        }
        let contact: Vec<&str> = [
            &document.org.phone,
            &document.org.email,
            &document.org.website,
        ]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
        if !contact.is_empty() {
            texts.push((
                break_lines(
                    self.family,
                    &[Run::plain(&contact.join("  ·  "))],
                    small,
                    text_width,
                ),
                small,
            ));
        }
        let block_height: f32 = texts
            .iter()
            .map(|(lines, font)| lines.len() as f32 * font.leading)
            .sum::<f32>()
            + 3.0;
        // Centre the organisation block beside the logo.
        if logo.is_some() && block_height < LOGO_HEIGHT_FIRST {
            self.y += (LOGO_HEIGHT_FIRST - block_height) / 2.0;
        }
        for (i, (lines, font)) in texts.iter().enumerate() {
            if i == 1 {
                self.y += 3.0;
            }
            self.tree.open(Kind::P);
            for line in lines {
                self.line(text_x, line, *font);
            }
            self.tree.close();
        }
        let logo_bottom = if logo.is_some() {
            start + LOGO_HEIGHT_FIRST
        } else {
            start
        };
        self.y = self.y.max(logo_bottom) + 6.0 * MM;
        self.push(Item::Rect {
            x,
            y: self.y,
            width: CONTENT_WIDTH,
            height: 2.0,
            colour: theme.brand,
        });
        self.y += 9.0 * MM;
        let title_font = Font {
            size: 22.0,
            leading: 27.0,
            colour: theme.brand,
            force_bold: true,
        };
        let title = nfc(&document.policy.title);
        self.layout.anchors.insert("top".into(), (0, 0.0));
        self.tree.open(Kind::H(1, title.clone()));
        for line in break_lines(
            self.family,
            &[Run::plain(&title)],
            title_font,
            CONTENT_WIDTH,
        ) {
            self.line(x, &line, title_font);
        }
        self.tree.close();
        self.y += 5.0 * MM;
        let bold = |t: &str| vec![Run::styled(t, Style::BOLD)];
        let plain = |t: &str| vec![Run::plain(t)];
        let facts = Table {
            header: vec![
                bold("Reference"),
                bold("Version"),
                bold("Last reviewed"),
                bold("Next review"),
            ],
            rows: vec![vec![
                plain(&document.policy.code),
                plain(&document.policy.version),
                plain(&document.dates.last_update),
                plain(&document.dates.next_review),
            ]],
        };
        let prepared = Preparer {
            family: self.family,
            theme: self.theme,
        }
        .table(&facts, CONTENT_WIDTH);
        self.table(x, &prepared);
        self.y += 4.0 * MM;
    }
}

/// Lays out a whole document. `logo` is the logo's pixel size, if it has one.
pub fn layout(
    document: &Document,
    blocks: &[Block],
    family: &Family,
    theme: &Theme,
    logo: Option<(f32, f32)>,
) -> Layout {
    let preparer = Preparer { family, theme };
    let preps: Vec<Prep> = blocks
        .iter()
        .map(|b| preparer.block(b, CONTENT_WIDTH, 0))
        .collect();
    let mut pager = Pager::new(family, theme);
    pager.front(document, logo);
    pager.blocks(MARGIN_X, &preps);
    while !pager.tree.stack.is_empty() {
        pager.tree.close();
    }
    let mut layout = pager.layout;
    layout.tree = pager.tree.root;
    layout
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::assets::FontFiles;

    fn family() -> Family {
        Family::new(&FontFiles::bundled()).unwrap()
    }

    fn text(line: &Line) -> String {
        line.pieces.iter().map(|p| p.text.as_str()).collect()
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
    fn paragraphs_leave_no_single_line_at_a_page_edge() {
        for n in 2..12 {
            for k in 0..=n {
                let split_ok = k == 0 || k == n || (k >= 2 && n - k >= 2);
                if k >= min_lines(n) && split_ok {
                    assert!(k >= 2 || k == n, "n={n} k={k}");
                }
            }
        }
        assert_eq!(min_lines(3), 3);
        assert_eq!(min_lines(7), 2);
    }

    /// Lays out blocks without front matter; returns each top-level tag
    /// group's kind and the pages its content lines fell on.
    fn placed(blocks: &[Block]) -> Vec<(Kind, Vec<usize>)> {
        let family = family();
        let theme = Theme::new(None);
        let preparer = Preparer {
            family: &family,
            theme: &theme,
        };
        let preps: Vec<Prep> = blocks
            .iter()
            .map(|b| preparer.block(b, CONTENT_WIDTH, 0))
            .collect();
        let mut pager = Pager::new(&family, &theme);
        pager.blocks(MARGIN_X, &preps);
        let mut page_of = HashMap::new();
        for (page, items) in pager.layout.pages.iter().enumerate() {
            for item in &items.items {
                if let Item::Text { content, .. } = item {
                    page_of.insert(*content, page);
                }
            }
        }
        fn contents(node: &Node, out: &mut Vec<usize>) {
            match node {
                Node::Content(id) => out.push(*id),
                Node::Group(_, children) => children.iter().for_each(|c| contents(c, out)),
                Node::Annot(_) => {}
            }
        }
        pager
            .tree
            .root
            .iter()
            .filter_map(|node| match node {
                Node::Group(kind, _) => {
                    let mut ids = Vec::new();
                    contents(node, &mut ids);
                    Some((kind.clone(), ids.iter().map(|id| page_of[id]).collect()))
                }
                _ => None,
            })
            .collect()
    }

    fn paragraph(words: usize) -> Block {
        Block::Paragraph(vec![Run::plain(
            "care and support ".repeat(words).trim_end(),
        )])
    }

    #[test]
    fn headings_keep_with_their_first_lines_and_no_line_is_stranded() {
        // Slide a heading and a long paragraph down the page one line at a
        // time, so that every position relative to the page foot is tried.
        for fillers in 40..110 {
            let mut blocks: Vec<Block> = (0..fillers).map(|_| paragraph(2)).collect();
            blocks.push(Block::Heading(Heading {
                level: 1,
                number: Some("2.".into()),
                title: "Scope".into(),
                anchors: Vec::new(),
            }));
            blocks.push(paragraph(120));
            blocks.push(paragraph(20));
            let placed = placed(&blocks);
            let heading = placed
                .iter()
                .position(|(kind, _)| matches!(kind, Kind::H(..)))
                .unwrap();
            let (_, heading_pages) = &placed[heading];
            let (_, next) = &placed[heading + 1];
            assert!(next.len() >= 4);
            assert_eq!(heading_pages[0], next[0], "{fillers}: heading left behind");
            assert_eq!(
                next[0], next[1],
                "{fillers}: heading kept with one line only"
            );
            for (kind, pages) in &placed {
                if *kind != Kind::P {
                    continue;
                }
                for page in pages {
                    let on_page = pages.iter().filter(|p| *p == page).count();
                    assert!(
                        on_page >= 2 || pages.len() == 1,
                        "{fillers}: a single line of a {}-line paragraph on page {page}",
                        pages.len()
                    );
                }
            }
        }
    }

    #[test]
    fn a_long_table_repeats_its_header_as_an_artifact_on_each_page() {
        let row = |i: usize| vec![vec![Run::plain(&format!("Row {i}"))], vec![Run::plain("x")]];
        let table = Block::Table(Table {
            header: vec![
                vec![Run::styled("Name", Style::BOLD)],
                vec![Run::styled("Value", Style::BOLD)],
            ],
            rows: (0..120).map(row).collect(),
        });
        let family = family();
        let theme = Theme::new(None);
        let preparer = Preparer {
            family: &family,
            theme: &theme,
        };
        let mut pager = Pager::new(&family, &theme);
        pager.blocks(MARGIN_X, &[preparer.block(&table, CONTENT_WIDTH, 0)]);
        let pages = &pager.layout.pages;
        assert!(pages.len() >= 3);
        for (i, page) in pages.iter().enumerate().skip(1) {
            let repeated = page
                .items
                .iter()
                .filter(|item| matches!(item, Item::ArtifactText { .. }))
                .count();
            assert_eq!(repeated, 2, "page {i} repeats both header cells");
        }
    }

    #[test]
    fn table_columns_fit_their_longest_word_and_share_the_rest() {
        let family = family();
        let face = family.face(Style::REGULAR);
        let (narrowest, widest) = extent(&family, &[Run::plain("Owner 080")], TABLE_SIZE);
        assert!((narrowest - face.width("Owner", TABLE_SIZE)).abs() < 0.01);
        assert!((widest - face.width("Owner 080", TABLE_SIZE)).abs() < 0.01);
        let long = "a task long enough to wrap in its column on a narrow page ".repeat(3);
        let table = Table {
            header: vec![vec![Run::plain("Owner")], vec![Run::plain("Task")]],
            rows: vec![vec![vec![Run::plain("Owner 080")], vec![Run::plain(&long)]]],
        };
        let theme = Theme::new(None);
        let prepared = Preparer {
            family: &family,
            theme: &theme,
        }
        .table(&table, CONTENT_WIDTH);
        let total: f32 = prepared.columns.iter().sum();
        assert!((total - CONTENT_WIDTH).abs() < 0.1, "{total}");
        // The short column is not squeezed below its longest word…
        assert!(prepared.columns[0] >= narrowest + 2.0 * CELL_PAD_X);
        // …and the long text wraps in the wide one.
        assert!(prepared.rows[0].cells[1].len() > 1);
        assert_eq!(prepared.rows[0].cells[0].len(), 1);
    }

    #[test]
    fn brand_colours_are_darkened_until_readable() {
        let pale = Theme::new(Some("#ffd966"));
        assert!(colour::ratio(pale.brand, colour::PAGE) >= colour::AA);
        let dark = Theme::new(Some("#1f5f8b"));
        assert_eq!(dark.brand, (0x1f, 0x5f, 0x8b));
        assert_eq!(Theme::new(Some("nonsense")).brand, (0x1f, 0x4e, 0x79));
    }
}
