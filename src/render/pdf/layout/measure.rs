//! Measuring: each block prepared for a width (its lines broken, its list
//! labels and table columns sized), and the heights the pager needs to keep
//! headings with what follows and paragraphs from leaving a line alone.

use super::linebreak::break_lines;
use super::{
    BODY_LEADING, Font, ITEM_GAP, LOGO_HEIGHT_BODY, Line, PARA_GAP, Theme, body_font, heading_font,
};
use crate::render::blocks::{Block, Heading, List, Run};
use crate::render::pdf::fonts::Family;

/// A block measured for a given width.
#[derive(Debug)]
pub(super) enum Prep {
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
pub(super) struct PrepItem {
    pub(super) label: Line,
    pub(super) indent: f32,
    pub(super) blocks: Vec<Prep>,
}

#[derive(Debug)]
pub(super) struct PrepTable {
    pub(super) columns: Vec<f32>,
    pub(super) header: PrepRow,
    pub(super) rows: Vec<PrepRow>,
}

#[derive(Debug)]
pub(super) struct PrepRow {
    pub(super) cells: Vec<Vec<Line>>,
    pub(super) height: f32,
}

pub(super) struct Preparer<'a> {
    pub(super) family: &'a Family,
    pub(super) theme: &'a Theme,
}

impl Preparer<'_> {
    /// Measures a block; `depth` counts the lists around it.
    pub(super) fn block(&self, block: &Block, width: f32, depth: usize) -> Prep {
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
}

/// Lines of a paragraph that must start together on a page: all of a short
/// paragraph, else two (so no line is left alone at a page foot).
pub(super) fn min_lines(n: usize) -> usize {
    if n < 4 { n } else { 2 }
}

/// The height that must fit on a page before this block may start there.
pub(super) fn start_height(prep: &Prep, next: &[Prep]) -> f32 {
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
pub(super) fn whole_height(prep: &Prep) -> f32 {
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

pub(super) fn closing_height(lines: &[Vec<Line>], copyright: &[Line]) -> f32 {
    let body: usize = lines.iter().map(Vec::len).sum();
    14.0 + body as f32 * BODY_LEADING + 8.0 + copyright.len() as f32 * 13.0
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
