//! One HTML document: its meaningful part pinned as an expected file, and its
//! structure checked element by element.
//!
//! To accept a deliberate change to the pinned output, run
//! `UPDATE_SNAPSHOTS=1 cargo test html::` and review the diff of
//! `tests/expected/html/` before committing it.

use crate::harness::assert_snapshot;
use crate::html::support::{built, cells, page, read, select, text};

/// The part of a page worth pinning: the `<body>` (the stylesheet is left
/// out), with embedded images shortened so the file stays readable.
fn meaningful(html: &str) -> String {
    let start = html.find("<body").expect("a <body>");
    let end = html.rfind("</body>").expect("a </body>") + "</body>".len();
    let mut body = html[start..end].to_string();
    while let Some(at) = body.find(";base64,") {
        let from = at + ";base64,".len();
        let to = body[from..].find('"').map_or(body.len(), |i| from + i);
        body.replace_range(at..to, ";base64-elided,…");
    }
    body.push('\n');
    body
}

#[test]
fn document_matches_expected_snapshot() {
    let out = built();
    let actual = meaningful(&read(&out.path().join("ty-derw/induction.html")));
    assert_snapshot("expected/html/ty-derw-induction.body.html", &actual);
    // Every pinned file is one this test produces.
    let pinned = crate::harness::files(&crate::harness::repo().join("tests/expected/html"));
    assert_eq!(pinned, ["ty-derw-induction.body.html"]);
}

