//! Parallel, incremental and sharded builds (issue: thousands of documents
//! in seconds): output bytes never depend on `--jobs`, unchanged inputs are
//! not re-rendered or rewritten, `--check` reports staleness, and shards are
//! disjoint and together equal the full build.

use std::collections::BTreeMap;
use std::path::Path;

use crate::harness::{Library, files};

fn generated(n: usize) -> Library {
    Library::generated(n)
}

/// Every file under `out` with its bytes.
fn snapshot(out: &Path) -> BTreeMap<String, Vec<u8>> {
    files(out)
        .into_iter()
        .map(|f| (f.clone(), std::fs::read(out.join(&f)).unwrap()))
        .collect()
}

fn modified(path: &Path) -> std::time::SystemTime {
    std::fs::metadata(path).unwrap().modified().unwrap()
}

#[test]
fn output_bytes_do_not_depend_on_jobs() {
    let library = generated(24);
    library
        .run(&["build", "--jobs", "1", "--out", "one"])
        .success();
    library
        .run(&["build", "--jobs", "4", "--out", "four"])
        .success();
    let one = snapshot(&library.path().join("one"));
    let four = snapshot(&library.path().join("four"));
    assert!(one.len() > 24 * 2, "{} files", one.len());
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        four.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &one {
        assert!(
            four[path] == *bytes,
            "{path} differs between --jobs 1 and --jobs 4"
        );
    }
    // A build shares font subsets and small streams between its documents
    // (vendor/krilla): a document built on its own, where nothing is
    // shared, is the same bytes as in the build of all 24.
    for org in ["org-00003", "org-00017"] {
        library
            .run(&["build", "--format", "pdf", "--org", org, "--out", "alone"])
            .success();
        let path = format!("{org}/key-worker.pdf");
        let alone = std::fs::read(library.path().join("alone").join(&path)).unwrap();
        assert!(
            alone == one[&path],
            "{path} differs between a build of its own and a build of 24"
        );
    }
}

#[test]
fn unchanged_inputs_render_nothing_and_one_changed_profile_renders_one_document() {
    let library = generated(12);
    library.run(&["build"]).success();
    let out = library.path().join("out");
    let before = snapshot(&out);
    let times: BTreeMap<String, _> = before
        .keys()
        .map(|f| (f.clone(), modified(&out.join(f))))
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(30));

    let run = library.run(&["build"]);
    run.success();
    assert!(
        run.stdout.contains("0 rendered; files: 0 written"),
        "{}",
        run.stdout
    );
    for (f, t) in &times {
        assert_eq!(
            modified(&out.join(f)),
            *t,
            "{f} was rewritten by a no-op build"
        );
    }

    // Renaming one organisation re-renders its document only.
    let profile = library
        .read("organisations/org-00003.yaml")
        .replace("Care Service 3\"", "Care Service Three\"");
    library.write("organisations/org-00003.yaml", &profile);
    let run = library.run(&["build"]);
    run.success();
    assert!(
        run.stdout.contains("built 12 documents into") && run.stdout.contains(": 1 rendered;"),
        "{}",
        run.stdout
    );
    let after = snapshot(&out);
    let changed: Vec<&String> = after
        .keys()
        .filter(|f| before.get(*f) != after.get(*f))
        .collect();
    for f in &changed {
        assert!(
            f.starts_with("org-00003/")
                || [
                    "index.html",
                    "manifest.json",
                    "reviews.ics",
                    "schedule.csv",
                    ".policygen-last-build.json",
                ]
                .contains(&f.as_str()),
            "{f} changed although only org-00003 did"
        );
    }
    assert!(
        changed
            .iter()
            .any(|f| f.as_str() == "org-00003/key-worker.md")
    );
    assert!(
        String::from_utf8_lossy(&after["org-00003/key-worker.md"]).contains("Care Service Three")
    );
}

