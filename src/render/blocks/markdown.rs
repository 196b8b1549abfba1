//! Section bodies: CommonMark parsed into blocks — paragraphs of bold,
//! italic and linked runs, nested lists, tables and the logo figure. Link
//! targets are mapped for the renderer (`policygen:policy/<id>` to the
//! sibling file, only web, mail and phone schemes or relative paths kept).

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::document::{LOGO_URL, POLICY_URL_PREFIX};
use crate::render::blocks::{Block, Link, List, Run, Style, Table, nfc};
use crate::render::markdown_options;

/// Where a Markdown link target points, if anywhere.
fn link_target(url: &str, extension: &str) -> Option<Link> {
    if let Some(id) = url.strip_prefix(POLICY_URL_PREFIX) {
        return Some(Link::Uri(format!("{id}.{extension}")));
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
///
/// Long on purpose: one loop over pulldown-cmark's events with a stack of
/// open containers (lists, items, quotes, tables) and the inline runs being
/// gathered; split up, every piece would take that whole state, and the
/// loop reads one event at a time as it is.
pub fn markdown(body: &str, extension: &str, out: &mut Vec<Block>) {
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
            Event::Start(Tag::Link { dest_url, .. }) => {
                inline.link.push(link_target(&dest_url, extension))
            }
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
        markdown(body, "pdf", &mut out);
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
