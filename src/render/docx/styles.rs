//! `styles.xml`, `fontTable.xml` and `settings.xml`: the look of the
//! document as Word styles an editor can change in one place. Word's own
//! built-in styles carry the structure — `Title`, `Heading 1..3` (numbered
//! through `numbering.xml`, with outline levels, so the navigation pane and
//! an inserted table of contents work), `Normal`, `List Paragraph`,
//! `Hyperlink`, `Table Grid`, `header`, `footer` — and a few named styles of
//! our own carry the front matter. The font is named, not embedded; the
//! brand colour (after the contrast check) colours the headings.

use crate::render::docx::xml::{W, Xml};
use crate::render::theme::{Theme, word_hex};

/// Style ids, as `w:pStyle` and `w:rStyle` name them.
pub const TITLE: &str = "Title";
pub const HEADING: [&str; 3] = ["Heading1", "Heading2", "Heading3"];
pub const LIST: &str = "ListParagraph";
pub const HEADER: &str = "Header";
pub const FOOTER: &str = "Footer";
pub const HYPERLINK: &str = "Hyperlink";
pub const TABLE: &str = "TableGrid";
pub const TABLE_TEXT: &str = "TableText";
pub const ORG_NAME: &str = "OrganisationName";
pub const ORG_DETAILS: &str = "OrganisationDetails";
pub const CLOSING: &str = "ClosingBlock";
pub const COPYRIGHT: &str = "Copyright";

/// Font sizes in half-points, as Word counts them.
const BODY: &str = "20";
const SMALL: &str = "17";

/// What the styles depend on.
pub struct Look<'a> {
    pub theme: &'a Theme,
    /// The font family named in every style: `Open Sans`.
    pub font: &'a str,
    /// `en-GB`, `cy-GB`.
    pub lang: &'a str,
}

/// One style: its id, display name and kind, then its properties.
struct Style<'a> {
    kind: &'a str,
    id: &'a str,
    name: &'a str,
    based_on: Option<&'a str>,
    next: Option<&'a str>,
    /// Shown in Word's style gallery.
    quick: bool,
    default: bool,
}

impl<'a> Style<'a> {
    fn paragraph(id: &'a str, name: &'a str) -> Style<'a> {
        Style {
            kind: "paragraph",
            id,
            name,
            based_on: Some("Normal"),
            next: Some("Normal"),
            quick: true,
            default: false,
        }
    }

    /// Writes the opening of the style; the caller writes `w:pPr`/`w:rPr`
    /// and closes it.
    fn open(&self, x: &mut Xml) {
        let mut attributes = vec![("w:type", self.kind), ("w:styleId", self.id)];
        if self.default {
            attributes.push(("w:default", "1"));
        }
        x.open("w:style", &attributes);
        x.empty("w:name", &[("w:val", self.name)]);
        if let Some(base) = self.based_on {
            x.empty("w:basedOn", &[("w:val", base)]);
        }
        if let Some(next) = self.next {
            x.empty("w:next", &[("w:val", next)]);
        }
        if self.quick {
            x.empty("w:qFormat", &[]);
        }
    }
}

/// Run properties of a style, in schema order.
#[derive(Default)]
struct RunLook<'a> {
    bold: bool,
    colour: Option<&'a str>,
    size: Option<&'a str>,
    underline: bool,
}

impl RunLook<'_> {
    fn write(&self, x: &mut Xml) {
        x.open("w:rPr", &[]);
        if self.bold {
            x.empty("w:b", &[]);
            x.empty("w:bCs", &[]);
        }
        if let Some(colour) = self.colour {
            x.empty("w:color", &[("w:val", colour)]);
        }
        if let Some(size) = self.size {
            x.empty("w:sz", &[("w:val", size)]);
            x.empty("w:szCs", &[("w:val", size)]);
        }
        if self.underline {
            x.empty("w:u", &[("w:val", "single")]);
        }
        x.close("w:rPr");
    }
}

