//! The colours of a document, shared by the PDF and DOCX renderers: the
//! organisation's brand colour, darkened by the contrast check
//! (`check::colour`) when it is too pale to read on white, and the greys of
//! text, notes and rules. Pure: a colour in, a theme out.

use crate::check::colour;
use crate::check::colour::parse_hex_colour;

/// An sRGB colour.
pub type Rgb = (u8, u8, u8);

/// The colours of a document, from the organisation's brand colour.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    /// Headings and links: the brand colour, darkened if needed so it reads
    /// against white at WCAG AA (4.5:1).
    pub brand: Rgb,
    /// A pale tint of the brand colour for table header rows.
    pub tint: Rgb,
    pub text: Rgb,
    pub muted: Rgb,
    pub rule: Rgb,
}

impl Theme {
    pub fn new(brand: Option<&str>) -> Theme {
        // The same shade the HTML uses when the brand colour is too pale.
        let brand = brand
            .and_then(|c| colour::accessible(c, colour::PAGE))
            .and_then(|a| parse_hex_colour(&a.colour))
            .unwrap_or((0x1f, 0x4e, 0x79));
        let mix = |c: u8| (255.0 - (255.0 - f32::from(c)) * 0.12).round() as u8;
        Theme {
            brand,
            tint: (mix(brand.0), mix(brand.1), mix(brand.2)),
            text: (0x1a, 0x1a, 0x1a),
            muted: (0x55, 0x55, 0x55),
            rule: (0xc4, 0xc4, 0xc4),
        }
    }
}

/// `RRGGBB`, uppercase, as Word writes colours.
pub fn word_hex((r, g, b): Rgb) -> String {
    format!("{r:02X}{g:02X}{b:02X}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brand_colours_are_darkened_until_readable() {
        let pale = Theme::new(Some("#ffd966"));
        assert!(colour::ratio(pale.brand, colour::PAGE) >= colour::AA);
        let dark = Theme::new(Some("#1f5f8b"));
        assert_eq!(dark.brand, (0x1f, 0x5f, 0x8b));
        assert_eq!(Theme::new(Some("nonsense")).brand, (0x1f, 0x4e, 0x79));
    }

    #[test]
    fn word_colours_are_six_uppercase_digits() {
        assert_eq!(word_hex((0x1f, 0x5f, 0x8b)), "1F5F8B");
    }
}
