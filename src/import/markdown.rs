//! The Markdown reader: every line kept as Markdown, and headings (`#` and
//! underlined ones) found by a CommonMark parser, so a `#` inside a code
//! block or a paragraph is not taken for one. A heading's line carries its
//! plain text; the lines of an underlined heading after the first are blank.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::import::{Line, Style, text};

pub fn read(source: &str) -> Vec<Line> {
    let cleaned: Vec<String> = text::lines(source).collect();
    let mut lines: Vec<Line> = cleaned
        .iter()
        .enumerate()
        .map(|(i, raw)| Line {
            no: i + 1,
            raw: raw.clone(),
            markdown: Some(raw.clone()),
            style: Style::Plain,
            anchor: None,
        })
        .collect();
    let joined = cleaned.join("\n");
    let starts: Vec<usize> = std::iter::once(0)
        .chain(joined.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| starts.partition_point(|&s| s <= offset).saturating_sub(1);

    let mut heading: Option<(u8, usize, usize, String)> = None;
    for (event, range) in
        Parser::new_ext(&joined, crate::render::markdown_options()).into_offset_iter()
    {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let end = range.end.saturating_sub(1).max(range.start);
                heading = Some((
                    level as u8,
                    line_of(range.start),
                    line_of(end),
                    String::new(),
                ));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, _, text)) = heading.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, _, _, text)) = heading.as_mut() {
                    text.push(' ');
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, first, last, text)) = heading.take() {
                    for (i, line) in lines.iter_mut().enumerate().take(last + 1).skip(first) {
                        if i == first {
                            line.raw = text.split_whitespace().collect::<Vec<_>>().join(" ");
                            line.markdown = Some(line.raw.clone());
                            line.style = Style::Heading(level);
                        } else {
                            line.raw.clear();
                            line.markdown = Some(String::new());
                        }
                    }
                }
            }
            _ => {}
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_found_by_the_parser() {
        let lines = read(
            "# Title\n\n## 1. *Purpose* ##\ntext\n\n```\n# not a heading\n```\nScope\n-----\n",
        );
        let headings: Vec<(usize, &str, Style)> = lines
            .iter()
            .filter(|l| matches!(l.style, Style::Heading(_)))
            .map(|l| (l.no, l.raw.as_str(), l.style))
            .collect();
        assert_eq!(
            headings,
            [
                (1, "Title", Style::Heading(1)),
                (3, "1. Purpose", Style::Heading(2)),
                (9, "Scope", Style::Heading(2)),
            ]
        );
        assert_eq!(lines[9].raw, "");
        assert_eq!(lines[6].markdown.as_deref(), Some("# not a heading"));
    }
}
