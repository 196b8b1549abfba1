//! The Markdown renderer: the `document.md` template over the document view
//! model. Values are Markdown-escaped by the template engine itself (its
//! escape function is [`escape::markdown`]), so only section bodies, already
//! escaped when their placeholders were filled, are marked `safe`.

use tera::{Context, Tera};

use crate::diagnostic::Diagnostic;
use crate::document::escape;
use crate::document::{Document, LOGO_URL, POLICY_URL_PREFIX};
use crate::load::templates::Templates;
use crate::render::{Artifact, Format, Renderer, render_template, tera_error_text};

const TEMPLATE: &str = "document.md";

pub struct MarkdownRenderer {
    tera: Tera,
    template_path: String,
}

impl MarkdownRenderer {
    pub fn new(templates: &Templates) -> Result<Self, Diagnostic> {
        let (tera, template_path) = crate::render::compile_template(
            templates,
            TEMPLATE,
            Some(|input, output| output.write_all(escape::markdown(input).as_bytes())),
        )?;
        Ok(MarkdownRenderer {
            tera,
            template_path,
        })
    }
}

impl Renderer for MarkdownRenderer {
    fn format(&self) -> Format {
        Format::Md
    }

    fn render(&self, document: &Document) -> Result<Vec<Artifact>, Diagnostic> {
        let mut view = document.clone();
        for section in &mut view.sections {
            section.body = resolve_links(&section.body, document);
        }
        let context =
            Context::from_serialize(&view).map_err(|e| Diagnostic::error(tera_error_text(&e)))?;
        let text = render_template(
            &self.tera,
            TEMPLATE,
            &context,
            document,
            &self.template_path,
        )?;
        let artifacts = vec![Artifact {
            path: document.output_path(Format::Md),
            bytes: tidy(&text).into_bytes(),
            format: Some(Format::Md),
        }];
        Ok(artifacts)
    }
}

/// Points the placeholder link targets at the Markdown files beside this one.
fn resolve_links(body: &str, document: &Document) -> String {
    let logo = document.logo.map_or("", |l| l.file_name);
    let mut out = body.replace(LOGO_URL, logo);
    while let Some(start) = out.find(POLICY_URL_PREFIX) {
        let end = out[start..].find(')').map_or(out.len(), |i| start + i);
        let id = out[start + POLICY_URL_PREFIX.len()..end].to_string();
        out.replace_range(start..end, &format!("{id}.md"));
    }
    out
}

/// Collapses runs of blank lines left by template logic and ends with one newline.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    let trimmed = out.trim_matches('\n');
    format!("{trimmed}\n")
}
