//! The HTML renderer: one self-contained page per document, from the
//! `document.html` template with `style.css` inlined and the logo embedded as
//! a data URI, so the file makes no request of any kind.
//!
//! Values reach the template as text and are HTML-escaped by the template
//! engine. Section bodies are Markdown; they are turned into HTML here, with
//! any raw HTML in them shown as text, so neither a policy source nor a
//! profile value can add markup of its own.

use base64::Engine;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Parser, Tag, TagEnd};
use serde::Serialize;
use tera::{Context, Tera};

use crate::GENERATOR;
use crate::check::colour;
use crate::control::archive::ApprovedText;
use crate::control::redline::Redline;
use crate::control::state::State;
use crate::control::{diff, mark};
use crate::diagnostic::Diagnostic;
use crate::document::{Document, LOGO_URL, POLICY_URL_PREFIX};
use crate::load::logo::Logo;
use crate::load::templates::Templates;
use crate::render::{
    Artifact, Format, Renderer, markdown_options, render_template, tera_error_text,
};

pub const TEMPLATE: &str = "document.html";
pub const STYLESHEET: &str = "style.css";

/// Heading colour when a profile sets no brand colour.
pub const DEFAULT_BRAND: &str = "#1d4f73";

/// The colour a page's headings and links use: the profile's brand colour,
/// darkened until it reads on the page (WCAG AA), or the default.
pub fn brand(colour: Option<&str>) -> String {
    colour
        .and_then(|c| colour::accessible(c, colour::PAGE))
        .map_or(DEFAULT_BRAND.to_string(), |a| a.colour)
}

pub struct HtmlRenderer {
    tera: Tera,
    template_path: String,
    css: String,
    redline: Redline,
}

impl HtmlRenderer {
    pub fn new(templates: &Templates) -> Result<Self, Diagnostic> {
        let (tera, template_path) = compile(templates, TEMPLATE)?;
        Ok(HtmlRenderer {
            tera,
            template_path,
            css: stylesheet(templates),
            redline: Redline::new(templates)?,
        })
    }
}

/// Compiles one HTML template with HTML autoescaping on.
pub fn compile(templates: &Templates, name: &str) -> Result<(Tera, String), Diagnostic> {
    crate::render::compile_template(templates, name, None)
}

/// A logo as a `data:` URI, so the page embeds it rather than fetching it.
pub fn logo_data_uri(logo: &Logo) -> String {
    format!(
        "data:{};base64,{}",
        logo.kind.mime(),
        base64::engine::general_purpose::STANDARD.encode(&logo.bytes)
    )
}

/// The stylesheet, made safe to inline in a `<style>` element.
pub fn stylesheet(templates: &Templates) -> String {
    templates.text(STYLESHEET).replace("</", "<\\/")
}

/// One section as the HTML template sees it.
#[derive(Debug, Clone, Serialize)]
struct SectionHtml {
    number: String,
    level: usize,
    /// `h2` for top-level sections, down to `h4`.
    tag: String,
    anchor: String,
    title: String,
    /// Trusted HTML made from the section's Markdown.
    body: String,
}

/// An entry of the contents list: top-level sections with their children.
#[derive(Debug, Clone, Serialize)]
struct ContentsEntry {
    number: String,
    title: String,
    anchor: String,
    children: Vec<ContentsEntry>,
}

/// Link targets of one document.
struct Links {
    logo: String,
}

impl Renderer for HtmlRenderer {
    fn format(&self) -> Format {
        Format::Html
    }

    fn render(&self, document: &Document) -> Result<Vec<Artifact>, Diagnostic> {
        let links = Links {
            logo: document.logo.map_or(String::new(), logo_data_uri),
        };
        let sections: Vec<SectionHtml> = document
            .sections
            .iter()
            .map(|s| SectionHtml {
                number: s.number.clone(),
                level: s.level,
                tag: format!("h{}", (s.level + 1).min(6)),
                anchor: s.anchor.clone(),
                title: s.title.clone(),
                body: body_html(&s.body, s.level + 1, &links),
            })
            .collect();
        let brand = brand(document.org.brand_colour.as_deref());

        let mut context = Context::from_serialize(document)
            .map_err(|e| Diagnostic::error(tera_error_text(&e)))?;
        context.insert("html_sections", &sections);
        context.insert("contents", &contents(&sections));
        context.insert("brand", &brand);
        context.insert("css", &self.css);
        context.insert("logo_src", &links.logo);
        context.insert("generator", GENERATOR);
        context.insert(
            "print_footer",
            &css_string(&format!(
                "{} – {} – {}, version {}",
                document.org.name,
                document.policy.title,
                document.policy.code,
                document.policy.version
            )),
        );
        context.insert(
            "print_draft",
            &document
                .approval
                .draft
                .as_ref()
                .map(|d| css_string(&d.running)),
        );
        let text = render_template(
            &self.tera,
            TEMPLATE,
            &context,
            document,
            &self.template_path,
        )?;
        let mut artifacts = vec![Artifact {
            path: document.output_path(Format::Html),
            bytes: tidy(&text).into_bytes(),
            format: Some(Format::Html),
        }];
        // While changes await approval, the redline page goes beside it.
        if let (State::Changed, Some(approved)) = (document.control.state, document.approved_text) {
            let now = ApprovedText::of(&document.policy.title, &document.sections);
            let changes = diff::compare(approved, &now);
            artifacts.push(Artifact {
                path: format!(
                    "{}/{}",
                    document.org_slug,
                    mark::changes_file(&document.policy_id)
                ),
                bytes: self.redline.render(document, &changes)?,
                format: Some(Format::Html),
            });
        }
        Ok(artifacts)
    }
}

