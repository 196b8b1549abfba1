//! `policygen import`: documents in each shape (numbered "1." / "4.1."
//! headings with placeholders, the closing block and web debris; "1.0
//! Objectives" headings hard-wrapped; Markdown; a Word document) become
//! sources that `check` accepts and that build in every format; the report
//! and the refusals are pinned; nothing is overwritten without `--force`;
//! the shipped policies built to Word and imported again build the same
//! sections.

use std::io::Write;

use policygen::load::project::Project;
use policygen::render::Format;

use crate::harness::{Library, assert_snapshot, fixtures, repo};

/// The import fixture library: one CQC care home with a logo, no policies,
/// and the documents to import under `old/`.
fn library() -> Library {
    let library = Library::layers(&["import/library"]);
    std::fs::create_dir_all(library.path().join("organisations/logos")).unwrap();
    std::fs::copy(
        fixtures().join("html-site/organisations/logos/ty-derw.png"),
        library.path().join("organisations/logos/ashgrove.png"),
    )
    .unwrap();
    crate::harness::copy_tree(&fixtures().join("import/docs"), &library.path().join("old"));
    library
}

fn import(library: &Library, file: &str, policy: &str, extra: &[&str]) -> crate::harness::Run {
    let mut args = vec![
        "import",
        file,
        "--policy",
        policy,
        "--variant",
        "ours",
        "--jurisdiction",
        "cqc",
        "--service",
        "care-home",
    ];
    args.extend(extra);
    library.run(&args)
}

/// What the user saw, as pinned: exit code, stdout, stderr.
fn seen(run: &crate::harness::Run) -> String {
    format!(
        "exit code: {}\n--- stdout\n{}--- stderr\n{}",
        run.code, run.stdout, run.stderr
    )
}

/// The `## `/`### ` heading lines of a built Markdown document.
fn headings(markdown: &str) -> Vec<String> {
    markdown
        .lines()
        .filter(|l| l.starts_with("## ") || l.starts_with("### ") || l.starts_with("#### "))
        .map(str::to_string)
        .collect()
}

