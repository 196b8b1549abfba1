//! The section tree: which lines are headings, how deep each sits, and the
//! lines that make each section's body. Numbers decide the depth (`4.1` is
//! under `4`), else the markup's level (`###` under `##`, Word's Heading 2
//! under Heading 1); our renderer numbers the sections again. Numbers that
//! skip and levels that jump are reported; a heading nested deeper than the
//! three levels documents number is kept as a bold line in its parent.

use std::collections::BTreeSet;

use crate::diagnostic::Diagnostic;
use crate::import::boilerplate::Mark;
use crate::import::heading::{self, Number};
use crate::import::{Kind, Line, Style, location};

/// A line taken for a heading.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Index into the lines.
    pub index: usize,
    pub number: Option<Number>,
    pub title: String,
    /// The markup's level (`#` count, Word heading level); `None` for a
    /// heading found by its number alone.
    pub level: Option<u8>,
}

/// The headings of a document, and the one that is its title.
#[derive(Debug, Clone, Default)]
pub struct Found {
    pub headings: Vec<Candidate>,
    /// A heading that is the document's title (`# Key Worker Policy` above
    /// `## 1. Purpose`), by line index.
    pub title: Option<usize>,
}

/// A section of the result.
#[derive(Debug, Clone)]
pub struct Section {
    /// Index of the heading line.
    pub index: usize,
    pub number: Option<Number>,
    pub title: String,
    pub id: String,
    /// 1 to 3.
    pub depth: usize,
    /// Indices of the lines of its body, in order (blank lines included).
    pub body_lines: Vec<usize>,
    /// Headings too deep to be sections, folded into this body: (index, title).
    pub folded: Vec<(usize, String)>,
    /// The body as Markdown, made by `reflow`.
    pub body: String,
}

/// Finds the heading lines of a document.
pub fn find(kind: Kind, lines: &[Line]) -> Found {
    let mut headings = Vec::new();
    let mut last: Option<Vec<u32>> = None;
    // The number of the last numbered list item, and whether a blank line
    // has come since it.
    let mut list: Option<(u32, bool)> = None;
    // A document's numbered sections start at 1: a line numbered otherwise
    // before the first "1. Title" (a house number) is not a heading.
    let one = lines
        .iter()
        .position(|l| {
            l.style == Style::Plain
                && kind != Kind::Markdown
                && heading::split(&l.raw).is_some_and(|(n, _)| n.parts == [1])
        })
        .unwrap_or(0);
    for (index, line) in lines.iter().enumerate() {
        match line.style {
            Style::Heading(level) => {
                let (number, title) = strip_number(&line.raw);
                if title.is_empty() {
                    continue;
                }
                if let Some(n) = &number {
                    last = Some(n.parts.clone());
                }
                headings.push(Candidate {
                    index,
                    number,
                    title,
                    level: Some(level),
                });
                list = None;
                continue;
            }
            Style::Plain if kind != Kind::Markdown => {}
            _ => continue,
        }
        if line.blank() {
            if let Some((_, blank)) = list.as_mut() {
                *blank = true;
            }
            continue;
        }
        let Some((number, title)) = heading::split(&line.raw).filter(|_| index >= one) else {
            list = numbered_item(&line.raw).map(|n| (n, false));
            continue;
        };
        let after_last = last.as_ref().is_none_or(|l| number.parts > *l);
        // "2. Staff tell the manager" straight after item 1 of a list is
        // item 2, not section 2.
        let continues_list = number.parts.len() == 1
            && list.is_some_and(|(n, blank)| {
                n + 1 == number.parts[0] && (!blank || title.split_whitespace().count() > 6)
            });
        if !after_last || continues_list {
            list = numbered_item(&line.raw).map(|n| (n, false));
            continue;
        }
        last = Some(number.parts.clone());
        list = None;
        headings.push(Candidate {
            index,
            number: Some(number),
            title,
            level: None,
        });
    }
    let title = document_title(&headings);
    if let Some(t) = title {
        headings.retain(|h| h.index != t);
    }
    Found { headings, title }
}

