//! Colour contrast (WCAG 2.2): an organisation's brand colour styles the
//! headings of its HTML and PDF documents, so it must be readable against the
//! page. When it is not, a darker shade of the same hue is used instead and
//! `check` warns, naming the profile and the colour.
//! Pure: colours in, colours out.

use crate::diagnostic::Diagnostic;
use crate::load::source::SourceFile;

/// The page background of every document: white.
pub const PAGE: (u8, u8, u8) = (0xff, 0xff, 0xff);

/// WCAG AA contrast for normal text.
pub const AA: f64 = 4.5;

/// Relative luminance of an sRGB colour (WCAG 2.2 definition).
pub fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}

/// Contrast ratio between two colours, from 1 to 21.
pub fn ratio(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (light, dark) = if la > lb { (la, lb) } else { (lb, la) };
    (light + 0.05) / (dark + 0.05)
}

/// `#rrggbb`, lowercase.
pub fn hex((r, g, b): (u8, u8, u8)) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// A brand colour made fit for text on the page.
#[derive(Debug, Clone, PartialEq)]
pub struct Accessible {
    /// The colour to use, `#rrggbb`.
    pub colour: String,
    /// The colour as given, `#rrggbb`.
    pub given: String,
    /// Contrast of the given colour against the page.
    pub given_ratio: f64,
}

impl Accessible {
    pub fn adjusted(&self) -> bool {
        self.colour != self.given
    }
}

/// The given colour when it meets AA against `background`; otherwise the
/// lightest shade of it (every channel scaled down by the same factor, which
/// keeps the hue) that does. `None` when `colour` is not a hex colour.
pub fn accessible(colour: &str, background: (u8, u8, u8)) -> Option<Accessible> {
    let rgb = parse_hex_colour(colour)?;
    let given_ratio = ratio(rgb, background);
    // Black passes against white, so the walk always ends; the fallback is for
    // a dark background, where no darker shade helps.
    let chosen = (0..=100u32)
        .rev()
        .map(|percent| shade(rgb, percent))
        .find(|&shade| ratio(shade, background) >= AA)
        .unwrap_or(rgb);
    Some(Accessible {
        colour: hex(chosen),
        given: hex(rgb),
        given_ratio,
    })
}

/// `rgb` with every channel scaled to `percent` per cent, which keeps the hue.
fn shade((r, g, b): (u8, u8, u8), percent: u32) -> (u8, u8, u8) {
    let scale = |c: u8| ((u32::from(c) * percent + 50) / 100).min(255) as u8;
    (scale(r), scale(g), scale(b))
}

/// A warning when a profile's brand colour fails AA against the page, or
/// `None` when it passes (or is not a colour, which validation reports).
pub fn brand_warning(
    file: &SourceFile,
    colour: &serde_saphyr::Spanned<String>,
) -> Option<Diagnostic> {
    let accessible = accessible(&colour.value, PAGE)?;
    if !accessible.adjusted() {
        return None;
    }
    let given = colour.value.trim();
    Some(
        Diagnostic::warning(format!(
            "brand colour `{given}` has a contrast of {:.1}:1 against the white page, below the {AA}:1 that WCAG AA needs for text; headings will use the darker `{}` instead",
            // Rounded down, so a colour at 4.47:1 never reads as 4.5:1.
            (accessible.given_ratio * 10.0).floor() / 10.0,
            accessible.colour
        ))
        .in_source(file)
        .at(file.location_of_span(colour, given.chars().count().max(1)))
        .with_hint(format!(
            "choose a darker brand colour, such as `{}`, to have it used as written",
            accessible.colour
        )),
    )
}

/// `#rgb` or `#rrggbb` as red, green, blue.
pub fn parse_hex_colour(text: &str) -> Option<(u8, u8, u8)> {
    let hex = text.trim().strip_prefix('#')?;
    let digit = |i: usize, len: usize| u8::from_str_radix(hex.get(i..i + len)?, 16).ok();
    match hex.len() {
        6 => Some((digit(0, 2)?, digit(2, 2)?, digit(4, 2)?)),
        3 => Some((digit(0, 1)? * 17, digit(1, 1)? * 17, digit(2, 1)? * 17)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours() {
        assert_eq!(parse_hex_colour("#1f5f8b"), Some((0x1f, 0x5f, 0x8b)));
        assert_eq!(parse_hex_colour("#fff"), Some((255, 255, 255)));
        assert_eq!(parse_hex_colour("blue"), None);
        assert_eq!(parse_hex_colour("#12345"), None);
    }

    #[test]
    fn ratios_match_wcag_examples() {
        assert!((ratio((0, 0, 0), PAGE) - 21.0).abs() < 1e-9);
        assert!((ratio(PAGE, PAGE) - 1.0).abs() < 1e-9);
        // #767676 is the classic lightest grey that passes AA on white.
        assert!(ratio((0x76, 0x76, 0x76), PAGE) >= AA);
        assert!(ratio((0x77, 0x77, 0x77), PAGE) < AA);
    }

    #[test]
    fn passing_colours_are_kept() {
        let a = accessible("#1F5F8B", PAGE).unwrap();
        assert_eq!(a.colour, "#1f5f8b");
        assert!(!a.adjusted());
        assert_eq!(accessible("#000", PAGE).unwrap().colour, "#000000");
    }

    #[test]
    fn failing_colours_are_darkened_just_enough() {
        for given in ["#ffcc00", "#ff0000", "#7fbfff", "#ffffff", "#888"] {
            let a = accessible(given, PAGE).unwrap();
            assert!(a.adjusted(), "{given}");
            let rgb = parse_hex_colour(&a.colour).unwrap();
            assert!(ratio(rgb, PAGE) >= AA, "{given} -> {}", a.colour);
            // The next lighter shade fails: the shade is the lightest that passes.
            let given_rgb = parse_hex_colour(&a.given).unwrap();
            let percent = (0..=100)
                .rev()
                .find(|&p| shade(given_rgb, p) == rgb)
                .unwrap();
            assert!(ratio(shade(given_rgb, percent + 1), PAGE) < AA, "{given}");
        }
        assert_eq!(accessible("#ffcc00", PAGE).unwrap().colour, "#8f7200");
    }

    #[test]
    fn not_a_colour() {
        assert_eq!(accessible("blue", PAGE), None);
    }
}
