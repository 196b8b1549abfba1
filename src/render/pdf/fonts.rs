//! The PDF font family, parsed once per build: for each of the four styles a
//! krilla [`Font`] (cheap to clone into every document) and the metrics the
//! layout measures text with — glyph ids and advance widths per character,
//! and kerning pairs from the `kern` table.

use std::collections::HashMap;

use krilla::text::{Font, Glyph as KrillaGlyphTrait, GlyphId};
use ttf_parser::{Face as TtfFace, GlyphId as TtfGlyph};

use crate::diagnostic::Diagnostic;
use crate::load::assets::{FontBytes, FontFiles};

pub use crate::render::blocks::Style;

/// Which of the four faces draws a style.
fn face_index(style: Style) -> usize {
    usize::from(style.bold) + 2 * usize::from(style.italic)
}

/// Characters below this are looked up in a flat table; the rest in a map.
const FAST_CHARS: usize = 0x250;

#[cfg(test)]
thread_local! {
    /// Glyph look-ups made on this thread: tests count work with it, so
    /// that a pass that goes quadratic fails whatever the machine's speed.
    static LOOKUPS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Glyph look-ups made on this thread so far (tests only).
#[cfg(test)]
pub(crate) fn lookups() -> usize {
    LOOKUPS.with(std::cell::Cell::get)
}

/// A glyph set on a line: what krilla draws, in a third of the room of
/// krilla's own `KrillaGlyph` (laid-out lines are kept for the whole build,
/// see `layout::linebreak`). The advance is in ems, kerning included.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Glyph {
    id: u16,
    advance: f32,
    /// The byte range of the characters it draws, in the text drawn.
    start: u32,
    end: u32,
}

impl KrillaGlyphTrait for Glyph {
    fn glyph_id(&self) -> GlyphId {
        GlyphId::new(u32::from(self.id))
    }

    fn text_range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    fn x_advance(&self, size: f32) -> f32 {
        self.advance * size
    }

    fn x_offset(&self, _: f32) -> f32 {
        0.0
    }

    fn y_offset(&self, _: f32) -> f32 {
        0.0
    }

    fn y_advance(&self, _: f32) -> f32 {
        0.0
    }

    fn location(&self) -> Option<krilla::surface::Location> {
        None
    }
}

/// One face with its metrics, in font units.
pub struct Face {
    pub font: Font,
    units_per_em: f32,
    /// Ascender above the baseline, as a fraction of the em.
    pub ascender: f32,
    /// Descender below the baseline (positive), as a fraction of the em.
    pub descender: f32,
    /// (glyph id, advance) for chars below [`FAST_CHARS`]; glyph 0 = missing.
    fast: Vec<(u16, u16)>,
    other: HashMap<char, (u16, u16)>,
    /// Kerning by left glyph: sorted (right glyph, adjustment) pairs.
    kerning: Vec<Vec<(u16, i16)>>,
}

/// The four faces of the family.
pub struct Family {
    pub name: String,
    /// Distinguishes this family from any other parsed in the process (the
    /// lines the layout remembers are set in one family).
    pub(crate) id: u64,
    faces: [Face; 4],
}

static FAMILIES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

impl Family {
    /// Parses the family's files; an unreadable font is an error naming its file.
    pub fn new(files: &FontFiles) -> Result<Family, Diagnostic> {
        let mut faces = Vec::with_capacity(4);
        for file in &files.files {
            faces.push(Face::parse(&file.bytes).ok_or_else(|| {
                Diagnostic::error("the font cannot be read as TrueType or OpenType")
                    .in_file(&file.display_path)
                    .with_hint("replace it with a .ttf or .otf file, or remove the family from assets/fonts/ to use the built-in Open Sans")
            })?);
        }
        let faces: [Face; 4] = faces
            .try_into()
            .map_err(|_| Diagnostic::error("internal: the PDF font family needs four styles"))?;
        Ok(Family {
            name: files.family.clone(),
            id: FAMILIES.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            faces,
        })
    }

    pub fn face(&self, style: Style) -> &Face {
        &self.faces[face_index(style)]
    }