/// Paragraph spacing in twips: before, after.
fn spacing(x: &mut Xml, before: u32, after: u32) {
    let (before, after) = (before.to_string(), after.to_string());
    x.empty("w:spacing", &[("w:before", &before), ("w:after", &after)]);
}

/// `styles.xml`.
pub fn styles(look: &Look) -> Vec<u8> {
    let brand = word_hex(look.theme.brand);
    let text = word_hex(look.theme.text);
    let muted = word_hex(look.theme.muted);
    let mut x = Xml::new();
    x.open("w:styles", &[("xmlns:w", W)]);
    defaults(&mut x, look, &text);
    built_in(&mut x, &brand);
    our_own(&mut x, &text, &muted);
    characters(&mut x, &brand);
    tables(&mut x, look.theme);
    let no_list = Style {
        kind: "numbering",
        id: "NoList",
        name: "No List",
        based_on: None,
        next: None,
        quick: false,
        default: true,
    };
    no_list.open(&mut x);
    x.close("w:style");
    x.close("w:styles");
    x.finish()
}

/// Word's built-in paragraph styles that carry the structure: `Normal`,
/// `Title`, `Heading 1..3` (numbered, with outline levels), `List Paragraph`.
fn built_in(x: &mut Xml, brand: &str) {
    let mut normal = Style::paragraph("Normal", "Normal");
    (normal.based_on, normal.next, normal.default) = (None, None, true);
    normal.open(x);
    x.close("w:style");

    let title = Style::paragraph(TITLE, "Title");
    title.open(x);
    x.open("w:pPr", &[]);
    x.empty("w:keepNext", &[]);
    spacing(x, 0, 160);
    x.close("w:pPr");
    RunLook {
        bold: true,
        colour: Some(brand),
        size: Some("44"),
        ..RunLook::default()
    }
    .write(x);
    x.close("w:style");

    // Sizes and spacing follow the PDF: 13.5, 11.5 and 10.5 pt.
    for (level, (size, before, after)) in [("27", 300, 100), ("23", 200, 70), ("21", 160, 50)]
        .into_iter()
        .enumerate()
    {
        let name = format!("heading {}", level + 1);
        let heading = Style::paragraph(HEADING[level], &name);
        heading.open(x);
        x.open("w:pPr", &[]);
        x.empty("w:keepNext", &[]);
        x.empty("w:keepLines", &[]);
        x.open("w:numPr", &[]);
        x.empty("w:ilvl", &[("w:val", &level.to_string())]);
        x.empty(
            "w:numId",
            &[(
                "w:val",
                &crate::render::docx::numbering::HEADINGS.to_string(),
            )],
        );
        x.close("w:numPr");
        spacing(x, before, after);
        x.empty("w:outlineLvl", &[("w:val", &level.to_string())]);
        x.close("w:pPr");
        RunLook {
            bold: true,
            colour: Some(brand),
            size: Some(size),
            ..RunLook::default()
        }
        .write(x);
        x.close("w:style");
    }

    let list = Style::paragraph(LIST, "List Paragraph");
    list.open(x);
    x.open("w:pPr", &[]);
    spacing(x, 0, 50);
    x.empty("w:ind", &[("w:left", "720")]);
    x.empty("w:contextualSpacing", &[]);
    x.close("w:pPr");
    x.close("w:style");
}