/// Nests level-2 sections under their top-level section; deeper sections
/// are left out of the contents to keep it short.
fn contents(sections: &[SectionHtml]) -> Vec<ContentsEntry> {
    let mut entries: Vec<ContentsEntry> = Vec::new();
    for s in sections {
        let entry = ContentsEntry {
            number: s.number.clone(),
            title: s.title.clone(),
            anchor: s.anchor.clone(),
            children: Vec::new(),
        };
        match (s.level, entries.last_mut()) {
            (1, _) | (_, None) => entries.push(entry),
            (2, Some(parent)) => parent.children.push(entry),
            _ => {}
        }
    }
    entries
}

/// Turns a section body into HTML. Raw HTML becomes text; the placeholder
/// link targets become the logo's data URI and the sibling `.html` files;
/// images from anywhere else become plain links, so the page never fetches
/// anything; headings inside a body sit below the section's own heading.
fn body_html(markdown: &str, heading_level: usize, links: &Links) -> String {
    let demote = |level: HeadingLevel| {
        let n = (level as usize + heading_level).min(6);
        HeadingLevel::try_from(n).unwrap_or(HeadingLevel::H6)
    };
    let mut in_image_link = Vec::new();
    let events = Parser::new_ext(markdown, markdown_options()).map(|event| match event {
        Event::Html(text) | Event::InlineHtml(text) => Event::Text(text),
        Event::Start(Tag::HtmlBlock) => Event::Start(Tag::Paragraph),
        Event::End(TagEnd::HtmlBlock) => Event::End(TagEnd::Paragraph),
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: demote(level),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(demote(level))),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: link_target(dest_url, links),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            if dest_url.as_ref() == LOGO_URL {
                in_image_link.push(false);
                Event::Start(Tag::Image {
                    link_type,
                    dest_url: links.logo.clone().into(),
                    title,
                    id,
                })
            } else {
                in_image_link.push(true);
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
        }
        Event::End(TagEnd::Image) => {
            if in_image_link.pop().unwrap_or(false) {
                Event::End(TagEnd::Link)
            } else {
                Event::End(TagEnd::Image)
            }
        }
        other => other,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    // Table header cells only ever head columns in CommonMark tables; say so.
    html.replace("<th>", "<th scope=\"col\">")
        .replace("<th style=", "<th scope=\"col\" style=")
}

fn link_target<'a>(dest: CowStr<'a>, links: &Links) -> CowStr<'a> {
    if dest.as_ref() == LOGO_URL {
        links.logo.clone().into()
    } else if let Some(id) = dest.strip_prefix(POLICY_URL_PREFIX) {
        format!("{id}.html").into()
    } else {
        dest
    }
}

/// A CSS string literal holding `text` literally: everything but letters,
/// digits and spaces is written as a hex escape, so no value can close the
/// string, the rule or the `<style>` element.
pub fn css_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == ' ' {
            out.push(c);
        } else {
            out.push_str(&format!("\\{:x} ", u32::from(c)));
        }
    }
    out.push('"');
    out
}

/// Drops the blank lines template logic leaves and ends with one newline.
pub fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let line = line.trim_end();
        if !line.trim().is_empty() {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links() -> Links {
        Links {
            logo: "data:image/png;base64,AAAA".into(),
        }
    }

    #[test]
    fn css_strings_cannot_escape() {
        assert_eq!(css_string("A&B \"x\""), r#""A\26 B \22 x\22 ""#);
        let hostile = css_string("</style><script>");
        assert!(!hostile.contains('<') && !hostile.contains('/'));
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let html = body_html(
            "Hello <script>alert(1)</script> there\n\n<div onclick=\"x\">block</div>\n",
            2,
            &links(),
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<div"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(
            html.contains("<p>&lt;div onclick=\"x\"&gt;block&lt;/div&gt;"),
            "{html}"
        );
    }

    #[test]
    fn placeholder_targets_are_mapped() {
        let html = body_html(
            "![Logo](policygen:logo) and [Complaints](policygen:policy/complaints)",
            2,
            &links(),
        );
        assert!(
            html.contains(r#"<img src="data:image/png;base64,AAAA" alt="Logo" />"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<a href="complaints.html">Complaints</a>"#),
            "{html}"
        );
    }

    #[test]
    fn outside_images_become_links_and_headings_are_demoted() {
        let html = body_html(
            "# Heading\n\n![A chart](https://example.org/c.png)",
            2,
            &links(),
        );
        assert!(html.contains("<h3>Heading</h3>"), "{html}");
        assert!(
            html.contains(r#"<a href="https://example.org/c.png">A chart</a>"#),
            "{html}"
        );
        assert!(!html.contains("<img"), "{html}");
    }
}
