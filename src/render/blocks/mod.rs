//! Turns a [`Document`] into the block list the PDF layout typesets and the
//! DOCX writer writes: the numbered section headings, each section body
//! parsed from its Markdown (paragraphs with bold and italic runs, nested
//! lists, tables, links), then related policies, the review history table,
//! the closing block and the staff acknowledgement sheet. Links to other
//! policies point at the sibling file of the renderer's own format.
//! Pure: a document in, blocks out. The first-page front matter is built by
//! each renderer straight from the document.

mod markdown;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use crate::document::{Document, sheet};

pub use self::markdown::markdown;

/// A text style: bold, italic, both or neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Style {
    pub bold: bool,
    pub italic: bool,
}

impl Style {
    pub const REGULAR: Style = Style {
        bold: false,
        italic: false,
    };
    pub const BOLD: Style = Style {
        bold: true,
        italic: false,
    };
}

/// Where a link goes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Link {
    /// An external URI, or a sibling document (`safeguarding.pdf`).
    Uri(String),
    /// A section of this document, by anchor (`section-4-1`) or id (`purpose`).
    Anchor(String),
}

/// A piece of text in one style.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Run {
    pub text: String,
    pub style: Style,
    pub link: Option<Link>,
}

impl Run {
    pub fn plain(text: &str) -> Run {
        Run::styled(text, Style::REGULAR)
    }

    pub fn styled(text: &str, style: Style) -> Run {
        Run {
            text: nfc(text),
            style,
            link: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Heading {
    /// 1 for top-level sections, up to 3.
    pub level: u8,
    /// `4.1`, or `1.` at the top level; none for unnumbered headings.
    pub number: Option<String>,
    pub title: String,
    /// Anchors a link can name: the section's anchor and id.
    pub anchors: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct List {
    /// The first number of a numbered list; `None` for bullets.
    pub start: Option<u64>,
    pub items: Vec<Vec<Block>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub header: Vec<Vec<Run>>,
    pub rows: Vec<Vec<Vec<Run>>>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading(Heading),
    Paragraph(Vec<Run>),
    List(List),
    Table(Table),
    /// The organisation's logo placed in a section body.
    Logo {
        alt: String,
    },
    /// The closing block: label/value lines and the copyright line, kept together.
    Closing {
        lines: Vec<Vec<Run>>,
        copyright: String,
    },
}

/// The body of a document, in reading order; links to other policies point
/// at their file with `extension` (`pdf`, `docx`) beside this one.
pub fn blocks(document: &Document, extension: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    for section in &document.sections {
        let level = section.level.clamp(1, 3) as u8;
        let number = if level == 1 {
            format!("{}.", section.number)
        } else {
            section.number.clone()
        };
        blocks.push(Block::Heading(Heading {
            level,
            number: Some(number),
            title: nfc(&section.title),
            anchors: vec![section.anchor.clone(), section.id.clone()],
        }));
        markdown(&section.body, extension, &mut blocks);
    }
    if !document.related.is_empty() && !document.related_in_body {
        blocks.push(unnumbered("Related policies", "related-policies"));
        let items = document
            .related
            .iter()
            .map(|r| {
                let mut title = Run::plain(&r.title);
                if r.built {
                    title.link = Some(Link::Uri(format!("{}.{extension}", r.id)));
                }
                let mut runs = vec![title];
                if let Some(code) = &r.code {
                    runs.push(Run::plain(&format!(" ({code})")));
                }
                vec![Block::Paragraph(runs)]
            })
            .collect();
        blocks.push(Block::List(List { start: None, items }));
    }
    blocks.push(unnumbered("Review history", "review-history"));
    if document.reviews.is_empty() {
        blocks.push(Block::Paragraph(vec![Run::plain(
            "No review has been recorded yet.",
        )]));
    } else {
        let cell = |text: &str| vec![Run::plain(text)];
        blocks.push(Block::Table(Table {
            header: ["Date", "Reviewed by", "Approved by", "Version", "Note"]
                .iter()
                .map(|h| vec![Run::styled(h, Style::BOLD)])
                .collect(),
            rows: document
                .reviews
                .iter()
                .map(|r| {
                    vec![
                        cell(&r.date),
                        cell(&r.by),
                        cell(&r.approved),
                        cell(&r.version),
                        cell(&r.note),
                    ]
                })
                .collect(),
        }));
    }
    let closing = &document.closing;
    let label = |text: &str| Run::styled(text, Style::BOLD);
    let responsible = if closing.responsible_person.is_empty() {
        closing.responsible_role.clone()
    } else {
        format!(
            "{}, {}",
            closing.responsible_person, closing.responsible_role
        )
    };
    blocks.push(Block::Closing {
        lines: vec![
            vec![label("Responsible person: "), Run::plain(&responsible)],
            vec![label("Reviewed on: "), Run::plain(&closing.reviewed_on)],
            vec![
                label("Next review date: "),
                Run::plain(&closing.next_review),
            ],
            vec![label("Approved by: "), Run::plain(&closing.approval)],
        ],
        copyright: nfc(&closing.copyright),
    });
    sheet(document, &mut blocks);
    blocks
}

/// The staff acknowledgement sheet: a heading the layout starts on a new
/// page, the roster and, on an approved document, blank rows to sign.
fn sheet(document: &Document, blocks: &mut Vec<Block>) {
    let sheet = &document.sheet;
    blocks.push(unnumbered(sheet.title, sheet::ANCHOR));
    blocks.push(Block::Paragraph(vec![Run::plain(&sheet.intro)]));
    let cell = |text: &str| vec![Run::plain(text)];
    let header = |titles: &[&str]| {
        titles
            .iter()
            .map(|h| vec![Run::styled(h, Style::BOLD)])
            .collect()
    };
    if !sheet.roster.is_empty() {
        let (header, rows) = if sheet.signable {
            (
                header(&["Name", "Role", &sheet.date_heading]),
                sheet
                    .roster
                    .iter()
                    .map(|p| vec![cell(&p.name), cell(&p.role), cell(&p.date)])
                    .collect(),
            )
        } else {
            (
                header(&["Name", "Role"]),
                sheet
                    .roster
                    .iter()
                    .map(|p| vec![cell(&p.name), cell(&p.role)])
                    .collect(),
            )
        };
        blocks.push(Block::Table(Table { header, rows }));
    }
    if sheet.signable {
        blocks.push(Block::Paragraph(vec![Run::plain(&sheet.declaration)]));
        // Rows with nothing in them: the layout gives them room to write in.
        blocks.push(Block::Table(Table {
            header: header(&["Name", "Signature", "Date"]),
            rows: sheet
                .blank_rows
                .iter()
                .map(|_| vec![Vec::new(), Vec::new(), Vec::new()])
                .collect(),
        }));
    }
}

fn unnumbered(title: &str, anchor: &str) -> Block {
    Block::Heading(Heading {
        level: 1,
        number: None,
        title: title.to_string(),
        anchors: vec![anchor.to_string()],
    })
}

/// Text in Unicode Normalization Form C, so `ŵ` is one character however it
/// was typed.
pub fn nfc(text: &str) -> String {
    if is_nfc_quick(text.chars()) == IsNormalized::Yes {
        text.to_string()
    } else {
        text.nfc().collect()
    }
}
