//! Draws a [`Layout`] with krilla: every page's items as tagged content, the
//! running header and the `Page X of Y` footer as artifacts (drawn now that
//! the page count is known), link annotations, the nested outline, the
//! document metadata and the tag tree, validated against PDF/UA-1.

use std::num::NonZeroU16;

use krilla::action::{Action, LinkAction};
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::color::rgb;
use krilla::configure::{Accessibility, ConfigurationBuilder};
use krilla::destination::{Destination, XyzDestination};
use krilla::geom::{PathBuilder, Point, Quadrilateral, Rect, Size, Transform};
use krilla::image::Image;
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::surface::Surface;
use krilla::tagging::{
    Artifact, ArtifactType, ContentTag, Identifier, ListNumbering, SpanTag, TableHeaderScope, Tag,
    TagGroup, TagKind, TagTree,
};
use krilla::{Document as Pdf, SerializeSettings};

use crate::GENERATOR;
use crate::document::Document;
use crate::render::blocks::{Link, nfc};
use crate::render::pdf::fonts::{Family, Style};
use crate::render::pdf::layout::{
    BOTTOM, CONTENT_WIDTH, Frag, Item, Kind, Layout, MARGIN_X, MM, Node, OutlineEntry, PAGE_HEIGHT,
    PAGE_WIDTH, Rgb, TOP, Theme,
};

/// The running header's logo height.
const HEADER_LOGO: f32 = 9.0 * MM;
const HEADER_TOP: f32 = 11.0 * MM;
const FOOTER_BASELINE: f32 = PAGE_HEIGHT - 12.0 * MM;
/// The draft line, above the running header (whose logo starts at 11 mm).
const DRAFT_BASELINE: f32 = 7.5 * MM;
/// The draft mark's colour (as in the HTML): 9:1 against white.
pub const DRAFT_RED: Rgb = (0x8c, 0x1d, 0x18);
/// The zlib level of content streams and font programs. Level 2 (zlib-rs's
/// `deflate_fast`) compresses in half the instructions level 6 takes, for
/// files about 14% larger (measured on 300 generated documents: 31.3 MB at
/// level 6, 35.7 MB at level 2, 40.9 MB at level 1, whose static Huffman
/// trees cost more bytes than they save time). krilla fixes level 6;
/// `vendor/krilla` adds the setting (see vendor/README.md).
const COMPRESSION_LEVEL: u8 = 2;

/// What the drawing needs besides the layout.
pub struct Page<'a> {
    pub document: &'a Document<'a>,
    pub family: &'a Family,
    pub theme: &'a Theme,
    pub logo: Option<&'a Image>,
}

/// Why a PDF could not be written.
#[derive(Debug)]
pub enum DrawError {
    /// The logo's image data is damaged (its header read, its pixels did not).
    Logo(String),
    Other(String),
}

