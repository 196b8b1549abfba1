//! The package: the parts of a DOCX in one ZIP file, with the content types
//! and relationships that tie them together. Deterministic by construction:
//! parts go in the order given, every entry carries the same fixed time
//! (1980-01-01 00:00, the earliest a ZIP entry can hold) and the same "made
//! by" system, XML is deflated at a fixed level and images, already
//! compressed, are stored.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::render::docx::xml::{REL, Xml};

/// Deflate level of the XML parts (zlib's default: a good size for the time).
const LEVEL: i64 = 6;

/// One file of the package.
pub struct Part {
    /// `word/document.xml`.
    pub path: String,
    pub bytes: Vec<u8>,
}

impl Part {
    pub fn new(path: &str, bytes: Vec<u8>) -> Part {
        Part {
            path: path.to_string(),
            bytes,
        }
    }
}

/// The ZIP bytes of the package.
pub fn zip(parts: &[Part]) -> Result<Vec<u8>, String> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::with_capacity(64 * 1024)));
    let base = SimpleFileOptions::default()
        .last_modified_time(DateTime::DEFAULT)
        .system(zip::System::Dos);
    for part in parts {
        let options = if is_image(&part.path) {
            base.compression_method(CompressionMethod::Stored)
        } else {
            base.compression_method(CompressionMethod::Deflated)
                .compression_level(Some(LEVEL))
        };
        zip.start_file(part.path.as_str(), options)
            .map_err(|e| e.to_string())?;
        zip.write_all(&part.bytes).map_err(|e| e.to_string())?;
    }
    let cursor = zip.finish().map_err(|e| e.to_string())?;
    Ok(cursor.into_inner())
}

fn is_image(path: &str) -> bool {
    path.ends_with(".png") || path.ends_with(".jpeg")
}

/// Content types of the XML parts, by path.
const TYPES: &[(&str, &str)] = &[
    ("/word/document.xml", "wordprocessingml.document.main+xml"),
    ("/word/styles.xml", "wordprocessingml.styles+xml"),
    ("/word/numbering.xml", "wordprocessingml.numbering+xml"),
    ("/word/settings.xml", "wordprocessingml.settings+xml"),
    ("/word/fontTable.xml", "wordprocessingml.fontTable+xml"),
    ("/word/header1.xml", "wordprocessingml.header+xml"),
    ("/word/header2.xml", "wordprocessingml.header+xml"),
    ("/word/footer1.xml", "wordprocessingml.footer+xml"),
    ("/word/footer2.xml", "wordprocessingml.footer+xml"),
    ("/docProps/app.xml", "extended-properties+xml"),
];

/// `[Content_Types].xml`: the media type of every part.
pub fn content_types() -> Vec<u8> {
    let mut x = Xml::new();
    x.open(
        "Types",
        &[(
            "xmlns",
            "http://schemas.openxmlformats.org/package/2006/content-types",
        )],
    );
    for (extension, kind) in [
        (
            "rels",
            "application/vnd.openxmlformats-package.relationships+xml",
        ),
        ("xml", "application/xml"),
        ("png", "image/png"),
        ("jpeg", "image/jpeg"),
    ] {
        x.empty(
            "Default",
            &[("Extension", extension), ("ContentType", kind)],
        );
    }
    for (path, kind) in TYPES {
        let kind = format!("application/vnd.openxmlformats-officedocument.{kind}");
        x.empty("Override", &[("PartName", path), ("ContentType", &kind)]);
    }
    x.empty(
        "Override",
        &[
            ("PartName", "/docProps/core.xml"),
            (
                "ContentType",
                "application/vnd.openxmlformats-package.core-properties+xml",
            ),
        ],
    );
    x.close("Types");
    x.finish()
}

/// A relationship from a part.
pub struct Relationship {
    pub id: String,
    /// The relationship type's URI.
    pub kind: String,
    pub target: String,
    /// A link out of the package (a web address, a sibling document).
    pub external: bool,
}

impl Relationship {
    /// A relationship of one of the office-document types (`styles`,
    /// `image`, …) to a part of the package.
    pub fn internal(id: &str, kind: &str, target: &str) -> Relationship {
        Relationship {
            id: id.to_string(),
            kind: format!("{REL}/{kind}"),
            target: target.to_string(),
            external: false,
        }
    }

    /// A hyperlink out of the package.
    pub fn link(id: &str, target: &str) -> Relationship {
        Relationship {
            external: true,
            ..Relationship::internal(id, "hyperlink", target)
        }
    }
}

/// A `.rels` part.
pub fn relationships(list: &[Relationship]) -> Vec<u8> {
    let mut x = Xml::new();
    x.open(
        "Relationships",
        &[(
            "xmlns",
            "http://schemas.openxmlformats.org/package/2006/relationships",
        )],
    );
    for rel in list {
        let mut attributes = vec![
            ("Id", rel.id.as_str()),
            ("Type", rel.kind.as_str()),
            ("Target", rel.target.as_str()),
        ];
        if rel.external {
            attributes.push(("TargetMode", "External"));
        }
        x.empty("Relationship", &attributes);
    }
    x.close("Relationships");
    x.finish()
}

/// `_rels/.rels`: the main document and the two property parts.
pub fn package_relationships() -> Vec<u8> {
    relationships(&[
        Relationship::internal("rId1", "officeDocument", "word/document.xml"),
        Relationship {
            // The core properties' type lives in the package namespace.
            kind: "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties".into(),
            ..Relationship::internal("rId2", "", "docProps/core.xml")
        },
        Relationship::internal("rId3", "extended-properties", "docProps/app.xml"),
    ])
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    #[test]
    fn entries_keep_their_order_and_a_fixed_time() {
        let parts = [
            Part::new("[Content_Types].xml", content_types()),
            Part::new("_rels/.rels", package_relationships()),
            Part::new("word/media/logo.png", b"\x89PNG not really".to_vec()),
        ];
        let bytes = zip(&parts).unwrap();
        assert_eq!(bytes, zip(&parts).unwrap());
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        assert_eq!(archive.len(), 3);
        for (i, part) in parts.iter().enumerate() {
            let mut entry = archive.by_index(i).unwrap();
            assert_eq!(entry.name().unwrap(), part.path);
            assert_eq!(entry.last_modified(), Some(DateTime::DEFAULT));
            let expected = if i == 2 {
                CompressionMethod::Stored
            } else {
                CompressionMethod::Deflated
            };
            assert_eq!(entry.compression(), expected);
            let mut read = Vec::new();
            entry.read_to_end(&mut read).unwrap();
            assert_eq!(read, part.bytes);
        }
    }

    #[test]
    fn package_relationships_name_the_core_properties() {
        let rels = String::from_utf8(package_relationships()).unwrap();
        assert!(rels.contains(
            "/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\""
        ));
        assert!(rels.contains("Target=\"word/document.xml\""));
    }
}
