//! Printing: the dashboards and a document printed to PDF by Chromium's own
//! print path, then read back with `pdftotext`. No word is split inside a
//! table cell, links say where they lead, the filter is left off paper and
//! a document's review notice stays.

use std::path::Path;
use std::process::Command;

use crate::html::support::built;

/// `page` printed to A4 by Chromium, as the words `pdftotext` reads back.
fn printed(page: &Path, dir: &Path) -> Vec<String> {
    let pdf = dir.join(format!(
        "{}.pdf",
        page.to_string_lossy().replace(['/', '.'], "_")
    ));
    let browser_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let status = Command::new("node")
        .current_dir(&browser_dir)
        .arg("screenshot.mjs")
        .arg(page)
        .arg(&pdf)
        .status()
        .expect("node runs (scripts/test installs it)");
    assert!(status.success(), "printing {} failed", page.display());
    let output = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs (scripts/test installs poppler-utils)");
    assert!(output.status.success());
    String::from_utf8_lossy(&output.stdout)
        .split_whitespace()
        .map(String::from)
        .collect()
}

fn has_words(words: &[String], phrase: &str) -> bool {
    let wanted: Vec<&str> = phrase.split_whitespace().collect();
    words
        .windows(wanted.len())
        .any(|w| w.iter().zip(&wanted).all(|(a, b)| a == b))
}

#[test]
fn printed_pages_keep_words_whole_and_say_where_links_lead() {
    let out = built();
    let pdfs = tempfile::tempdir().unwrap();

    let org = printed(&out.path().join("ty-derw/index.html"), pdfs.path());
    // Narrow columns once split these mid-word ("Refere nce").
    for word in [
        "Reference",
        "IND-01",
        "MED-01",
        "Inspectorate",
        "Responsible",
        "Individual",
        "Registered",
    ] {
        assert!(
            org.iter().any(|w| w == word),
            "{word} split or missing in {org:?}"
        );
    }
    for target in ["(induction.pdf)", "(induction.md)", "(medication.html)"] {
        assert!(
            org.iter().any(|w| w == target),
            "{target} not printed in {org:?}"
        );
    }
    assert!(has_words(
        &org,
        "Policies of Tŷ Derw Care Home, most urgent first"
    ));

    let site = printed(&out.path().join("index.html"), pdfs.path());
    assert!(has_words(&site, "Overdue: 1 review"), "{site:?}");
    assert!(
        !has_words(&site, "Find by organisation"),
        "the filter was printed"
    );
    assert!(
        site.iter().any(|w| w == "(quiet-lane/index.html)"),
        "{site:?}"
    );
    // The site table's narrow columns once split these ("Septembe r", "PD F").
    for word in [
        "Organisation",
        "Regulator",
        "Manager",
        "September",
        "November",
        "December",
        "Approval",
    ] {
        assert!(
            site.iter().any(|w| w == word),
            "{word} split or missing in {site:?}"
        );
    }
    // The PDF column is left off paper, where a link leads nowhere.
    assert!(!site.iter().any(|w| w == "PDF"), "{site:?}");
    for piece in ["Septembe", "PD", "Decembe"] {
        assert!(
            !site.iter().any(|w| w == piece),
            "a word was split: {piece} in {site:?}"
        );
    }

    let document = printed(&out.path().join("ty-derw/induction.html"), pdfs.path());
    assert!(
        has_words(
            &document,
            "Review overdue: this policy was due for review on 1 June 2026, 175 days before this copy was made on 23 November 2026."
        ),
        "{document:?}"
    );
    assert!(
        document.iter().any(|w| w == "(medication.html)."),
        "{document:?}"
    );
}
