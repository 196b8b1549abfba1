//! The DOCX renderer: a Word document a provider can edit and re-issue.
//! `body` writes the text from the shared blocks (`render::blocks`) with
//! Word's own heading and list styles, `front` the front matter and the
//! closing block, `table` the tables, `page` the header, footer and page
//! setup, `styles` and `numbering` the style and list definitions,
//! `properties` the document properties, and `package` zips the parts.
//!
//! Written with quick-xml and zip rather than the docx-rs crate: docx-rs
//! numbers pictures and hyperlinks from process-wide counters and writes
//! hyperlink relationships in hash-map order, so the same document came out
//! with different bytes from one run to the next, and under `--jobs 4` from
//! one thread to the next. Here every id is counted per document.

pub mod body;
pub mod drawing;
pub mod front;
pub mod numbering;
pub mod package;
pub mod page;
pub mod properties;
pub mod styles;
pub mod table;
pub mod xml;

use std::collections::BTreeSet;

use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::load::assets::FontFiles;
use crate::render::blocks::{self, Block};
use crate::render::theme::Theme;
use crate::render::{Artifact, Format, Renderer};

use self::drawing::Picture;
use self::numbering::Lists;
use self::package::{Part, Relationship};

/// Relationship id of the logo from the document part (the header has its
/// own relationships, where the logo is `rId1`).
pub const LOGO_REL: &str = "rId9";
/// Hyperlink relationships are numbered from here, after the fixed ones.
const FIRST_LINK: usize = 10;

/// Renders documents to DOCX. Holds only the name of the font family.
pub struct DocxRenderer {
    font: String,
}

impl DocxRenderer {
    /// Names the project's font family as the font itself names it (Word
    /// matches installed fonts by that name: `Open Sans`, not the file
    /// prefix `OpenSans`).
    pub fn new(fonts: &FontFiles) -> DocxRenderer {
        DocxRenderer {
            font: family_name(fonts.files[0].bytes.as_slice())
                .unwrap_or_else(|| fonts.family.clone()),
        }
    }

    /// The DOCX bytes of one document.
    pub fn docx(&self, document: &Document) -> Result<Vec<u8>, Diagnostic> {
        let name = document.output_path(Format::Docx);
        let picture = match document.logo {
            Some(logo) => Some(Picture::new(logo).map_err(|e| {
                Diagnostic::error(format!("the logo cannot be used in {name}: {e}"))
                    .in_source(document.profile)
                    .with_hint("the image file is damaged; save the logo again as PNG or JPEG")
            })?),
            None => None,
        };
        let theme = Theme::new(document.org.brand_colour.as_deref());
        let lang = word_language(&document.lang);
        let blocks = blocks::blocks(document, "docx");
        let mut refs = Refs {
            document,
            theme,
            picture: picture.as_ref(),
            auto_numbers: headings_follow_word_numbering(&blocks),
            lists: Lists::default(),
            links: Vec::new(),
            bookmarks: BTreeSet::new(),
            drawings: 0,
        };
        let body = body::document(&mut refs, &blocks);
        let header = page::header(&mut refs);
        let footer = page::footer(&refs);
        let look = styles::Look {
            theme: &refs.theme,
            font: &self.font,
            lang,
        };
        let mut parts = vec![
            Part::new("[Content_Types].xml", package::content_types()),
            Part::new("_rels/.rels", package::package_relationships()),
            Part::new("docProps/core.xml", properties::core(document, lang)),
            Part::new("docProps/app.xml", properties::app(document)),
            Part::new("word/document.xml", body),
            Part::new(
                "word/_rels/document.xml.rels",
                package::relationships(&refs.relationships()),
            ),
            Part::new("word/styles.xml", styles::styles(&look)),
            Part::new(
                "word/numbering.xml",
                numbering::numbering(&refs.lists, &self.font),
            ),
            Part::new("word/settings.xml", styles::settings(lang)),
            Part::new("word/fontTable.xml", styles::font_table(&self.font)),
            Part::new("word/header1.xml", header),
            Part::new("word/header2.xml", page::first_header(&refs)),
            Part::new("word/footer1.xml", footer.clone()),
            Part::new("word/footer2.xml", footer),
        ];
        if let Some(picture) = &picture {
            let media = format!("media/{}", picture.file_name);
            parts.push(Part::new(
                "word/_rels/header1.xml.rels",
                package::relationships(&[Relationship::internal("rId1", "image", &media)]),
            ));
            parts.push(Part::new(&format!("word/{media}"), picture.bytes.to_vec()));
        }
        package::zip(&parts).map_err(|e| Diagnostic::error(format!("cannot write {name}: {e}")))
    }
}

impl Renderer for DocxRenderer {
    fn format(&self) -> Format {
        Format::Docx
    }

    fn render(&self, document: &Document) -> Result<Vec<Artifact>, Diagnostic> {
        Ok(vec![Artifact {
            path: document.output_path(Format::Docx),
            bytes: self.docx(document)?,
            format: Some(Format::Docx),
        }])
    }
}

/// The family name in a font's `name` table: the typographic family (ID
/// 16) if there is one, else the family (ID 1).
fn family_name(font: &[u8]) -> Option<String> {
    let face = ttf_parser::Face::parse(font, 0).ok()?;
    let names = face.names();
    [
        ttf_parser::name_id::TYPOGRAPHIC_FAMILY,
        ttf_parser::name_id::FAMILY,
    ]
    .into_iter()
    .find_map(|id| {
        names
            .into_iter()
            .filter(|n| n.name_id == id && n.is_unicode())
            .find_map(|n| n.to_string())
    })
    .filter(|name| !name.trim().is_empty())
}