/// Draws the layout into PDF bytes, or says why krilla refused.
///
/// Long because it is krilla's document in the order krilla needs it:
/// pages with their tagged items, link annotations, the outline, the tag
/// tree, the metadata, then `finish`; each step uses what the one before made.
pub fn draw(layout: &Layout, page: &Page) -> Result<Vec<u8>, DrawError> {
    let configuration = ConfigurationBuilder::new()
        .with_accessibility_validator(Accessibility::UA1)
        .finish()
        .map_err(|e| DrawError::Other(format!("{e:?}")))?;
    let settings = SerializeSettings {
        configuration,
        enable_tagging: true,
        compression_level: COMPRESSION_LEVEL,
        // One byte for each of the common glyphs in the content streams
        // instead of two (vendor/krilla, `text/short_codes.rs`).
        short_glyph_codes: true,
        ..SerializeSettings::default()
    };
    let mut pdf = Pdf::new_with(settings);
    let frags = layout
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .flat_map(|item| match item {
            Item::Text { frags, .. } | Item::ArtifactText { frags, .. } => frags.as_slice(),
            _ => &[],
        });
    page.family
        .reserve(&mut pdf, frags.map(|f| (f.style, &*f.text, &*f.glyphs)));
    let total = layout.pages.len();
    let mut contents: Vec<Option<Identifier>> = vec![None; layout.contents];
    let mut annots: Vec<Option<Identifier>> = vec![None; layout.annots];
    let size = Size::from_wh(PAGE_WIDTH, PAGE_HEIGHT)
        .ok_or_else(|| DrawError::Other("bad page size".into()))?;
    for (index, items) in layout.pages.iter().enumerate() {
        let mut pdf_page = pdf.start_page_with(PageSettings::new(size));
        let mut links = Vec::new();
        {
            let mut surface = pdf_page.surface();
            if index > 0 {
                running_header(&mut surface, page);
            }
            draft_line(&mut surface, page);
            footer(&mut surface, page, index, total);
            for item in &items.items {
                match item {
                    Item::Text {
                        content,
                        baseline,
                        frags,
                    } => {
                        let id = surface.start_tagged(ContentTag::Span(SpanTag::empty()));
                        text(&mut surface, page.family, *baseline, frags);
                        surface.end_tagged();
                        contents[*content] = Some(id);
                    }
                    Item::ArtifactText { baseline, frags } => {
                        surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(
                            ArtifactType::PaginationOther,
                        )));
                        text(&mut surface, page.family, *baseline, frags);
                        surface.end_tagged();
                    }
                    Item::Rect {
                        x,
                        y,
                        width,
                        height,
                        colour,
                    } => {
                        surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(
                            ArtifactType::Layout,
                        )));
                        rect(&mut surface, *x, *y, *width, *height, *colour);
                        surface.end_tagged();
                    }
                    Item::Logo {
                        content,
                        x,
                        y,
                        height,
                    } => {
                        let id = surface.start_tagged(ContentTag::Other);
                        if let Some(logo) = page.logo {
                            image(&mut surface, logo, *x, *y, *height);
                        }
                        surface.end_tagged();
                        contents[*content] = Some(id);
                    }
                    Item::Link { .. } => links.push(item),
                }
            }
            surface.finish();
        }
        for link in links {
            if let Item::Link {
                annot,
                rects,
                target,
                alt,
            } = link
            {
                let areas: Vec<Rect> = rects
                    .iter()
                    .filter_map(|[x, y, w, h]| Rect::from_xywh(*x, *y, *w, *h))
                    .collect();
                let Some(first) = areas.first().copied() else {
                    continue;
                };
                let target = match target {
                    Link::Uri(uri) => Target::Action(Action::Link(LinkAction::new(uri.clone()))),
                    Link::Anchor(anchor) => {
                        let (page_index, y) = layout
                            .anchors
                            .get(anchor)
                            .copied()
                            .or_else(|| layout.anchors.get("top").copied())
                            .unwrap_or((0, 0.0));
                        Target::Destination(Destination::Xyz(XyzDestination::new(
                            page_index,
                            Point::from_xy(MARGIN_X, y),
                        )))
                    }
                };
                let link = if areas.len() == 1 {
                    LinkAnnotation::new(first, target)
                } else {
                    LinkAnnotation::new_with_quad_points(
                        areas.into_iter().map(Quadrilateral::from).collect(),
                        target,
                    )
                };
                let alt = if alt.is_empty() {
                    "Link".to_string()
                } else {
                    alt.clone()
                };
                let annotation = Annotation::new_link(link, Some(alt));
                annots[*annot] = Some(pdf_page.add_tagged_annotation(annotation));
            }
        }
        pdf_page.finish();
    }

    let mut outline = Outline::new();
    for node in outline_nodes(&layout.outline) {
        outline.push_child(node);
    }
    pdf.set_outline(outline);
    pdf.set_metadata(metadata(page.document));
    let mut tree = TagTree::new().with_lang(Some(page.document.lang.clone()));
    for node in &layout.tree {
        if let Some(node) = tag_node(node, &mut contents, &mut annots) {
            tree.push(node);
        }
    }
    pdf.set_tag_tree(tree);
    pdf.finish().map_err(|e| match e {
        krilla::error::KrillaError::Validation(errors) => DrawError::Other(format!(
            "PDF/UA-1 validation failed: {}",
            errors
                .iter()
                .map(|(error, _)| format!("{error:?}"))
                .collect::<Vec<_>>()
                .join("; ")
        )),
        krilla::error::KrillaError::Image(_, _, message) => DrawError::Logo(message),
        other => DrawError::Other(other.to_string()),
    })
}

