//! Import: turns a provider's existing policy document (Markdown, plain text
//! or Word) into a policy source, `policies/<id>/<variant>.yaml`, that
//! `check` accepts. The stages read off the files: `input` decodes the bytes
//! and picks a reader (`text`, `markdown`, `docx`), each giving [`Line`]s;
//! `boilerplate` finds what the templates already render (logo, name,
//! registration number, title, closing block) and web-page debris;
//! `heading` and `outline` make the section tree from numbered headings;
//! `reflow` turns each body into Markdown; `values` turns the name and
//! dates a filled-in document shows back into placeholders; `names` checks
//! the placeholders;
//! `yaml` writes the source and `verify` reads it back as `check` would.
//! Nothing here touches the filesystem: `app/cmd/import.rs` reads the input
//! and writes the result.

mod boilerplate;
mod docx;
mod escape;
mod heading;
mod input;
pub mod library;
mod markdown;
mod names;
mod outline;
mod reflow;
pub mod report;
mod text;
mod values;
mod verify;
mod yaml;

use crate::diagnostic::Diagnostic;

pub use input::{Kind, MAX_INPUT_BYTES};
pub use report::Report;

/// What to import and what to call it.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The input file as the user named it, for messages.
    pub path: &'a str,
    pub bytes: &'a [u8],
    pub policy: &'a str,
    pub variant: &'a str,
    pub jurisdiction: &'a str,
    pub service: &'a str,
    /// `--title`; else the document's title line; else made from the policy id.
    pub title: Option<&'a str>,
    /// `--code`; else a reference line in the document; else made from the policy id.
    pub code: Option<&'a str>,
    /// Labels the library's jurisdictions give registration numbers
    /// (`CQC location ID`), recognised as boilerplate like "Registration Number:".
    pub registration_labels: Vec<String>,
    /// The addresses, phone numbers, emails and websites of the library's
    /// profiles: such lines at the top are front matter the templates render.
    pub contacts: Vec<String>,
    /// Every jurisdiction file of the library (path, text), to check the
    /// result against exactly as `check` would.
    pub jurisdictions: Vec<(String, String)>,
    /// The `org_field_*` names the library's profiles define under `fields:`.
    pub profile_fields: Vec<String>,
}

/// What an import made.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The policy source.
    pub yaml: String,
    /// What was found and dropped, for the user to read.
    pub report: Report,
    /// Warnings, and errors that mean the source must not be written.
    pub findings: Vec<Diagnostic>,
}

impl Imported {
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(Diagnostic::is_error)
    }
}

/// One line of the input (a paragraph of a Word document), as a reader made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// 1-based line number in the input (paragraph number in a Word file).
    pub no: usize,
    /// The text as plain text, for recognising headings and boilerplate.
    pub raw: String,
    /// The text already as Markdown (Markdown and Word input); `None` for
    /// plain text, which `reflow` re-flows and escapes.
    pub markdown: Option<String>,
    pub style: Style,
    /// The section id a Word heading's bookmark gives (a document
    /// policygen wrote bookmarks each heading with its section's id).
    pub anchor: Option<String>,
}

/// What a reader knows about a line from the input's own markup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    /// A heading at this level (Markdown `#` count, Word heading style).
    Heading(u8),
    /// Word's Title style.
    Title,
    /// A list item at this nesting level (0 = top).
    Item {
        level: u8,
        ordered: bool,
    },
    /// A table row; `first` is the header row.
    Row {
        first: bool,
    },
    /// An image only (Word); the logo at the top.
    Image,
}

impl Line {
    fn blank(&self) -> bool {
        self.raw.trim().is_empty() && self.style != Style::Image
    }
}

/// Imports one document. A document that cannot be read at all (binary,
/// UTF-16, empty, no headings) is an error naming the file; anything else
/// gives a source and a report, whose findings may still hold errors (an
/// unknown placeholder) that mean it must not be written.
pub fn import(request: &Request) -> Result<Imported, Diagnostic> {
    let (kind, lines) = input::read(request.path, request.bytes)?;
    let found = outline::find(kind, &lines);
    let marks = boilerplate::classify(
        &lines,
        &found,
        &request.registration_labels,
        &request.contacts,
    );
    let mut findings = Vec::new();
    let mut sections = outline::build(request.path, kind, &lines, &found, &marks, &mut findings)?;
    reflow::bodies(request.path, kind, &lines, &mut sections, &mut findings);
    let meta = boilerplate::metadata(request, &lines, &marks);
    let restored = values::restore(&meta.shown, &mut sections);
    names::check(request, kind, &lines, &sections, &mut findings);
    empty_bodies(request.path, kind, &lines, &sections, &mut findings);

    let mut report = Report::new(request, kind, &lines);
    report.restored = restored;
    report.title = meta.title.clone();
    report.code = meta.code.clone();
    report.version = meta.version.clone();
    report.sections = outline::summary(&lines, &sections);
    boilerplate::report(
        request.path,
        kind,
        &lines,
        &marks,
        &mut report,
        &mut findings,
    );

    let yaml = yaml::write(request, &meta, &sections);
    if !findings.iter().any(Diagnostic::is_error) {
        verify::check(request, &yaml, &sections, &mut findings);
    }
    crate::diagnostic::sort(&mut findings);
    Ok(Imported {
        yaml,
        report,
        findings,
    })
}

/// A section with neither a body nor sections under it is kept, with a
/// warning: exported documents sometimes lose a list.
fn empty_bodies(
    path: &str,
    kind: Kind,
    lines: &[Line],
    sections: &[outline::Section],
    findings: &mut Vec<Diagnostic>,
) {
    for (i, s) in sections.iter().enumerate() {
        let has_children = sections.get(i + 1).is_some_and(|next| next.depth > s.depth);
        if s.body.trim().is_empty() && !has_children {
            let line = &lines[s.index];
            findings.push(
                Diagnostic::warning(format!(
                    "section “{}” has no text{}; it is kept empty",
                    s.title,
                    if kind == Kind::Docx { format!(" ({})", place(kind, line.no)) } else { String::new() }
                ))
                .in_file(path)
                .at(location(kind, line, 1, line.raw.chars().count()))
                .with_hint("exported documents sometimes lose a list or a table; check the original and add the text to the source"),
            );
        }
    }
}

/// Where a finding about input line `no` points, when the input has lines
/// (a Word file has paragraphs, named in the message instead).
fn location(
    kind: Kind,
    line: &Line,
    column: usize,
    width: usize,
) -> Option<crate::diagnostic::Location> {
    (kind != Kind::Docx).then(|| crate::diagnostic::Location {
        line: line.no,
        column: column.max(1),
        line_text: line.raw.clone(),
        width: width.max(1),
    })
}

/// "line 12" or "paragraph 12", for messages.
fn place(kind: Kind, no: usize) -> String {
    match kind {
        Kind::Docx => format!("paragraph {no}"),
        _ => format!("line {no}"),
    }
}

/// "lines 12–20" or "paragraphs 12–20" (one number when they are the same).
fn places(kind: Kind, first: usize, last: usize) -> String {
    if first == last {
        return place(kind, first);
    }
    match kind {
        Kind::Docx => format!("paragraphs {first}–{last}"),
        _ => format!("lines {first}–{last}"),
    }
}
