//! The first page's front matter: the logo, the organisation's name and
//! contact details beside it, the policy title and a table of key facts.

use super::linebreak::break_lines;
use super::measure::Preparer;
use super::pager::Pager;
use super::{CONTENT_WIDTH, Font, Item, Kind, LOGO_HEIGHT_FIRST, Line, MARGIN_X, MM, Node};
use crate::document::Document;
use crate::render::blocks::{Run, Table, nfc};
use crate::render::pdf::fonts::Style;

impl Pager<'_> {
    /// The first page's front matter: logo, organisation, title, key facts.
    ///
    /// Long because it is the page read top to bottom: each piece placed
    /// under the one before, with its own font, colour and tag.
    pub(super) fn front(&mut self, document: &Document, logo: Option<(f32, f32)>) {
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
        if let Some(mark) = &document.approval.draft {
            self.draft_box(mark);
        }
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
