//! The Word output, read by two real readers (installed by scripts/test):
//! LibreOffice (`soffice --headless --convert-to pdf`, then `pdftotext`),
//! which must open every document and lay it out with its headings, review
//! history and page numbers; and python-docx (`tests/docx/read.py`), which
//! reports the Word structure — styles, list numbering, header rows, fields,
//! properties — as JSON. One build of each library and one LibreOffice run
//! serve every test here: the shipped library, fixture `pdf` (a policy long
//! enough for its list and table to cross pages) and fixture `hostile`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

use crate::harness::{Library, files, repo};

/// One document as the readers saw it.
struct Read {
    label: String,
    org: &'static str,
    /// The Markdown of the same document, for its headings.
    md: String,
    /// LibreOffice's PDF of it as `pdftotext -raw` reads it (in the order LibreOffice
    /// wrote it, which is reading order), white space collapsed.
    text: String,
    pages: usize,
    /// What python-docx found.
    word: Value,
}

const SHIPPED: &[(&str, &str)] = &[
    ("bryn-haven", "Bryn Haven Care Home"),
    ("cornerstone-homecare", "Cornerstone Homecare Ltd"),
    ("cymorth-cartref", "Cymorth Cartref Môn"),
    ("elm-lodge", "Elm Lodge Residential Home"),
    ("harbour-view", "Harbour View Children's Home"),
    ("pathways", "Pathways Supported Living"),
];
const HOSTILE_NAME: &str = "O'Brien & <b>Sons</b> [x](y) {{ z }} <<org_field_name>>";

/// Builds the three libraries, converts every DOCX in one LibreOffice run
/// and reads every DOCX in one python-docx run; once per test binary.
fn documents() -> &'static [Read] {
    static READ: OnceLock<Vec<Read>> = OnceLock::new();
    READ.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("docx-readers");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let mut wanted: Vec<(String, &'static str, PathBuf, PathBuf)> = Vec::new();
        let shipped = Library::shipped();
        shipped.run(&["build", "--format", "md,docx"]).success();
        for (org, name) in SHIPPED {
            let out = shipped.path().join("out").join(org);
            wanted.push((
                org.to_string(),
                name,
                out.join("key-worker.docx"),
                out.join("key-worker.md"),
            ));
        }
        let long = Library::new("pdf");
        long.run(&["build", "--format", "md,docx", "--org", "good-home"])
            .success();
        let out = long.path().join("out/good-home");
        wanted.push((
            "long".into(),
            "Good Home",
            out.join("long.docx"),
            out.join("long.md"),
        ));
        let hostile = Library::new("hostile");
        hostile
            .run(&["build", "--format", "md,docx", "--org", "hostile"])
            .success();
        let out = hostile.path().join("out/hostile");
        wanted.push((
            "hostile".into(),
            HOSTILE_NAME,
            out.join("sample.docx"),
            out.join("sample.md"),
        ));

        let mut docx = Vec::new();
        for (label, _, from, _) in &wanted {
            let to = dir.join(format!("{label}.docx"));
            std::fs::copy(from, &to).unwrap();
            docx.push(to);
        }
        libreoffice(&dir, &docx);
        let words = python_docx(&docx);
        wanted
            .into_iter()
            .zip(words)
            .map(|((label, org, _, md), word)| {
                let pdf = dir.join(format!("{label}.pdf"));
                Read {
                    md: std::fs::read_to_string(md).unwrap(),
                    text: collapse(&tool("pdftotext", &["-raw", pdf.to_str().unwrap(), "-"])),
                    pages: pages(&pdf),
                    label,
                    org,
                    word,
                }
            })
            .collect()
    })
}

fn get(label: &str) -> &'static Read {
    documents()
        .iter()
        .find(|r| r.label == label)
        .unwrap_or_else(|| panic!("no document {label}"))
}

/// Runs a tool and returns what it printed; the tool must succeed.
#[track_caller]
fn tool(program: &str, args: &[&str]) -> String {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run `{program}` ({e}); run the tests with scripts/test, which installs it"
            )
        });
    assert!(
        output.status.success(),
        "{program} {args:?} failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 from the tool")
}