/// Our own styles for the front matter, tables and closing block, and
/// Word's `header` and `footer`.
fn our_own(x: &mut Xml, text: &str, muted: &str) {
    for (id, name, size, colour, after, bold) in [
        (ORG_NAME, "Organisation Name", "30", text, 40, true),
        (ORG_DETAILS, "Organisation Details", "19", muted, 0, false),
        (TABLE_TEXT, "Table Text", "18", text, 0, false),
        (CLOSING, "Closing Block", BODY, text, 20, false),
        (COPYRIGHT, "Copyright", SMALL, muted, 0, false),
    ] {
        let style = Style::paragraph(id, name);
        style.open(x);
        x.open("w:pPr", &[]);
        if id == CLOSING {
            x.empty("w:keepNext", &[]);
        }
        spacing(x, 0, after);
        x.close("w:pPr");
        RunLook {
            bold,
            colour: Some(colour),
            size: Some(size),
            ..RunLook::default()
        }
        .write(x);
        x.close("w:style");
    }

    for (id, name) in [(HEADER, "header"), (FOOTER, "footer")] {
        let mut style = Style::paragraph(id, name);
        style.quick = false;
        style.open(x);
        x.open("w:pPr", &[]);
        x.open("w:tabs", &[]);
        x.empty("w:tab", &[("w:val", "right"), ("w:pos", CONTENT_WIDTH)]);
        x.close("w:tabs");
        spacing(x, 0, 0);
        x.close("w:pPr");
        RunLook {
            colour: Some(muted),
            size: Some(SMALL),
            ..RunLook::default()
        }
        .write(x);
        x.close("w:style");
    }
}

/// `Default Paragraph Font` and `Hyperlink` in the brand colour.
fn characters(x: &mut Xml, brand: &str) {
    let character = Style {
        kind: "character",
        id: "DefaultParagraphFont",
        name: "Default Paragraph Font",
        based_on: None,
        next: None,
        quick: false,
        default: true,
    };
    character.open(x);
    x.empty("w:uiPriority", &[("w:val", "1")]);
    x.close("w:style");
    let link = Style {
        id: HYPERLINK,
        name: "Hyperlink",
        based_on: Some("DefaultParagraphFont"),
        default: false,
        ..character
    };
    link.open(x);
    RunLook {
        colour: Some(brand),
        underline: true,
        ..RunLook::default()
    }
    .write(x);
    x.close("w:style");
}

/// The width between the margins, in twips (A4 less 20 mm each side).
pub const CONTENT_WIDTH: &str = "9638";

/// Document defaults: font, size, colour, language, paragraph spacing.
fn defaults(x: &mut Xml, look: &Look, text: &str) {
    x.open("w:docDefaults", &[]);
    x.open("w:rPrDefault", &[]);
    x.open("w:rPr", &[]);
    x.empty(
        "w:rFonts",
        &[
            ("w:ascii", look.font),
            ("w:hAnsi", look.font),
            ("w:eastAsia", look.font),
            ("w:cs", look.font),
        ],
    );
    x.empty("w:color", &[("w:val", text)]);
    x.empty("w:sz", &[("w:val", BODY)]);
    x.empty("w:szCs", &[("w:val", BODY)]);
    x.empty(
        "w:lang",
        &[
            ("w:val", look.lang),
            ("w:eastAsia", look.lang),
            ("w:bidi", look.lang),
        ],
    );
    x.close("w:rPr");
    x.close("w:rPrDefault");
    x.open("w:pPrDefault", &[]);
    x.open("w:pPr", &[]);
    x.empty("w:widowControl", &[]);
    x.empty(
        "w:spacing",
        &[
            ("w:after", "130"),
            ("w:line", "259"),
            ("w:lineRule", "auto"),
        ],
    );
    x.close("w:pPr");
    x.close("w:pPrDefault");
    x.close("w:docDefaults");
}