/// Word's language tag for the document's: `en-GB`, or `cy-GB` for Welsh.
fn word_language(lang: &str) -> &'static str {
    if lang == "cy" || lang.starts_with("cy-") {
        "cy-GB"
    } else {
        "en-GB"
    }
}

/// What the parts refer to, collected while they are written: hyperlink
/// targets, list instances, bookmark names and drawing ids — all counted per
/// document, so the bytes never depend on what else a build renders.
pub struct Refs<'a> {
    pub document: &'a Document<'a>,
    pub theme: Theme,
    pub picture: Option<&'a Picture<'a>>,
    /// Headings take their numbers from Word's outline numbering; false
    /// only if the document's numbers ever differ from what Word would
    /// count, when they are written as text instead.
    pub auto_numbers: bool,
    pub lists: Lists,
    /// External link targets in order of first use.
    links: Vec<String>,
    bookmarks: BTreeSet<String>,
    drawings: u32,
}

impl Refs<'_> {
    /// The relationship id of an external link target.
    pub fn link(&mut self, target: &str) -> String {
        let index = match self.links.iter().position(|t| t == target) {
            Some(i) => i,
            None => {
                self.links.push(target.to_string());
                self.links.len() - 1
            }
        };
        format!("rId{}", FIRST_LINK + index)
    }

    /// A new drawing id.
    pub fn drawing(&mut self) -> u32 {
        self.drawings += 1;
        self.drawings
    }

    /// Records a bookmark name; false when the document already has it
    /// (Word keeps one bookmark per name).
    pub fn bookmark(&mut self, name: &str) -> Option<usize> {
        if self.bookmarks.insert(name.to_string()) {
            Some(self.bookmarks.len())
        } else {
            None
        }
    }

    /// The relationships of `document.xml`.
    fn relationships(&self) -> Vec<Relationship> {
        let mut list = vec![
            Relationship::internal("rId1", "styles", "styles.xml"),
            Relationship::internal("rId2", "numbering", "numbering.xml"),
            Relationship::internal("rId3", "settings", "settings.xml"),
            Relationship::internal("rId4", "fontTable", "fontTable.xml"),
            Relationship::internal(page::HEADER_REL, "header", "header1.xml"),
            Relationship::internal(page::FIRST_HEADER_REL, "header", "header2.xml"),
            Relationship::internal(page::FOOTER_REL, "footer", "footer1.xml"),
            Relationship::internal(page::FIRST_FOOTER_REL, "footer", "footer2.xml"),
        ];
        if let Some(picture) = self.picture {
            list.push(Relationship::internal(
                LOGO_REL,
                "image",
                &format!("media/{}", picture.file_name),
            ));
        }
        for (i, target) in self.links.iter().enumerate() {
            list.push(Relationship::link(
                &format!("rId{}", FIRST_LINK + i),
                target,
            ));
        }
        list
    }
}

/// A bookmark name Word accepts for an anchor: letters, digits and `_`,
/// starting with a letter, at most 40 characters (`section-4-1` →
/// `section_4_1`).
pub fn bookmark_name(anchor: &str) -> String {
    let mut name: String = anchor
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name.insert_str(0, "s_");
    }
    name.truncate(40);
    name
}

/// Whether every numbered heading carries the number Word's outline
/// numbering gives it (`1.`, `1.1`, `1.1.1`, counted in order).
fn headings_follow_word_numbering(blocks: &[Block]) -> bool {
    let mut counters = [0usize; 3];
    blocks.iter().all(|block| {
        let Block::Heading(heading) = block else {
            return true;
        };
        let Some(number) = &heading.number else {
            return true;
        };
        let level = usize::from(heading.level.clamp(1, 3)) - 1;
        counters[level] += 1;
        for deeper in &mut counters[level + 1..] {
            *deeper = 0;
        }
        let parts: Vec<String> = counters[..=level].iter().map(usize::to_string).collect();
        let expected = if level == 0 {
            format!("{}.", parts[0])
        } else {
            parts.join(".")
        };
        *number == expected
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::blocks::Heading;

    fn heading(level: u8, number: &str) -> Block {
        Block::Heading(Heading {
            level,
            number: Some(number.to_string()),
            title: "T".into(),
            anchors: vec![],
        })
    }

    #[test]
    fn word_numbering_is_used_only_when_it_gives_the_same_numbers() {
        let good = [
            heading(1, "1."),
            heading(2, "1.1"),
            heading(3, "1.1.1"),
            heading(2, "1.2"),
            heading(1, "2."),
            heading(2, "2.1"),
        ];
        assert!(headings_follow_word_numbering(&good));
        let skipped = [heading(1, "1."), heading(1, "3.")];
        assert!(!headings_follow_word_numbering(&skipped));
        let deep = [heading(1, "1."), heading(3, "1.1.1")];
        assert!(!headings_follow_word_numbering(&deep));
    }

    #[test]
    fn bookmark_names_are_ones_word_accepts() {
        assert_eq!(bookmark_name("section-4-1"), "section_4_1");
        assert_eq!(bookmark_name("4-things"), "s_4_things");
        assert_eq!(bookmark_name(&"x".repeat(50)).len(), 40);
        assert_eq!(bookmark_name("ŵ"), "s__");
    }

    #[test]
    fn the_font_is_named_as_it_names_itself() {
        let renderer = DocxRenderer::new(&FontFiles::bundled());
        assert_eq!(renderer.font, "Open Sans");
        assert_eq!(family_name(b"not a font"), None);
    }

    #[test]
    fn languages() {
        assert_eq!(word_language("en-GB"), "en-GB");
        assert_eq!(word_language("cy"), "cy-GB");
    }
}
