//! Building the fixture library and reading the pages as a browser would.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use scraper::{Html, Selector};

pub use crate::harness::TODAY;

/// The fixture library, used in place: builds write to temporary folders.
pub fn fixture() -> PathBuf {
    crate::harness::fixtures().join("html-site")
}

/// Runs `policygen ARGS…` with the fixed build date.
pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_policygen"))
        .args(args)
        .args(["--today", TODAY, "--color", "never"])
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("the policygen binary runs")
}

/// `policygen build --root ROOT --out OUT ARGS…`, which must succeed.
pub fn build(root: &Path, out: &Path, args: &[&str]) -> Output {
    let mut all = vec![
        "build",
        "--root",
        root.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    all.extend_from_slice(args);
    let output = run(&all);
    assert!(
        output.status.success(),
        "build failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// The fixture library built into a fresh folder.
pub fn built() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    build(&fixture(), out.path(), &[]);
    out
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

pub fn page(path: &Path) -> Html {
    Html::parse_document(&read(path))
}

pub fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&Selector::parse(css).unwrap()).collect()
}

/// An element's text with runs of whitespace collapsed to one space.
pub fn text(element: &scraper::ElementRef) -> String {
    element
        .text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every file under `dir`, by path relative to it, with its bytes.
pub fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walk(dir, dir)
}

fn walk(root: &Path, dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(root, &path));
        } else {
            let relative = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.insert(relative, std::fs::read(&path).unwrap());
        }
    }
    out
}

/// A table row's cells, each as text, joined by ` | `.
pub fn cells(row: &scraper::ElementRef) -> String {
    row.select(&Selector::parse("th, td").unwrap())
        .map(|cell| text(&cell))
        .collect::<Vec<_>>()
        .join(" | ")
}
