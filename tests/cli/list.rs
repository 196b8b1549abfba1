//! `policygen list`: policies with their variants, organisations and the
//! variant each gets.

use crate::support::{Library, assert_expected, fixtures};

const TODAY: &str = "2026-11-23";

#[test]
fn json_lists_variants_and_assignments() {
    let library = Library::with_orgs("due");
    let run = library.run(TODAY, &["list", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_expected(&fixtures().join("list/expected/list.json"), &run.stdout);
}

#[test]
fn table_marks_exclusions_and_broken_profiles() {
    let library = Library::with_orgs("due");
    library.write_profile(
        "excluding",
        "name: Excluding\nregistration_no: 1-123456789\njurisdiction: cqc\nservice: supported-living\nregistered_manager: { first_name: A, last_name: B }\npolicies:\n  visiting: { exclude: true }\n",
    );
    library.write_profile(
        "broken",
        "name: Broken\nregistration_no: \"SIN-1\"\njurisdiction: ciw\nservice: care-home\n",
    );
    let run = library.run(TODAY, &["list"]);
    assert_eq!(run.code, 1, "a broken profile is a finding");
    assert!(run.stdout.starts_with(
        "Policies\n  handbook\n    all                  HB-01    Staff Handbook Policy\n                         applies to ciw, cqc × care-home, supported-living\n"
    ), "{}", run.stdout);
    assert!(
        run.stdout.contains(
            "  excluding             cqc    supported-living  handbook: all, visiting: excluded\n"
        ),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(
        "  broken                ciw    care-home         (the profile has errors: run `policygen check`)\n"
    ), "{}", run.stdout);
    assert!(run.stdout.contains(
        "  never-reviewed        cqc    supported-living  handbook: all, visiting: cqc-supported-living\n"
    ), "{}", run.stdout);
    assert!(run.stderr.contains("organisations/broken.yaml:2:18"));
}
