//! `policygen list`.

use crate::harness::{Library, assert_snapshot, repo};

#[test]
fn each_example_organisation_gets_the_variant_its_regulator_and_service_call_for() {
    let run = crate::harness::run_in(&repo(), &["list", "--format", "json"]);
    run.success();
    let listing: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let orgs = listing["organisations"].as_array().unwrap();
    let variant = |slug: &str| {
        orgs.iter()
            .find(|o| o["slug"] == slug)
            .unwrap_or_else(|| panic!("{slug} not listed"))["variants"]["key-worker"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(variant("bryn-haven"), "ciw-care-home");
    assert_eq!(variant("elm-lodge"), "cqc-care-home");
    assert_eq!(variant("harbour-view"), "childrens-home");
    assert_eq!(variant("cornerstone-homecare"), "cqc-domiciliary");
    assert_eq!(variant("cymorth-cartref"), "ciw-domiciliary");
    assert_eq!(variant("pathways"), "supported-living");
    let policies = listing["policies"].as_array().unwrap();
    let variants: Vec<&str> = policies[0]["variants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        variants,
        [
            "childrens-home",
            "ciw-care-home",
            "ciw-domiciliary",
            "cqc-care-home",
            "cqc-domiciliary",
            "supported-living"
        ]
    );
}

#[test]
fn table_names_each_assignment() {
    let run = crate::harness::run_in(&repo(), &["list"]);
    run.success();
    assert!(run.stdout.contains("bryn-haven"), "{}", run.stdout);
    assert!(
        run.stdout.contains("key-worker: ciw-care-home"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("applies to ciw × domiciliary"),
        "{}",
        run.stdout
    );
}

#[test]
fn json_lists_variants_and_assignments() {
    let library = Library::layers(&["workflow", "due"]);
    let run = library.run(&["list", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_snapshot("expected/list/workflow.json", &run.stdout);
}

#[test]
fn table_marks_exclusions_and_broken_profiles() {
    let library = Library::layers(&["workflow", "due"]);
    library.write(
        "organisations/excluding.yaml",
        "name: Excluding\nregistration_no: 1-123456789\njurisdiction: cqc\nservice: supported-living\nregistered_manager: { first_name: A, last_name: B }\npolicies:\n  visiting: { exclude: true }\n",
    );
    library.write(
        "organisations/broken.yaml",
        "name: Broken\nregistration_no: \"SIN-1\"\njurisdiction: ciw\nservice: care-home\n",
    );
    let run = library.run(&["list"]);
    assert_eq!(run.code, 1, "a broken profile is a finding");
    assert!(run.stdout.starts_with(
        "Policies\n  handbook\n    all                  HB-01    Staff Handbook Policy\n                         applies to ciw, cqc × care-home, supported-living\n"
    ), "{}", run.stdout);
    assert!(
        run.stdout.contains(
            "  excluding             cqc    supported-living  handbook: all (none), visiting: excluded\n"
        ),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(
        "  broken                ciw    care-home         (the profile has errors: run `policygen check`)\n"
    ), "{}", run.stdout);
    assert!(run.stdout.contains(
        "  never-reviewed        cqc    supported-living  handbook: all (none), visiting: cqc-supported-living (none)\n"
    ), "{}", run.stdout);
    assert!(run.stderr.contains("organisations/broken.yaml:2:18"));
}
