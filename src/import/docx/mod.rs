//! The Word reader: a `.docx` is a zip of XML parts (zip + quick-xml). One
//! [`Line`] per paragraph of `word/document.xml`, styled from Word's own
//! markup — heading styles and outline levels, the Title style, list
//! numbering from `word/numbering.xml` (bullet or numbered, and its level) —
//! and one per table row. Bold and italic runs become `**` and `*`; text
//! boxes, drawings, deleted text and field codes are left out, and a
//! paragraph holding only a picture is marked as an image (the logo).

use std::io::{Cursor, Read};

use quick_xml::events::BytesStart;

use crate::diagnostic::Diagnostic;
use crate::import::Line;

use styles::{read_numbering, read_styles};
use walk::read_document;

/// A part larger than this once unzipped is refused (a zip bomb, or not a policy).
const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;

pub fn read(path: &str, bytes: &[u8]) -> Result<Vec<Line>, Diagnostic> {
    let refuse = |message: String, hint: &str| {
        Diagnostic::error(message)
            .in_file(path)
            .with_hint(hint.to_string())
    };
    let resave = "open it in Word or LibreOffice and save it again as a Word document (.docx)";
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| refuse(format!("the Word document cannot be opened: {e}"), resave))?;
    let mut part = |name: &str| -> Result<Option<String>, Diagnostic> {
        let Ok(file) = archive.by_name(name) else {
            return Ok(None);
        };
        let mut text = String::new();
        let mut limited = file.take(MAX_PART_BYTES + 1);
        limited.read_to_string(&mut text).map_err(|e| {
            refuse(
                format!("`{name}` in the Word document cannot be read: {e}"),
                resave,
            )
        })?;
        if text.len() as u64 > MAX_PART_BYTES {
            return Err(refuse(
                format!("`{name}` in the Word document is larger than 64 MB unzipped"),
                "import one policy document at a time",
            ));
        }
        Ok(Some(text))
    };
    let Some(document) = part("word/document.xml")? else {
        return Err(refuse(
            "the file is a zip archive but not a Word document (it has no `word/document.xml`)"
                .into(),
            "import a Word document (.docx); a spreadsheet or an OpenDocument file must be saved as .docx first",
        ));
    };
    let styles = part("word/styles.xml")?
        .map(|x| read_styles(&x))
        .unwrap_or_default();
    let numbering = part("word/numbering.xml")?
        .map(|x| read_numbering(&x))
        .unwrap_or_default();
    read_document(&document, &styles, &numbering).map_err(|e| {
        refuse(
            format!("the Word document's text cannot be read: {e}"),
            resave,
        )
    })
}

fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// The value of attribute `w:<name>` (any prefix).
fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (local(a.key.as_ref()) == name).then(|| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_default()
        })
    })
}

mod runs;
mod styles;
mod walk;
