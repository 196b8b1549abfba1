//! The PDF output, checked with the tools a reader or an auditor would use:
//! poppler's `pdftotext`, `pdfinfo` and `pdffonts`, and `qpdf` (installed by
//! scripts/test). Fixture `pdf` adds a policy long enough to cross pages.

use std::path::Path;
use std::process::Command;

use crate::harness::{Library, files};

/// Runs a PDF tool and returns what it printed; the tool must succeed.
#[track_caller]
pub(crate) fn tool(program: &str, args: &[&str], pdf: &Path) -> String {
    let output = Command::new(program)
        .args(args)
        .arg(pdf)
        .args(if program == "pdftotext" { &["-"][..] } else { &[][..] })
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run `{program}` ({e}); run the tests with scripts/test, which installs poppler-utils and qpdf")
        });
    assert!(
        output.status.success(),
        "{program} {args:?} {} failed:\n{}{}",
        pdf.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 from the tool")
}

/// The text of a PDF in reading order, white space collapsed.
pub(crate) fn text(pdf: &Path) -> String {
    collapse(&tool("pdftotext", &[], pdf))
}

pub(crate) fn page_text(pdf: &Path, page: usize) -> String {
    let page = page.to_string();
    collapse(&tool("pdftotext", &["-f", &page, "-l", &page], pdf))
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Asserts that `parts` occur in `text` in this order.
#[track_caller]
pub(crate) fn assert_in_order(text: &str, parts: &[&str]) {
    let mut from = 0;
    for part in parts {
        match text[from..].find(part) {
            Some(at) => from += at + part.len(),
            None => panic!("{part:?} is missing or out of order after byte {from} of:\n{text}"),
        }
    }
}

pub(crate) fn pages(pdf: &Path) -> usize {
    tool("pdfinfo", &[], pdf)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo prints Pages:")
}

/// The shipped library with the PDFs of these organisations built.
fn shipped_pdfs(orgs: &[&str]) -> Library {
    let library = Library::shipped();
    let mut args = vec!["build", "--format", "pdf"];
    for org in orgs {
        args.extend(["--org", org]);
    }
    library.run(&args).success();
    library
}

/// The shipped library with Bryn Haven's PDF built, and the PDF's path.
fn bryn_haven_pdf() -> (Library, std::path::PathBuf) {
    let library = shipped_pdfs(&["bryn-haven"]);
    let pdf = library.path().join("out/bryn-haven/key-worker.pdf");
    (library, pdf)
}

/// The objects of a PDF, as qpdf's JSON shows them.
fn objects(pdf: &Path) -> serde_json::Value {
    let json: serde_json::Value =
        serde_json::from_str(&tool("qpdf", &["--json=2", "--json-key=qpdf"], pdf)).unwrap();
    json["qpdf"][1].clone()
}

/// The structure types (`/P`, `/H2`, …) of every tagged element, in object order.
fn structure_types(pdf: &Path) -> Vec<String> {
    let objects = objects(pdf);
    objects
        .as_object()
        .unwrap()
        .values()
        .filter_map(|o| o["value"].as_object())
        .filter(|d| d.get("/Type").and_then(|t| t.as_str()) == Some("/StructElem"))
        .filter_map(|d| d.get("/S").and_then(|s| s.as_str()).map(str::to_string))
        .collect()
}

/// The outline as (depth, title) pairs, depth-first.
fn outline(pdf: &Path) -> Vec<(usize, String)> {
    fn walk(items: &serde_json::Value, depth: usize, out: &mut Vec<(usize, String)>) {
        for item in items.as_array().into_iter().flatten() {
            out.push((
                depth,
                item["title"].as_str().unwrap_or_default().to_string(),
            ));
            walk(&item["kids"], depth + 1, out);
        }
    }
    let json: serde_json::Value =
        serde_json::from_str(&tool("qpdf", &["--json=2", "--json-key=outlines"], pdf)).unwrap();
    let mut out = Vec::new();
    walk(&json["outlines"], 1, &mut out);
    out
}

/// The headings of the Markdown output of the same document: (level, text).
fn markdown_headings(md: &str) -> Vec<(usize, String)> {
    md.lines()
        .filter_map(|line| {
            let hashes = line.chars().take_while(|c| *c == '#').count();
            (hashes >= 2 && line[hashes..].starts_with(' '))
                .then(|| (hashes - 1, line[hashes + 1..].trim().to_string()))
        })
        .collect()
}

fn long_fixture() -> Library {
    let library = Library::new("pdf");
    library
        .run(&["build", "--format", "md,pdf", "--org", "good-home"])
        .success();
    library
}

#[test]
fn text_extracts_in_reading_order() {
    let library = Library::shipped();
    library
        .run(&["build", "--format", "md,pdf", "--org", "bryn-haven"])
        .success();
    let pdf = library.path().join("out/bryn-haven/key-worker.pdf");
    let text = text(&pdf);
    let first: Vec<&str> = text.splitn(2, "1. Purpose").collect();
    // The front matter: organisation, registration, title, key facts.
    assert_in_order(
        first[0],
        &[
            "Bryn Haven Care Home",
            "CIW service ID: SIN-00012345-ABCD",
            "Key Worker Policy",
            "Reference Version Last reviewed Next review",
            "KW-CIW 3 14 March 2026 14 March 2027",
        ],
    );
    // Every heading of the Markdown output, in the same order.
    let md = library.read("out/bryn-haven/key-worker.md");
    let headings = markdown_headings(&md);
    assert!(headings.len() > 15, "{headings:?}");
    let titles: Vec<&str> = headings.iter().map(|(_, t)| t.as_str()).collect();
    assert_in_order(&text, &titles);
    // List items, then the review history rows in order, then the closing block.
    assert_in_order(
        &text,
        &[
            "1. Purpose",
            "• give each resident one familiar person to turn to",
            "• help residents achieve the personal outcomes",
            "2. Scope",
            "10. Complaints and concerns",
            "1. Talk to the key worker.",
            "2. Speak to the Registered Manager",
            "4. Use the formal complaints procedure",
            "Review history",
            "Date Reviewed by Approved by Version Note",
            "14 March 2024 Siân Evans Owain Price 1 First issue",
            "14 March 2025 Siân Evans Owain Price 2 Annual review",
            "14 March 2026 Siân Evans Owain Price 3 Added the Active Offer",
            "Responsible person: Siân Evans, Registered Manager",
            "Reviewed on: 14 March 2026",
            "Next review date: 14 March 2027",
            "Approved by: Owain Price",
            "Copyright © 2026 – Bryn Haven Care Home. All rights reserved.",
        ],
    );
    let total = pages(&pdf);
    for page in 1..=total {
        assert!(
            text.contains(&format!("Page {page} of {total}")),
            "no footer for page {page}"
        );
    }
}

#[test]
fn welsh_names_extract_exactly() {
    let library = shipped_pdfs(&["bryn-haven", "cymorth-cartref"]);
    let bryn = text(&library.path().join("out/bryn-haven/key-worker.pdf"));
    assert!(
        bryn.contains("Tŷ Bryn, 1 Heol y Bryn, Llandeilo, SA19 6AA"),
        "{bryn}"
    );
    assert!(bryn.contains("Responsible person: Siân Evans, Registered Manager"));
    let cymorth = text(&library.path().join("out/cymorth-cartref/key-worker.pdf"));
    assert!(cymorth.contains("Cymorth Cartref Môn"), "{cymorth}");
    assert!(cymorth.contains("Gwenllian Ŵyn-Jones"), "{cymorth}");
    assert!(cymorth.contains("Swyddfa’r Harbwr"), "{cymorth}");
    // Precomposed characters, not a letter plus a combining accent.
    for text in [&bryn, &cymorth] {
        assert!(!text.contains('\u{0302}') && !text.contains('\u{0300}'));
    }
}

#[test]
fn fonts_are_embedded_subset_and_mapped_to_unicode() {
    let (_library, pdf) = bryn_haven_pdf();
    let listing = tool("pdffonts", &[], &pdf);
    let fonts: Vec<&str> = listing.lines().skip(2).collect();
    assert!(
        fonts.len() >= 3,
        "regular, bold and italic expected:\n{listing}"
    );
    for font in fonts {
        let columns: Vec<&str> = font.split_whitespace().collect();
        // name type… encoding emb sub uni object-id generation
        let flags = &columns[columns.len() - 5..columns.len() - 2];
        assert_eq!(
            flags,
            ["yes", "yes", "yes"],
            "not embedded, subset and mapped: {font}"
        );
        assert!(columns[0].contains("+OpenSans"), "{font}");
    }
}

#[test]
fn every_shipped_pdf_passes_qpdf_check() {
    let library = Library::shipped();
    library.run(&["build", "--format", "pdf"]).success();
    let out = library.path().join("out");
    let pdfs: Vec<String> = files(&out)
        .into_iter()
        .filter(|f| f.ends_with(".pdf"))
        .collect();
    assert_eq!(pdfs.len(), 6, "{pdfs:?}");
    for pdf in pdfs {
        let report = tool("qpdf", &["--check"], &out.join(&pdf));
        assert!(
            report.contains("No syntax or stream encoding errors found"),
            "{pdf}: {report}"
        );
    }
}

#[test]
fn pdfinfo_shows_a4_the_metadata_and_the_expected_pages() {
    let library = long_fixture();
    let pdf = library.path().join("out/good-home/long.pdf");
    let info = tool("pdfinfo", &[], &pdf);
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}:")))
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    assert_eq!(field("Page size"), "595.276 x 841.89 pts (A4)");
    assert_eq!(field("Title"), "Long Document Policy");
    assert_eq!(field("Author"), "Good Home");
    assert_eq!(
        field("Subject"),
        "Long Document Policy (LNG-01, version 4) for Good Home; not yet reviewed, next review 23 November 2026; DRAFT — not yet approved: never reviewed"
    );
    assert_eq!(
        field("Creator"),
        concat!("policygen ", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(field("Tagged"), "yes");
    // Six pages of policy, then the acknowledgement sheet on its own.
    assert_eq!(field("Pages"), "7");
    assert!(
        !info.contains("CreationDate") && !info.contains("ModDate"),
        "no clock time may reach the PDF:\n{info}"
    );
    let meta = tool("pdfinfo", &["-meta"], &pdf);
    assert!(meta.contains("<pdfuaid:part>1</pdfuaid:part>"), "{meta}");
    assert!(meta.contains("<rdf:li>en-GB</rdf:li>"), "{meta}");
    assert!(text(&pdf).contains("Page 7 of 7"));
}

#[test]
fn the_outline_holds_every_section_nested() {
    let library = long_fixture();
    let pdf = library.path().join("out/good-home/long.pdf");
    assert_eq!(
        outline(&pdf),
        [
            (1, "1. Purpose".to_string()),
            (1, "2. A long list".into()),
            (1, "3. A long table".into()),
            (1, "4. Nested sections".into()),
            (2, "4.1 Level two".into()),
            (3, "4.1.1 Level three".into()),
            (2, "4.2 Level two again".into()),
            (1, "Review history".into()),
            (1, "Staff acknowledgement".into()),
        ]
    );
    // The shipped documents: the outline is the Markdown's heading tree.
    let library = Library::shipped();
    library.run(&["build", "--format", "md,pdf"]).success();
    for org in ["bryn-haven", "harbour-view", "cymorth-cartref"] {
        let md = library.read(&format!("out/{org}/key-worker.md"));
        let pdf = library.path().join(format!("out/{org}/key-worker.pdf"));
        assert_eq!(outline(&pdf), markdown_headings(&md), "{org}");
    }
}

#[test]
fn a_long_list_and_a_long_table_cross_pages_in_order() {
    let library = long_fixture();
    let pdf = library.path().join("out/good-home/long.pdf");
    let all = text(&pdf);
    let steps: Vec<String> = (1..=70).map(|i| format!("{i}. Step {i:03}:")).collect();
    assert_in_order(&all, &steps.iter().map(String::as_str).collect::<Vec<_>>());
    assert_in_order(
        &all,
        &[
            "10. Step 010:",
            "– Detail 010a",
            "– Detail 010b",
            "• Note 010b1 on the third level",
            "11. Step 011:",
        ],
    );
    let rows: Vec<String> = (1..=80)
        .map(|i| format!("Row {i:03} Task {i:03}:"))
        .collect();
    assert_in_order(&all, &rows.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(all.contains("Owner 080 After the table."), "{all}");

    let total = pages(&pdf);
    let page_of = |needle: &str| {
        (1..=total)
            .find(|p| page_text(&pdf, *p).contains(needle))
            .unwrap_or_else(|| panic!("{needle} on no page"))
    };
    assert!(
        page_of("Step 070:") > page_of("Step 001:"),
        "the list stays on one page"
    );
    let (first, last) = (page_of("Row 001"), page_of("Row 080"));
    assert!(
        last >= first + 2,
        "the table should cross at least two page breaks"
    );
    // The header row is repeated on every page the table reaches.
    for page in first..=last {
        let text = page_text(&pdf, page);
        assert!(
            text.contains("Row Task Owner Row "),
            "page {page} has no header row:\n{text}"
        );
    }
    // …but tagged once: the repeats are artifacts, not a second header.
    // (4 header cells of the key facts table, 3 of the long table.)
    let types = structure_types(&pdf);
    assert_eq!(types.iter().filter(|t| *t == "/TH").count(), 7);
}

#[test]
fn two_builds_are_byte_identical() {
    // One thread and the default: each thread takes documents in another
    // order, so lines a document gets from the layout's memo were set for
    // another document in one build and for itself in the other.
    let library = Library::shipped();
    let other = tempfile::tempdir().unwrap();
    let second = other.path().join("out");
    library.run(&["build", "--format", "pdf"]).success();
    library
        .run(&[
            "build",
            "--format",
            "pdf",
            "--jobs",
            "1",
            "--out",
            second.to_str().unwrap(),
        ])
        .success();
    let first = library.path().join("out");
    let names: Vec<String> = files(&first)
        .into_iter()
        .filter(|f| f.ends_with(".pdf"))
        .collect();
    assert_eq!(names.len(), 6);
    for name in names {
        assert!(
            std::fs::read(first.join(&name)).unwrap() == std::fs::read(second.join(&name)).unwrap(),
            "{name} differs between two builds"
        );
    }
    let again = library.run(&["build", "--format", "pdf"]);
    again.success();
    assert!(again.stdout.contains(" 0 written"), "{}", again.stdout);
}

#[test]
fn hostile_values_show_literally_in_the_pdf() {
    let library = Library::new("hostile");
    library
        .run(&["build", "--format", "pdf", "--org", "hostile"])
        .success();
    let pdf = library.path().join("out/hostile/sample.pdf");
    let text = text(&pdf);
    for literal in [
        "O'Brien & <b>Sons</b> [x](y) {{ z }} <<org_field_name>>",
        "1. Purpose for O'Brien & <b>Sons</b> [x](y) {{ z }} <<org_field_name>>",
        "managed by <script>alert(1)</script> \"quoted\" & 'single'",
        "overseen by <img src=x onerror=alert(1)> *bold* _it_ `code`.",
        "Address: 1. Not a list # Not a heading. Phone: | not | a | table |.",
        "&amp; <!-- c -->",
        "[link](javascript:alert(1)) <<term_person>>",
        "{% raw %} {{ x }}",
        "Version 1 | 2",
    ] {
        assert!(
            text.contains(literal),
            "missing literal {literal:?} in\n{text}"
        );
    }
    // Nothing in a value became a heading, a list, a link or bold text.
    let types = structure_types(&pdf);
    for tag in ["/L", "/Link", "/H4"] {
        assert!(!types.iter().any(|t| t == tag), "{tag} in {types:?}");
    }
    let raw = std::fs::read(&pdf).unwrap();
    assert!(
        !raw.windows(4).any(|w| w == b"/URI"),
        "a value became a link"
    );
}

#[test]
fn the_tags_mark_headings_lists_tables_the_logo_and_links() {
    let (library, pdf) = bryn_haven_pdf();
    let types = structure_types(&pdf);
    for tag in [
        "/H1", "/H2", "/H3", "/P", "/L", "/LI", "/Lbl", "/LBody", "/Table", "/TR", "/TH", "/TD",
        "/Figure",
    ] {
        assert!(types.iter().any(|t| t == tag), "no {tag} in {types:?}");
    }
    assert_eq!(types.iter().filter(|t| *t == "/H1").count(), 1);
    let json = objects(&pdf).to_string();
    assert!(
        json.contains(r#""/Alt":"u:Bryn Haven Care Home logo""#),
        "the logo has no alternative text"
    );
    // Header and footer are artifacts.
    let unpacked = library.path().join("unpacked.pdf");
    let status = Command::new("qpdf")
        .args(["--qdf", "--object-streams=disable"])
        .arg(&pdf)
        .arg(&unpacked)
        .status()
        .unwrap();
    assert!(status.success());
    let raw = String::from_utf8_lossy(&std::fs::read(&unpacked).unwrap()).into_owned();
    assert!(
        raw.contains("/Artifact<</Attached[/Top]/Subtype/Header"),
        "no header artifact"
    );
    assert!(
        raw.contains("/Artifact<</Attached[/Bottom]/Subtype/Footer"),
        "no footer artifact"
    );

    // Links: an external URI and a link to a section, each tagged.
    let library = long_fixture();
    let pdf = library.path().join("out/good-home/long.pdf");
    let types = structure_types(&pdf);
    assert_eq!(types.iter().filter(|t| *t == "/Link").count(), 2);
    let json = objects(&pdf).to_string();
    assert!(
        json.contains(r#""/URI":"u:https://www.example.org/guidance""#),
        "{json}"
    );
    let mut annotations: Vec<serde_json::Value> = objects(&pdf)
        .as_object()
        .unwrap()
        .values()
        .filter(|o| o["value"]["/Subtype"] == "/Link")
        .map(|o| o["value"].clone())
        .collect();
    annotations.sort_by_key(|a| a["/Contents"].to_string());
    assert_eq!(annotations.len(), 2, "{annotations:?}");
    // The external link wraps onto a second line: one annotation, two quads.
    let external = &annotations[0];
    assert_eq!(external["/Contents"], "u:regulator's guidance");
    assert_eq!(external["/QuadPoints"].as_array().map(Vec::len), Some(16));
    let internal = &annotations[1];
    assert_eq!(internal["/Contents"], "u:the long table");
    assert!(internal["/Dest"].is_string(), "{internal}");
}

#[test]
fn a_character_the_font_lacks_is_reported() {
    let library = Library::new("");
    library.write(
        "organisations/good-home.yaml",
        "name: Good Home 🏡\nregistration_no: \"1-123456789\"\njurisdiction: cqc\nservice: care-home\nregistered_manager: { first_name: Ann, last_name: Lee }\n",
    );
    let run = library.run(&["build", "--format", "pdf"]);
    run.code(1);
    assert!(
        run.stderr.contains(
            "error: good-home/sample.pdf: the PDF font Open Sans has no glyph for `🏡` (U+1F3E1)"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("put a font family that has it in assets/fonts/")
    );
    assert!(!library.path().join("out/good-home/sample.pdf").exists());
}

#[test]
fn a_broken_project_font_is_reported_with_its_file() {
    let library = Library::new("");
    for style in ["Regular", "Bold", "Italic", "BoldItalic"] {
        library.write(&format!("assets/fonts/House-{style}.ttf"), "not a font");
    }
    let run = library.run(&["build", "--format", "pdf"]);
    run.code(1);
    assert!(
        run.stderr.contains("error: the font cannot be read as TrueType or OpenType\n --> assets/fonts/House-Regular.ttf"),
        "{}",
        run.stderr
    );
    library.remove("assets/fonts/House-Italic.ttf");
    let run = library.run(&["build", "--format", "pdf"]);
    run.code(1);
    assert!(
        run.stderr
            .contains("error: the font family `House` in assets/fonts/ has no Italic style"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_damaged_logo_is_reported_with_its_profile() {
    let library = Library::new("");
    let png = std::fs::read(crate::harness::repo().join("assets/logos/bryn-haven.png")).unwrap();
    let mut damaged = png[..60].to_vec();
    damaged.extend(b"not image data".repeat(10));
    std::fs::create_dir_all(library.path().join("logos")).unwrap();
    std::fs::write(library.path().join("logos/home.png"), damaged).unwrap();
    let profile = library.read("organisations/good-home.yaml");
    library.write(
        "organisations/good-home.yaml",
        &format!("{profile}logo: ../logos/home.png\n"),
    );
    let run = library.run(&["build", "--format", "pdf"]);
    run.code(1);
    assert!(
        run.stderr
            .contains("error: the logo cannot be drawn in good-home/sample.pdf: ")
            && run.stderr.contains(" --> organisations/good-home.yaml"),
        "{}",
        run.stderr
    );
}

#[test]
fn new_project_fonts_render_the_pdfs_again() {
    let library = Library::new("");
    library.run(&["build", "--format", "pdf"]).success();
    let again = library.run(&["build", "--format", "pdf"]);
    assert!(again.stdout.contains(": 0 rendered;"), "{}", again.stdout);
    // A house family: Open Sans with regular and bold swapped, so its bytes
    // differ from the built-in family's (the same bytes would change nothing).
    for (style, from) in [
        ("Regular", "Bold"),
        ("Bold", "Regular"),
        ("Italic", "Italic"),
        ("BoldItalic", "BoldItalic"),
    ] {
        let bundled = crate::harness::repo().join(format!("assets/fonts/OpenSans-{from}.ttf"));
        let target = library
            .path()
            .join(format!("assets/fonts/House-{style}.ttf"));
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(bundled, target).unwrap();
    }
    let run = library.run(&["build", "--format", "pdf"]);
    run.success();
    assert!(
        run.stdout.contains(": 1 rendered; files: 1 written"),
        "{}",
        run.stdout
    );
}

/// The darkest pixel inside each box where `pdftotext -bbox` finds `word` on
/// `page`, from poppler's rendering at 150 dpi: the colour the word is drawn
/// in (glyph stems are fully covered at that size, edges only lighter).
fn word_colours(pdf: &Path, page: usize, word: &str) -> Vec<(u8, u8, u8)> {
    const DPI: f32 = 150.0;
    let n = page.to_string();
    let boxes = tool("pdftotext", &["-bbox", "-f", &n, "-l", &n], pdf);
    let image = pdf.with_file_name(format!("page-{n}"));
    let status = Command::new("pdftoppm")
        .args(["-r", "150", "-f", &n, "-l", &n, "-singlefile"])
        .arg(pdf)
        .arg(&image)
        .status()
        .expect("pdftoppm runs");
    assert!(status.success());
    let ppm = std::fs::read(pdf.with_file_name(format!("page-{n}.ppm"))).unwrap();
    // P6 header: magic, width, height, maxval, then one byte of white space.
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while ppm[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !ppm[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&ppm[start..at]).into_owned());
    }
    let (width, pixels) = (fields[1].parse::<usize>().unwrap(), &ppm[at + 1..]);
    let attr = |line: &str, name: &str| -> f32 {
        let from = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        line[from..].split('"').next().unwrap().parse().unwrap()
    };
    boxes
        .lines()
        .filter(|l| l.contains(&format!(">{word}</word>")))
        .map(|line| {
            let px = |v: f32| (v * DPI / 72.0) as usize;
            let (x0, x1) = (px(attr(line, "xMin")), px(attr(line, "xMax")));
            let (y0, y1) = (px(attr(line, "yMin")), px(attr(line, "yMax")));
            let mut darkest = (255, 255, 255);
            for y in y0..=y1 {
                for x in x0..=x1 {
                    let p = &pixels[3 * (y * width + x)..][..3];
                    let sum = |c: (u8, u8, u8)| u32::from(c.0) + u32::from(c.1) + u32::from(c.2);
                    if sum((p[0], p[1], p[2])) < sum(darkest) {
                        darkest = (p[0], p[1], p[2]);
                    }
                }
            }
            darkest
        })
        .collect()
}

#[track_caller]
fn assert_colour(found: &[(u8, u8, u8)], expected: (u8, u8, u8), what: &str) {
    assert!(!found.is_empty(), "{what}: the word is not on the page");
    for &colour in found {
        let near = |a: u8, b: u8| a.abs_diff(b) <= 6;
        assert!(
            near(colour.0, expected.0) && near(colour.1, expected.1) && near(colour.2, expected.2),
            "{what} is drawn in {colour:?}, not {expected:?}"
        );
    }
}

#[test]
fn text_is_drawn_in_its_theme_colours() {
    // Headings in the brand colour, body text near-black, the footer grey,
    // each word after a word of another colour: what is set for one run of
    // text must not leak into the next.
    let (_library, pdf) = bryn_haven_pdf();
    let brand = (0x1f, 0x5f, 0x8b); // bryn-haven.yaml: brand colour
    assert_colour(&word_colours(&pdf, 2, "Related"), brand, "heading 3");
    assert_colour(
        &word_colours(&pdf, 2, "touches"),
        (0x1a, 0x1a, 0x1a),
        "body text",
    );
    assert_colour(
        &word_colours(&pdf, 2, "Version"),
        (0x55, 0x55, 0x55),
        "footer",
    );
    assert_colour(&word_colours(&pdf, 1, "Key"), brand, "title");
}

/// A page's words, sorted, each without hyphens or PDFium's mark for a
/// hyphen at the end of a line (poppler joins such a word, PDFium marks it):
/// what two readers agree on whatever order they read a page in.
fn words(text: &str) -> Vec<String> {
    let mut words: Vec<String> = text
        .split_whitespace()
        .map(|w| w.replace(['-', '\u{fffe}'], ""))
        .filter(|w| !w.is_empty())
        .collect();
    words.sort();
    words
}

#[test]
fn a_second_reader_finds_the_same_words_on_every_page() {
    // PDFium (Chromium's PDF engine) beside poppler: the glyph codes and
    // their ToUnicode map must mean the same to both.
    let library = shipped_pdfs(&["bryn-haven", "cymorth-cartref"]);
    for (org, name) in [("bryn-haven", "Tŷ Bryn"), ("cymorth-cartref", "Ŵyn-Jones")] {
        let pdf = library.path().join(format!("out/{org}/key-worker.pdf"));
        let output = Command::new("python3")
            .arg(crate::harness::repo().join("tests/pdf/read.py"))
            .arg(&pdf)
            .output()
            .expect("python3 runs");
        assert!(
            output.status.success(),
            "tests/pdf/read.py failed (scripts/test installs pypdfium2):\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let pdfium: Vec<String> = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(pdfium.len(), pages(&pdf), "{org}");
        for (i, text) in pdfium.iter().enumerate() {
            let poppler = tool(
                "pdftotext",
                &["-f", &(i + 1).to_string(), "-l", &(i + 1).to_string()],
                &pdf,
            );
            assert_eq!(words(text), words(&poppler), "{org}, page {}", i + 1);
        }
        assert!(
            pdfium.concat().contains(name),
            "{org}: PDFium reads no {name:?}"
        );
    }
}
