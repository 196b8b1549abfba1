//! Turns a [`Document`] into the block list the PDF layout typesets: the
//! numbered section headings, each section body parsed from its Markdown
//! (paragraphs with bold and italic runs, nested lists, tables, links), then
//! related policies, the review history table, the closing block and the
//! staff acknowledgement sheet.
//! Pure: a document in, blocks out. The first-page front matter is built by
//! the layout straight from the document.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use crate::document::{Document, LOGO_URL, POLICY_URL_PREFIX, sheet};
use crate::render::markdown_options;
use crate::render::pdf::fonts::Style;

/// Where a link goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// An external URI, or a sibling PDF (`safeguarding.pdf`).
    Uri(String),
    /// A section of this document, by anchor (`section-4-1`) or id (`purpose`).
    Anchor(String),
}

/// A piece of text in one style.
#[derive(Debug, Clone, PartialEq)]
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

/// The body of a document, in reading order.
pub fn blocks(document: &Document) -> Vec<Block> {
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
        markdown(&section.body, &mut blocks);
    }
    if !document.related.is_empty() && !document.related_in_body {
        blocks.push(unnumbered("Related policies", "related-policies"));
        let items = document
            .related
            .iter()
            .map(|r| {
                let mut title = Run::plain(&r.title);
                if r.built {
                    title.link = Some(Link::Uri(format!("{}.pdf", r.id)));
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
        blocks.push(Block::Paragraph(vec![Run::plain(&format!(
            "No review has been recorded yet; this document is dated from its build on {}.",
            document.dates.build
        ))]));
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
                        cell(&r.approved_by),
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
    let approved = if closing.approved_by.is_empty() {
        "not recorded".to_string()
    } else {
        closing.approved_by.clone()
    };
    blocks.push(Block::Closing {
        lines: vec![
            vec![label("Responsible person: "), Run::plain(&responsible)],
            vec![label("Reviewed on: "), Run::plain(&closing.reviewed_on)],
            vec![
                label("Next review date: "),
                Run::plain(&closing.next_review),
            ],
            vec![label("Approved by: "), Run::plain(&approved)],
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

/// Where a Markdown link target points in the PDF, if anywhere.
fn link_target(url: &str) -> Option<Link> {
    if let Some(id) = url.strip_prefix(POLICY_URL_PREFIX) {
        return Some(Link::Uri(format!("{id}.pdf")));
    }
    if url == LOGO_URL || url.is_empty() {
        return None;
    }
    if let Some(anchor) = url.strip_prefix('#') {
        return Some(Link::Anchor(anchor.to_string()));
    }
    let lower = url.to_ascii_lowercase();
    let allowed = ["http://", "https://", "mailto:", "tel:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme));
    let relative = !lower.contains(':');
    (allowed || relative).then(|| Link::Uri(url.to_string()))
}

/// Collects inline runs, merging neighbours of the same style and link.
#[derive(Default)]
struct Inline {
    runs: Vec<Run>,
    bold: usize,
    italic: usize,
    link: Vec<Option<Link>>,
}

impl Inline {
    fn push(&mut self, text: &str) {
        let style = Style {
            bold: self.bold > 0,
            italic: self.italic > 0,
        };
        let link = self.link.last().cloned().flatten();
        if let Some(last) = self.runs.last_mut()
            && last.style == style
            && last.link == link
        {
            last.text.push_str(&nfc(text));
            return;
        }
        self.runs.push(Run {
            text: nfc(text),
            style,
            link,
        });
    }

    fn take(&mut self) -> Vec<Run> {
        std::mem::take(&mut self.runs)
    }
}

#[derive(Default)]
struct TableBuilder {
    header: Vec<Vec<Run>>,
    rows: Vec<Vec<Vec<Run>>>,
    row: Vec<Vec<Run>>,
}

/// Appends the blocks of one Markdown section body to `out`.
pub fn markdown(body: &str, out: &mut Vec<Block>) {
    let mut containers: Vec<Vec<Block>> = vec![Vec::new()];
    let mut lists: Vec<List> = Vec::new();
    let mut table: Option<TableBuilder> = None;
    let mut inline = Inline::default();
    let mut image: Option<(String, String)> = None;

    fn flush(inline: &mut Inline, containers: &mut [Vec<Block>]) {
        let runs = inline.take();
        if runs.iter().any(|r| !r.text.trim().is_empty())
            && let Some(container) = containers.last_mut()
        {
            container.push(Block::Paragraph(trim_runs(runs)));
        }
    }

    for event in Parser::new_ext(body, markdown_options()) {
        if let Some((_, alt)) = &mut image {
            match event {
                Event::End(TagEnd::Image) => {
                    let (url, alt) = image.take().unwrap_or_default();
                    if url == LOGO_URL {
                        flush(&mut inline, &mut containers);
                        if let Some(container) = containers.last_mut() {
                            container.push(Block::Logo { alt: nfc(&alt) });
                        }
                    } else if !alt.is_empty() {
                        inline.push(&alt);
                    }
                }
                Event::Text(text) | Event::Code(text) => alt.push_str(&text),
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) if table.is_none() => {
                flush(&mut inline, &mut containers)
            }
            Event::Start(Tag::Heading { .. }) => flush(&mut inline, &mut containers),
            Event::End(TagEnd::Heading(_)) => {
                let mut runs = inline.take();
                for run in &mut runs {
                    run.style.bold = true;
                }
                if let Some(container) = containers.last_mut() {
                    container.push(Block::Paragraph(trim_runs(runs)));
                }
            }
            Event::Start(Tag::List(start)) => {
                flush(&mut inline, &mut containers);
                lists.push(List {
                    start,
                    items: Vec::new(),
                });
            }
            Event::End(TagEnd::List(_)) => {
                if let Some(list) = lists.pop()
                    && let Some(container) = containers.last_mut()
                {
                    container.push(Block::List(list));
                }
            }
            Event::Start(Tag::Item) => {
                flush(&mut inline, &mut containers);
                containers.push(Vec::new());
            }
            Event::End(TagEnd::Item) => {
                flush(&mut inline, &mut containers);
                if containers.len() > 1
                    && let Some(item) = containers.pop()
                    && let Some(list) = lists.last_mut()
                {
                    list.items.push(item);
                }
            }
            Event::Start(Tag::Table(_)) => {
                flush(&mut inline, &mut containers);
                table = Some(TableBuilder::default());
            }
            Event::End(TagEnd::Table) => {
                if let Some(t) = table.take()
                    && let Some(container) = containers.last_mut()
                {
                    container.push(Block::Table(Table {
                        header: t.header,
                        rows: t.rows,
                    }));
                }
            }
            Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => {
                if let Some(t) = &mut table {
                    t.row.clear();
                }
            }
            Event::End(TagEnd::TableHead) => {
                if let Some(t) = &mut table {
                    t.header = std::mem::take(&mut t.row);
                    for cell in &mut t.header {
                        for run in cell {
                            run.style.bold = true;
                        }
                    }
                }
            }
            Event::End(TagEnd::TableRow) => {
                if let Some(t) = &mut table {
                    let row = std::mem::take(&mut t.row);
                    t.rows.push(row);
                }
            }
            Event::Start(Tag::TableCell) => {
                inline.take();
            }
            Event::End(TagEnd::TableCell) => {
                let runs = trim_runs(inline.take());
                if let Some(t) = &mut table {
                    t.row.push(runs);
                }
            }
            Event::Start(Tag::Emphasis) => inline.italic += 1,
            Event::End(TagEnd::Emphasis) => inline.italic = inline.italic.saturating_sub(1),
            Event::Start(Tag::Strong) => inline.bold += 1,
            Event::End(TagEnd::Strong) => inline.bold = inline.bold.saturating_sub(1),
            Event::Start(Tag::Link { dest_url, .. }) => inline.link.push(link_target(&dest_url)),
            Event::End(TagEnd::Link) => {
                inline.link.pop();
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                image = Some((dest_url.to_string(), String::new()));
            }
            Event::Text(text)
            | Event::Code(text)
            | Event::Html(text)
            | Event::InlineHtml(text)
            | Event::InlineMath(text)
            | Event::DisplayMath(text) => inline.push(&text),
            Event::SoftBreak => inline.push(" "),
            Event::HardBreak => inline.push("\n"),
            Event::Rule => flush(&mut inline, &mut containers),
            Event::End(TagEnd::CodeBlock) | Event::End(TagEnd::HtmlBlock) => {
                flush(&mut inline, &mut containers)
            }
            _ => {}
        }
    }
    flush(&mut inline, &mut containers);
    // Close anything a malformed body left open, innermost first.
    while containers.len() > 1 {
        if let Some(item) = containers.pop()
            && let Some(list) = lists.last_mut()
        {
            list.items.push(item);
        }
    }
    while let Some(list) = lists.pop() {
        containers[0].push(Block::List(list));
    }
    out.append(&mut containers[0]);
}

/// Drops leading and trailing white space (a code block's final newline).
fn trim_runs(mut runs: Vec<Run>) -> Vec<Run> {
    if let Some(first) = runs.first_mut() {
        first.text = first.text.trim_start().to_string();
    }
    if let Some(last) = runs.last_mut() {
        last.text = last.text.trim_end().to_string();
    }
    runs.retain(|r| !r.text.is_empty());
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(body: &str) -> Vec<Block> {
        let mut out = Vec::new();
        markdown(body, &mut out);
        out
    }

    fn text(runs: &[Run]) -> String {
        runs.iter().map(|r| r.text.as_str()).collect()
    }

    #[test]
    fn paragraphs_keep_bold_and_italic_runs() {
        let blocks = parse("Plain **bold** and *italic*\ntext.\n\nSecond.");
        let Block::Paragraph(runs) = &blocks[0] else {
            panic!("{blocks:?}")
        };
        assert_eq!(text(runs), "Plain bold and italic text.");
        assert_eq!(runs[1].style, Style::BOLD);
        assert!(runs[3].style.italic && !runs[3].style.bold);
        assert_eq!(blocks.len(), 2);
    }

    #[test]
    fn lists_nest_and_keep_their_numbering() {
        let blocks = parse("3. one\n4. two\n   - inner a\n   - inner b\n\n     more\n");
        let Block::List(list) = &blocks[0] else {
            panic!("{blocks:?}")
        };
        assert_eq!(list.start, Some(3));
        assert_eq!(list.items.len(), 2);
        let Block::List(inner) = &list.items[1][1] else {
            panic!("{:?}", list.items[1])
        };
        assert_eq!(inner.start, None);
        assert_eq!(inner.items.len(), 2);
        assert_eq!(
            inner.items[1].len(),
            2,
            "a loose item keeps both paragraphs"
        );
    }

    #[test]
    fn tables_have_a_bold_header_and_rows() {
        let blocks = parse("| A | B |\n|---|---|\n| 1 | *2* |\n| 3 | 4 |\n");
        let Block::Table(table) = &blocks[0] else {
            panic!("{blocks:?}")
        };
        assert_eq!(table.header.len(), 2);
        assert!(table.header[0][0].style.bold);
        assert_eq!(table.rows.len(), 2);
        assert!(table.rows[0][1][0].style.italic);
    }

    #[test]
    fn links_map_to_uris_sections_and_sibling_pdfs() {
        let blocks = parse(
            "[a](https://example.org) [b](#section-2) [c](policygen:policy/safeguarding) [d](javascript:alert(1))",
        );
        let Block::Paragraph(runs) = &blocks[0] else {
            panic!()
        };
        let links: Vec<_> = runs.iter().filter_map(|r| r.link.clone()).collect();
        assert_eq!(
            links,
            [
                Link::Uri("https://example.org".into()),
                Link::Anchor("section-2".into()),
                Link::Uri("safeguarding.pdf".into()),
            ]
        );
        assert_eq!(text(runs), "a b c d");
    }

    #[test]
    fn escaped_markup_stays_literal() {
        let blocks = parse(r"\*\*not bold\*\* \<b\> \[x\](y)");
        let Block::Paragraph(runs) = &blocks[0] else {
            panic!()
        };
        assert_eq!(text(runs), "**not bold** <b> [x](y)");
        assert!(runs.iter().all(|r| r.style == Style::REGULAR));
    }

    #[test]
    fn text_is_normalised_to_nfc() {
        let blocks = parse("Tw\u{0302}r");
        let Block::Paragraph(runs) = &blocks[0] else {
            panic!()
        };
        assert_eq!(runs[0].text, "Tŵr");
    }

    #[test]
    fn the_logo_placeholder_becomes_a_figure() {
        let blocks = parse("Intro.\n\n![Home logo](policygen:logo)\n");
        assert_eq!(
            blocks[1],
            Block::Logo {
                alt: "Home logo".into()
            }
        );
    }
}
