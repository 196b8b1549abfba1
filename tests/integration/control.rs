//! Document control (issue 13, SPEC §8): approval states and the draft mark
//! in every format, `approve` and its archive, what changed (`changes` and
//! the redline page), `due --fail-on unapproved`, and honest dates for a
//! policy never reviewed. The library is `workflow` (a short `handbook`
//! policy), `pdf` (a `long` policy that crosses pages) and `control` (one
//! organisation per state; the tests approve `signed` and `moved`).

use std::path::Path;
use std::process::Command;

use crate::harness::{Library, assert_snapshot, fixtures};

fn library() -> Library {
    Library::layers(&["workflow", "pdf", "control"])
}

/// Approves `signed` and `moved`, then edits `moved`'s archived texts as if
/// the policy had read differently when it was approved: `changed`.
fn all_states() -> Library {
    let library = library();
    for org in ["signed", "moved"] {
        for policy in ["handbook", "long"] {
            library
                .run(&["approve", org, policy, "--by", "Owain Price"])
                .success();
        }
    }
    for (path, from, to) in [
        (
            "approved/moved/handbook/v1.md",
            "keeps a staff handbook.",
            "has a staff handbook.",
        ),
        (
            "approved/moved/long/v4.md",
            "deliberately long",
            "long on purpose",
        ),
    ] {
        let text = library.read(path);
        assert!(text.contains(from), "{path}");
        library.write(path, &text.replacen(from, to, 1));
    }
    library
}

/// What each state's draft mark says, in every format.
const MARKS: [(&str, Option<&str>); 4] = [
    ("never", Some("never reviewed")),
    (
        "waiting",
        Some("review of 2 November 2026 awaiting approval"),
    ),
    ("moved", Some("changes since version 1 await approval")),
    ("signed", None),
];