#[test]
fn check_reports_stale_outputs_without_writing() {
    let library = generated(6);
    let out = library.path().join("out");
    let run = library.run(&["build", "--check"]);
    run.code(1);
    assert!(
        run.stderr.contains("stale: org-00001/key-worker.md"),
        "{}",
        run.stderr
    );
    assert!(
        !out.exists() || files(&out).is_empty(),
        "--check wrote files"
    );

    library.run(&["build"]).success();
    let run = library.run(&["build", "--check"]);
    run.success();
    assert!(run.stdout.contains("is up to date"), "{}", run.stdout);

    // A hand-edited output, a changed profile and a removed one are all stale.
    std::fs::write(out.join("org-00002/key-worker.md"), "edited by hand").unwrap();
    let profile = library
        .read("organisations/org-00004.yaml")
        .replace("review_cycle: ", "review_cycle: 3 months\n# was: ");
    library.write("organisations/org-00004.yaml", &profile);
    library.remove("organisations/org-00005.yaml");
    let before = snapshot(&out);
    let run = library.run(&["build", "--check"]);
    run.code(1);
    for stale in [
        "stale: org-00002/key-worker.md",
        "stale: org-00004/key-worker.md",
        "stale: org-00005/key-worker.md (would be deleted)",
    ] {
        assert!(
            run.stderr.contains(stale),
            "missing {stale:?} in\n{}",
            run.stderr
        );
    }
    assert_eq!(snapshot(&out), before, "--check changed the output folder");
}

#[test]
fn shards_are_disjoint_and_combine_into_the_full_build() {
    let library = generated(14);
    library.run(&["build", "--out", "full"]).success();
    let full = snapshot(&library.path().join("full"));

    // Each shard builds into its own folder, as CI matrix jobs would.
    let mut documents = BTreeMap::new();
    for k in 1..=3 {
        let dir = format!("shard{k}");
        library
            .run(&["build", "--shard", &format!("{k}/3"), "--out", &dir])
            .success();
        for f in files(&library.path().join(&dir)) {
            if f.ends_with(".md") || f.ends_with(".html") || f.ends_with(".pdf") {
                assert!(
                    documents.insert(f.clone(), k).is_none(),
                    "{f} built by two shards"
                );
            }
        }
        assert!(
            library
                .path()
                .join(&dir)
                .join(format!("manifest.shard-{k}-of-3.json"))
                .is_file()
        );
    }
    let full_documents: Vec<&String> = full
        .keys()
        .filter(|f| {
            f.ends_with("/key-worker.md")
                || f.ends_with("/key-worker.html")
                || f.ends_with("/key-worker.pdf")
        })
        .collect();
    assert_eq!(documents.keys().collect::<Vec<_>>(), full_documents);

    // Combining: copy the shards' folders together, then one ordinary build
    // renders nothing and adds the manifest and dashboards.
    let combined = library.path().join("combined");
    for k in 1..=3 {
        crate::harness::copy_tree(&library.path().join(format!("shard{k}")), &combined);
    }
    let run = library.run(&["build", "--out", "combined"]);
    run.success();
    assert!(run.stdout.contains(": 0 rendered;"), "{}", run.stdout);
    assert_eq!(
        snapshot(&combined),
        full,
        "combined shards differ from the full build"
    );
}

#[test]
fn shard_syntax_errors_are_usage_errors() {
    let library = Library::new("");
    let run = library.run(&["build", "--shard", "4/3"]);
    run.code(2);
    assert!(run.stderr.contains("must be K/N"), "{}", run.stderr);
}

