//! Nothing is lost: a build killed with SIGKILL at any moment leaves every
//! output either the old file or the new one, never a partial file, and the
//! next build leaves no temporary files behind.
//!
//! A deterministic generator writes a library of a few thousand
//! organisations; the test builds it, changes the inputs so every document
//! and the manifest change (and some organisations come and go), builds the
//! changed library cleanly in another folder for the new hashes, then starts
//! the changed build over the old output again and again, killing it at
//! different moments, and checks every file after each kill.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::harness::{Library, TODAY, copy_tree, files};

const ORGANISATIONS: usize = 1500;
const TEMP_SUFFIX: &str = ".policygen-tmp";

/// Writes `count` organisation profiles, starting at `first`; the same
/// arguments always give the same files.
fn generate(library: &Library, first: usize, count: usize) {
    let places = [
        ("cqc", "care-home"),
        ("cqc", "domiciliary"),
        ("ciw", "care-home"),
        ("ciw", "supported-living"),
        ("ofsted", "childrens-home"),
        ("cqc", "supported-living"),
    ];
    let words = [
        "Bryn", "Elm", "Harbour", "Cedar", "Meadow", "Tŷ", "Oak", "River",
    ];
    for i in first..first + count {
        let (jurisdiction, service) = places[i % places.len()];
        let registration = match jurisdiction {
            "cqc" => format!("1-{:09}", 100_000_000 + i),
            "ciw" => format!("SIN-{:08}-ABCD", i),
            _ => format!("SC{:06}", i),
        };
        let name = format!("{} {} House {i}", words[i % 8], words[(i / 8) % 8]);
        let mut profile = format!(
            "name: {name}\nregistration_no: \"{registration}\"\njurisdiction: {jurisdiction}\nservice: {service}\nregistered_manager: {{ first_name: Ann, last_name: Lee{i} }}\n"
        );
        if i % 3 == 0 {
            let day = i % 28 + 1;
            profile.push_str(&format!(
                "policies:\n  sample:\n    reviews:\n      - {{ date: 2026-03-{day:02}, by: Ann Lee, version: \"{}\" }}\n",
                i % 5 + 1
            ));
        }
        library.write(&format!("organisations/home-{i:05}.yaml"), &profile);
    }
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Every file under `dir` (temporary files apart) and its hash.
fn snapshot(dir: &Path) -> BTreeMap<String, String> {
    files(dir)
        .into_iter()
        .filter(|f| !f.ends_with(TEMP_SUFFIX))
        .map(|f| {
            let hash = sha256(&std::fs::read(dir.join(&f)).unwrap());
            (f, hash)
        })
        .collect()
}

/// The hashes `manifest.json` records, by path.
fn manifest_hashes(dir: &Path) -> BTreeMap<String, String> {
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    manifest["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["path"].as_str().unwrap().to_string(),
                e["sha256"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn build(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_policygen"));
    command
        .args(["build", "--today", TODAY, "--quiet"])
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
}

fn build_to_end(dir: &Path) {
    let output = build(dir).output().unwrap();
    assert!(
        output.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// How a killed build left the output folder.
#[derive(Debug, Default)]
struct State {
    old: usize,
    new: usize,
    temp: usize,
}

/// Checks every file in `out`: the previous build's bytes or the new
/// build's, nothing else.
fn check(
    out: &Path,
    old: &BTreeMap<String, String>,
    new: &BTreeMap<String, String>,
    when: &str,
) -> State {
    let mut state = State::default();
    for file in files(out) {
        if file.ends_with(TEMP_SUFFIX) {
            state.temp += 1;
            continue;
        }
        let hash = sha256(&std::fs::read(out.join(&file)).unwrap());
        let (was_old, is_new) = (old.get(&file) == Some(&hash), new.get(&file) == Some(&hash));
        assert!(
            was_old || is_new,
            "{when}: {file} is neither the old file nor the new one (a partial or foreign file)"
        );
        // A file both builds make alike counts as old.
        if was_old {
            state.old += 1;
        } else {
            state.new += 1;
        }
    }
    // Nothing the old build made disappears unless the new build drops it.
    for file in old.keys() {
        assert!(
            out.join(file).is_file() || !new.contains_key(file),
            "{when}: {file} was lost"
        );
    }
    state
}

#[test]
fn a_killed_build_leaves_old_or_new_files_only() {
    let library = Library::new("");
    generate(&library, 0, ORGANISATIONS);
    build_to_end(library.path());
    let out = library.path().join("out");
    let old = snapshot(&out);
    assert_eq!(
        manifest_hashes(&out),
        old.iter()
            .filter(|(f, _)| f.as_str() != "manifest.json")
            .map(|(f, h)| (f.clone(), h.clone()))
            .collect::<BTreeMap<_, _>>(),
        "the first build's manifest does not match its files"
    );
    let saved = tempfile::tempdir().unwrap();
    copy_tree(&out, saved.path());

    // New inputs: every document changes (a word of the policy), ten
    // organisations go and ten arrive.
    let policy = library
        .read("policies/sample/standard.yaml")
        .replace("supports every", "supports each");
    assert!(
        policy.contains("supports each"),
        "the change must reach every document"
    );
    library.write("policies/sample/standard.yaml", &policy);
    for i in 0..10 {
        library.remove(&format!("organisations/home-{i:05}.yaml"));
    }
    generate(&library, ORGANISATIONS, 10);

    // The new build's files, made cleanly in another folder.
    let clean = tempfile::tempdir().unwrap();
    for folder in ["jurisdictions", "organisations", "policies"] {
        copy_tree(&library.path().join(folder), &clean.path().join(folder));
    }
    let started = Instant::now();
    build_to_end(clean.path());
    let full = started.elapsed();
    let new = snapshot(&clean.path().join("out"));
    assert_eq!(old.len(), new.len(), "ten organisations went and ten came");
    assert!(
        new.iter().filter(|(f, h)| old.get(*f) != Some(h)).count() > ORGANISATIONS * 9 / 10,
        "most files must change for the kills to land mid-write"
    );

    // Kill the changed build at many moments, each time over the old output.
    let mut mixed = 0;
    let mut kills = Vec::new();
    let mut delays: Vec<Duration> = (3..=12).map(|k| full * k / 10).collect();
    let (mut low, mut high) = (Duration::ZERO, full * 2);
    let mut i = 0;
    while i < delays.len() && i < 20 && mixed < 4 {
        let delay = delays[i];
        i += 1;
        std::fs::remove_dir_all(&out).unwrap();
        copy_tree(saved.path(), &out);
        let mut child = build(library.path()).spawn().unwrap();
        std::thread::sleep(delay);
        let finished = child.try_wait().unwrap().is_some();
        child.kill().ok();
        child.wait().unwrap();
        let state = check(&out, &old, &new, &format!("killed after {delay:?}"));
        kills.push(format!(
            "{delay:?}: {} old, {} new, {} temp{}",
            state.old,
            state.new,
            state.temp,
            if finished { " (finished)" } else { "" }
        ));
        if state.new > 0 && state.old > 0 {
            mixed += 1;
        } else if state.new == 0 {
            low = low.max(delay);
        } else {
            high = high.min(delay);
        }
        // No kill landed mid-write yet: try between the last all-old and
        // the first all-new moment.
        if i == delays.len() && mixed < 3 && high > low {
            delays.push((low + high) / 2);
        }
    }
    assert!(
        mixed >= 3,
        "too few kills landed while files were being written:\n{}",
        kills.join("\n")
    );

    // The next build finishes the job and leaves no temporary file.
    build_to_end(library.path());
    let after = check(&out, &old, &new, "after the next build");
    assert_eq!(after.temp, 0, "temporary files remain");
    assert_eq!(
        snapshot(&out),
        new,
        "the finished build differs from a clean one"
    );
    assert!(
        files(&out).iter().all(|f| !f.ends_with(TEMP_SUFFIX)),
        "temporary files remain"
    );
    eprintln!("kills (full build {full:?}):\n{}", kills.join("\n"));
}