#[track_caller]
fn tool(program: &str, args: &[&str]) -> String {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run `{program}` ({e}); run the tests with scripts/test")
        });
    assert!(
        output.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The text of each page of a PDF, white space collapsed.
fn pdf_pages(pdf: &Path) -> Vec<String> {
    let pdf = pdf.to_str().unwrap();
    let info = tool("pdfinfo", &[pdf]);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap();
    (1..=pages)
        .map(|p| {
            let p = p.to_string();
            let text = tool("pdftotext", &["-f", &p, "-l", &p, pdf, "-"]);
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .collect()
}

#[test]
fn each_state_is_marked_in_markdown_html_and_every_pdf_page() {
    let library = all_states();
    library.run(&["build"]).success();
    let out = library.path().join("out");
    for (org, why) in MARKS {
        let md = library.read(&format!("out/{org}/handbook.md"));
        let html = library.read(&format!("out/{org}/handbook.html"));
        let pdfs = [
            pdf_pages(&out.join(format!("{org}/handbook.pdf"))),
            pdf_pages(&out.join(format!("{org}/long.pdf"))),
        ];
        assert!(pdfs[1].len() >= 3, "the long policy crosses pages");
        let Some(why) = why else {
            assert!(!md.contains("Draft"), "{org}: {md}");
            assert!(!html.contains("draft-mark\""), "{org}");
            assert!(!html.contains("@top-center"), "{org}");
            for page in pdfs.iter().flatten() {
                assert!(!page.contains("DRAFT"), "{org}: {page}");
            }
            assert!(md.contains("**Approved by:** Owain Price on 23 November 2026"));
            continue;
        };
        // Markdown: the mark above the title, saying why.
        let title = md.find("# Staff Handbook Policy").unwrap();
        let mark = md
            .find("> **Draft — not yet approved.**")
            .unwrap_or_else(|| panic!("{org}: {md}"));
        assert!(mark < title, "{org}");
        // HTML: the mark at the top of the page, and on every printed page.
        assert!(html.contains(
            "<p class=\"draft-title\" id=\"draft-mark-title\">Draft — not yet approved</p>"
        ));
        let running = format!("DRAFT — not yet approved: {why}");
        let css = running
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == ' ' {
                    c.to_string()
                } else {
                    format!("\\{:x} ", c as u32)
                }
            })
            .collect::<String>();
        assert!(
            html.contains(&format!("@page {{ @top-center {{ content: \"{css}\"")),
            "{org}"
        );
        // PDF: the running line on every page, and the mark on the first
        // (the long policy is at version 4).
        for (i, page) in pdfs[0].iter().enumerate() {
            assert!(page.starts_with(&running), "{org} page {i}: {page}");
        }
        let running = running.replace("version 1", "version 4");
        for (i, page) in pdfs[1].iter().enumerate() {
            assert!(page.starts_with(&running), "{org} long page {i}: {page}");
        }
        assert!(pdfs[0][0].contains("Draft — not yet approved"), "{org}");
    }
    // The reason in words on the first page.
    let md = |org: &str| library.read(&format!("out/{org}/handbook.md"));
    assert!(
        md("never").contains("This policy has not been reviewed yet, so nobody has approved it.")
    );
    assert!(md("waiting").contains("The review of 2 November 2026 is awaiting approval."));
    assert!(md("moved").contains("The text has changed since version 1 was approved by Owain Price on 23 November 2026; the changes await approval. [See what changed since version 1](handbook.changes.html)."));
    // "Approved by" is only ever a recorded approver.
    assert!(md("never").contains("**Approved by:** Not yet approved"));
    assert!(
        md("waiting").contains("**Approved by:** Awaiting approval (review of 2 November 2026)")
    );
    assert!(md("waiting").contains("| 2 November 2025 | Ann Lee | Owain Price | 1 | First issue |\n| 2 November 2026 | Ann Lee | Awaiting approval | 2 | Annual review |"));
    // The redline page exists only while changes await approval.
    assert!(out.join("moved/handbook.changes.html").is_file());
    for org in ["never", "waiting", "signed"] {
        assert!(!out.join(format!("{org}/handbook.changes.html")).exists());
    }
    // The PDF mark is a watermark artifact, outside the tag tree.
    let unpacked = library.path().join("unpacked.pdf");
    tool(
        "qpdf",
        &[
            "--qdf",
            "--object-streams=disable",
            out.join("never/long.pdf").to_str().unwrap(),
            unpacked.to_str().unwrap(),
        ],
    );
    let raw = String::from_utf8_lossy(&std::fs::read(&unpacked).unwrap()).into_owned();
    assert!(
        raw.contains("/Artifact<</Subtype/Watermark/Type/Pagination"),
        "no watermark artifact"
    );
}

#[test]
fn printed_html_shows_the_mark_on_every_page() {
    let browser = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    assert!(
        browser.join("node_modules/playwright-core").is_dir(),
        "the browser test tools are missing: run `scripts/test`"
    );
    let library = library();
    library
        .run(&[
            "build", "--format", "html", "--org", "never", "--org", "waiting", "--policy", "long",
        ])
        .success();
    for (org, why) in [
        ("never", "never reviewed"),
        ("waiting", "review of 2 November 2026 awaiting approval"),
    ] {
        let page = library.path().join(format!("out/{org}/long.html"));
        let printed = library.path().join(format!("{org}.pdf"));
        let output = Command::new("node")
            .current_dir(&browser)
            .arg("screenshot.mjs")
            .args([&page, &printed])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let pages = pdf_pages(&printed);
        assert!(pages.len() >= 2, "{org}: {} pages", pages.len());
        for (i, text) in pages.iter().enumerate() {
            assert!(
                text.contains(&format!("DRAFT — not yet approved: {why}")),
                "{org} printed page {}: {text}",
                i + 1
            );
        }
    }
}

#[test]
fn approve_changes_only_the_newest_review_and_archives_the_text_once() {
    let library = library();
    let before = library.read("organisations/waiting.yaml");
    let run = library.run(&[
        "approve",
        "waiting",
        "handbook",
        "--by",
        "Owain Price",
        "--date",
        "2026-11-20",
    ]);
    run.success();
    assert_eq!(
        run.stdout,
        "approved the review of handbook of 2026-11-02 (version 2) for waiting: by Owain Price on 2026-11-20 in organisations/waiting.yaml\narchived the approved text in approved/waiting/handbook/v2.md\nrun `policygen build --org waiting` to update its documents\n"
    );
    let after = library.read("organisations/waiting.yaml");
    assert_snapshot("expected/control/approved-flow.yaml", &after);
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(
        changed,
        [(
            "      - { date: 2026-11-02, by: Ann Lee, version: \"2\", note: Annual review }",
            "      - { date: 2026-11-02, by: Ann Lee, approved_by: Owain Price, approved_on: 2026-11-20, version: \"2\", note: Annual review }"
        )]
    );
    assert_eq!(before.lines().count(), after.lines().count());
    let archive = library.read("approved/waiting/handbook/v2.md");
    assert_snapshot("expected/control/approved-waiting-handbook-v2.md", &archive);

    // Block entries: two lines after the reviewer.
    library
        .run(&["approve", "signed", "long", "--by", "Owain Price"])
        .success();
    assert_snapshot(
        "expected/control/approved-block.yaml",
        &library.read("organisations/signed.yaml"),
    );

    // Approving again is refused; nothing is rewritten.
    let again = library.run(&["approve", "waiting", "handbook", "--by", "Owain Price"]);
    assert_eq!(again.code, 2);
    assert_eq!(
        again.stderr,
        "error: the newest review of `handbook` for `waiting` (version 2) is already approved, by Owain Price on 2026-11-20\n  --> organisations/waiting.yaml:11:17\n   |\n11 |       - { date: 2026-11-02, by: Ann Lee, approved_by: Owain Price, approved_on: 2026-11-20, version:…\n   |                 ^^^^^^^^^^\n   = hint: nothing to do: every format already shows the approval\n\nerror: found 1 error\nnothing was written\n"
    );
    assert_eq!(library.read("organisations/waiting.yaml"), after);
    assert_eq!(library.read("approved/waiting/handbook/v2.md"), archive);

    // The text changes, and a review keeps version 2 (carried over) with an
    // approver: the archived version 2 is another text, so it is refused,
    // naming the profile's review and the archive.
    let policy = library.read("policies/handbook/all.yaml");
    library.write(
        "policies/handbook/all.yaml",
        &policy.replace(
            "keeps a staff handbook.",
            "keeps a staff handbook on paper.",
        ),
    );
    let clash = library.run(&[
        "review",
        "waiting",
        "handbook",
        "--by",
        "Ann Lee",
        "--approved-by",
        "Owain Price",
    ]);
    assert_eq!(clash.code, 1, "{}", clash.stderr);
    assert_eq!(
        clash.stderr,
        "error: version 2 of `handbook` for `waiting` was approved with another text, which approved/waiting/handbook/v2.md holds; the text now differs from it\n --> organisations/waiting.yaml\n  = hint: a changed text needs a version of its own: record its review with a new `--version`; `policygen changes waiting handbook` shows what changed\n\nerror: found 1 error\nnothing was written\n"
    );
    assert_eq!(library.read("organisations/waiting.yaml"), after);
    assert_eq!(library.read("approved/waiting/handbook/v2.md"), archive);

    // The other refusals.
    let refused = |args: &[&str], code: i32, first: &str| {
        let run = library.run(args);
        assert_eq!(run.code, code, "{args:?}: {}", run.stderr);
        assert!(run.stderr.starts_with(first), "{args:?}: {}", run.stderr);
        assert!(run.stderr.ends_with("nothing was written\n"));
    };
    refused(
        &["approve", "waitng", "handbook", "--by", "X"],
        2,
        "error: unknown organisation `waitng`\n  = hint: did you mean `waiting`?",
    );
    refused(
        &["approve", "waiting", "handbok", "--by", "X"],
        2,
        "error: unknown policy `handbok`",
    );
    refused(
        &["approve", "never", "handbook", "--by", "X"],
        1,
        "error: no review of `handbook` is recorded for `never` to approve",
    );
    refused(
        &[
            "approve",
            "moved",
            "long",
            "--by",
            "X",
            "--date",
            "2026-09-30",
        ],
        2,
        "error: the approval date 2026-09-30 is before the review it approves (2026-10-01)",
    );
    refused(
        &[
            "approve",
            "moved",
            "long",
            "--by",
            "X",
            "--date",
            "2026-11-24",
        ],
        2,
        "error: the approval date 2026-11-24 is after the build date 2026-11-23",
    );
    assert_eq!(
        library.read("organisations/never.yaml"),
        std::fs::read_to_string(fixtures().join("control/organisations/never.yaml")).unwrap()
    );
}

#[test]
fn one_edited_sentence_turns_its_variant_to_changed_and_a_new_approval_back() {
    let library = library();
    for org in ["signed", "moved"] {
        library
            .run(&["approve", org, "handbook", "--by", "Owain Price"])
            .success();
    }
    library.run(&["build", "--format", "md,html"]).success();
    let due = |org: &str| {
        let run = library.run(&[
            "due", "--format", "json", "--org", org, "--policy", "handbook",
        ]);
        let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        json["schedule"][0]["approval"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        (due("signed"), due("moved")),
        ("approved".into(), "approved".into())
    );

    let old = "keeps a staff handbook.";
    let new = "hands each worker printed guidance.";
    let policy = library.read("policies/handbook/all.yaml");
    library.write("policies/handbook/all.yaml", &policy.replace(old, new));
    assert_eq!(
        (due("signed"), due("moved")),
        ("changed".into(), "changed".into())
    );
    assert_eq!(due("waiting"), "awaiting");
    library.run(&["build", "--format", "md,html"]).success();

    // The redline shows that sentence inserted and the old one deleted, and nothing else.
    let page = library.read("out/signed/handbook.changes.html");
    let doc = scraper::Html::parse_document(&page);
    let words = |selector: &str| -> Vec<String> {
        doc.select(&scraper::Selector::parse(selector).unwrap())
            .map(|e| e.text().collect::<String>())
            .collect()
    };
    assert_eq!(
        words("main section ins"),
        ["added hands each worker printed guidance."]
    );
    assert_eq!(
        words("main section del"),
        ["removed keeps a staff handbook."]
    );
    assert_eq!(
        words(".change-summary li"),
        ["1 section changed", "5 words added and 4 removed"]
    );
    assert_eq!(words("main section h2"), ["Changed: 1. Purpose"]);
    assert!(!page.contains("http"), "self-contained: {page}");
    // The terminal shows the same.
    let changes = library.run(&["changes", "signed", "handbook"]);
    changes.success();
    assert_eq!(
        changes.stdout,
        "Staff Handbook Policy for Signed Home (signed): changes since version 1, approved by Owain Price on 2026-11-23\n  1 section changed\n  5 words added and 4 removed\n\n1. Purpose (changed)\n- Signed Home [-keeps a staff handbook.-] The Registered Manager, Ann Lee, keeps it up to date for the people we support.\n+ Signed Home {+hands each worker printed guidance.+} The Registered Manager, Ann Lee, keeps it up to date for the people we support.\n"
    );

    // A review of the new text as version 2, approved: approved again, and
    // the redline page goes.
    library
        .run(&[
            "review",
            "signed",
            "handbook",
            "--by",
            "Ann Lee",
            "--approved-by",
            "Owain Price",
            "--version",
            "2",
        ])
        .success();
    assert_eq!(due("signed"), "approved");
    assert!(
        library
            .path()
            .join("approved/signed/handbook/v2.md")
            .is_file()
    );
    library.run(&["build", "--format", "md,html"]).success();
    assert!(
        !library
            .path()
            .join("out/signed/handbook.changes.html")
            .exists()
    );
    assert!(
        library
            .path()
            .join("out/moved/handbook.changes.html")
            .exists()
    );
    assert!(!library.read("out/signed/handbook.md").contains("Draft"));
    let unchanged = library.run(&["changes", "signed", "handbook"]);
    assert_eq!(
        unchanged.stdout,
        "no changes: handbook for signed reads as approved (version 2, approved by Owain Price on 2026-11-23)\n"
    );
}

#[test]
fn fail_on_unapproved_exits_1_while_any_selected_policy_is_a_draft() {
    let library = all_states();
    let run = library.run(&["due", "--fail-on", "unapproved"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: 6 policies are not approved (--fail-on unapproved)\n  = hint: `policygen due` says why each is a draft, `policygen changes ORG POLICY` what changed; approve with `policygen approve ORG POLICY --by NAME`\n"
    );
    assert!(
        run.stdout.contains("  current  approved\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("  changed since v1\n"),
        "{}",
        run.stdout
    );
    assert_eq!(
        library
            .run(&["due", "--fail-on", "unapproved", "--org", "signed"])
            .code,
        0
    );
    assert_eq!(
        library
            .run(&[
                "due",
                "--fail-on",
                "unapproved",
                "--org",
                "moved",
                "--policy",
                "handbook"
            ])
            .code,
        1
    );
    assert_eq!(
        library
            .run(&["due", "--fail-on", "unapproved", "--org", "waiting"])
            .code,
        1
    );
    assert_eq!(
        library
            .run(&["due", "--fail-on", "unapproved", "--org", "never"])
            .code,
        1
    );
}

#[test]
fn a_policy_never_reviewed_shows_no_review_date_in_any_format() {
    let library = library();
    library.run(&["build", "--org", "never"]).success();
    let out = library.path().join("out/never");
    let months =
        "January|February|March|April|May|June|July|August|September|October|November|December";
    let date = regex_lite::Regex::new(&format!(r"\b\d{{1,2}} ({months}) \d{{4}}\b")).unwrap();
    for policy in ["handbook", "long"] {
        let texts = [
            std::fs::read_to_string(out.join(format!("{policy}.md"))).unwrap(),
            std::fs::read_to_string(out.join(format!("{policy}.html"))).unwrap(),
            pdf_pages(&out.join(format!("{policy}.pdf"))).join("\n"),
        ];
        for text in &texts {
            // The only date is the build date, as the first review's due date.
            let dates: Vec<&str> = date.find_iter(text).map(|m| m.as_str()).collect();
            assert!(!dates.is_empty());
            assert!(dates.iter().all(|d| *d == "23 November 2026"), "{dates:?}");
            assert!(text.contains("Not yet reviewed"), "{policy}");
            for label in [
                "Reviewed on: 2",
                "Reviewed on</dt> <dd>2",
                "Last reviewed 2",
                "last reviewed on 2",
            ] {
                assert!(!text.contains(label), "{policy}: {label}");
            }
            assert!(!text.contains("dated from its build"));
        }
    }
    assert!(library.read("out/never/handbook.md").contains("This policy was last reviewed on not yet reviewed and is next\nreviewed by 23 November 2026."));
}

/// One part of a Word document, read with Python's zipfile (CI has Python 3).
fn docx_part(docx: &Path, part: &str) -> String {
    tool(
        "python3",
        &[
            "-c",
            "import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())",
            docx.to_str().unwrap(),
            part,
        ],
    )
}

#[test]
fn word_documents_carry_the_mark_on_every_page_while_a_draft() {
    let library = all_states();
    library
        .run(&["build", "--format", "docx", "--policy", "handbook"])
        .success();
    let out = library.path().join("out");
    for (org, why) in MARKS {
        let docx = out.join(format!("{org}/handbook.docx"));
        let body = docx_part(&docx, "word/document.xml");
        // Both headers: the first page's and the others'.
        for header in ["word/header1.xml", "word/header2.xml"] {
            let text = docx_part(&docx, header);
            match why {
                Some(why) => assert!(
                    text.contains(&format!("DRAFT — not yet approved: {why}")),
                    "{org} {header}: {text}"
                ),
                None => assert!(!text.contains("DRAFT"), "{org} {header}"),
            }
        }
        assert_eq!(
            body.contains("Draft — not yet approved. "),
            why.is_some(),
            "{org}"
        );
    }
}
