//! axe-core in headless Chromium over every page the build writes, for the
//! fixture library and the shipped example library, on a wide and a narrow
//! screen and in print media. Fails on any violation, and on any request a
//! page makes beyond its own file. `scripts/test` installs Chromium and the
//! npm packages.

use std::path::Path;
use std::process::Command;

use crate::html::support::{build, fixture};

/// Runs `tests/browser/axe.mjs` over the given folders.
fn axe(folders: &[&Path]) -> (bool, String) {
    let browser_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    assert!(
        browser_dir.join("node_modules/axe-core").is_dir()
            && browser_dir.join("node_modules/playwright-core").is_dir(),
        "the browser test tools are missing: run `scripts/test`, which installs Chromium and `npm ci` in tests/browser"
    );
    let output = Command::new("node")
        .current_dir(&browser_dir)
        .arg("axe.mjs")
        .args(folders)
        .output()
        .expect("node runs (scripts/test installs it)");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

#[test]
fn every_page_passes_axe_core() {
    let fixture_out = tempfile::tempdir().unwrap();
    build(&fixture(), fixture_out.path(), &[]);
    let shipped_out = tempfile::tempdir().unwrap();
    build(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        shipped_out.path(),
        &[],
    );

    let (passed, report) = axe(&[fixture_out.path(), shipped_out.path()]);
    println!("{report}");
    assert!(passed, "axe-core found problems:\n{report}");
    assert!(
        report.contains(" 0 violations, 0 external requests"),
        "{report}"
    );
}

/// The audit itself can fail: a page with known faults is caught.
#[test]
fn axe_core_catches_a_faulty_page() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("faulty.html"),
        "<!DOCTYPE html><html><head><title>x</title></head><body><main><h1>x</h1>\
         <img src=\"data:image/png;base64,AAAA\"><p style=\"color:#aaa\">faint</p>\
         <img alt=\"remote\" src=\"https://example.invalid/x.png\"></main></body></html>",
    )
    .unwrap();
    let (passed, report) = axe(&[dir.path()]);
    assert!(!passed, "{report}");
    for expected in [
        "html-has-lang",
        "image-alt",
        "color-contrast",
        "EXTERNAL REQUEST",
    ] {
        assert!(
            report.contains(expected),
            "{expected} not reported:\n{report}"
        );
    }
}
