//! The PDF renderer: A4, tagged for accessibility (PDF/UA-1), with embedded
//! subset fonts, nested bookmarks and byte-identical output for the same
//! inputs. No external program is involved: `render::blocks` turns the document into
//! blocks, `layout` typesets them with the font metrics of `fonts`, and
//! `draw` writes the PDF with krilla.

pub mod draw;
pub mod fonts;
pub mod layout;

use std::sync::Mutex;

use krilla::image::Image;

use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::load::assets::FontFiles;
use crate::load::logo::{ImageKind, Logo};
use crate::render::{Artifact, Format, Renderer, blocks};

use self::fonts::Family;
use self::layout::Theme;

/// Renders documents to PDF. Holds the font family, parsed once per build,
/// and each logo decoded once however many documents carry it.
pub struct PdfRenderer {
    family: Family,
    /// Logo bytes → the decoded image (decoding and compressing a logo is the
    /// dearest step of a small document).
    logos: Mutex<Vec<(Vec<u8>, Image)>>,
}

impl PdfRenderer {
    /// Parses the font family; an unreadable project font is an error naming its file.
    pub fn new(fonts: &FontFiles) -> Result<PdfRenderer, Diagnostic> {
        Ok(PdfRenderer {
            family: Family::new(fonts)?,
            logos: Mutex::new(Vec::new()),
        })
    }

    /// The PDF bytes of one document.
    pub fn pdf(&self, document: &Document) -> Result<Vec<u8>, Diagnostic> {
        let name = document.output_path(Format::Pdf);
        let logo = match document.logo {
            Some(logo) => Some(self.image(logo).map_err(|e| {
                Diagnostic::error(format!("the logo cannot be used in {name}: {e}"))
                    .in_source(document.profile)
                    .with_hint("save the logo again as a standard PNG or JPEG image")
            })?),
            None => None,
        };
        let theme = Theme::new(document.org.brand_colour.as_deref());
        let blocks = blocks::blocks(document, "pdf");
        let size = logo.as_ref().map(|image| {
            let (w, h) = image.size();
            (w as f32, h as f32)
        });
        let layout = layout::layout(document, &blocks, &self.family, &theme, size);
        if !layout.missing.is_empty() {
            let list = layout
                .missing
                .iter()
                .map(|c| format!("`{c}` (U+{:04X})", u32::from(*c)))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(Diagnostic::error(format!(
                "{name}: the PDF font {} has no glyph for {list}",
                self.family.name
            ))
            .in_file(source_of(document, &layout.missing))
            .with_hint(
                "replace the character in the policy or the organisation's profile, or put a font family that has it in assets/fonts/",
            ));
        }
        let page = draw::Page {
            document,
            family: &self.family,
            theme: &theme,
            logo: logo.as_ref(),
        };
        draw::draw(&layout, &page).map_err(|e| match e {
            draw::DrawError::Logo(message) => {
                Diagnostic::error(format!("the logo cannot be drawn in {name}: {message}"))
                    .in_source(document.profile)
                    .with_hint("the image file is damaged; save the logo again as PNG or JPEG")
            }
            draw::DrawError::Other(message) => {
                Diagnostic::error(format!("cannot write {name}: {message}"))
            }
        })
    }

    fn image(&self, logo: &Logo) -> Result<Image, String> {
        let mut cache = self.logos.lock().map_err(|_| "logo cache poisoned")?;
        if let Some((_, image)) = cache.iter().find(|(bytes, _)| *bytes == logo.bytes) {
            return Ok(image.clone());
        }
        let data = logo.bytes.clone().into();
        let image = match logo.kind {
            ImageKind::Png => Image::from_png(data, true)?,
            ImageKind::Jpeg => Image::from_jpeg(data, true)?,
        };
        cache.push((logo.bytes.clone(), image.clone()));
        Ok(image)
    }
}

impl Renderer for PdfRenderer {
    fn format(&self) -> Format {
        Format::Pdf
    }

    fn render(&self, document: &Document) -> Result<Vec<Artifact>, Diagnostic> {
        Ok(vec![Artifact {
            path: format!("{}/{}.pdf", document.org_slug, document.policy_id),
            bytes: self.pdf(document)?,
            format: Some(Format::Pdf),
        }])
    }
}

/// The file a character most likely came from: the organisation's profile
/// when one of its values holds it, else the policy variant.
fn source_of(document: &Document, chars: &std::collections::BTreeSet<char>) -> String {
    let org = &document.org;
    let mut values: Vec<&str> = vec![&org.name, &org.registration_no];
    values.extend(
        [&org.address, &org.phone, &org.email, &org.website]
            .into_iter()
            .flatten()
            .map(String::as_str),
    );
    for review in &document.reviews {
        values.extend(
            [
                &review.by,
                &review.approved_by,
                &review.version,
                &review.note,
            ]
            .map(String::as_str),
        );
    }
    for person in &document.sheet.roster {
        values.extend([person.name.as_str(), person.role.as_str()]);
    }
    values.extend([
        document.closing.responsible_person.as_str(),
        document.closing.approved_by.as_str(),
    ]);
    if values.iter().any(|v| v.chars().any(|c| chars.contains(&c))) {
        format!("organisations/{}.yaml", document.org_slug)
    } else {
        format!(
            "policies/{}/{}.yaml",
            document.policy_id, document.variant_id
        )
    }
}