fn metadata(document: &Document) -> Metadata {
    let title = nfc(&document.policy.title);
    Metadata::new()
        .title(title.clone())
        .authors(vec![nfc(&document.org.name)])
        .description(format!(
            "{title} ({}, version {}) for {}; {}, next review {}{}",
            document.policy.code,
            document.policy.version,
            document.org.name,
            if document.schedule.last_review.is_some() {
                format!("last reviewed {}", document.dates.last_update)
            } else {
                document.dates.last_update.to_lowercase()
            },
            document.dates.next_review,
            document
                .approval
                .draft
                .as_ref()
                .map(|d| format!("; {}", d.running))
                .unwrap_or_default()
        ))
        .language(document.lang.clone())
        .creator(GENERATOR.to_string())
}

/// Nests the flat outline entries by level.
fn outline_nodes(entries: &[OutlineEntry]) -> Vec<OutlineNode> {
    let mut nodes = Vec::new();
    let mut i = 0;
    while i < entries.len() {
        let entry = &entries[i];
        let end = entries[i + 1..]
            .iter()
            .position(|e| e.level <= entry.level)
            .map_or(entries.len(), |p| i + 1 + p);
        let mut node = OutlineNode::new(
            entry.title.clone(),
            XyzDestination::new(entry.page, Point::from_xy(MARGIN_X, entry.y)),
        );
        let children = outline_nodes(&entries[i + 1..end]);
        if !children.is_empty() {
            node = node.with_open(true);
        }
        for child in children {
            node.push_child(child);
        }
        nodes.push(node);
        i = end;
    }
    nodes
}

fn tag_node(
    node: &Node,
    contents: &mut [Option<Identifier>],
    annots: &mut [Option<Identifier>],
) -> Option<krilla::tagging::Node> {
    match node {
        Node::Content(id) => contents.get_mut(*id)?.take().map(Into::into),
        Node::Annot(id) => annots.get_mut(*id)?.take().map(Into::into),
        Node::Group(kind, children) => {
            let children: Vec<krilla::tagging::Node> = children
                .iter()
                .filter_map(|c| tag_node(c, contents, annots))
                .collect();
            if children.is_empty() {
                return None;
            }
            Some(TagGroup::with_children(tag_kind(kind), children).into())
        }
    }
}

fn tag_kind(kind: &Kind) -> TagKind {
    match kind {
        Kind::H(level, title) => Tag::Hn(
            NonZeroU16::new(*level).unwrap_or(NonZeroU16::MIN),
            Some(title.clone()),
        )
        .into(),
        Kind::P => Tag::P.into(),
        Kind::L(numbered) => Tag::L(if *numbered {
            ListNumbering::Decimal
        } else {
            ListNumbering::Disc
        })
        .into(),
        Kind::LI => Tag::LI.into(),
        Kind::Lbl => Tag::Lbl.into(),
        Kind::LBody => Tag::LBody.into(),
        Kind::Table => Tag::Table.into(),
        Kind::TR => Tag::TR.into(),
        Kind::TH(row) => Tag::TH(if *row {
            TableHeaderScope::Row
        } else {
            TableHeaderScope::Column
        })
        .into(),
        Kind::TD => Tag::TD.into(),
        Kind::Figure(alt) => Tag::Figure(Some(alt.clone())).into(),
        Kind::Link => Tag::Link.into(),
    }
}