/// One library, four imports (text twice, Markdown, Word), one check and
/// one build in every format, a Markdown round trip: the whole "Done when"
/// round and the assertions on what each step shows.
#[test]
fn each_shape_imports_checks_and_builds_in_every_format() {
    let library = library();
    std::fs::write(library.path().join("old/visiting.docx"), visiting_docx()).unwrap();
    for (file, policy, case) in [
        ("old/key-worker.txt", "key-worker", "key-worker"),
        ("old/medication.txt", "medication", "medication"),
        ("old/safeguarding.md", "safeguarding", "safeguarding"),
        ("old/visiting.docx", "visiting", "visiting-docx"),
    ] {
        let run = import(&library, file, policy, &[]);
        assert_snapshot(&format!("expected/import/{case}.txt"), &seen(&run));
        assert_eq!(run.code, 0, "{}", seen(&run));
        assert_snapshot(
            &format!("expected/import/{case}.yaml"),
            &library.read(&format!("policies/{policy}/ours.yaml")),
        );
    }

    // The project's own loader reads every source back without a finding.
    let project = Project::load(library.path());
    let policy_findings: Vec<_> = project
        .diagnostics
        .iter()
        .filter(|d| {
            d.path
                .as_deref()
                .is_some_and(|p| p.starts_with("policies/"))
        })
        .collect();
    assert!(policy_findings.is_empty(), "{policy_findings:#?}");
    assert_eq!(project.policies.len(), 4);

    let check = library.run(&["check"]);
    assert_eq!(check.code, 0, "{}", seen(&check));
    assert_eq!(
        check.stdout,
        "checked 1 organisations, 4 policies: 4 documents render cleanly\n"
    );
    let build = library.run(&["build"]);
    assert_eq!(build.code, 0, "{}", seen(&build));
    for policy in ["key-worker", "medication", "safeguarding", "visiting"] {
        for format in Format::AVAILABLE {
            let path = library
                .path()
                .join(format!("out/ashgrove/{policy}.{}", format.extension()));
            assert!(path.is_file(), "{} was not built", path.display());
        }
    }

    // Branded and dated, with the provider's own text and none of the debris.
    let kw = library.read("out/ashgrove/key-worker.md");
    assert!(kw.starts_with("![Ashgrove House logo](logo.png)\n\n**Ashgrove House**\\\nCQC location ID: 1-234567890\n\n# Key Worker Policy\n"), "{kw}");
    assert!(kw.contains("Everyone who lives at Ashgrove House has a named key worker"));
    assert!(kw.contains("### 4.2 Building a Relationship of Trust\n"));
    assert!(kw.contains(
        "- keeps the relationship professional: no gifts, money or social-media\n  contact\n"
    ));
    assert!(kw.contains("**Next review date:** 10 February 2027"));
    for debris in [
        "Leave a Reply",
        "Post Comment",
        "Page last modified",
        "{{",
        "Registration Number:",
    ] {
        assert!(!kw.contains(debris), "{debris} in the built document");
    }
    let med = library.read("out/ashgrove/medication.md");
    assert!(med.contains("take their medicines safely and in the way they prefer, and how we keep\naccurate records of every dose given, refused or missed.\n"), "{med}");
    assert!(med.contains("affect the person’s well-being."));
    assert!(med.contains(
        "- agency staff working a shift at the home,\n  - who are shown the medicines room\n"
    ));
    assert!(med.contains("1. check the person's medication record\n2. wash their hands\n"));
    let visiting = library.read("out/ashgrove/visiting.md");
    assert!(
        visiting.contains("Visitors are **welcome** at Ashgrove House at any reasonable time."),
        "{visiting}"
    );
    assert!(visiting.contains("| Day | Hours |\n|---|---|\n| Weekdays | 10am to 8pm |"));
    assert!(
        visiting
            .contains("- Phone the office\n  - or use the booking form\n- Sign in at reception")
    );

    // Round trip: the built Markdown imported again builds the same sections.
    let run = library.run(&[
        "import",
        "out/ashgrove/key-worker.md",
        "--policy",
        "key-worker-again",
        "--variant",
        "ours",
        "--jurisdiction",
        "cqc",
        "--service",
        "care-home",
    ]);
    assert_eq!(run.code, 0, "{}", seen(&run));
    assert!(
        run.stdout.contains("  code      KW-01 (from line 10)\n"),
        "{}",
        run.stdout
    );
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let build = library.run(&["build", "--format", "md"]);
    assert_eq!(build.code, 0, "{}", seen(&build));
    let again = library.read("out/ashgrove/key-worker-again.md");
    assert_eq!(headings(&again), headings(&kw));
}

