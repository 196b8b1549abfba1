//! The redline page, `out/<org>/<policy-id>.changes.html`: the approved
//! version against the text now, section by section, insertions and
//! deletions marked with `<ins>`/`<del>` and labelled in words as well as
//! colour, with a count at the top. Written while the approval state is
//! `changed`; self-contained like every page policygen makes (the shared
//! stylesheet inline, nothing fetched). Pure: a document and its diff in,
//! page bytes out.

use serde::Serialize;
use tera::{Context, Tera};

use crate::GENERATOR;
use crate::control::diff::{Changes, Counts, Kind, Piece};
use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::load::templates::Templates;
use crate::render::html;
use crate::render::{render_template, tera_error_text};

pub const TEMPLATE: &str = "changes.html";

/// The compiled redline template.
pub struct Redline {
    tera: Tera,
    template_path: String,
    css: String,
}

#[derive(Debug, Serialize)]
struct SectionPage<'a> {
    kind: &'static str,
    /// "Changed", "Added", "Removed", "Moved".
    label: &'static str,
    heading: &'a str,
    was: Option<&'a str>,
    anchor: String,
    title: &'a [Piece],
    /// The body's paragraphs, each a run of pieces.
    body: Vec<Vec<Piece>>,
}

#[derive(Debug, Serialize)]
struct Page<'a> {
    lang: &'a str,
    title: String,
    org: &'a str,
    policy_title: &'a str,
    code: &'a str,
    version: &'a str,
    approved_by: &'a str,
    approved_on: &'a str,
    document_file: String,
    summary: Vec<String>,
    counts: Counts,
    title_change: Option<&'a [Piece]>,
    sections: Vec<SectionPage<'a>>,
    brand: String,
    css: &'a str,
    generator: &'static str,
}

impl Redline {
    pub fn new(templates: &Templates) -> Result<Redline, Diagnostic> {
        let (tera, template_path) = html::compile(templates, TEMPLATE)?;
        Ok(Redline {
            tera,
            template_path,
            css: html::stylesheet(templates),
        })
    }

    /// The page for `document` (whose state is `changed`) and its changes.
    pub fn render(&self, document: &Document, changes: &Changes) -> Result<Vec<u8>, Diagnostic> {
        let sections = changes
            .sections
            .iter()
            .map(|s| {
                let (kind, label) = match s.kind {
                    Kind::Changed => ("changed", "Changed"),
                    Kind::Added => ("added", "Added"),
                    Kind::Removed => ("removed", "Removed"),
                    Kind::Moved => ("moved", "Moved"),
                };
                SectionPage {
                    kind,
                    label,
                    heading: &s.heading,
                    was: s.was.as_deref(),
                    anchor: format!("change-{}", s.id),
                    title: &s.title,
                    body: paragraphs(&s.body),
                }
            })
            .collect();
        let brand = html::brand(document.org.brand_colour.as_deref());
        let page = Page {
            lang: &document.lang,
            title: format!(
                "What changed – {} – {}",
                document.policy.title, document.org.name
            ),
            org: &document.org.name,
            policy_title: &document.policy.title,
            code: &document.policy.code,
            version: &document.control.version,
            approved_by: &document.approval.approved_by,
            approved_on: &document.approval.approved_on,
            document_file: format!("{}.html", document.policy_id),
            summary: summary(&changes.counts, changes.title.is_some()),
            counts: changes.counts,
            title_change: changes.title.as_deref(),
            sections,
            brand,
            css: &self.css,
            generator: GENERATOR,
        };
        let context =
            Context::from_serialize(&page).map_err(|e| Diagnostic::error(tera_error_text(&e)))?;
        let text = render_template(
            &self.tera,
            TEMPLATE,
            &context,
            document,
            &self.template_path,
        )?;
        Ok(html::tidy(&text).into_bytes())
    }
}

/// Splits pieces into paragraphs at blank lines, so each is an element of
/// its own (a change that spans paragraphs is split with them).
pub fn paragraphs(pieces: &[Piece]) -> Vec<Vec<Piece>> {
    let mut out: Vec<Vec<Piece>> = vec![Vec::new()];
    for piece in pieces {
        let text = piece.text.replace("\r\n", "\n");
        let mut parts = text.split("\n\n").peekable();
        while let Some(part) = parts.next() {
            let part = part.trim_matches('\n');
            if !part.is_empty()
                && let Some(paragraph) = out.last_mut()
            {
                paragraph.push(Piece {
                    tag: piece.tag,
                    text: part.to_string(),
                });
            }
            if parts.peek().is_some() && out.last().is_some_and(|p| !p.is_empty()) {
                out.push(Vec::new());
            }
        }
    }
    out.retain(|p| !p.is_empty());
    for paragraph in &mut out {
        let next_starts: Vec<String> = (0..paragraph.len())
            .map(|i| {
                paragraph
                    .get(i + 1)
                    .map_or(String::new(), |p| p.text.clone())
            })
            .collect();
        for (piece, next) in paragraph.iter_mut().zip(next_starts) {
            piece.text = unwrap_lines(&piece.text, &next);
        }
    }
    out
}

/// Joins a paragraph's source lines (Markdown wraps them anywhere) into
/// running text, keeping a break only before a list item or table row; the
/// page shows it with `white-space: pre-line`. `next` is the text that
/// follows, for a break at the very end.
fn unwrap_lines(text: &str, next: &str) -> String {
    let starts_item = |line: &str| {
        let line = line.trim_start();
        let digits = line.chars().take_while(char::is_ascii_digit).count();
        ["- ", "* ", "+ ", "|"].iter().any(|m| line.starts_with(m))
            || (digits > 0 && line[digits..].starts_with(". "))
    };
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out = String::with_capacity(text.len());
    for (i, line) in lines.iter().enumerate() {
        out.push_str(if i == 0 { line } else { line.trim_start() });
        if let Some(following) = lines.get(i + 1) {
            let following = if following.is_empty() && i + 2 == lines.len() {
                next
            } else {
                following
            };
            out.push(if starts_item(following) { '\n' } else { ' ' });
        }
    }
    out
}

/// The count at the top, one line per kind of change that happened:
/// "2 sections changed", "14 words added and 9 removed".
pub fn summary(counts: &Counts, title: bool) -> Vec<String> {
    let sections = |n: usize, what: &str| {
        let noun = if n == 1 { "section" } else { "sections" };
        format!("{n} {noun} {what}")
    };
    let mut lines = Vec::new();
    if title {
        lines.push("The title changed".to_string());
    }
    for (n, what) in [
        (counts.changed, "changed"),
        (counts.added, "added"),
        (counts.removed, "removed"),
        (counts.moved, "moved"),
    ] {
        if n > 0 {
            lines.push(sections(n, what));
        }
    }
    let words = |n: usize| {
        if n == 1 {
            "1 word".to_string()
        } else {
            format!("{n} words")
        }
    };
    lines.push(format!(
        "{} added and {} removed",
        words(counts.words_inserted),
        counts.words_deleted
    ));
    lines
}
