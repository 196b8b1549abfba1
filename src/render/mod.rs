//! Renderers: one per output format, each turning a [`Document`] into bytes
//! behind the small [`Renderer`] trait. Renderers never touch the disk; the
//! `output` module writes what they return.

pub mod blocks;
pub mod docx;
pub mod html;
pub mod markdown;
pub mod pdf;
pub mod theme;

use std::fmt;
use std::str::FromStr;

use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::load::project::Project;
use crate::load::source::SourceFile;

/// An output format of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    Md,
    Html,
    Pdf,
    Docx,
}

impl Format {
    /// Formats this build of policygen can produce, in output order.
    pub const AVAILABLE: &'static [Format] = &[Format::Md, Format::Html, Format::Pdf, Format::Docx];

    pub fn extension(self) -> &'static str {
        match self {
            Format::Md => "md",
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Docx => "docx",
        }
    }
}

/// Where the document of `org`'s `policy` is written in `format`, relative
/// to the output folder: `<org>/<policy>.<ext>`. Every renderer, the build
/// and the dashboards' links use this one rule.
pub fn output_path(org: &str, policy: &str, format: Format) -> String {
    format!("{org}/{policy}.{}", format.extension())
}

impl Document<'_> {
    /// Where this document is written in `format`.
    pub fn output_path(&self, format: Format) -> String {
        output_path(&self.org_slug, &self.policy_id, format)
    }

    /// A renderer's finding about this document, naming the files as they
    /// are saved. The PDF renderer names the profile and the variant by
    /// their usual paths (`organisations/<slug>.yaml`,
    /// `policies/<policy>/<variant>.yaml`), which is wrong for a file saved
    /// as `.yml`; the finding is given the real file, and the organisation.
    fn attribute(&self, finding: Diagnostic) -> Diagnostic {
        let usual_profile = format!("organisations/{}.yaml", self.org_slug);
        let usual_variant = format!("policies/{}/{}.yaml", self.policy_id, self.variant_id);
        let named = |file: &SourceFile, usual: &str| {
            finding
                .path
                .as_deref()
                .is_some_and(|p| p == file.path || p == usual)
        };
        if named(self.profile, &usual_profile) {
            finding.in_source(self.profile)
        } else if named(self.variant_file, &usual_variant) {
            finding.in_source(self.variant_file)
        } else {
            finding
        }
    }
}

/// Renders one document with `renderer`; a finding names the files
/// concerned as they are saved.
pub fn render_document(
    renderer: &dyn Renderer,
    document: &Document,
) -> Result<Vec<Artifact>, Diagnostic> {
    renderer
        .render(document)
        .map_err(|finding| document.attribute(finding))
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let format = match text.trim().to_ascii_lowercase().as_str() {
            "md" | "markdown" => Format::Md,
            "html" => Format::Html,
            "pdf" => Format::Pdf,
            "docx" | "word" => Format::Docx,
            other => {
                return Err(format!(
                    "unknown format `{other}`; choose from md, html, pdf, docx"
                ));
            }
        };
        if !Format::AVAILABLE.contains(&format) {
            return Err(format!(
                "format `{format}` is not available in this version of policygen"
            ));
        }
        Ok(format)
    }
}

/// One file produced by a build, with its path relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    /// `bryn-haven/key-worker.md`, always with `/` separators.
    pub path: String,
    pub bytes: Vec<u8>,
    /// The document it belongs to, if any (shared files such as a logo copy have one too).
    pub format: Option<Format>,
}

/// Turns documents into files of one format.
pub trait Renderer: Send + Sync {
    fn format(&self) -> Format;

    /// The files of one document: the document itself first, then any files
    /// it refers to (a logo copy next to the Markdown).
    fn render(&self, document: &Document) -> Result<Vec<Artifact>, Diagnostic>;
}

/// The renderers for the requested formats, built from the project's
/// templates and assets.
pub fn renderers(
    formats: &[Format],
    project: &Project,
) -> Result<Vec<Box<dyn Renderer>>, Vec<Diagnostic>> {
    let mut renderers: Vec<Box<dyn Renderer>> = Vec::new();
    let mut findings = Vec::new();
    for format in formats {
        match format {
            Format::Md => match markdown::MarkdownRenderer::new(&project.templates) {
                Ok(r) => renderers.push(Box::new(r)),
                Err(d) => findings.push(d),
            },
            Format::Pdf => match pdf::PdfRenderer::new(&project.fonts) {
                Ok(r) => renderers.push(Box::new(r)),
                Err(d) => findings.push(d),
            },
            Format::Html => match html::HtmlRenderer::new(&project.templates) {
                Ok(r) => renderers.push(Box::new(r)),
                Err(d) => findings.push(d),
            },
            Format::Docx => renderers.push(Box::new(docx::DocxRenderer::new(&project.fonts))),
        }
    }
    if findings.is_empty() {
        Ok(renderers)
    } else {
        Err(findings)
    }
}

/// The Markdown dialect of section bodies, defined with the policy sources.
pub use crate::model::policy::markdown_options;

/// Compiles one template with autoescaping on for its own suffix, using
/// `escape` (HTML when `None`). Returns the engine and the path errors name.
pub fn compile_template(
    templates: &crate::load::templates::Templates,
    name: &str,
    escape: Option<tera::EscapeFn>,
) -> Result<(tera::Tera, String), Diagnostic> {
    let mut tera = tera::Tera::default();
    if let Some(escape) = escape {
        tera.set_escape_fn(escape);
    }
    let suffix = name.rfind('.').map_or(name, |i| &name[i..]).to_string();
    tera.autoescape_on([suffix]);
    let path = templates.display_path(name);
    tera.add_raw_template(name, templates.text(name))
        .map_err(|e| {
            Diagnostic::error(format!(
                "template does not compile: {}",
                tera_error_text(&e)
            ))
            .in_file(&path)
        })?;
    Ok((tera, path))
}

/// Renders `template` for `document`; a failure names the document and the
/// template file, with the error's causes.
pub fn render_template(
    tera: &tera::Tera,
    template: &str,
    context: &tera::Context,
    document: &Document,
    template_path: &str,
) -> Result<String, Diagnostic> {
    tera.render(template, context).map_err(|e| {
        Diagnostic::error(format!(
            "template failed for {}/{}: {}",
            document.org_slug,
            document.policy_id,
            tera_error_text(&e)
        ))
        .in_file(template_path)
    })
}

/// Turns a Tera error, with its causes, into one line of text.
pub fn tera_error_text(error: &tera::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
