//! Typesetting: breaks the blocks into lines (UAX #14 break opportunities
//! from `unicode-linebreak`, widths from the font metrics) and places them on
//! A4 pages, keeping each heading with the start of what follows it, never
//! leaving one line of a paragraph alone at the foot or head of a page, and
//! repeating a table's header row on every page it crosses.
//!
//! The result is a [`Layout`]: positioned items per page, plus the logical
//! structure (the tag tree, in reading order), the outline and the link
//! anchors. Drawing it is `draw`'s job; nothing here knows about PDF objects.
//!
//! The stages, one file each: `linebreak` breaks runs into lines,
//! `measure` prepares each block for a width, `table` sizes and places
//! tables, `pager` places prepared blocks on pages, `tags` builds the tag
//! tree as it goes, and `front` sets the first page's front matter.

mod draft;
mod front;
mod linebreak;
mod measure;
mod memo;
mod pager;
mod table;
mod tags;

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use crate::document::Document;
use crate::render::blocks::{Block, Link};
use crate::render::pdf::fonts::{Family, Glyph, Style};
pub use crate::render::theme::{Rgb, Theme};

use self::measure::{Prep, Preparer};
use self::pager::Pager;

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

/// A piece of text positioned on a line, with its glyphs (shared with the
/// laid-out line it came from).
#[derive(Debug, Clone)]
pub struct Frag {
    pub x: f32,
    pub text: Arc<str>,
    pub glyphs: Arc<[Glyph]>,
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

/// A run of text within a line, before positioning: one style and link,
/// its glyphs ready to draw.
#[derive(Debug, Clone, PartialEq)]
struct Piece {
    text: Arc<str>,
    glyphs: Arc<[Glyph]>,
    style: Style,
    link: Option<Link>,
    width: f32,
    /// The width of its trailing white space.
    trailing: f32,
    /// Whether the face has a glyph for every character (else the pager
    /// names the missing ones).
    complete: bool,
}

/// One broken line: pieces left to right, width without trailing spaces.
/// The pieces are shared: a remembered line is handed out without copying.
#[derive(Debug, Clone, Default, PartialEq)]
struct Line {
    pieces: Arc<[Piece]>,
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
fn family() -> Family {
    Family::new(&crate::load::assets::FontFiles::bundled()).unwrap()
}
