//! Tables: `Table Grid` with the theme's rules, a header row Word repeats
//! at the top of every page the table crosses (`w:tblHeader`, which also
//! marks it as the header for screen readers), rows that do not split
//! across pages, empty rows tall enough to sign in, and fixed column widths
//! shared out by the cells' text.

use crate::render::blocks::Run;
use crate::render::docx::Refs;
use crate::render::docx::body::{Para, runs};
use crate::render::docx::styles::{CONTENT_WIDTH, TABLE, TABLE_TEXT};
use crate::render::docx::xml::Xml;
use crate::render::theme::word_hex;

/// Twips one character of table text takes, roughly (9 pt Open Sans, bold).
const CHAR: u32 = 115;
/// Twips of cell margin, left and right together (see `styles`).
const PAD: u32 = 200;

/// Writes a table with a header row (none when `header` is empty).
pub fn table(x: &mut Xml, refs: &mut Refs, header: &[Vec<Run>], rows: &[Vec<Vec<Run>>]) {
    let columns = rows
        .iter()
        .map(Vec::len)
        .chain([header.len()])
        .max()
        .unwrap_or(0);
    if columns == 0 {
        return;
    }
    let total: u32 = CONTENT_WIDTH.parse().unwrap_or(9638);
    let widths = column_widths(header, rows, columns, total);
    x.open("w:tbl", &[]);
    x.open("w:tblPr", &[]);
    x.empty("w:tblStyle", &[("w:val", TABLE)]);
    x.empty("w:tblW", &[("w:w", &total.to_string()), ("w:type", "dxa")]);
    x.empty("w:tblLayout", &[("w:type", "fixed")]);
    x.empty(
        "w:tblLook",
        &[
            ("w:val", "04A0"),
            ("w:firstRow", "1"),
            ("w:lastRow", "0"),
            ("w:firstColumn", "0"),
            ("w:lastColumn", "0"),
            ("w:noHBand", "1"),
            ("w:noVBand", "1"),
        ],
    );
    x.close("w:tblPr");
    x.open("w:tblGrid", &[]);
    for width in &widths {
        x.empty("w:gridCol", &[("w:w", &width.to_string())]);
    }
    x.close("w:tblGrid");
    if !header.is_empty() {
        let tint = word_hex(refs.theme.tint);
        row(x, refs, header, &widths, Some(&tint));
    }
    for cells in rows {
        row(x, refs, cells, &widths, None);
    }
    x.close("w:tbl");
}

/// One row; `shade` marks the header row and fills its cells.
fn row(x: &mut Xml, refs: &mut Refs, cells: &[Vec<Run>], widths: &[u32], shade: Option<&str>) {
    x.open("w:tr", &[]);
    x.open("w:trPr", &[]);
    x.empty("w:cantSplit", &[]);
    if cells.iter().flatten().all(|run| run.text.is_empty()) {
        // A row with nothing in it is there to be written in by hand (the
        // staff sheet's signature rows): room for a signature.
        x.empty("w:trHeight", &[("w:val", "624"), ("w:hRule", "atLeast")]);
    }
    if shade.is_some() {
        x.empty("w:tblHeader", &[]);
    }
    x.close("w:trPr");
    for (i, width) in widths.iter().enumerate() {
        x.open("w:tc", &[]);
        x.open("w:tcPr", &[]);
        x.empty("w:tcW", &[("w:w", &width.to_string()), ("w:type", "dxa")]);
        if let Some(fill) = shade {
            x.empty(
                "w:shd",
                &[("w:val", "clear"), ("w:color", "auto"), ("w:fill", fill)],
            );
        }
        x.close("w:tcPr");
        // Every cell holds a paragraph, even an empty one.
        Para::styled(TABLE_TEXT).open(x);
        if let Some(text) = cells.get(i) {
            runs(x, refs, text);
        }
        x.close("w:p");
        x.close("w:tc");
    }
    x.close("w:tr");
}

fn text(runs: &[Run]) -> String {
    runs.iter().map(|r| r.text.as_str()).collect()
}

/// Column widths in twips summing to `total`: past the cell margins, each
/// column's share follows the length of its longest cell (up to a point),
/// but is never less than its longest word.
fn column_widths(
    header: &[Vec<Run>],
    rows: &[Vec<Vec<Run>>],
    columns: usize,
    total: u32,
) -> Vec<u32> {
    let mut least = vec![3u32; columns];
    let mut want = vec![3u32; columns];
    for cells in rows.iter().chain([header.to_vec()].iter()) {
        if cells.iter().flatten().all(|run| run.text.is_empty()) {
            // A row to write in by hand wants room in every column.
            for w in &mut want {
                *w = (*w).max(20);
            }
        }
        for (i, cell) in cells.iter().enumerate().take(columns) {
            let text = text(cell);
            let longest = text
                .split_whitespace()
                .map(|w| w.chars().count())
                .max()
                .unwrap_or(0);
            let length = text.chars().count();
            least[i] = least[i].max((longest as u32).min(25));
            want[i] = want[i].max((length as u32).min(60));
        }
    }
    let count = columns as u32;
    let room = total.saturating_sub(PAD * count);
    for i in 0..columns {
        want[i] = want[i].max(least[i]);
    }
    let sum: u32 = want.iter().sum();
    let mut shares: Vec<u32> = want.iter().map(|w| room * w / sum.max(1)).collect();
    // Columns squeezed below their longest word take it from the others.
    let floor: Vec<u32> = least.iter().map(|l| (l * CHAR).min(room / count)).collect();
    let short: u32 = (0..columns)
        .map(|i| floor[i].saturating_sub(shares[i]))
        .sum();
    if short > 0 {
        let spare: u32 = (0..columns)
            .filter(|&i| shares[i] > floor[i])
            .map(|i| shares[i] - floor[i])
            .sum();
        for i in 0..columns {
            shares[i] = if shares[i] <= floor[i] {
                floor[i]
            } else {
                shares[i] - (shares[i] - floor[i]) * short / spare.max(1)
            };
        }
    }
    let mut widths: Vec<u32> = shares.iter().map(|s| s + PAD).collect();
    // Rounding leftovers go to the last column, so the table fills the width.
    let used: u32 = widths.iter().sum();
    if let Some(last) = widths.last_mut() {
        *last = (*last + total).saturating_sub(used);
    }
    widths
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(texts: &[&str]) -> Vec<Vec<Run>> {
        texts.iter().map(|t| vec![Run::plain(t)]).collect()
    }

    #[test]
    fn widths_fill_the_page_and_follow_the_text() {
        let header = cells(&["Date", "Note"]);
        let rows = vec![cells(&[
            "14 March 2026",
            "A much longer note about what changed in this review",
        ])];
        let widths = column_widths(&header, &rows, 2, 9638);
        assert_eq!(widths.iter().sum::<u32>(), 9638);
        assert!(widths[1] > widths[0] * 2, "{widths:?}");
    }

    #[test]
    fn a_long_word_keeps_its_column_wide_enough() {
        let header = cells(&["A", "B", "C"]);
        let rows = vec![cells(&[
            "Supercalifragilistic",
            &"word ".repeat(20),
            &"word ".repeat(20),
        ])];
        let widths = column_widths(&header, &rows, 3, 9638);
        assert_eq!(widths.iter().sum::<u32>(), 9638);
        assert!(widths[0] >= 20 * CHAR + PAD, "{widths:?}");
    }
}