    /// Gives krilla every glyph the texts draw before anything is drawn:
    /// face by face, in glyph-id order, each with the text of its first
    /// use. Numbered in the order they were first drawn, two documents'
    /// subsets would differ wherever their first pages do (the
    /// organisation's name comes first); numbered by glyph id, a subset
    /// depends only on the set of glyphs, and krilla makes it once for all
    /// the documents of a build that use the same set (`vendor/krilla`,
    /// `Document::reserve_glyphs`). Glyphs drawn later but not given here
    /// (the running header's) follow in the order they are drawn.
    pub fn reserve<'t>(
        &self,
        pdf: &mut krilla::Document,
        texts: impl Iterator<Item = (Style, &'t str, &'t [Glyph])>,
    ) {
        // By glyph id, the text of its first use ("" while unused).
        let mut faces: [Vec<&str>; 4] = Default::default();
        for (style, text, glyphs) in texts {
            let face = &mut faces[face_index(style)];
            for glyph in glyphs {
                let id = usize::from(glyph.id);
                if id >= face.len() {
                    face.resize(id + 1, "");
                }
                if face[id].is_empty() {
                    face[id] = text
                        .get(glyph.start as usize..glyph.end as usize)
                        .unwrap_or("");
                }
            }
        }
        for (face, glyphs) in self.faces.iter().zip(faces) {
            let glyphs: Vec<(GlyphId, &str)> = glyphs
                .into_iter()
                .enumerate()
                .filter(|(_, text)| !text.is_empty())
                .map(|(id, text)| (GlyphId::new(id as u32), text))
                .collect();
            if glyphs.is_empty() {
                continue;
            }
            pdf.reserve_glyphs(face.font.clone(), &glyphs);
        }
    }
}

impl Face {
    fn parse(bytes: &FontBytes) -> Option<Face> {
        let data = bytes.as_slice();
        let face = TtfFace::parse(data, 0).ok()?;
        let font = match bytes {
            FontBytes::Bundled(b) => Font::new((*b).into(), 0)?,
            FontBytes::Project(b) => Font::new(b.clone().into(), 0)?,
        };
        let units_per_em = f32::from(face.units_per_em());
        let metric = |id: TtfGlyph| face.glyph_hor_advance(id).unwrap_or(0);
        let mut fast = vec![(0u16, 0u16); FAST_CHARS];
        for (code, slot) in fast.iter_mut().enumerate() {
            if let Some(c) = char::from_u32(code as u32)
                && let Some(id) = face.glyph_index(c)
            {
                *slot = (id.0, metric(id));
            }
        }
        let mut other = HashMap::new();
        if let Some(cmap) = face.tables().cmap {
            for subtable in cmap.subtables {
                if !subtable.is_unicode() {
                    continue;
                }
                subtable.codepoints(|code| {
                    if (code as usize) < FAST_CHARS {
                        return;
                    }
                    if let Some(c) = char::from_u32(code)
                        && let Some(id) = subtable.glyph_index(code)
                    {
                        other.entry(c).or_insert((id.0, metric(id)));
                    }
                });
            }
        }
        let mut kerning = vec![Vec::new(); usize::from(face.number_of_glyphs())];
        if let Some(kern) = face.tables().kern {
            for subtable in kern.subtables {
                if !subtable.horizontal || subtable.variable || subtable.has_cross_stream {
                    continue;
                }
                if let ttf_parser::kern::Format::Format0(table) = subtable.format {
                    for pair in table.pairs {
                        if let Some(list) = kerning.get_mut(usize::from(pair.left().0)) {
                            list.push((pair.right().0, pair.value));
                        }
                    }
                }
            }
        }
        for list in &mut kerning {
            list.sort_unstable();
            list.dedup_by_key(|p| p.0);
        }
        Some(Face {
            font,
            units_per_em,
            ascender: f32::from(face.ascender()) / units_per_em,
            descender: -f32::from(face.descender()) / units_per_em,
            fast,
            other,
            kerning,
        })
    }

    /// The glyph id and advance of a character, if the face has it.
    fn lookup(&self, c: char) -> Option<(u16, u16)> {
        let found = if (c as usize) < FAST_CHARS {
            self.fast[c as usize]
        } else {
            self.other.get(&c).copied().unwrap_or((0, 0))
        };
        (found.0 != 0).then_some(found)
    }

