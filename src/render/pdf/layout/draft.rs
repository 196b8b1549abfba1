//! The first page's draft mark: a framed notice above the title saying the
//! document is not yet approved and why, with a link to the redline page
//! while changes await approval. Real content (tagged paragraphs), unlike the
//! running line `draw` repeats on every page.

use super::linebreak::break_lines;
use super::pager::Pager;
use super::{BODY_LEADING, BODY_SIZE, CONTENT_WIDTH, Font, Item, Kind, MARGIN_X, MM};
use crate::control::mark::DraftMark;
use crate::render::pdf::blocks::{Link, Run};
use crate::render::pdf::fonts::Style;

/// The mark's colour, as in the HTML's `.draft-mark`.
const RED: (u8, u8, u8) = (0x8c, 0x1d, 0x18);
const PALE: (u8, u8, u8) = (0xfd, 0xf1, 0xf0);

impl Pager<'_> {
    /// Places the mark at the cursor and moves below it.
    pub(super) fn draft_box(&mut self, mark: &DraftMark) {
        let pad = 3.5 * MM;
        let bar = 2.2 * MM;
        let x = MARGIN_X + bar + pad;
        let width = CONTENT_WIDTH - bar - 2.0 * pad;
        let title_font = Font {
            size: 11.0,
            leading: 15.0,
            colour: RED,
            force_bold: true,
        };
        let body = Font {
            size: BODY_SIZE,
            leading: BODY_LEADING,
            colour: self.theme.text,
            force_bold: false,
        };
        let title = break_lines(self.family, &[Run::plain(&mark.title)], title_font, width);
        let mut runs = vec![Run::plain(&mark.reason)];
        if let Some(file) = &mark.changes_file {
            runs.push(Run::plain(" "));
            let mut link = Run::styled(&mark.changes_label, Style::REGULAR);
            link.link = Some(Link::Uri(file.clone()));
            runs.push(link);
            runs.push(Run::plain("."));
        }
        let reason = break_lines(self.family, &runs, body, width);
        let height = 2.0 * pad
            + title.len() as f32 * title_font.leading
            + 1.5
            + reason.len() as f32 * body.leading;
        let top = self.y;
        for (x, width, colour) in [(MARGIN_X, CONTENT_WIDTH, PALE), (MARGIN_X, bar, RED)] {
            self.push(Item::Rect {
                x,
                y: top,
                width,
                height,
                colour,
            });
        }
        self.y += pad;
        self.tree.open(Kind::P);
        for line in &title {
            self.line(x, line, title_font);
        }
        self.tree.close();
        self.y += 1.5;
        self.tree.open(Kind::P);
        for line in &reason {
            self.line(x, line, body);
        }
        self.tree.close();
        self.y = top + height + 7.0 * MM;
    }
}
