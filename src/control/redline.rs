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
use crate::check::colour;
use crate::control::diff::{Changes, Counts, Kind, Piece};
use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::load::templates::Templates;
use crate::render::html::{self, DEFAULT_BRAND};
use crate::render::tera_error_text;

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
    body: &'a [Piece],
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
                    body: &s.body,
                }
            })
            .collect();
        let brand = document
            .org
            .brand_colour
            .as_deref()
            .and_then(|c| colour::accessible(c, colour::PAGE))
            .map_or(DEFAULT_BRAND.to_string(), |a| a.colour);
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
        let text = self.tera.render(TEMPLATE, &context).map_err(|e| {
            Diagnostic::error(format!(
                "template failed for {}/{}: {}",
                document.org_slug,
                document.policy_id,
                tera_error_text(&e)
            ))
            .in_file(&self.template_path)
        })?;
        Ok(html::tidy(&text).into_bytes())
    }
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
