//! Invalid inputs: each fixture under tests/fixtures/errors/<case>/ is laid
//! over the base library and `check` must fail with exactly the pinned text
//! in tests/expected/errors/<case>.txt (exit code, message, location, hint).

use crate::harness::{Library, assert_snapshot, fixtures};

fn pinned(case: &str) {
    let library = Library::new(&format!("errors/{case}"));
    let run = library.run(&["check"]);
    let text = format!("exit code: {}\n{}", run.code, run.stderr);
    assert_snapshot(&format!("expected/errors/{case}.txt"), &text);
    assert_eq!(run.code, 1, "{case}: check must exit 1\n{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{case} panicked");
}

macro_rules! cases {
    ($($name:ident => $case:literal,)*) => {
        $(#[test] fn $name() { pinned($case); })*

        /// Every fixture folder has a test, and every expected file a fixture.
        #[test]
        fn every_error_fixture_is_pinned() {
            let listed = [$($case),*];
            for entry in std::fs::read_dir(fixtures().join("errors")).unwrap() {
                let name = entry.unwrap().file_name().into_string().unwrap();
                assert!(listed.contains(&name.as_str()), "fixture errors/{name} has no test");
            }
            let expected = crate::harness::repo().join("tests/expected/errors");
            for entry in std::fs::read_dir(expected).unwrap() {
                let name = entry.unwrap().file_name().into_string().unwrap();
                let case = name.trim_end_matches(".txt");
                assert!(listed.contains(&case), "expected/errors/{name} has no fixture");
            }
        }
    };
}

cases! {
    typo_key => "typo-key",
    missing_field => "missing-field",
    wrong_type => "wrong-type",
    unknown_placeholder => "unknown-placeholder",
    unknown_jurisdiction => "unknown-jurisdiction",
    bad_registration => "bad-registration",
    bad_cycle_unit => "bad-cycle-unit",
    missing_value => "missing-value",
    impossible_date => "impossible-date",
    duplicate_key => "duplicate-key",
    tab_indent => "tab-indent",
    unknown_policy => "unknown-policy",
    logo_outside => "logo-outside",
    unknown_service => "unknown-service",
    three_broken => "three-broken",
}

#[test]
fn build_with_errors_writes_nothing_and_keeps_previous_output() {
    let library = Library::new("");
    library.run(&["build"]).success();
    let before = crate::harness::files(&library.path().join("out"));
    let snapshot: Vec<(String, Vec<u8>)> = before
        .iter()
        .map(|f| {
            (
                f.clone(),
                std::fs::read(library.path().join("out").join(f)).unwrap(),
            )
        })
        .collect();
    library.write(
        "organisations/good-home.yaml",
        "name: Good Home\nregistration_no: nope\njurisdiction: cqc\nservice: care-home\n",
    );
    let run = library.run(&["build"]);
    run.code(1);
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    for (file, bytes) in snapshot {
        assert_eq!(
            std::fs::read(library.path().join("out").join(&file)).unwrap(),
            bytes,
            "{file} changed"
        );
    }
    assert_eq!(crate::harness::files(&library.path().join("out")), before);
}
