//! axe-core in headless Chromium over every page the build writes, for the
//! fixture library and the shipped example library, on a wide and a narrow
//! screen and in print media. Fails on any violation, and on any request a page makes beyond its
//! own file. `scripts/test` installs Chromium and the npm packages.

use std::path::Path;
use std::process::Command;

use crate::html::support::{build, fixture};

#[test]
fn every_page_passes_axe_core() {
    let browser_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    assert!(
        browser_dir.join("node_modules/axe-core").is_dir()
            && browser_dir.join("node_modules/playwright-core").is_dir(),
        "the browser test tools are missing: run `scripts/test`, which installs Chromium and `npm ci` in tests/browser"
    );
    let fixture_out = tempfile::tempdir().unwrap();
    build(&fixture(), fixture_out.path(), &[]);
    let shipped_out = tempfile::tempdir().unwrap();
    build(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        shipped_out.path(),
        &[],
    );

    let output = Command::new("node")
        .current_dir(&browser_dir)
        .arg("axe.mjs")
        .arg(fixture_out.path())
        .arg(shipped_out.path())
        .output()
        .expect("node runs (scripts/test installs it)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    assert!(
        output.status.success(),
        "axe-core found problems:\n{stdout}{stderr}"
    );
    assert!(
        stdout.contains(" 0 violations, 0 external requests"),
        "{stdout}"
    );
}