/// The text of a built Markdown document from its first section to the
/// review history, white space made single spaces: what the reader reads
/// as the policy itself.
fn policy_text(markdown: &str) -> String {
    let start = markdown.find("\n## 1. ").expect("a first section");
    let end = markdown
        .find("\n## Review history")
        .expect("a review history");
    markdown[start..end]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The `- id:` lines of a source, with their indentation (the tree).
fn section_ids(yaml: &str) -> Vec<String> {
    yaml.lines()
        .filter(|l| l.trim_start().starts_with("- id: "))
        .map(str::to_string)
        .collect()
}

/// Round trip through Word: every shipped Key Worker variant, built to
/// .docx by policygen's own renderer, imported over the source it came
/// from, gives the same section ids and tree, and builds the same policy
/// text (white space aside) for each organisation, dates included. The
/// front page, the draft mark, the reference table, the review history,
/// the closing block and the staff acknowledgement sheet are all dropped
/// as template matter, with no warning.
#[test]
fn the_shipped_policies_round_trip_through_word() {
    let library = Library::shipped();
    library.run(&["build", "--format", "md,docx"]).success();
    let cases = [
        ("bryn-haven", "ciw", "care-home", "ciw-care-home"),
        (
            "cornerstone-homecare",
            "cqc",
            "domiciliary",
            "cqc-domiciliary",
        ),
        ("cymorth-cartref", "ciw", "domiciliary", "ciw-domiciliary"),
        ("elm-lodge", "cqc", "care-home", "cqc-care-home"),
        ("harbour-view", "ofsted", "childrens-home", "childrens-home"),
        ("pathways", "cqc", "supported-living", "supported-living"),
    ];
    let mut before = Vec::new();
    std::fs::create_dir_all(library.path().join("old")).unwrap();
    for (org, _, _, variant) in cases {
        std::fs::copy(
            library.path().join(format!("out/{org}/key-worker.docx")),
            library.path().join(format!("old/{org}.docx")),
        )
        .unwrap();
        let source = library.read(&format!("policies/key-worker/{variant}.yaml"));
        before.push((library.read(&format!("out/{org}/key-worker.md")), source));
    }
    for (org, jurisdiction, service, variant) in cases {
        // The import replaces the source the document was built from.
        library.remove(&format!("policies/key-worker/{variant}.yaml"));
        let file = format!("old/{org}.docx");
        let run = library.run(&[
            "import",
            &file,
            "--policy",
            "key-worker",
            "--variant",
            variant,
            "--jurisdiction",
            jurisdiction,
            "--service",
            service,
        ]);
        assert_eq!(run.code, 0, "{org}: {}", seen(&run));
        assert_eq!(run.stderr, "", "{org}: no warnings");
        if org == "cornerstone-homecare" {
            assert_snapshot("expected/import/round-trip-docx.txt", &seen(&run));
        }
    }
    // The imported sources build in every format.
    library.run(&["build"]).success();
    for ((org, _, _, variant), (markdown, source)) in cases.iter().zip(&before) {
        let imported = library.read(&format!("policies/key-worker/{variant}.yaml"));
        assert_eq!(section_ids(&imported), section_ids(source), "{org}");
        let again = library.read(&format!("out/{org}/key-worker.md"));
        assert_eq!(headings(&again), headings(markdown), "{org}");
        assert_eq!(policy_text(&again), policy_text(markdown), "{org}");
    }
}

#[test]
fn never_overwrites_without_force_and_dry_run_writes_nothing() {
    let library = library();
    let dry = import(&library, "old/key-worker.txt", "key-worker", &["--dry-run"]);
    assert_eq!(dry.code, 0, "{}", seen(&dry));
    assert!(!library.path().join("policies/key-worker").exists());
    assert!(
        dry.stderr
            .starts_with("read old/key-worker.txt (plain text, 55 lines)"),
        "{}",
        dry.stderr
    );

    let first = import(&library, "old/key-worker.txt", "key-worker", &[]);
    assert_eq!(first.code, 0, "{}", seen(&first));
    let written = library.read("policies/key-worker/ours.yaml");
    assert_eq!(
        dry.stdout, written,
        "--dry-run prints exactly what is written"
    );

    let edited = written.replace("code: KW-01", "code: KW-07");
    library.write("policies/key-worker/ours.yaml", &edited);
    let again = import(&library, "old/key-worker.txt", "key-worker", &[]);
    assert_snapshot("expected/import/errors/exists.txt", &seen(&again));
    assert_eq!(
        library.read("policies/key-worker/ours.yaml"),
        edited,
        "left byte for byte"
    );

    let forced = import(
        &library,
        "old/key-worker.txt",
        "key-worker",
        &["--force", "--code", "KW-09"],
    );
    assert_eq!(forced.code, 0, "{}", seen(&forced));
    assert_eq!(
        library.read("policies/key-worker/ours.yaml"),
        written.replace("code: KW-01", "code: KW-09")
    );
    let leftovers: Vec<String> = crate::harness::files(&library.path().join("policies"))
        .into_iter()
        .filter(|f| f.contains("policygen-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Another variant applying to the same homes is named, with what to do.
#[test]
fn a_variant_that_would_clash_is_reported() {
    let library = library();
    library.write(
        "policies/key-worker/shipped.yaml",
        "title: Key Worker Policy\ncode: KW-CQC\nversion: \"1\"\napplies_to: { jurisdictions: [cqc], services: [care-home] }\nsections:\n  - { id: purpose, title: Purpose, body: Text. }\n",
    );
    let run = import(&library, "old/key-worker.txt", "key-worker", &[]);
    assert_eq!(run.code, 0, "{}", seen(&run));
    assert!(run.stderr.contains("warning: variant `key-worker/shipped` also applies to cqc care-home services\n --> policies/key-worker/shipped.yaml\n  = hint: each organisation gets exactly one variant of a policy: delete `policies/key-worker/shipped.yaml` if the imported text replaces it, or narrow its `applies_to`\n"), "{}", run.stderr);
}

/// A new policy imported for one jurisdiction leaves the library's
/// organisations of the same service elsewhere without a variant: the
/// warning names them and the way out, and `check` then refuses them.
#[test]
fn organisations_left_without_a_variant_are_named() {
    let library = library();
    library.write(
        "organisations/birch-house.yaml",
        "name: Birch House\nregistration_no: \"SIN-00012345-ABCD\"\njurisdiction: ciw\nservice: care-home\n",
    );
    let run = import(&library, "old/key-worker.txt", "key-worker", &[]);
    assert_eq!(run.code, 0, "{}", seen(&run));
    assert!(run.stderr.contains("warning: no variant of `key-worker` applies to birch-house (ciw care-home)\n  = hint: `check` and `build` refuse an organisation whose service a policy covers but not its jurisdiction: import or write a variant for it, or set `policies: { key-worker: { exclude: true } }` in its profile\n"), "{}", run.stderr);
    let check = library.run(&["check"]);
    assert_ne!(check.code, 0);
    assert!(
        check
            .stderr
            .contains("no variant of policy `key-worker` applies to organisation `birch-house`"),
        "{}",
        check.stderr
    );
}

/// Bad inputs: each refused with a message naming the file, and nothing written.
#[test]
fn bad_inputs_get_clear_errors() {
    let library = library();
    let utf16: Vec<u8> = std::iter::once(0xFEFF_u16)
        .chain("1. Purpose\nText.\n".encode_utf16())
        .flat_map(u16::to_le_bytes)
        .collect();
    let made: &[(&str, Vec<u8>)] = &[
        (
            "old/binary.txt",
            b"\x7fELF\x02\x01\x01\x00\x00\x00policy".to_vec(),
        ),
        ("old/empty.txt", b"\n  \n".to_vec()),
        ("old/utf16.txt", utf16),
        (
            "old/latin1.txt",
            b"1. Purpose\nThe caf\xe9 is open.\n".to_vec(),
        ),
        ("old/fake.docx", b"1. Purpose\n".to_vec()),
    ];
    for (path, bytes) in made {
        std::fs::write(library.path().join(path), bytes).unwrap();
    }
    for (case, file, extra) in [
        ("binary", "old/binary.txt", &[][..]),
        ("empty", "old/empty.txt", &[]),
        ("utf16", "old/utf16.txt", &[]),
        ("latin1", "old/latin1.txt", &[]),
        ("fake-docx", "old/fake.docx", &[]),
        ("no-headings", "old/no-headings.txt", &[]),
        ("missing-file", "old/nowhere.txt", &[]),
        ("unknown-placeholder", "old/unknown-placeholder.txt", &[]),
        (
            "unknown-jurisdiction",
            "old/key-worker.txt",
            &["--jurisdiction", "cqx"][..],
        ),
    ] {
        let mut args = vec![
            "import",
            file,
            "--policy",
            "visiting",
            "--variant",
            "ours",
            "--service",
            "care-home",
        ];
        if extra.is_empty() {
            args.extend(["--jurisdiction", "cqc"]);
        }
        args.extend(extra);
        let run = library.run(&args);
        assert_snapshot(&format!("expected/import/errors/{case}.txt"), &seen(&run));
        assert_ne!(run.code, 0, "{case}");
        assert!(!run.stderr.contains("panicked"), "{case}");
        assert!(
            !library.path().join("policies/visiting").exists(),
            "{case} wrote a source"
        );
    }
}

/// A small Word document written here part by part, as Word lays one out:
/// a picture for the logo, the Title style, heading styles, a bulleted list
/// with a sub-item, bold text, a placeholder split over runs, a table and
/// the closing block.
fn visiting_docx() -> Vec<u8> {
    let p = |style: &str, runs: &str| {
        let style = if style.is_empty() {
            String::new()
        } else {
            format!("<w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>")
        };
        format!("<w:p>{style}{runs}</w:p>")
    };
    let r = |text: &str| format!("<w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r>");
    let bold = |text: &str| format!("<w:r><w:rPr><w:b/></w:rPr><w:t>{text}</w:t></w:r>");
    let item = |level: u8, text: &str| {
        format!(
            "<w:p><w:pPr><w:pStyle w:val=\"ListParagraph\"/><w:numPr><w:ilvl w:val=\"{level}\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr>{}</w:p>",
            r(text)
        )
    };
    let cell = |text: &str| format!("<w:tc><w:p>{}</w:p></w:tc>", r(text));
    let body = [
        "<w:p><w:r><w:drawing><wp:inline><a:graphic><a:t>logo</a:t></a:graphic></wp:inline></w:drawing></w:r></w:p>".to_string(),
        p("", &r("{{org_field_name}}")),
        p("", &r("Registration Number: {{org_field_registration_no}}")),
        p("Title", &r("Visiting Policy")),
        p("Heading1", &r("Purpose")),
        p("", &format!("{}{}{}{}", r("Visitors are "), bold("welcome"), r(" at {{org_"), r("field_name}} at any reasonable time."))),
        p("Heading1", &r("Arrangements")),
        p("Heading2", &r("Booking a visit")),
        p("", &r("To book:")),
        item(0, "Phone the office"),
        item(1, "or use the booking form"),
        item(0, "Sign in at reception"),
        p("Heading2", &r("Visiting hours")),
        format!("<w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl>", cell("Day"), cell("Hours"), cell("Weekdays"), cell("10am to 8pm")),
        p("Heading1", &r("Review")),
        p("", &r("This policy is reviewed by {{next_review_date}} &amp; sooner if needed.")),
        p("", &r("Responsible Person: the registered manager")),
        p("", &format!("{}<w:r><w:br/></w:r>{}", r("Reviewed on: {{last_update_date}}"), r("Next Review Date: {{next_review_date}}"))),
        p("", &r("Copyright © {{current_year}} – {{org_field_name}}. All rights reserved.")),
    ]
    .concat();
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"><w:body>{body}<w:sectPr/></w:body></w:document>"
    );
    let styles = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
        <w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/></w:style>\
        <w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/><w:pPr><w:outlineLvl w:val=\"0\"/></w:pPr></w:style>\
        <w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:name w:val=\"heading 2\"/><w:basedOn w:val=\"Heading1\"/><w:pPr><w:outlineLvl w:val=\"1\"/></w:pPr></w:style>\
        <w:style w:type=\"paragraph\" w:styleId=\"ListParagraph\"><w:name w:val=\"List Paragraph\"/></w:style></w:styles>";
    let numbering = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:numbering xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
        <w:abstractNum w:abstractNumId=\"0\"><w:lvl w:ilvl=\"0\"><w:numFmt w:val=\"bullet\"/></w:lvl><w:lvl w:ilvl=\"1\"><w:numFmt w:val=\"bullet\"/></w:lvl></w:abstractNum>\
        <w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>";
    let content_types = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>";
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in [
        ("[Content_Types].xml", content_types),
        ("word/document.xml", document.as_str()),
        ("word/styles.xml", styles),
        ("word/numbering.xml", numbering),
    ] {
        zip.start_file(name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn the_readme_example_is_what_import_prints() {
    // The README shows the report of the key-worker fixture; keep them in step.
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let expected =
        std::fs::read_to_string(repo().join("tests/expected/import/key-worker.txt")).unwrap();
    let stdout = expected
        .split("--- stdout\n")
        .nth(1)
        .and_then(|s| s.split("--- stderr\n").next())
        .unwrap();
    for line in stdout.lines().take(22) {
        assert!(
            readme.contains(line),
            "README lacks the report line {line:?}"
        );
    }
}