/// The heading that is the document's title: the first, when it is the only
/// one at the top level of the markup, unnumbered, with sections below it.
fn document_title(headings: &[Candidate]) -> Option<usize> {
    let first = headings.first()?;
    let level = first.level?;
    let top = headings.iter().filter_map(|h| h.level).min()?;
    let at_top = headings.iter().filter(|h| h.level == Some(top)).count();
    (first.number.is_none() && level == top && at_top == 1 && headings.len() > 1)
        .then_some(first.index)
}

/// A heading's number and title when the markup already says it is one.
fn strip_number(text: &str) -> (Option<Number>, String) {
    if let Some((number, title)) = heading::split(text) {
        return (Some(number), title);
    }
    let trimmed = text.trim_start();
    let end = trimmed
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(trimmed.len());
    let (written, rest) = trimmed.split_at(end);
    if !written.is_empty()
        && written.contains('.')
        && rest.starts_with(' ')
        && let Some((number, _)) = heading::split(&format!("{written} X"))
    {
        return (Some(number), heading::tidy_title(rest));
    }
    (None, heading::tidy_title(text))
}

fn numbered_item(text: &str) -> Option<u32> {
    let trimmed = text.trim_start();
    let digits = trimmed.find(|c: char| !c.is_ascii_digit())?;
    let rest = &trimmed[digits..];
    (digits > 0 && (rest.starts_with(". ") || rest.starts_with(") ")))
        .then(|| trimmed[..digits].parse().ok())
        .flatten()
}

/// Makes the sections from the headings the boilerplate left, or an error
/// when the document has none.
///
/// Long because it is one pass over the headings carrying what it has learnt
/// (the markup level of depth 1, the previous depth and number): each
/// heading's depth depends on the headings before it.
pub fn build(
    path: &str,
    kind: Kind,
    lines: &[Line],
    found: &Found,
    marks: &[Mark],
    findings: &mut Vec<Diagnostic>,
) -> Result<Vec<Section>, Diagnostic> {
    let headings: Vec<&Candidate> = found
        .headings
        .iter()
        .filter(|h| marks[h.index] == Mark::Keep)
        .collect();
    if headings.is_empty() {
        return Err(no_headings(path, kind));
    }
    let top = headings
        .iter()
        .filter(|h| h.number.is_none())
        .filter_map(|h| h.level)
        .min()
        .unwrap_or(1);
    let mut sections: Vec<Section> = Vec::new();
    let mut previous_depth = 0;
    // Markup level minus depth, learnt from numbered headings (`## 1.` is
    // depth 1), so an unnumbered `####` under `### 2.2` is depth 3.
    let mut offset: Option<usize> = None;
    let mut previous_number: Option<&Number> = None;
    for (i, h) in headings.iter().enumerate() {
        let line = &lines[h.index];
        let wanted = match (&h.number, h.level) {
            (Some(n), level) => {
                if let Some(level) = level {
                    offset = usize::from(level).checked_sub(n.parts.len());
                }
                n.parts.len()
            }
            (None, Some(level)) => match offset {
                Some(offset) => usize::from(level).saturating_sub(offset).max(1),
                None => usize::from(level.saturating_sub(top)) + 1,
            },
            (None, None) => 1,
        };
        if let Some(n) = &h.number {
            if let Some(problem) = skipped(previous_number, n) {
                findings.push(
                    Diagnostic::warning(format!(
                        "heading {} “{}” {problem}{}",
                        n.written.trim_end_matches('.'),
                        h.title,
                        in_word(kind, line.no)
                    ))
                    .in_file(path)
                    .at(location(kind, line, 1, n.written.chars().count()))
                    .with_hint("a heading may have been lost when the document was exported; check the original, and add the missing section to the source if it is"),
                );
            }
            previous_number = Some(n);
        }
        let mut depth = wanted.min(previous_depth + 1);
        if depth < wanted && depth <= 3 {
            findings.push(
                Diagnostic::warning(format!(
                    "heading “{}” is more than one level below the heading before it{}; it is placed one level below",
                    h.title,
                    in_word(kind, line.no)
                ))
                .in_file(path)
                .at(location(kind, line, 1, 1))
                .with_hint("check the section tree in the report"),
            );
        }
        let end = headings.get(i + 1).map_or(lines.len(), |n| n.index);
        let body: Vec<usize> = (h.index + 1..end)
            .filter(|&j| marks[j] == Mark::Keep)
            .collect();
        if depth > 3 {
            // Too deep to number: a bold line in the section above.
            depth = previous_depth;
            if let Some(parent) = sections.last_mut() {
                findings.push(
                    Diagnostic::warning(format!(
                        "heading “{}” is nested more than three levels deep{}; it is kept as a bold line in section “{}”",
                        h.title,
                        in_word(kind, line.no),
                        parent.title
                    ))
                    .in_file(path)
                    .at(location(kind, line, 1, 1))
                    .with_hint("documents number sections to three levels (4.1.2)"),
                );
                parent.folded.push((h.index, h.title.clone()));
                parent.body_lines.push(h.index);
                parent.body_lines.extend(body);
                continue;
            }
        }
        previous_depth = depth;
        sections.push(Section {
            index: h.index,
            number: h.number.clone(),
            title: h.title.clone(),
            id: String::new(),
            depth,
            body_lines: body,
            folded: Vec::new(),
            body: String::new(),
        });
    }
    assign_ids(lines, &mut sections);
    Ok(sections)
}