    /// The glyph that draws `c`: its own, or a look-alike for characters
    /// this family commonly lacks. `None` when the face cannot show it.
    fn glyph_for(&self, c: char) -> Option<(u16, u16)> {
        #[cfg(test)]
        LOOKUPS.with(|n| n.set(n.get() + 1));
        self.lookup(c).or_else(|| match c {
            '\u{2010}' | '\u{2011}' => self.lookup('-'),
            '\u{202F}' | '\u{2007}' | '\u{2008}' | '\t' => self.lookup(' '),
            _ => None,
        })
    }

    /// Whether the face can draw `c` (invisible characters always can).
    pub fn covers(&self, c: char) -> bool {
        is_invisible(c) || self.glyph_for(c).is_some()
    }

    fn kern(&self, left: u16, right: u16) -> i32 {
        self.kerning
            .get(usize::from(left))
            .and_then(|list| {
                list.binary_search_by_key(&right, |p| p.0)
                    .ok()
                    .map(|i| i32::from(list[i].1))
            })
            .unwrap_or(0)
    }

    /// The width of `text` at `size` points, kerning included.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        self.measure(text, size).0
    }

    /// The width of `text` at `size` points, kerning included, and the width
    /// of its trailing white space (which may hang past a line's end).
    pub fn measure(&self, text: &str, size: f32) -> (f32, f32) {
        let mut units = 0i32;
        let mut trailing = 0i32;
        let mut previous = None;
        for c in text.chars() {
            if is_invisible(c) {
                continue;
            }
            let Some((id, advance)) = self.glyph_for(c) else {
                continue;
            };
            let mut step = i32::from(advance);
            if let Some(left) = previous {
                step += self.kern(left, id);
            }
            units += step;
            if c.is_whitespace() {
                trailing += step;
            } else {
                trailing = 0;
            }
            previous = Some(id);
        }
        let scale = size / self.units_per_em;
        (units as f32 * scale, trailing as f32 * scale)
    }

    /// `text` if it fits `width` at `size` points; else its longest prefix
    /// that fits with trailing spaces trimmed and `…` added; else nothing.
    /// One pass over the text, in font units as [`Face::measure`] counts
    /// them (measuring each shorter prefix again took seconds for a name of
    /// thousands of characters).
    pub fn ellipsize(&self, text: &str, size: f32, width: f32) -> String {
        let scale = size / self.units_per_em;
        let fits = |units: i32| units as f32 * scale <= width;
        let ellipsis = self.glyph_for('…');
        // The prefix so far: its units and last glyph, and the same with
        // trailing white space trimmed.
        let (mut units, mut last) = (0i32, None);
        let (mut trimmed, mut trimmed_last) = (0i32, None);
        let mut best = None;
        for (count, c) in text.chars().enumerate() {
            // The candidate of the first `count` characters.
            let mut candidate = trimmed;
            if let Some((id, advance)) = ellipsis {
                candidate += i32::from(advance) + trimmed_last.map_or(0, |l| self.kern(l, id));
            }
            if fits(candidate) {
                best = Some(count);
            }
            if !is_invisible(c)
                && let Some((id, advance)) = self.glyph_for(c)
            {
                units += i32::from(advance) + last.map_or(0, |l| self.kern(l, id));
                last = Some(id);
            }
            if !c.is_whitespace() {
                (trimmed, trimmed_last) = (units, last);
            }
        }
        if fits(units) {
            return text.to_string();
        }
        match best {
            Some(n) => {
                let prefix: String = text.chars().take(n).collect();
                format!("{}…", prefix.trim_end())
            }
            None => String::new(),
        }
    }

    /// The positioned glyphs of `text`, each mapped back to its characters so
    /// that copied and extracted text is exact. Characters the face lacks are
    /// left out; the renderer refuses such text before drawing.
    pub fn glyphs(&self, text: &str) -> Vec<Glyph> {
        let mut glyphs: Vec<Glyph> = Vec::with_capacity(text.len());
        let mut previous = None;
        for (start, c) in text.char_indices() {
            // Texts are lines and headers: far below 4 GB.
            let end = (start + c.len_utf8()) as u32;
            if is_invisible(c) {
                // Fold the character into the previous glyph's text so it is kept.
                if let Some(last) = glyphs.last_mut() {
                    last.end = end;
                }
                continue;
            }
            let Some((id, advance)) = self.glyph_for(c) else {
                continue;
            };
            if let Some(left) = previous
                && let Some(last) = glyphs.last_mut()
            {
                last.advance += self.kern(left, id) as f32 / self.units_per_em;
            }
            glyphs.push(Glyph {
                id,
                advance: f32::from(advance) / self.units_per_em,
                start: start as u32,
                end,
            });
            previous = Some(id);
        }
        glyphs
    }
}