/// The calendars, the schedule and the dashboards are kept without being
/// made again while their inputs are unchanged: a change that alters them
/// must still reach them — an acknowledgement, a review date, the build
/// date, the published address — and nothing else is rewritten.
#[test]
fn reports_follow_every_change_that_alters_them() {
    let library = Library::layers(&["workflow", "staff"]);
    library.run(&["build"]).success();
    let out = library.path().join("out");
    let read = |f: &str| library.read(&format!("out/{f}"));
    let times =
        |files: &[&str]| -> Vec<_> { files.iter().map(|f| modified(&out.join(f))).collect() };
    let others = ["small-home/reviews.ics", "small-home/index.html"];
    let untouched = times(&others);
    let site = ["index.html", "home/index.html"];
    let before: Vec<String> = site.iter().map(|f| read(f)).collect();
    assert!(before[0].contains("Read by 2 of 4"), "{}", before[0]);
    std::thread::sleep(std::time::Duration::from_millis(30));

    // Tomos Price reads version 2: both dashboards say so.
    let profile = library.read("organisations/home.yaml").replace(
        "    acknowledgements:\n",
        "    acknowledgements:\n      - { name: Tomos Price, date: 2026-04-05, version: \"2\" }\n",
    );
    library.write("organisations/home.yaml", &profile);
    library.run(&["build"]).success();
    for (f, old) in site.iter().zip(&before) {
        let new = read(f);
        assert!(new != *old && new.contains("Read by 3 of 4"), "{f}:\n{new}");
    }

    // A review recorded a day later moves the next review in both calendars.
    for f in ["reviews.ics", "home/reviews.ics"] {
        assert!(read(f).contains("20270314"), "{f}:\n{}", read(f));
    }
    assert!(read("schedule.csv").contains("2027-03-14"));
    let profile = library.read("organisations/home.yaml").replace(
        "{ date: 2026-03-14, by: Ann Lee",
        "{ date: 2026-03-15, by: Ann Lee",
    );
    library.write("organisations/home.yaml", &profile);
    library.run(&["build"]).success();
    for f in ["reviews.ics", "home/reviews.ics"] {
        let new = read(f);
        assert!(
            new.contains("20270315") && !new.contains("20270314"),
            "{f}:\n{new}"
        );
    }
    assert!(
        read("schedule.csv").contains("2027-03-15"),
        "{}",
        read("schedule.csv")
    );
    assert_eq!(
        times(&others),
        untouched,
        "another home's reports were rewritten"
    );

    // The build date and the published address reach every calendar.
    let stamp = |f: &str| read(f).contains("DTSTAMP:20261201T000000Z");
    library.run_on("2026-12-01", &["build"]).success();
    assert!(stamp("reviews.ics") && stamp("small-home/reviews.ics"));
    library
        .run_on(
            "2026-12-01",
            &["build", "--site-url", "https://policies.example.org/"],
        )
        .success();
    for f in ["reviews.ics", "small-home/reviews.ics"] {
        assert!(
            read(f).contains("https://policies.example.org/"),
            "{f}:\n{}",
            read(f)
        );
    }

    // A site file edited by hand, its size kept, is noticed and made again.
    let site_url = ["build", "--site-url", "https://policies.example.org/"];
    let check_args = [&site_url[..], &["--check"]].concat();
    let index = read("index.html");
    library.write(
        "out/index.html",
        &index.replacen("Policy reviews", "Policy reviewz", 1),
    );
    let check = library.run_on("2026-12-01", &check_args);
    check.code(1);
    assert!(
        check.stderr.contains("stale: index.html\n"),
        "{}",
        check.stderr
    );
    let run = library.run_on("2026-12-01", &site_url);
    run.success();
    assert!(run.stdout.contains("files: 1 written"), "{}", run.stdout);
    assert_eq!(read("index.html"), index);
    library.run_on("2026-12-01", &check_args).success();
}

#[test]
fn the_page_of_an_organisation_without_documents_follows_its_profile() {
    // Elm Lodge opts out of the only policy: its page has no document's
    // key to carry its profile, and must still change when the profile does.
    let library = Library::shipped();
    let profile = library.read("organisations/elm-lodge.yaml");
    let start = profile.find("policies:\n").unwrap();
    let excluded = format!(
        "{}policies:\n  key-worker:\n    exclude: true\n",
        &profile[..start]
    );
    library.write("organisations/elm-lodge.yaml", &excluded);
    library.run(&["build", "--format", "html"]).success();
    assert!(
        library
            .read("out/elm-lodge/index.html")
            .contains("Elm Lodge Residential Home")
    );
    library.write(
        "organisations/elm-lodge.yaml",
        &excluded.replace("Elm Lodge Residential Home", "Elm Lodge Nursing Home"),
    );
    library.run(&["build", "--format", "html"]).success();
    let page = library.read("out/elm-lodge/index.html");
    assert!(
        page.contains("Elm Lodge Nursing Home") && !page.contains("Residential"),
        "the organisation's page kept its old name:\n{page}"
    );
}
