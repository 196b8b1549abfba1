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

use crate::diagnostic::{Diagnostic, Location};
use crate::document::Document;
use crate::load::assets::FontFiles;
use crate::load::logo::{ImageKind, Logo};
use crate::load::source::SourceFile;
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
                .map(|&c| glyph_name(c))
                .collect::<Vec<_>>()
                .join(", ");
            let (file, location) = source_of(document, &layout.missing);
            return Err(Diagnostic::error(format!(
                "{name}: the PDF font {} has no glyph for {list}",
                self.family.name
            ))
            .in_source(file)
            .at(location)
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

/// A missing character as the message names it: the character and its code
/// point, or only the code point for one that shows as nothing (a line
/// separator, a zero-width space), which would be invisible between the quotes.
fn glyph_name(c: char) -> String {
    use unicode_width::UnicodeWidthChar;
    let code = u32::from(c);
    match c {
        '\u{2028}' => format!("U+{code:04X} (a line separator)"),
        '\u{2029}' => format!("U+{code:04X} (a paragraph separator)"),
        c if c.is_whitespace() || c.width().unwrap_or(0) == 0 => {
            format!("U+{code:04X} (an invisible character)")
        }
        c => format!("`{c}` (U+{code:04X})"),
    }
}

/// The file a character most likely came from (the organisation's profile
/// when one of its values holds it, else the policy variant) and where in it
/// the first of them is written, when it can be found there.
fn source_of<'d>(
    document: &'d Document,
    chars: &std::collections::BTreeSet<char>,
) -> (&'d SourceFile, Option<Location>) {
    let file = if in_profile_values(document, chars) {
        document.profile
    } else {
        document.variant_file
    };
    (file, first_written(file, chars))
}

/// Where the first of `chars` is written in `file` outside a comment: typed
/// as itself, or as a YAML escape in double quotes (`\u07EA`, `\L`).
fn first_written(file: &SourceFile, chars: &std::collections::BTreeSet<char>) -> Option<Location> {
    let mut offset = 0;
    for line in file.text.split_inclusive('\n') {
        let content = line.trim_start();
        if !content.starts_with('#') {
            let mut found: Option<(usize, usize)> = None;
            for &c in chars {
                for spelling in spellings(c) {
                    if let Some(at) = line.find(&spelling)
                        && found.is_none_or(|(first, _)| at < first)
                    {
                        found = Some((at, spelling.chars().count()));
                    }
                }
            }
            if let Some((at, width)) = found {
                return Some(file.location_at(offset + at, width));
            }
        }
        offset += line.len();
    }
    None
}

/// How a character can be written in a YAML file: as itself, or escaped.
fn spellings(c: char) -> Vec<String> {
    let code = u32::from(c);
    let mut out = vec![
        c.to_string(),
        format!("\\u{code:04X}"),
        format!("\\u{code:04x}"),
        format!("\\U{code:08X}"),
        format!("\\U{code:08x}"),
    ];
    if code <= 0xff {
        out.extend([format!("\\x{code:02X}"), format!("\\x{code:02x}")]);
    }
    match c {
        '\u{2028}' => out.push("\\L".into()),
        '\u{2029}' => out.push("\\P".into()),
        '\u{a0}' => out.push("\\_".into()),
        _ => {}
    }
    out
}

/// Whether one of the organisation's values (its profile, reviews, staff)
/// holds one of `chars`.
fn in_profile_values(document: &Document, chars: &std::collections::BTreeSet<char>) -> bool {
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
    values.iter().any(|v| v.chars().any(|c| chars.contains(&c)))
}