/// The default table style and `Table Grid`: rules between rows, in the
/// theme's rule colour, and room inside the cells.
fn tables(x: &mut Xml, theme: &Theme) {
    let rule = word_hex(theme.rule);
    let normal = Style {
        kind: "table",
        id: "TableNormal",
        name: "Normal Table",
        based_on: None,
        next: None,
        quick: false,
        default: true,
    };
    normal.open(x);
    x.open("w:tblPr", &[]);
    x.empty("w:tblInd", &[("w:w", "0"), ("w:type", "dxa")]);
    x.open("w:tblCellMar", &[]);
    for side in ["w:top", "w:left", "w:bottom", "w:right"] {
        x.empty(side, &[("w:w", "0"), ("w:type", "dxa")]);
    }
    x.close("w:tblCellMar");
    x.close("w:tblPr");
    x.close("w:style");
    let grid = Style {
        id: TABLE,
        name: "Table Grid",
        based_on: Some("TableNormal"),
        default: false,
        ..normal
    };
    grid.open(x);
    x.open("w:pPr", &[]);
    spacing(x, 0, 0);
    x.close("w:pPr");
    x.open("w:tblPr", &[]);
    x.open("w:tblBorders", &[]);
    for side in [
        "w:top",
        "w:left",
        "w:bottom",
        "w:right",
        "w:insideH",
        "w:insideV",
    ] {
        let horizontal = matches!(side, "w:top" | "w:bottom" | "w:insideH");
        if horizontal {
            x.empty(
                side,
                &[
                    ("w:val", "single"),
                    ("w:sz", "4"),
                    ("w:space", "0"),
                    ("w:color", &rule),
                ],
            );
        } else {
            x.empty(side, &[("w:val", "nil")]);
        }
    }
    x.close("w:tblBorders");
    x.open("w:tblCellMar", &[]);
    for (side, width) in [
        ("w:top", "70"),
        ("w:left", "100"),
        ("w:bottom", "70"),
        ("w:right", "100"),
    ] {
        x.empty(side, &[("w:w", width), ("w:type", "dxa")]);
    }
    x.close("w:tblCellMar");
    x.close("w:tblPr");
    x.close("w:style");
}

/// `fontTable.xml`: the family every style names, described so a reader
/// without it substitutes a similar sans-serif.
pub fn font_table(font: &str) -> Vec<u8> {
    let mut x = Xml::new();
    x.open("w:fonts", &[("xmlns:w", W)]);
    x.open("w:font", &[("w:name", font)]);
    if font == "Open Sans" {
        x.empty("w:panose1", &[("w:val", "020B0606030504020204")]);
    }
    x.empty("w:charset", &[("w:val", "00")]);
    x.empty("w:family", &[("w:val", "swiss")]);
    x.empty("w:pitch", &[("w:val", "variable")]);
    x.close("w:font");
    x.close("w:fonts");
    x.finish()
}

/// `settings.xml`: Word 2013+ layout (no compatibility mode), British
/// conventions, and the language of the text.
pub fn settings(lang: &str) -> Vec<u8> {
    let mut x = Xml::new();
    x.open("w:settings", &[("xmlns:w", W)]);
    x.empty("w:zoom", &[("w:percent", "100")]);
    x.empty("w:defaultTabStop", &[("w:val", "720")]);
    x.empty("w:characterSpacingControl", &[("w:val", "doNotCompress")]);
    x.open("w:compat", &[]);
    x.empty(
        "w:compatSetting",
        &[
            ("w:name", "compatibilityMode"),
            ("w:uri", "http://schemas.microsoft.com/office/word"),
            ("w:val", "15"),
        ],
    );
    x.close("w:compat");
    x.empty("w:themeFontLang", &[("w:val", lang)]);
    x.empty("w:decimalSymbol", &[("w:val", ".")]);
    x.empty("w:listSeparator", &[("w:val", ",")]);
    x.close("w:settings");
    x.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pale_brand_colour_is_darkened_in_the_heading_styles() {
        let theme = Theme::new(Some("#ffd966"));
        let look = Look {
            theme: &theme,
            font: "Open Sans",
            lang: "en-GB",
        };
        let xml = String::from_utf8(styles(&look)).unwrap();
        assert!(!xml.contains("FFD966"));
        let darkened = word_hex(theme.brand);
        assert_ne!(darkened, "FFD966");
        // Title, three headings and the hyperlink style.
        assert_eq!(
            xml.matches(&format!("<w:color w:val=\"{darkened}\"/>"))
                .count(),
            5
        );
    }
}
