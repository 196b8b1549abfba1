//! The pager: places prepared blocks on pages, top to bottom, as tagged
//! content, moving to a new page where a block's start would not fit.

use std::sync::Arc;

use super::measure::{Prep, closing_height, start_height, whole_height};
use super::tags::Tree;
use super::{
    BODY_LEADING, BOTTOM, CONTENT_WIDTH, EPSILON, Font, Frag, ITEM_GAP, Item, Kind,
    LOGO_HEIGHT_BODY, Layout, Line, MARGIN_X, Node, OutlineEntry, PARA_GAP, PageItems, TOP,
    TOP_FIRST, Theme, body_font,
};
use crate::document::sheet;
use crate::render::blocks::{Heading, Link};
use crate::render::pdf::fonts::{Family, Style};

/// Places prepared blocks on pages.
pub(super) struct Pager<'a> {
    pub(super) family: &'a Family,
    pub(super) theme: &'a Theme,
    pub(super) layout: Layout,
    pub(super) tree: Tree,
    pub(super) y: f32,
    pub(super) top: f32,
    /// The next paragraph goes straight into the open group, without a P.
    pub(super) bare_paragraph: bool,
    /// A link that ended a line: its target, page and item index there.
    pub(super) open_link: Option<(Link, usize, usize)>,
}

impl<'a> Pager<'a> {
    pub(super) fn new(family: &'a Family, theme: &'a Theme) -> Pager<'a> {
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

    pub(super) fn page(&self) -> usize {
        self.layout.pages.len() - 1
    }

    pub(super) fn push(&mut self, item: Item) {
        if let Some(page) = self.layout.pages.last_mut() {
            page.items.push(item);
        }
    }

    pub(super) fn at_top(&self) -> bool {
        self.y <= self.top + EPSILON
    }

    pub(super) fn new_page(&mut self) {
        self.layout.pages.push(PageItems::default());
        self.top = TOP;
        self.y = TOP;
    }

    /// Starts a new page unless `height` fits below the cursor (or the page is fresh).
    pub(super) fn fit(&mut self, height: f32) {
        if self.y + height > BOTTOM + EPSILON && !self.at_top() {
            self.new_page();
        }
    }

    pub(super) fn space(&mut self, height: f32) {
        if !self.at_top() {
            self.y += height;
        }
    }

    pub(super) fn content(&mut self) -> usize {
        self.layout.contents += 1;
        self.layout.contents - 1
    }

    pub(super) fn baseline(&self, font: Font) -> f32 {
        let face = self.family.face(Style::REGULAR);
        let ascent = face.ascender * font.size;
        let descent = face.descender * font.size;
        self.y + (font.leading - ascent - descent) / 2.0 + ascent
    }

    pub(super) fn check(&mut self, text: &str, style: Style) {
        let face = self.family.face(style);
        for c in text.chars() {
            if !face.covers(c) && !c.is_control() {
                self.layout.missing.insert(c);
            }
        }
    }

    /// Places one line at the cursor as tagged content (links get their own
    /// content and annotation) and moves down one leading.
    /// Long because a line is drawn run by run, and a run that is a link
    /// needs its own marked content, annotation rectangle and tag beside it.
    pub(super) fn line(&mut self, x: f32, line: &Line, font: Font) {
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
                if !piece.complete {
                    self.check(&piece.text, piece.style);
                }
                frags.push(Frag {
                    x: cursor,
                    text: Arc::clone(&piece.text),
                    glyphs: Arc::clone(&piece.glyphs),
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
                    let text: String = frags.iter().map(|f| &*f.text).collect();
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
    pub(super) fn lines(&mut self, x: f32, lines: &[Line], font: Font) {
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

    pub(super) fn blocks(&mut self, x: f32, preps: &[Prep]) {
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

    /// Places one prepared block. Long because it is one `match` over the
    /// block kinds (heading, paragraph, list, table, logo, closing block), each
    /// arm keeping its own rule for what may not be left at a page's foot.
    pub(super) fn block(&mut self, x: f32, prep: &Prep, next: &[Prep], gap: f32) {
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
                // The acknowledgement sheet starts a page of its own, to be
                // printed and signed.
                let sheet = |h: &Heading| h.anchors.iter().any(|a| a == sheet::ANCHOR);
                if sheet(heading) && !self.at_top() {
                    self.new_page();
                }
                self.space(*before);
                // The review history and closing block stay together on one
                // page when they can: the document's sign-off reads as a unit.
                let end_matter = heading.anchors.iter().any(|a| a == "review-history");
                let whole = whole_height(prep)
                    + next
                        .iter()
                        .take_while(
                            |p| !matches!(p, Prep::Heading { heading, .. } if sheet(heading)),
                        )
                        .map(whole_height)
                        .sum::<f32>();
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
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::render::blocks::{Block, Heading, Run};
    use crate::render::pdf::layout::family;
    use crate::render::pdf::layout::measure::Preparer;

    /// Lays out blocks without front matter; returns each top-level tag
    /// group's kind and the pages its content lines fell on.
    pub(super) fn placed(blocks: &[Block]) -> Vec<(Kind, Vec<usize>)> {
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

    pub(super) fn paragraph(words: usize) -> Block {
        Block::Paragraph(vec![Run::plain(
            "care and support ".repeat(words).trim_end(),
        )])
    }

    #[test]
    pub(super) fn headings_keep_with_their_first_lines_and_no_line_is_stranded() {
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
}
