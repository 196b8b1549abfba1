//! `policygen build`: the Markdown of the shipped library (one organisation
//! per variant, snapshotted), escaping, determinism and the writer's rules.

use crate::harness::{Library, assert_snapshot, files};

/// One organisation per variant.
const EXAMPLES: &[(&str, &str)] = &[
    ("bryn-haven", "ciw-care-home"),
    ("elm-lodge", "cqc-care-home"),
    ("harbour-view", "childrens-home"),
    ("cornerstone-homecare", "cqc-domiciliary"),
    ("cymorth-cartref", "ciw-domiciliary"),
    ("pathways", "supported-living"),
];

#[test]
fn shipped_markdown_matches_snapshots() {
    let library = Library::shipped();
    library.run(&["build", "--format", "md"]).success();
    for (org, _) in EXAMPLES {
        let md = library.read(&format!("out/{org}/key-worker.md"));
        assert_snapshot(&format!("expected/markdown/{org}.md"), &md);
    }
    // No expected file without an organisation that produces it.
    for entry in std::fs::read_dir(crate::harness::repo().join("tests/expected/markdown")).unwrap()
    {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let org = name.trim_end_matches(".md");
        assert!(
            EXAMPLES.iter().any(|(o, _)| *o == org),
            "expected/markdown/{name} is produced by nothing"
        );
    }
}

#[test]
fn every_document_carries_the_required_parts() {
    let library = Library::shipped();
    library.run(&["build", "--format", "md"]).success();
    for (org, _) in EXAMPLES {
        let md = library.read(&format!("out/{org}/key-worker.md"));
        for part in [
            "# Key Worker",
            "| Reference | Version | Last reviewed | Next review |",
            "## 1. ",
            "## Review history",
            "**Responsible person:**",
            "**Reviewed on:**",
            "**Next review date:**",
            "**Approved by:**",
            "Copyright © 2026 – ",
            ". All rights reserved.",
        ] {
            assert!(md.contains(part), "{org}: missing {part:?}");
        }
        assert!(
            !md.contains("<<") && !md.contains("{{"),
            "{org}: unfilled placeholder"
        );
    }
    assert!(
        library
            .read("out/bryn-haven/key-worker.md")
            .starts_with("![Bryn Haven Care Home logo](logo.png)")
    );
    assert!(library.path().join("out/bryn-haven/logo.png").is_file());
}

#[test]
fn review_dates_follow_the_precedence_chain() {
    let library = Library::shipped();
    library.run(&["build", "--format", "md"]).success();
    // Bryn Haven: last review 14 March 2026, organisation cycle 12 months.
    assert!(
        library
            .read("out/bryn-haven/key-worker.md")
            .contains("| KW-CIW | 3 | 14 March 2026 | 14 March 2027 |")
    );
    // Harbour View: per-policy 6 months overrides the organisation's 12.
    assert!(
        library
            .read("out/harbour-view/key-worker.md")
            .contains("| 20 April 2026 | 20 October 2026 |")
    );
    // Cymorth Cartref: no review recorded, so not yet reviewed and its first
    // review due now (the build date), whatever its 2-year cycle.
    assert!(
        library
            .read("out/cymorth-cartref/key-worker.md")
            .contains("| Not yet reviewed | 23 November 2026 |")
    );
}

#[test]
fn hostile_values_show_literally() {
    let library = Library::new("hostile");
    library.run(&["build", "--org", "hostile"]).success();
    let md = library.read("out/hostile/sample.md");
    // Every value is escaped so a Markdown reader shows it as typed.
    let html = render_markdown(&md);
    for literal in [
        "O&#39;Brien &amp; &lt;b&gt;Sons&lt;/b&gt; [x](y) {{ z }} &lt;&lt;org_field_name&gt;&gt;",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "&lt;img src=x onerror=alert(1)&gt;",
        "1. Not a list # Not a heading",
        "| not | a | table |",
        "![img](http://example.com/x.png) &amp;amp; &lt;!-- c --&gt;",
        "[link](javascript:alert(1))",
        "&lt;&lt;term_person&gt;&gt;",
        "{% raw %} {{ x }}",
    ] {
        let literal = literal.replace("&#39;", "'");
        assert!(
            html.contains(&literal),
            "missing literal {literal:?} in\n{html}"
        );
    }
    for forbidden in [
        "<script",
        "<img",
        "<b>",
        "<a ",
        "<h1>Not",
        "<ol>",
        "<em>",
        "<strong>bold",
    ] {
        assert!(
            !html.contains(forbidden),
            "markup {forbidden:?} leaked into\n{html}"
        );
    }
}

/// Renders Markdown to HTML the way any CommonMark viewer would.
fn render_markdown(md: &str) -> String {
    let parser = pulldown_cmark::Parser::new_ext(md, pulldown_cmark::Options::ENABLE_TABLES);
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, parser);
    html.replace("&quot;", "\"")
}

#[test]
fn same_inputs_give_identical_bytes_and_an_unchanged_rebuild_rewrites_nothing() {
    let library = Library::shipped();
    library.run(&["build", "--format", "md"]).success();
    let out = library.path().join("out");
    let first: Vec<(String, Vec<u8>, std::time::SystemTime)> = files(&out)
        .into_iter()
        .map(|f| {
            let p = out.join(&f);
            (
                f,
                std::fs::read(&p).unwrap(),
                std::fs::metadata(&p).unwrap().modified().unwrap(),
            )
        })
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let run = library.run(&["build", "--format", "md"]);
    run.success();
    assert!(run.stdout.contains(" 0 written"), "{}", run.stdout);
    for (f, bytes, modified) in first {
        let p = out.join(&f);
        assert_eq!(std::fs::read(&p).unwrap(), bytes, "{f} changed");
        assert_eq!(
            std::fs::metadata(&p).unwrap().modified().unwrap(),
            modified,
            "{f} was rewritten"
        );
    }
}

#[test]
fn removed_organisations_lose_their_outputs_but_narrowed_builds_keep_others() {
    let library = Library::shipped();
    library.run(&["build", "--format", "md"]).success();
    library
        .run(&["build", "--format", "md", "--org", "elm-lodge"])
        .success();
    assert!(
        library
            .path()
            .join("out/bryn-haven/key-worker.md")
            .is_file(),
        "a narrowed build deleted another organisation's output"
    );
    library.remove("organisations/bryn-haven.yaml");
    let run = library.run(&["build", "--format", "md"]);
    run.success();
    assert!(!library.path().join("out/bryn-haven").exists());
    // Its document, its logo copy and its calendar.
    assert!(run.stdout.contains("3 deleted"), "{}", run.stdout);
}

#[test]
fn out_folder_can_be_elsewhere() {
    let library = Library::new("");
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("site");
    library
        .run(&["build", "--out", target.to_str().unwrap()])
        .success();
    assert!(target.join("good-home/sample.md").is_file());
    assert!(target.join("manifest.json").is_file());
}

/// Defect 10 of issue 20: `--jobs` is capped (at four threads per core)
/// with a warning, so a huge number neither hangs nor exhausts the machine.
#[test]
fn jobs_are_capped() {
    let library = Library::new("");
    let started = std::time::Instant::now();
    let run = library.run(&["build", "--format", "md", "--jobs", "100000"]);
    run.success();
    assert!(
        run.stderr
            .contains("warning: `--jobs 100000` is more than this machine can use"),
        "{}",
        run.stderr
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    let run = library.run(&["build", "--format", "md", "--jobs", "0"]);
    run.code(2);
}
