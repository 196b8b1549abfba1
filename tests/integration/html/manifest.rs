//! `out/manifest.json`: every output listed, with a hash that matches the
//! file on disk; sorted, stable, and the same bytes for the same inputs.

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::html::support::{build, built, files, fixture, read};

/// Files written beside the documents that the manifest does not list.
const SITE_FILES: [&str; 4] = ["index.html", "manifest.json", "reviews.ics", "schedule.csv"];

/// The record of the last build (README, "No-op rebuilds"): not an output.
const RECORD: &str = ".policygen-last-build.json";

#[test]
fn manifest_lists_every_output_with_its_hash() {
    let out = built();
    let manifest: Value = serde_json::from_str(&read(&out.path().join("manifest.json"))).unwrap();
    assert_eq!(manifest["build_date"], "2026-11-23");
    let outputs = manifest["outputs"].as_array().unwrap();
    let paths: Vec<&str> = outputs
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted, "entries are sorted by path");

    let on_disk = files(out.path());
    for entry in outputs {
        let path = entry["path"].as_str().unwrap();
        let bytes = on_disk
            .get(path)
            .unwrap_or_else(|| panic!("{path} is listed but missing"));
        let hash: String = Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(entry["sha256"], hash.as_str(), "{path}");
    }
    let unlisted: Vec<&String> = on_disk
        .keys()
        .filter(|p| {
            !paths.contains(&p.as_str()) && !SITE_FILES.contains(&p.as_str()) && *p != RECORD
        })
        .collect();
    assert!(unlisted.is_empty(), "not in the manifest: {unlisted:?}");
    assert!(on_disk.contains_key(RECORD), "the build kept no record");
    for path in SITE_FILES {
        assert!(on_disk.contains_key(path), "{path} was not written");
    }

    let entry = |path: &str| {
        outputs
            .iter()
            .find(|e| e["path"] == path)
            .unwrap_or_else(|| panic!("{path}"))
    };
    let html = entry("ty-derw/induction.html");
    assert_eq!(html["org"], "ty-derw");
    assert_eq!(html["policy"], "induction");
    assert_eq!(html["variant"], "ciw-care-home");
    assert_eq!(html["format"], "html");
    assert_eq!(html["last_review"], "2025-06-01");
    assert_eq!(html["next_review"], "2026-06-01");
    assert_eq!(html["status"], "overdue");
    let never = entry("hostile/medication.html");
    assert_eq!(never["last_review"], Value::Null);
    assert_eq!(html["approval"], "approved");
    assert_eq!(never["next_review"], "2026-11-23");
    assert_eq!(never["status"], "due");
    assert_eq!(never["approval"], "none");
    let dashboard = entry("quiet-lane/index.html");
    assert_eq!(dashboard["org"], "quiet-lane");
    assert_eq!(dashboard["policy"], Value::Null);
    assert_eq!(dashboard["format"], "html");
    // An organisation's calendar goes with it whatever the formats built.
    let calendar = entry("quiet-lane/reviews.ics");
    assert_eq!(calendar["org"], "quiet-lane");
    assert_eq!(calendar["policy"], Value::Null);
    assert_eq!(calendar["format"], "");
    let html_documents = outputs
        .iter()
        .filter(|e| e["format"] == "html" && !e["policy"].is_null())
        .count();
    assert_eq!(html_documents, 4);
}

#[test]
fn same_inputs_give_the_same_bytes_and_rewrite_nothing() {
    let first = built();
    let second = built();
    assert_eq!(files(first.path()), files(second.path()));
    let again = build(&fixture(), first.path(), &[]);
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(stdout.contains(" 0 written, "), "{stdout}");
}