fn in_word(kind: Kind, no: usize) -> String {
    if kind == Kind::Docx {
        format!(" (paragraph {no})")
    } else {
        String::new()
    }
}

/// How number `n` fails to follow `previous`, if it does: "follows 4.1",
/// "starts the numbering".
fn skipped(previous: Option<&Number>, n: &Number) -> Option<String> {
    let p = &n.parts;
    let Some(previous) = previous else {
        return (p.iter().any(|&x| x != 1))
            .then(|| "starts the numbering: sections before it may be missing".to_string());
    };
    let q = &previous.parts;
    // The next sibling at any level up from the previous heading, or its
    // first child.
    let sibling = (1..=q.len()).any(|depth| {
        let mut next = q[..depth].to_vec();
        next[depth - 1] += 1;
        *p == next
    });
    let child = p.len() == q.len() + 1 && p[..q.len()] == q[..] && p[q.len()] == 1;
    let fits = sibling || child;
    (!fits).then(|| {
        format!(
            "does not follow {}: a section before it may be missing",
            previous.written.trim_end_matches('.')
        )
    })
}

/// Ids are slugs of the titles, unique within the policy (`-2`, `-3`…).
fn assign_ids(lines: &[Line], sections: &mut [Section]) {
    let mut used = BTreeSet::new();
    for (i, section) in sections.iter_mut().enumerate() {
        // The id a policygen build bookmarked the heading with, kept so
        // links to the section and the approved text still match.
        if let Some(anchor) = &lines[section.index].anchor
            && used.insert(anchor.clone())
        {
            section.id = anchor.clone();
            continue;
        }
        let without: String = {
            let mut text = section.title.clone();
            for p in crate::document::placeholder::scan(&section.title)
                .iter()
                .rev()
            {
                text.replace_range(p.start..p.end, " ");
            }
            text
        };
        let mut base = crate::review::scaffold::slugify(&without);
        if base.len() > 48 {
            let cut = base[..48].rfind('-').unwrap_or(48);
            base.truncate(cut);
        }
        if base.is_empty() {
            base = format!("section-{}", i + 1);
        }
        let mut id = base.clone();
        let mut n = 2;
        while !used.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        section.id = id;
    }
}