fn fill(colour: Rgb) -> Fill {
    Fill {
        paint: rgb::Color::new(colour.0, colour.1, colour.2).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

fn text(surface: &mut Surface, family: &Family, baseline: f32, frags: &[Frag]) {
    for frag in frags {
        let face = family.face(frag.style);
        if frag.glyphs.is_empty() {
            continue;
        }
        surface.set_fill(Some(fill(frag.colour)));
        surface.draw_glyphs(
            Point::from_xy(frag.x, baseline),
            &frag.glyphs,
            face.font.clone(),
            &frag.text,
            frag.size,
            false,
        );
    }
}

fn rect(surface: &mut Surface, x: f32, y: f32, width: f32, height: f32, colour: Rgb) {
    let Some(area) = Rect::from_xywh(x, y, width, height) else {
        return;
    };
    let mut builder = PathBuilder::new();
    builder.push_rect(area);
    if let Some(path) = builder.finish() {
        surface.set_fill(Some(fill(colour)));
        surface.draw_path(&path);
    }
}

fn image(surface: &mut Surface, logo: &Image, x: f32, y: f32, height: f32) {
    let (w, h) = logo.size();
    let width = height * w as f32 / (h as f32).max(1.0);
    if let Some(size) = Size::from_wh(width, height) {
        surface.push_transform(&Transform::from_translate(x, y));
        surface.draw_image(logo.clone(), size);
        surface.pop();
    }
}

/// One line of artifact text at `x` (or ending at `x` when `right`).
fn note(surface: &mut Surface, page: &Page, x: f32, baseline: f32, line: &str, style: Style) {
    let size = 8.5;
    let frag = Frag {
        x,
        text: line.into(),
        glyphs: page.family.face(style).glyphs(line).into(),
        style,
        size,
        colour: if style.bold {
            page.theme.text
        } else {
            page.theme.muted
        },
    };
    text(surface, page.family, baseline, &[frag]);
}

fn right_aligned(page: &Page, right: f32, line: &str, style: Style) -> f32 {
    right - page.family.face(style).width(line, 8.5)
}

/// The running header of pages after the first: logo, organisation, title.
fn running_header(surface: &mut Surface, page: &Page) {
    surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(
        ArtifactType::Header,
    )));
    let mut x = MARGIN_X;
    let middle = HEADER_TOP + HEADER_LOGO / 2.0;
    if let Some(logo) = page.logo {
        let (w, h) = logo.size();
        image(surface, logo, x, HEADER_TOP, HEADER_LOGO);
        x += HEADER_LOGO * w as f32 / (h as f32).max(1.0) + 4.0 * MM;
    }
    let baseline = middle + 3.0;
    let right = MARGIN_X + CONTENT_WIDTH;
    let title = nfc(&page.document.policy.title);
    let title_x = right_aligned(page, right, &title, Style::REGULAR);
    let name = nfc(&page.document.org.name);
    // A long name gives way to the title rather than running into it.
    let name = fit_text(page, &name, Style::BOLD, (title_x - 6.0 * MM - x).max(40.0));
    note(surface, page, x, baseline, &name, Style::BOLD);
    note(surface, page, title_x, baseline, &title, Style::REGULAR);
    let rule_y = TOP - 5.0 * MM;
    rect(
        surface,
        MARGIN_X,
        rule_y,
        CONTENT_WIDTH,
        0.6,
        page.theme.rule,
    );
    surface.end_tagged();
}

/// The draft mark's running line at the top of every page while the
/// document is not approved: a watermark artifact, so it is seen on every
/// printed page and read once (from the first page's tagged mark).
fn draft_line(surface: &mut Surface, page: &Page) {
    let Some(mark) = &page.document.approval.draft else {
        return;
    };
    surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(
        ArtifactType::Watermark,
    )));
    let line = nfc(&mark.running);
    let line = fit_text(page, &line, Style::BOLD, CONTENT_WIDTH);
    let x = MARGIN_X + (CONTENT_WIDTH - page.family.face(Style::BOLD).width(&line, 8.5)) / 2.0;
    let frag = Frag {
        x,
        glyphs: page.family.face(Style::BOLD).glyphs(&line).into(),
        text: line.into(),
        style: Style::BOLD,
        size: 8.5,
        colour: DRAFT_RED,
    };
    text(surface, page.family, DRAFT_BASELINE, &[frag]);
    surface.end_tagged();
}

/// Shortens `text` with an ellipsis until it fits `width`.
fn fit_text(page: &Page, text: &str, style: Style, width: f32) -> String {
    page.family.face(style).ellipsize(text, 8.5, width)
}

/// The footer of every page: reference, version, next review; page X of Y.
fn footer(surface: &mut Surface, page: &Page, index: usize, total: usize) {
    surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(
        ArtifactType::Footer,
    )));
    let document = page.document;
    rect(
        surface,
        MARGIN_X,
        BOTTOM + 5.0 * MM,
        CONTENT_WIDTH,
        0.6,
        page.theme.rule,
    );
    let left = format!(
        "{}  ·  Version {}  ·  Next review {}",
        document.policy.code, document.policy.version, document.dates.next_review
    );
    note(
        surface,
        page,
        MARGIN_X,
        FOOTER_BASELINE,
        &left,
        Style::REGULAR,
    );
    let count = format!("Page {} of {total}", index + 1);
    let x = right_aligned(page, MARGIN_X + CONTENT_WIDTH, &count, Style::REGULAR);
    note(surface, page, x, FOOTER_BASELINE, &count, Style::REGULAR);
    surface.end_tagged();
}
