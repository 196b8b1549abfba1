//! Tables: column widths from each column's narrowest and widest need,
//! rows broken into lines, and rows placed on pages with the header row
//! repeated (as an artifact) on every page a table crosses.

use std::sync::Arc;

use unicode_linebreak::{BreakOpportunity, linebreaks};

use super::linebreak::break_lines;
use super::measure::{PrepRow, PrepTable, Preparer};
use super::pager::Pager;
use super::{
    BOTTOM, CELL_PAD_X, CELL_PAD_Y, EPSILON, Font, Frag, Item, Kind, Line, TABLE_LEADING,
    TABLE_SIZE,
};
use crate::render::blocks::{Run, Table};
use crate::render::pdf::fonts::Family;

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

impl Preparer<'_> {
    pub(super) fn table(&self, table: &Table, width: f32) -> PrepTable {
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
            // A row with nothing in it is there to be written in by hand
            // (the acknowledgement sheet's signature rows): room for a signature.
            let blank = cells.iter().flatten().all(|run| run.text.is_empty());
            let cells: Vec<Vec<Line>> = (0..columns)
                .map(|i| {
                    let runs = cells.get(i).map_or(&[][..], Vec::as_slice);
                    break_lines(self.family, runs, font, widths[i] - pad)
                })
                .collect();
            let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
            let lines = if blank { 2 } else { lines };
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

impl Pager<'_> {
    pub(super) fn table(&mut self, x: f32, table: &PrepTable) {
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
    pub(super) fn row(
        &mut self,
        x: f32,
        table: &PrepTable,
        row: &PrepRow,
        header: bool,
        repeat: bool,
    ) {
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
                                text: Arc::clone(&p.text),
                                glyphs: Arc::clone(&p.glyphs),
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::blocks::Block;
    use crate::render::pdf::fonts::Style;
    use crate::render::pdf::layout::{CONTENT_WIDTH, MARGIN_X, Theme, family};

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
    pub(super) fn table_columns_fit_their_longest_word_and_share_the_rest() {
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
}
