//! `policygen check` on the shipped library and on valid fixtures.

use crate::harness::{Library, repo, run_in};

#[test]
fn shipped_library_checks_clean() {
    let run = run_in(&repo(), &["check"]);
    run.success();
    assert!(
        run.stderr.is_empty(),
        "warnings on the shipped library:\n{}",
        run.stderr
    );
    assert!(
        run.stdout.contains("documents render cleanly"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_fourth_jurisdiction_is_data_only() {
    // tests/fixtures/rqia adds jurisdictions/rqia.yaml, a variant and a
    // profile: no code knows about Northern Ireland.
    let library = Library::new("rqia");
    library.run(&["check"]).success();
    library.run(&["build", "--org", "lough-view"]).success();
    let md = library.read("out/lough-view/sample.md");
    assert!(
        md.contains("inspected by the Regulation and Quality Improvement Authority (RQIA)"),
        "{md}"
    );
    assert!(md.contains("RQIA registration number: 10234"), "{md}");
    // The jurisdiction's own date format, and 31 January + 1 month clamped.
    assert!(
        md.contains("| SMP-NI | 1 | 31/01/2026 | 28/02/2026 |"),
        "{md}"
    );
}

#[test]
fn quiet_check_prints_nothing_on_success() {
    let library = Library::new("");
    let run = library.run(&["--quiet", "check"]);
    run.success();
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr, "");
}

#[test]
fn unknown_org_is_a_usage_error_with_a_hint() {
    let library = Library::new("");
    let run = library.run(&["check", "--org", "good-hom"]);
    run.code(2);
    assert!(
        run.stderr.contains("unknown organisation `good-hom`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `good-home`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn bad_arguments_exit_2() {
    let library = Library::new("");
    library.run(&["build", "--format", "rtf"]).code(2);
    library.run(&["frobnicate"]).code(2);
    let run = crate::harness::run_in(library.path(), &["check", "--today", "2026-02-30"]);
    run.code(2);
}