fn no_headings(path: &str, kind: Kind) -> Diagnostic {
    let hint = match kind {
        Kind::Markdown => {
            "give each section a heading: `## 1. Purpose`, `### 4.1 Assigning key workers`"
        }
        Kind::Docx => {
            "give each section a heading in Word's Heading 1 / Heading 2 styles, or number it: `1. Purpose`, `4.1 Assigning key workers`"
        }
        Kind::Text => {
            "number each section's heading on a line of its own: `1. Purpose`, `4.1. Assigning key workers`, or `1.0 Objectives`"
        }
    };
    Diagnostic::error("no section headings found")
        .in_file(path)
        .with_hint(hint)
}

/// One line of the report per section: our number, the input's number, the
/// title, the id and the input lines it came from.
pub fn summary(lines: &[Line], sections: &[Section]) -> Vec<crate::import::report::SectionLine> {
    let mut counters = [0usize; 3];
    sections
        .iter()
        .map(|s| {
            counters[s.depth - 1] += 1;
            for c in counters.iter_mut().skip(s.depth) {
                *c = 0;
            }
            let number = counters[..s.depth]
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(".");
            let last = s
                .body_lines
                .iter()
                .rev()
                .find(|&&i| !lines[i].blank())
                .map_or(lines[s.index].no, |&i| lines[i].no);
            crate::import::report::SectionLine {
                number,
                written: s.number.as_ref().map(|n| n.written.clone()),
                title: s.title.clone(),
                id: s.id.clone(),
                depth: s.depth,
                first: lines[s.index].no,
                last,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::text;

    fn titles(source: &str) -> Vec<(String, Option<Vec<u32>>)> {
        find(Kind::Text, &text::read(source))
            .headings
            .into_iter()
            .map(|h| (h.title, h.number.map(|n| n.parts)))
            .collect()
    }

    #[test]
    fn numbered_lists_are_not_headings() {
        let found = titles(
            "1. Purpose\nThe aims:\n1. People are safe\n2. Staff know what to do\n\n2. Scope\nAll staff.\n3.0 Staff roles\n3.1 Night staff\n1. Lock the doors\n2. Check on people\n4. Review\n",
        );
        assert_eq!(
            found,
            [
                ("Purpose".to_string(), Some(vec![1])),
                ("Scope".to_string(), Some(vec![2])),
                ("Staff roles".to_string(), Some(vec![3])),
                ("Night staff".to_string(), Some(vec![3, 1])),
                ("Review".to_string(), Some(vec![4])),
            ]
        );
    }

    #[test]
    fn a_house_number_before_section_1_is_not_a_heading() {
        assert_eq!(
            titles(
                "Ashgrove House\n14 Orchard Rise\nKey Worker Policy\n1. Purpose\nText.\n2. Scope\n"
            ),
            [
                ("Purpose".to_string(), Some(vec![1])),
                ("Scope".to_string(), Some(vec![2])),
            ]
        );
    }

    #[test]
    fn skipped_numbers() {
        let n = |parts: &[u32]| Number {
            parts: parts.to_vec(),
            written: parts
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join("."),
        };
        assert_eq!(skipped(Some(&n(&[1])), &n(&[2])), None);
        assert_eq!(skipped(Some(&n(&[1])), &n(&[1, 1])), None);
        assert_eq!(skipped(Some(&n(&[4, 2])), &n(&[5])), None);
        assert_eq!(skipped(Some(&n(&[4, 2, 1])), &n(&[4, 3])), None);
        assert!(skipped(Some(&n(&[2])), &n(&[4])).is_some());
        assert!(skipped(Some(&n(&[4, 1])), &n(&[4, 3])).is_some());
        assert!(skipped(None, &n(&[3])).is_some());
        assert_eq!(skipped(None, &n(&[1])), None);
    }
}
