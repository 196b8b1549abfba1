//! The title, code and version of an imported source: from the options,
//! else from what the document's boilerplate says, else made from the
//! policy id. Also the values a filled-in document shows there that the
//! templates fill in (the organisation's name, the review dates), for
//! `values` to turn back into placeholders in the bodies.

use super::{Dropped, Mark};
use crate::document::placeholder;
use crate::import::report::Origin;
use crate::import::{Line, Request};

/// The value after a label: `Reference: KW-01` → `KW-01`, stopping at a
/// second label on the same line (`Reference: KW-01  Version: 3`).
fn labelled_value(raw: &str, labels: &[&str]) -> Option<String> {
    let lower = raw.to_lowercase();
    // The earliest label, the longest where two start together
    // (`reference` over `ref`).
    let at = labels
        .iter()
        .filter_map(|l| lower.find(l).map(|i| (i, std::cmp::Reverse(l.len()))))
        .min()
        .map(|(i, len)| (i, len.0))?;
    let rest = raw.get(at.0 + at.1..)?;
    let rest = rest
        .trim_start()
        .trim_start_matches([':', '.', '-', '*'])
        .trim_start_matches('*');
    let rest = rest.trim_start_matches([':', ' ']);
    let cut = ["  ", " | ", "\t", " version", " Version", " VERSION"]
        .iter()
        .filter_map(|s| rest.find(s))
        .min()
        .unwrap_or(rest.len());
    let value = rest[..cut].trim().trim_matches('*').trim();
    (!value.is_empty() && placeholder::scan(value).is_empty()).then(|| value.to_string())
}

/// The title, code and version of the source, and where each came from.
#[derive(Debug, Clone)]
pub struct Meta {
    pub title: (String, Origin),
    pub code: (String, Origin),
    pub version: (String, Origin),
    /// Values the boilerplate shows as text (not as a placeholder).
    pub shown: Shown,
}

/// What a filled-in document's boilerplate says: its organisation's name
/// line, and the dates of its reference table or closing block.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shown {
    pub name: Option<String>,
    pub last_reviewed: Option<String>,
    pub next_review: Option<String>,
}