#[test]
fn document_is_self_contained_and_structured() {
    let out = built();
    let path = out.path().join("ty-derw/induction.html");
    let html = read(&path);
    let doc = page(&path);

    assert_eq!(select(&doc, "html")[0].attr("lang"), Some("en-GB"));
    assert_eq!(select(&doc, "title").len(), 1);
    assert_eq!(
        text(&select(&doc, "title")[0]),
        "Staff Induction Policy – Tŷ Derw Care Home"
    );

    // Self-contained: one inline stylesheet, no scripts, no external resources.
    assert_eq!(select(&doc, "style").len(), 1);
    assert!(select(&doc, "script, link, iframe, object, embed").is_empty());
    for img in select(&doc, "img") {
        assert!(
            img.attr("src")
                .unwrap()
                .starts_with("data:image/png;base64,")
        );
    }
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no absolute URL at all"
    );

    // The logo: an embedded image with alternative text, in the header.
    let logo = select(&doc, "header img.logo");
    assert_eq!(logo.len(), 1);
    assert_eq!(logo[0].attr("alt"), Some("Tŷ Derw Care Home logo"));
    assert_eq!(
        text(&select(&doc, "header .registration")[0]),
        "CIW service ID: SIN-00054321-TDCH"
    );

    // One h1; every numbered section a heading one level per depth, each in the contents.
    assert_eq!(select(&doc, "h1").len(), 1);
    assert_eq!(text(&select(&doc, "h1")[0]), "Staff Induction Policy");
    let headings: Vec<(String, String, String)> =
        select(&doc, "main h2[id], main h3[id], main h4[id]")
            .iter()
            .map(|h| {
                (
                    h.value().name().to_string(),
                    h.attr("id").unwrap().to_string(),
                    text(h),
                )
            })
            .collect();
    let expect = [
        ("h2", "contents-heading", "Contents"),
        ("h2", "section-1", "1. Purpose"),
        ("h2", "section-2", "2. Who Tŷ Derw Care Home inducts"),
        ("h2", "section-3", "3. The programme"),
        ("h3", "section-3-1", "3.1 The first week"),
        ("h4", "section-3-1-1", "3.1.1 The first day"),
        ("h3", "section-3-2", "3.2 Weeks two to twelve"),
        ("h2", "section-4", "4. Review"),
        ("h2", "related-policies", "Related policies"),
        ("h2", "review-history", "Review history"),
        ("h2", "document-control", "Document control"),
        ("h2", "staff-acknowledgement", "Staff acknowledgement"),
    ];
    let got: Vec<(&str, &str, &str)> = headings
        .iter()
        .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
        .collect();
    assert_eq!(got, expect);
    let contents: Vec<String> = select(&doc, "nav.contents a")
        .iter()
        .map(|a| format!("{} {}", a.attr("href").unwrap(), text(a)))
        .collect();
    assert_eq!(
        contents,
        [
            "#section-1 1. Purpose",
            "#section-2 2. Who Tŷ Derw Care Home inducts",
            "#section-3 3. The programme",
            "#section-3-1 3.1 The first week",
            "#section-3-2 3.2 Weeks two to twelve",
            "#section-4 4. Review",
            "#related-policies Related policies",
            "#review-history Review history",
            "#document-control Document control",
            "#staff-acknowledgement Staff acknowledgement",
        ]
    );

    // Body Markdown became HTML: a table with header cells, an ordered list,
    // the placeholder link to the sibling policy, the logo placeholder.
    let body_table = select(&doc, "#section-2 + .section-body table th");
    assert_eq!(
        body_table.iter().map(text).collect::<Vec<_>>(),
        ["Role", "Induction length", "Signed off by"]
    );
    assert_eq!(select(&doc, "#section-3-1 + .section-body ol li").len(), 3);
    let purpose_links: Vec<_> = select(&doc, "#section-1 + .section-body a");
    assert_eq!(purpose_links[0].attr("href"), Some("medication.html"));
    assert_eq!(select(&doc, "#section-1 + .section-body img").len(), 1);

    // Related policies: linked where built for this organisation, plain text otherwise.
    let related: Vec<String> = select(&doc, "ul.related li").iter().map(text).collect();
    assert_eq!(
        related,
        [
            "Medication Policy (MED-01)",
            "Safeguarding Adults Policy (SAF-01)"
        ]
    );
    let related_links = select(&doc, "ul.related a");
    assert_eq!(related_links.len(), 1);
    assert_eq!(related_links[0].attr("href"), Some("medication.html"));

    // The review history is a real table with column headers.
    let header: Vec<(Option<&str>, String)> = select(&doc, "table.reviews thead th")
        .iter()
        .map(|th| (th.attr("scope"), text(th)))
        .collect();
    assert_eq!(
        header,
        [
            (Some("col"), "Date".to_string()),
            (Some("col"), "Reviewed by".to_string()),
            (Some("col"), "Approved by".to_string()),
            (Some("col"), "Version".to_string()),
            (Some("col"), "Note".to_string()),
        ]
    );
    let rows: Vec<String> = select(&doc, "table.reviews tbody tr")
        .iter()
        .map(cells)
        .collect();
    assert_eq!(
        rows,
        [
            "1 June 2024 | Siân Hughes | Gareth Lloyd | 1 | First issue",
            "1 June 2025 | Siân Hughes | Gareth Lloyd | 2 | Annual review",
        ]
    );

    // The closing block and the copyright line.
    let closing: Vec<String> = select(&doc, ".closing dl > div").iter().map(text).collect();
    assert_eq!(
        closing,
        [
            "Responsible person Siân Hughes, Registered Manager",
            "Reviewed on 1 June 2025",
            "Next review date 1 June 2026",
            "Approved by Gareth Lloyd on 1 June 2025",
        ]
    );
    assert_eq!(
        text(&select(&doc, "footer")[0]),
        "Copyright © 2026 – Tŷ Derw Care Home. All rights reserved."
    );

    // Brand colour on headings; the print stylesheet: A4, headings kept with
    // what follows, navigation hidden.
    let css = text(&select(&doc, "style")[0]);
    assert!(css.contains(":root { --brand: #2b5d34; }"), "{css}");
    let print = &css[css.find("@media print").expect("a print stylesheet")..];
    assert!(css.contains("size: A4;"));
    assert!(print.contains("break-after: avoid"));
    assert!(print.contains(".skip-link, .site-nav { display: none !important; }"));
    assert_eq!(
        select(&doc, "nav.site-nav a")[0].attr("href"),
        Some("index.html")
    );
}

#[test]
fn document_without_reviews_says_so() {
    let out = built();
    let doc = page(&out.path().join("hostile/medication.html"));
    assert!(select(&doc, "table.reviews").is_empty());
    let history = select(&doc, "#review-history + p");
    assert_eq!(text(&history[0]), "No review has been recorded yet.");
    // The variant has its own related-policies section, so no second list.
    assert!(select(&doc, "ul.related").is_empty());
    let links = select(&doc, "#section-2 + .section-body a");
    assert_eq!(links[0].attr("href"), Some("induction.html"));
}

/// An overdue or due document says so in words just below its title; a
/// current one says nothing.
#[test]
fn a_document_says_when_its_review_is_overdue_or_due() {
    let out = built();
    let notice = |path: &str| {
        let doc = page(&out.path().join(path));
        select(&doc, "main > h1 + p.review-notice[role=note]")
            .first()
            .map(text)
    };
    assert_eq!(
        notice("ty-derw/induction.html").as_deref(),
        Some(
            "Review overdue: this policy was due for review on 1 June 2026, 175 days before this copy was made on 23 November 2026."
        )
    );
    assert_eq!(
        notice("ty-derw/medication.html").as_deref(),
        Some(
            "Review due: this policy is due for review on 10 December 2026, 17 days after this copy was made on 23 November 2026."
        )
    );
    assert_eq!(notice("hostile/induction.html"), None);
}
