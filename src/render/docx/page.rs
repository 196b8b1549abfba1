//! The page: A4 with 20 mm side margins; a running header (logo,
//! organisation, title) on every page after the first, whose front matter
//! already shows them; and on every page a footer with the reference,
//! version and next review date and `Page X of Y` as Word's `PAGE` and
//! `NUMPAGES` fields, which Word and LibreOffice keep up to date as the
//! document is edited.

use crate::render::blocks::Style;
use crate::render::docx::body::{Para, text_run};
use crate::render::docx::styles::{FOOTER, HEADER};
use crate::render::docx::xml::{A, PIC, R, W, WP, Xml};
use crate::render::docx::{Refs, drawing};
use crate::render::theme::word_hex;

pub const HEADER_REL: &str = "rId5";
pub const FIRST_HEADER_REL: &str = "rId6";
pub const FOOTER_REL: &str = "rId7";
pub const FIRST_FOOTER_REL: &str = "rId8";

/// Height of the logo in the running header, in millimetres.
const HEADER_LOGO_MM: i64 = 8;

fn open_part(x: &mut Xml, name: &str) {
    x.open(
        name,
        &[
            ("xmlns:w", W),
            ("xmlns:r", R),
            ("xmlns:wp", WP),
            ("xmlns:a", A),
            ("xmlns:pic", PIC),
        ],
    );
}

/// `header1.xml`: logo, organisation name, and the title at the right.
pub fn header(refs: &mut Refs) -> Vec<u8> {
    let document = refs.document;
    let rule = word_hex(refs.theme.rule);
    let mut x = Xml::new();
    open_part(&mut x, "w:hdr");
    draft_line(&mut x, refs);
    let para = Para {
        style: Some(HEADER),
        rule: Some(("bottom", &rule, 4, 4)),
        ..Para::default()
    };
    para.open(&mut x);
    if let Some(picture) = refs.picture {
        let id = refs.drawing();
        x.open("w:r", &[]);
        let size = picture.extent(HEADER_LOGO_MM, 40);
        drawing::inline(&mut x, picture, "rId1", id, &document.org.logo_alt, size);
        x.close("w:r");
        text_run(&mut x, "  ", Style::REGULAR, None);
    }
    text_run(&mut x, &document.org.name, Style::BOLD, None);
    text_run(&mut x, "\t", Style::REGULAR, None);
    text_run(&mut x, &document.policy.title, Style::REGULAR, None);
    x.close("w:p");
    x.close("w:hdr");
    x.finish()
}

/// `header2.xml`: the first page's, empty (the front matter is there)
/// but for the draft mark's running line.
pub fn first_header(refs: &Refs) -> Vec<u8> {
    let mut x = Xml::new();
    open_part(&mut x, "w:hdr");
    draft_line(&mut x, refs);
    Para::styled(HEADER).open(&mut x);
    x.close("w:p");
    x.close("w:hdr");
    x.finish()
}

/// The draft mark's running line at the top of every page while the
/// document is not approved (SPEC §8): bold, in the mark's dark red.
fn draft_line(x: &mut Xml, refs: &Refs) {
    let Some(mark) = &refs.document.approval.draft else {
        return;
    };
    Para::styled(HEADER).open(x);
    x.open("w:r", &[]);
    x.open("w:rPr", &[]);
    x.empty("w:b", &[]);
    x.empty("w:color", &[("w:val", DRAFT_RED)]);
    x.close("w:rPr");
    x.open("w:t", &[("xml:space", "preserve")]);
    x.text(&mark.running);
    x.close("w:t");
    x.close("w:r");
    x.close("w:p");
}

/// The draft mark's colour, as in the HTML and the PDF.
pub const DRAFT_RED: &str = "8C1D18";

/// The footer of every page.
pub fn footer(refs: &Refs) -> Vec<u8> {
    let document = refs.document;
    let rule = word_hex(refs.theme.rule);
    let mut x = Xml::new();
    open_part(&mut x, "w:ftr");
    let para = Para {
        style: Some(FOOTER),
        rule: Some(("top", &rule, 4, 4)),
        ..Para::default()
    };
    para.open(&mut x);
    let left = format!(
        "{}  ·  Version {}  ·  Next review {}\tPage ",
        document.policy.code, document.policy.version, document.dates.next_review
    );
    text_run(&mut x, &left, Style::REGULAR, None);
    field(&mut x, "PAGE");
    text_run(&mut x, " of ", Style::REGULAR, None);
    field(&mut x, "NUMPAGES");
    x.close("w:p");
    x.close("w:ftr");
    x.finish()
}

/// A field Word computes as it lays the pages out (`PAGE`, `NUMPAGES`),
/// with `1` as the value shown until it does.
fn field(x: &mut Xml, code: &str) {
    let char_run = |x: &mut Xml, kind: &str| {
        x.open("w:r", &[]);
        x.empty("w:fldChar", &[("w:fldCharType", kind)]);
        x.close("w:r");
    };
    char_run(x, "begin");
    x.open("w:r", &[]);
    x.leaf(
        "w:instrText",
        &[("xml:space", "preserve")],
        &format!(" {code} \\* MERGEFORMAT "),
    );
    x.close("w:r");
    char_run(x, "separate");
    x.open("w:r", &[]);
    x.leaf("w:t", &[], "1");
    x.close("w:r");
    char_run(x, "end");
}

/// The section properties closing the body: headers, footers, A4, margins.
pub fn section(x: &mut Xml) {
    x.open("w:sectPr", &[]);
    for (kind, id) in [("default", HEADER_REL), ("first", FIRST_HEADER_REL)] {
        x.empty("w:headerReference", &[("w:type", kind), ("r:id", id)]);
    }
    for (kind, id) in [("default", FOOTER_REL), ("first", FIRST_FOOTER_REL)] {
        x.empty("w:footerReference", &[("w:type", kind), ("r:id", id)]);
    }
    x.empty("w:pgSz", &[("w:w", "11906"), ("w:h", "16838")]);
    // Twips: top 27 mm (room for the running header), bottom 22 mm, sides
    // 20 mm; header and footer 10 mm from the edge.
    x.empty(
        "w:pgMar",
        &[
            ("w:top", "1531"),
            ("w:right", "1134"),
            ("w:bottom", "1247"),
            ("w:left", "1134"),
            ("w:header", "567"),
            ("w:footer", "567"),
            ("w:gutter", "0"),
        ],
    );
    x.empty("w:cols", &[("w:space", "708")]);
    x.empty("w:titlePg", &[]);
    x.empty("w:docGrid", &[("w:linePitch", "360")]);
    x.close("w:sectPr");
}