/// Works out the title, code and version: the options first, then what
/// the document's boilerplate says, then made from the policy id.
///
/// Long because it is three searches of one shape (title, code, version),
/// each through its own sources in order of trust.
pub fn metadata(request: &Request, lines: &[Line], marks: &[Mark]) -> Meta {
    let marked = |what: Dropped| (0..lines.len()).filter(move |&i| marks[i] == Mark::Dropped(what));
    let title = match request.title {
        Some(t) => (t.trim().to_string(), Origin::Option),
        None => match marked(Dropped::Title).next() {
            Some(i) => (
                crate::import::heading::tidy_title(plain_case(&lines[i]).as_str()),
                Origin::Line(lines[i].no),
            ),
            None => (made_title(request.policy), Origin::Made),
        },
    };
    let mut shown = Shown {
        name: marked(Dropped::Name)
            .next()
            .map(|i| plain_case(&lines[i]))
            .filter(|n| !n.is_empty() && placeholder::scan(n).is_empty()),
        ..Shown::default()
    };
    let mut code = request.code.map(|c| (c.trim().to_string(), Origin::Option));
    let mut version = None;
    for i in marked(Dropped::Reference).chain(marked(Dropped::Version)) {
        let raw = &lines[i].raw;
        if code.is_none() {
            code = labelled_value(
                raw,
                &["reference", "ref", "policy code", "policy number", "code"],
            )
            .filter(|v| !v.to_lowercase().starts_with("version"))
            .map(|v| (v, Origin::Line(lines[i].no)));
        }
        if version.is_none() {
            version = labelled_value(raw, &["version"]).map(|v| (v, Origin::Line(lines[i].no)));
        }
    }
    // The reference table: a header row naming the columns, then values.
    let table: Vec<usize> = marked(Dropped::ReferenceTable).collect();
    if let (Some(&header), Some(&row)) = (
        table.first(),
        table
            .iter()
            .find(|&&i| !lines[i].raw.contains("---") && i != table[0]),
    ) {
        let cells = |i: usize| -> Vec<String> {
            lines[i]
                .raw
                .trim()
                .trim_matches('|')
                .split('|')
                .map(|c| c.trim().to_string())
                .collect()
        };
        let (names, values) = (cells(header), cells(row));
        let column = |wanted: &str| names.iter().position(|n| n.to_lowercase().contains(wanted));
        if code.is_none()
            && let Some(value) = column("reference")
                .or(column("code"))
                .and_then(|c| values.get(c))
            && !value.is_empty()
        {
            code = Some((value.clone(), Origin::Line(lines[row].no)));
        }
        if version.is_none()
            && let Some(value) = column("version").and_then(|c| values.get(c))
            && !value.is_empty()
        {
            version = Some((value.clone(), Origin::Line(lines[row].no)));
        }
        let date = |wanted: &str| {
            column(wanted)
                .and_then(|c| values.get(c))
                .and_then(|v| a_date(v))
        };
        shown.last_reviewed = date("last review").or_else(|| date("reviewed"));
        shown.next_review = date("next review");
    }
    for i in marked(Dropped::Closing).chain(marked(Dropped::DocumentControl)) {
        let raw = plain_case(&lines[i]);
        if shown.next_review.is_none() {
            shown.next_review = labelled_value(
                &raw,
                &["next review date", "next review", "date of next review"],
            )
            .and_then(|v| a_date(&v));
        }
        if shown.last_reviewed.is_none() && !raw.to_lowercase().starts_with("next") {
            shown.last_reviewed = labelled_value(
                &raw,
                &[
                    "reviewed on",
                    "last reviewed",
                    "date reviewed",
                    "date of review",
                ],
            )
            .and_then(|v| a_date(&v));
        }
    }
    Meta {
        title,
        code: code.unwrap_or_else(|| (made_code(request.policy), Origin::Made)),
        version: version.unwrap_or_else(|| ("1".to_string(), Origin::Default)),
        shown,
    }
}

/// A value that reads as a date (`2 October 2026`, `02/10/2026`): short,
/// with a digit, and not words such as "Not yet reviewed".
fn a_date(value: &str) -> Option<String> {
    let value = value.trim().trim_end_matches(['.', '\\']).trim();
    (value.chars().count() <= 30
        && value.chars().any(|c| c.is_ascii_digit())
        && placeholder::scan(value).is_empty())
    .then(|| value.to_string())
}

/// A line's text as written (case kept), without Markdown marks.
fn plain_case(line: &Line) -> String {
    let text = line.raw.trim().trim_start_matches('#').trim();
    text.trim_end_matches('\\')
        .replace("**", "")
        .trim_matches(['*', '_', ' '])
        .to_string()
}

/// `key-worker` → `Key Worker Policy`.
fn made_title(policy: &str) -> String {
    let words: Vec<String> = policy
        .split('-')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        })
        .collect();
    format!("{} Policy", words.join(" "))
}

/// `key-worker` → `KW-01`.
fn made_code(policy: &str) -> String {
    let initials: String = policy
        .split('-')
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_uppercase)
        .take(4)
        .collect();
    format!("{initials}-01")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_after_labels() {
        assert_eq!(
            labelled_value("Reference: KW-01  Version: 3", &["reference"]).as_deref(),
            Some("KW-01")
        );
        assert_eq!(
            labelled_value("Reference: KW-01 Version: 3", &["version"]).as_deref(),
            Some("3")
        );
        assert_eq!(
            labelled_value("**Policy code:** HR 12", &["policy code"]).as_deref(),
            Some("HR 12")
        );
        assert_eq!(made_code("key-worker"), "KW-01");
        assert_eq!(made_title("key-worker"), "Key Worker Policy");
    }
}
