//! `policygen list`.

use crate::harness::repo;

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
    assert_eq!(variant("cornerstone-homecare"), "domiciliary");
    assert_eq!(variant("cymorth-cartref"), "domiciliary");
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
            "cqc-care-home",
            "domiciliary",
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
        run.stdout.contains("applies to cqc, ciw × domiciliary"),
        "{}",
        run.stdout
    );
}
