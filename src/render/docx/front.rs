//! The front matter of the first page — logo, organisation name,
//! registration number, address and contacts, a brand-coloured rule, the
//! title in Word's `Title` style and the key facts (reference, version,
//! review dates) — and the closing block at the end, kept together with the
//! copyright line.

use crate::render::blocks::{Run, Style};
use crate::render::docx::Refs;
use crate::render::docx::body::{Para, logo, paragraph, text_run};
use crate::render::docx::styles::{CLOSING, COPYRIGHT, ORG_DETAILS, ORG_NAME, TITLE};
use crate::render::docx::table::table;
use crate::render::docx::xml::Xml;
use crate::render::theme::word_hex;

/// Height of the logo on the first page, in millimetres (as in the PDF).
const LOGO_MM: i64 = 22;

pub fn front(x: &mut Xml, refs: &mut Refs) {
    let document = refs.document;
    let org = &document.org;
    if refs.picture.is_some() {
        logo(x, refs, &org.logo_alt, LOGO_MM);
    }
    let mut lines = vec![(ORG_NAME, org.name.clone())];
    lines.push((
        ORG_DETAILS,
        format!("{}: {}", org.registration_label, org.registration_no),
    ));
    if let Some(address) = &org.address {
        lines.push((ORG_DETAILS, address.clone()));
    }
    let contact: Vec<&str> = [&org.phone, &org.email, &org.website]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
    if !contact.is_empty() {
        lines.push((ORG_DETAILS, contact.join("  ·  ")));
    }
    let brand = word_hex(refs.theme.brand);
    let last = lines.len() - 1;
    for (i, (style, text)) in lines.iter().enumerate() {
        let para = Para {
            style: Some(style),
            // The rule under the organisation block, as in the PDF.
            rule: (i == last).then_some(("bottom", brand.as_str(), 12, 10)),
            spacing: (i == last).then_some((0, 480)),
            ..Para::default()
        };
        para.open(x);
        text_run(x, text, Style::REGULAR, None);
        x.close("w:p");
    }
    if let Some(mark) = &document.approval.draft {
        // The draft mark above the title, saying why (SPEC §8).
        let para = Para {
            rule: Some(("left", crate::render::docx::page::DRAFT_RED, 24, 8)),
            spacing: Some((0, 240)),
            ..Para::default()
        };
        let mut runs = vec![
            Run::styled(&format!("{}. ", mark.title), Style::BOLD),
            Run::plain(&mark.reason),
        ];
        if let Some(file) = &mark.changes_file {
            runs.push(Run::plain(&format!(" {}: {file}.", mark.changes_label)));
        }
        paragraph(x, refs, &para, &runs);
    }
    paragraph(
        x,
        refs,
        &Para::styled(TITLE),
        &[Run::plain(&document.policy.title)],
    );
    let bold = |t: &str| vec![Run::styled(t, Style::BOLD)];
    let plain = |t: &str| vec![Run::plain(t)];
    table(
        x,
        refs,
        &[
            bold("Reference"),
            bold("Version"),
            bold("Last reviewed"),
            bold("Next review"),
        ],
        &[vec![
            plain(&document.policy.code),
            plain(&document.policy.version),
            plain(&document.dates.last_update),
            plain(&document.dates.next_review),
        ]],
    );
}

/// The closing block: a rule, the label/value lines, the copyright line;
/// each line keeps with the next, so the block never splits across pages.
pub fn closing(x: &mut Xml, refs: &mut Refs, lines: &[Vec<Run>], copyright: &str) {
    let brand = word_hex(refs.theme.brand);
    for (i, line) in lines.iter().enumerate() {
        let para = Para {
            style: Some(CLOSING),
            rule: (i == 0).then_some(("top", brand.as_str(), 12, 10)),
            spacing: (i == 0).then_some((360, 20)),
            ..Para::default()
        };
        paragraph(x, refs, &para, line);
    }
    let para = Para {
        style: Some(COPYRIGHT),
        spacing: Some((200, 0)),
        ..Para::default()
    };
    paragraph(x, refs, &para, &[Run::plain(copyright)]);
}