/// Converts every file to PDF in one LibreOffice run, with a profile of its
/// own so it neither reads nor disturbs the user's.
fn libreoffice(dir: &Path, docx: &[PathBuf]) {
    let profile = format!("file://{}", dir.join("lo-profile").display());
    let mut args = vec![
        format!("-env:UserInstallation={profile}"),
        "--headless".into(),
        "--convert-to".into(),
        "pdf".into(),
        "--outdir".into(),
        dir.display().to_string(),
    ];
    args.extend(docx.iter().map(|p| p.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let printed = tool("soffice", &args);
    for file in docx {
        let pdf = file.with_extension("pdf");
        assert!(
            pdf.is_file(),
            "LibreOffice did not convert {}:\n{printed}",
            file.display()
        );
    }
}

/// What python-docx reads in each file.
fn python_docx(docx: &[PathBuf]) -> Vec<Value> {
    let script = repo().join("tests/docx/read.py");
    let mut args = vec![script.display().to_string()];
    args.extend(docx.iter().map(|p| p.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let json: Value = serde_json::from_str(&tool("python3", &args)).unwrap();
    json.as_array().unwrap().clone()
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn pages(pdf: &Path) -> usize {
    tool("pdfinfo", &[pdf.to_str().unwrap()])
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo prints Pages:")
}

/// Asserts that `parts` occur in `text` in this order.
#[track_caller]
fn assert_in_order(label: &str, text: &str, parts: &[&str]) {
    let mut from = 0;
    for part in parts {
        match text[from..].find(part) {
            Some(at) => from += at + part.len(),
            None => {
                panic!("{label}: {part:?} is missing or out of order after byte {from} of:\n{text}")
            }
        }
    }
}

/// The numbered headings of the Markdown output: `1. Purpose`, `4.1 Level two`.
fn numbered_headings(md: &str) -> Vec<String> {
    md.lines()
        .filter_map(|line| {
            line.strip_prefix("## ")
                .or_else(|| line.strip_prefix("### "))
                .or_else(|| line.strip_prefix("#### "))
        })
        .filter(|h| h.starts_with(|c: char| c.is_ascii_digit()))
        .map(|h| h.replace('\\', ""))
        .collect()
}

fn paragraphs(word: &Value) -> &Vec<Value> {
    word["paragraphs"].as_array().unwrap()
}

#[test]
fn libreoffice_opens_every_document_with_its_headings_history_and_page_numbers() {
    let documents = documents();
    assert_eq!(documents.len(), SHIPPED.len() + 2);
    for read in documents {
        let label = &read.label;
        let text = &read.text;
        assert!(
            text.starts_with(read.org) || text.contains(read.org),
            "{label}: no organisation name"
        );
        let headings = numbered_headings(&read.md);
        assert!(!headings.is_empty(), "{label}: {headings:?}");
        let mut parts: Vec<&str> = headings.iter().map(String::as_str).collect();
        parts.push("Review history");
        assert_in_order(label, text, &parts);
        assert!(text.contains("Page 1 of "), "{label}: no page footer");
        let total = read.pages;
        for page in 1..=total {
            assert!(
                text.contains(&format!("Page {page} of {total}")),
                "{label}: no footer 'Page {page} of {total}'"
            );
        }
    }
    let bryn = get("bryn-haven");
    assert!(bryn.pages >= 5, "{} pages", bryn.pages);
    assert_in_order(
        "bryn-haven",
        &bryn.text,
        &[
            "Bryn Haven Care Home",
            "CIW service ID: SIN-00012345-ABCD",
            "Key Worker Policy",
            "Reference Version Last reviewed Next review",
            "KW-CIW 3 14 March 2026 14 March 2027",
            "1. Purpose",
            "• give each resident one familiar person to turn to",
            "Review history",
            "Date Reviewed by Approved by Version Note",
            "14 March 2024 Siân Evans Owain Price 1 First issue",
            "14 March 2026 Siân Evans Owain Price 3 Added the Active Offer",
            "Responsible person: Siân Evans, Registered Manager",
            "Next review date: 14 March 2027",
            "Approved by: Owain Price",
            "Copyright © 2026 – Bryn Haven Care Home. All rights reserved.",
        ],
    );
    // The staff acknowledgement sheet starts a page of its own.
    assert_in_order(
        "bryn-haven",
        &bryn.text,
        &[
            "All rights reserved.",
            &format!("Page {} of {}", bryn.pages - 1, bryn.pages),
            "Bryn Haven Care Home Key Worker Policy Staff acknowledgement",
            "Everyone listed reads version 3 of this policy and confirms it.",
            "Name Role Read version 3 on",
            "Siân Evans Registered Manager 16 March 2026",
            "Carys Jones Senior Care Worker Dafydd Rees",
            "Eleri Thomas Activities Coordinator 20 March 2026",
            "Name Signature Date",
            &format!("Page {0} of {0}", bryn.pages),
        ],
    );
    // Later pages carry the running header; the first shows the front matter instead.
    assert!(
        bryn.text
            .contains("KW-CIW · Version 3 · Next review 14 March 2027 Page 1 of")
    );
    // The long table's header row repeats on every page it crosses.
    let long = get("long");
    let repeats = long.text.matches("Row Task Owner").count();
    assert!(repeats >= 3, "header row shown {repeats} times");
    assert_in_order(
        "long",
        &long.text,
        &[
            "4. Nested sections",
            "4.1 Level two",
            "4.1.1 Level three",
            "4.2 Level two again",
        ],
    );
}

#[test]
fn word_structure_is_real_styles_numbering_header_rows_and_fields() {
    let word = &get("bryn-haven").word;
    let paragraphs = paragraphs(word);
    let styled = |style: &str| -> Vec<&Value> {
        paragraphs.iter().filter(|p| p["style"] == style).collect()
    };
    assert_eq!(styled("Title").len(), 1);
    assert_eq!(styled("Title")[0]["text"], "Key Worker Policy");
    // Every numbered heading of the Markdown is a Heading 1..3 paragraph whose
    // number comes from Word's outline numbering, at its level.
    let md = &get("bryn-haven").md;
    let headings: Vec<&Value> = paragraphs
        .iter()
        .filter(|p| p["style"].as_str().unwrap().starts_with("Heading "))
        .collect();
    let numbered: Vec<&&Value> = headings
        .iter()
        .filter(|p| !p["numbering"].is_null())
        .collect();
    let expected = numbered_headings(md);
    assert_eq!(numbered.len(), expected.len());
    for (p, heading) in numbered.iter().zip(&expected) {
        let (number, title) = heading.split_once(' ').unwrap();
        assert_eq!(p["text"], title);
        let level = number.trim_end_matches('.').split('.').count();
        assert_eq!(p["style"], format!("Heading {level}"));
        assert_eq!(p["numbering"]["format"], "decimal");
        assert_eq!(p["numbering"]["level"], level - 1);
        assert_eq!(p["numbering"]["num_id"], numbered[0]["numbering"]["num_id"]);
    }
    assert!(numbered.iter().any(|p| p["style"] == "Heading 2"));
    // Review history is a heading without a number.
    let history = headings
        .iter()
        .find(|p| p["text"] == "Review history")
        .unwrap();
    assert!(history["numbering"].is_null());
    assert_eq!(history["style"], "Heading 1");
    // Body text in Normal; lists are list paragraphs with bullets or numbers.
    assert!(styled("Normal").len() > 10);
    let items = styled("List Paragraph");
    assert!(items.iter().any(|p| p["numbering"]["format"] == "bullet"));
    let ordered: Vec<&&Value> = items
        .iter()
        .filter(|p| p["numbering"]["format"] == "decimal")
        .collect();
    assert!(
        ordered.iter().any(|p| p["text"]
            .as_str()
            .unwrap()
            .starts_with("Talk to the key worker.")),
        "{ordered:?}"
    );
    // Bookmarks for in-document links, on the headings.
    assert!(
        numbered[0]["bookmarks"]
            .as_array()
            .unwrap()
            .contains(&"section_1".into())
    );

    // Tables: a header row marked as one (Word repeats it on each page).
    let tables = word["tables"].as_array().unwrap();
    assert!(tables.len() >= 2);
    for table in tables {
        assert_eq!(table["style"], "Table Grid");
        let rows = table["rows"].as_array().unwrap();
        assert_eq!(rows[0]["header"], true);
        assert!(rows[1..].iter().all(|r| r["header"] == false));
    }
    let history = tables
        .iter()
        .find(|t| t["rows"][0]["cells"][1] == "Reviewed by")
        .expect("the review history")["rows"]
        .as_array()
        .unwrap();
    assert_eq!(
        history[0]["cells"],
        serde_json::json!(["Date", "Reviewed by", "Approved by", "Version", "Note"])
    );
    assert_eq!(history.len(), 4);

    // The staff sheet: a heading on a new page, rows tall enough to sign in.
    let sheet = headings
        .iter()
        .find(|p| p["text"] == "Staff acknowledgement")
        .unwrap();
    assert_eq!(sheet["style"], "Heading 1");
    assert_eq!(sheet["page_break_before"], true);
    let signatures = tables
        .iter()
        .find(|t| t["rows"][0]["cells"] == serde_json::json!(["Name", "Signature", "Date"]))
        .expect("a signature table");
    let blank = signatures["rows"].as_array().unwrap()[1..].to_vec();
    assert!(blank.len() >= 10);
    for row in blank {
        assert_eq!(row["cells"], serde_json::json!(["", "", ""]));
        assert!(row["min_height_mm"].as_u64().unwrap() >= 10, "{row}");
    }

    // Header and footer: logo and organisation; Page X of Y as fields.
    assert_eq!(word["different_first_page"], true);
    assert!(
        word["header"]
            .as_str()
            .unwrap()
            .contains("Bryn Haven Care Home\tKey Worker Policy")
    );
    assert_eq!(
        word["header_images"],
        serde_json::json!(["Bryn Haven Care Home logo"])
    );
    assert_eq!(word["first_page_header"], "");
    for footer in ["footer", "first_page_footer"] {
        assert!(
            word[footer]
                .as_str()
                .unwrap()
                .starts_with("KW-CIW  ·  Version 3  ·  Next review 14 March 2027\tPage ")
        );
    }
    for fields in ["footer_fields", "first_page_footer_fields"] {
        let codes: Vec<&str> = word[fields]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().trim())
            .collect();
        assert_eq!(codes, ["PAGE \\* MERGEFORMAT", "NUMPAGES \\* MERGEFORMAT"]);
    }
    assert_eq!(
        word["images"],
        serde_json::json!(["Bryn Haven Care Home logo"])
    );
    assert_eq!(
        word["page"],
        serde_json::json!({"width_mm": 210, "height_mm": 297})
    );

    // Brand colour (passes contrast as given) in the heading styles; the font named.
    for style in ["Title", "Heading 1", "Heading 2", "Heading 3"] {
        assert_eq!(word["styles"][style]["colour"], "1F5F8B", "{style}");
        assert_eq!(word["styles"][style]["bold"], true, "{style}");
    }
    assert_eq!(word["fonts"], serde_json::json!(["Open Sans"]));
    assert_eq!(word["languages"], serde_json::json!(["en-GB"]));

    // Properties: from the profile and the review dates, never the clock.
    let core = &word["core"];
    assert_eq!(core["title"], "Key Worker Policy");
    assert_eq!(core["author"], "Bryn Haven Care Home");
    assert_eq!(core["keywords"], "KW-CIW");
    assert_eq!(core["version"], "3");
    assert_eq!(core["language"], "en-GB");
    assert_eq!(core["created"], "2024-03-14T00:00:00+00:00");
    assert_eq!(core["modified"], "2026-03-14T00:00:00+00:00");
    assert!(
        core["subject"]
            .as_str()
            .unwrap()
            .starts_with("Key Worker Policy (KW-CIW, version 3) for Bryn Haven Care Home")
    );
}

#[test]
fn links_nested_lists_and_a_long_table() {
    let word = &get("long").word;
    let links: Vec<&Value> = paragraphs(word)
        .iter()
        .flat_map(|p| p["links"].as_array().unwrap())
        .collect();
    assert!(
        links
            .iter()
            .any(|l| l["address"].as_str().unwrap().starts_with("https://")),
        "{links:?}"
    );
    assert!(
        links
            .iter()
            .any(|l| l["fragment"] == "section_3" || l["fragment"] == "a_long_table"),
        "{links:?}"
    );
    // Nested lists go one level deeper, numbered lists restart where they start.
    let items: Vec<&Value> = paragraphs(word)
        .iter()
        .filter(|p| !p["numbering"].is_null() && p["style"] == "List Paragraph")
        .collect();
    let levels: Vec<u64> = items
        .iter()
        .map(|p| p["numbering"]["level"].as_u64().unwrap())
        .collect();
    assert!(
        levels.contains(&0) && levels.contains(&1) && levels.contains(&2),
        "{levels:?}"
    );
    assert!(
        items
            .iter()
            .any(|p| p["numbering"]["format"] == "decimal" && p["numbering"]["start"] == 1)
    );
    // A table long enough to cross pages still has one header row, marked.
    let table = word["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["rows"][0]["cells"][0] == "Row")
        .unwrap();
    let rows = table["rows"].as_array().unwrap();
    assert!(rows.len() > 40);
    assert_eq!(rows.iter().filter(|r| r["header"] == true).count(), 1);
}

#[test]
fn each_organisation_s_brand_colour_is_in_its_heading_styles() {
    for (org, colour) in [
        ("bryn-haven", "1F5F8B"),
        ("elm-lodge", "2E6B3F"),
        ("harbour-view", "8A3B12"),
        ("pathways", "5B3F8C"),
        // No brand colour: the default blue.
        ("cornerstone-homecare", "1F4E79"),
    ] {
        let styles = &get(org).word["styles"];
        for style in ["Title", "Heading 1", "Heading 2", "Hyperlink"] {
            assert_eq!(styles[style]["colour"], colour, "{org}: {style}");
        }
    }
}

#[test]
fn hostile_values_read_back_literally() {
    let read = get("hostile");
    let word = &read.word;
    let texts: Vec<&str> = paragraphs(word)
        .iter()
        .map(|p| p["text"].as_str().unwrap())
        .collect();
    let all = texts.join("\n");
    for literal in [
        HOSTILE_NAME,
        "1. Not a list\n# Not a heading",
        "| not | a | table |",
        "<script>alert(1)</script> \"quoted\" & 'single'",
        "Copyright © 2026 – O'Brien & <b>Sons</b> [x](y) {{ z }} <<org_field_name>>. All rights reserved.",
    ] {
        assert!(all.contains(literal), "missing {literal:?} in\n{all}");
    }
    let cells: Vec<&str> = word["tables"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["rows"].as_array().unwrap())
        .flat_map(|r| r["cells"].as_array().unwrap())
        .map(|c| c.as_str().unwrap())
        .collect();
    for literal in [
        "[link](javascript:alert(1))",
        "<<term_person>>",
        "1 | 2",
        "{% raw %} {{ x }}",
    ] {
        assert!(
            cells.contains(&literal),
            "missing cell {literal:?} in {cells:?}"
        );
    }
    // Nothing in a value became a link, a list or a heading.
    assert!(
        paragraphs(word)
            .iter()
            .all(|p| p["links"].as_array().unwrap().is_empty())
    );
    assert!(!texts.iter().any(|t| t.starts_with("Not a")));
    assert_eq!(word["core"]["author"], HOSTILE_NAME);
    assert!(word["header"].as_str().unwrap().contains(HOSTILE_NAME));
    assert!(
        read.text
            .contains("O'Brien & <b>Sons</b> [x](y) {{ z }} <<org_field_name>>")
    );
}

#[test]
fn bytes_are_the_same_across_builds_and_jobs_and_an_unchanged_build_writes_nothing() {
    let library = Library::shipped();
    library
        .run(&["build", "--format", "docx", "--jobs", "4", "--out", "four"])
        .success();
    library
        .run(&["build", "--format", "docx", "--jobs", "1", "--out", "one"])
        .success();
    let again = library.run(&["build", "--format", "docx", "--jobs", "4", "--out", "four"]);
    again.success();
    assert!(again.stdout.contains(" 0 written"), "{}", again.stdout);
    let docx: Vec<String> = files(&library.path().join("one"))
        .into_iter()
        .filter(|f| f.ends_with(".docx"))
        .collect();
    assert_eq!(docx.len(), SHIPPED.len());
    for file in &docx {
        let one = std::fs::read(library.path().join("one").join(file)).unwrap();
        let four = std::fs::read(library.path().join("four").join(file)).unwrap();
        assert!(one == four, "{file} differs between --jobs 1 and --jobs 4");
    }
    let manifest: Value = serde_json::from_str(&library.read("four/manifest.json")).unwrap();
    let entry = manifest["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"] == "bryn-haven/key-worker.docx")
        .expect("the manifest lists the DOCX");
    assert_eq!(entry["format"], "docx");
    assert_eq!(entry["next_review"], "2027-03-14");
}