/// Characters that draw nothing and take no room: soft hyphens and
/// zero-width joiners and spaces.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn family() -> Family {
        Family::new(&FontFiles::bundled()).unwrap()
    }

    #[test]
    fn the_bundled_family_covers_welsh_and_our_punctuation() {
        let family = family();
        for style in [
            Style::REGULAR,
            Style::BOLD,
            Style {
                bold: false,
                italic: true,
            },
            Style {
                bold: true,
                italic: true,
            },
        ] {
            let face = family.face(style);
            for c in "âêîôûŵŷïëÂÊÎÔÛŴŶÏË’‘“”–—©•£€½".chars() {
                assert!(face.covers(c), "{style:?} lacks {c}");
            }
        }
    }

    #[test]
    fn widths_grow_with_size_and_kerning_tightens_pairs() {
        let family = family();
        let face = family.face(Style::REGULAR);
        let ten = face.width("Care home", 10.0);
        assert!(ten > 30.0 && ten < 60.0, "{ten}");
        assert!((face.width("Care home", 20.0) - 2.0 * ten).abs() < 0.01);
        // "To" kerns tighter than its two letters apart.
        let apart = face.width("T", 10.0) + face.width("o", 10.0);
        assert!(face.width("To", 10.0) < apart);
    }

    #[test]
    fn glyphs_map_back_to_every_character() {
        let family = family();
        let face = family.face(Style::REGULAR);
        let text = "Tŷ\u{00AD}Siân";
        let glyphs = face.glyphs(text);
        assert_eq!(glyphs.len(), 6);
        let ranges: Vec<_> = glyphs.iter().map(|g| &text[g.text_range()]).collect();
        assert_eq!(ranges, ["T", "ŷ\u{00AD}", "S", "i", "â", "n"]);
        let sum: f32 = glyphs.iter().map(|g| g.x_advance(10.0)).sum();
        assert!((sum - face.width(text, 10.0)).abs() < 0.001);
    }

    #[test]
    fn an_emoji_is_not_covered() {
        assert!(!family().face(Style::REGULAR).covers('😀'));
    }

    /// The shortening the running header used to do: drop the last
    /// character and measure again until it fits.
    fn ellipsize_by_retrying(face: &Face, text: &str, size: f32, width: f32) -> String {
        if face.width(text, size) <= width {
            return text.to_string();
        }
        let mut chars: Vec<char> = text.chars().collect();
        while !chars.is_empty() {
            chars.pop();
            let candidate = format!("{}…", chars.iter().collect::<String>().trim_end());
            if face.width(&candidate, size) <= width {
                return candidate;
            }
        }
        String::new()
    }

    #[test]
    fn ellipsizing_keeps_the_longest_prefix_that_fits() {
        let family = family();
        let face = family.face(Style::BOLD);
        let name = "Tŷ Gwyn Care Home and Nursing Services, Ynys\u{00AD}Môn  AVA";
        for width in (0..260).step_by(3) {
            let width = width as f32;
            let fitted = face.ellipsize(name, 8.5, width);
            assert_eq!(
                fitted,
                ellipsize_by_retrying(face, name, 8.5, width),
                "{width}"
            );
            if !fitted.is_empty() {
                assert!(face.width(&fitted, 8.5) <= width);
            }
        }
        assert_eq!(face.ellipsize(name, 8.5, 1000.0), name);
    }

    #[test]
    fn ellipsizing_a_very_long_name_is_linear() {
        // Retrying each shorter prefix looks up n²/2 characters: 200 million
        // here; one pass looks up each character once (and the ellipsis).
        let family = family();
        let face = family.face(Style::BOLD);
        let name = "Bryn Haven Care Home ".repeat(1_000);
        let before = lookups();
        let fitted = face.ellipsize(&name, 8.5, 300.0);
        let looked_up = lookups() - before;
        assert!(looked_up <= name.len() + 1, "{looked_up} look-ups");
        assert!(fitted.ends_with('…') && face.width(&fitted, 8.5) <= 300.0);
        assert!(face.width(&fitted, 8.5) > 250.0, "{fitted}");
    }
}
