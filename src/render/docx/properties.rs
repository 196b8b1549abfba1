//! The document properties Word shows under File › Info: title, author
//! (the organisation), subject, keywords (the reference), version and
//! language in `core.xml`; the producing application and the company in
//! `app.xml`. Created and modified are the first and the latest review
//! dates — never the clock — so the bytes depend only on the inputs.

use crate::document::Document;
use crate::render::docx::xml::Xml;

/// `docProps/core.xml`.
pub fn core(document: &Document, lang: &str) -> Vec<u8> {
    let org = &document.org.name;
    let policy = &document.policy;
    let subject = format!(
        "{} ({}, version {}) for {org}; last reviewed {}, next review {}",
        policy.title,
        policy.code,
        policy.version,
        document.dates.last_update,
        document.dates.next_review
    );
    let modified = &document.dates.last_update_iso;
    let created = document
        .reviews
        .iter()
        .map(|r| &r.date_iso)
        .min()
        .filter(|first| *first <= modified)
        .unwrap_or(modified);
    let mut x = Xml::new();
    x.open(
        "cp:coreProperties",
        &[
            (
                "xmlns:cp",
                "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
            ),
            ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
            ("xmlns:dcterms", "http://purl.org/dc/terms/"),
            ("xmlns:dcmitype", "http://purl.org/dc/dcmitype/"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
        ],
    );
    x.leaf("dc:title", &[], &policy.title);
    x.leaf("dc:subject", &[], &subject);
    x.leaf("dc:creator", &[], org);
    x.leaf("cp:keywords", &[], &policy.code);
    x.leaf("cp:lastModifiedBy", &[], org);
    x.leaf("cp:version", &[], &policy.version);
    x.leaf("dc:language", &[], lang);
    for (name, date) in [("dcterms:created", created), ("dcterms:modified", modified)] {
        x.leaf(
            name,
            &[("xsi:type", "dcterms:W3CDTF")],
            &format!("{date}T00:00:00Z"),
        );
    }
    x.close("cp:coreProperties");
    x.finish()
}

/// `docProps/app.xml`.
pub fn app(document: &Document) -> Vec<u8> {
    let mut x = Xml::new();
    x.open(
        "Properties",
        &[
            (
                "xmlns",
                "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
            ),
            (
                "xmlns:vt",
                "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
            ),
        ],
    );
    x.leaf("Application", &[], "policygen");
    x.leaf("Company", &[], &document.org.name);
    x.close("Properties");
    x.finish()
}
