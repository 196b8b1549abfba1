//! Nothing is lost: a build killed with SIGKILL at any moment leaves every
//! output either the old file or the new one, never a partial file, and the
//! next build leaves no temporary files behind.
//!
//! A deterministic generator writes a library of a thousand organisations
//! (some 3,000 output files); the test builds it, changes the inputs so
//! nearly every document changes (and some organisations come and go),
//! builds the changed library cleanly in another folder for the new hashes,
//! then starts the changed build over the old output again and again,
//! killing it while it renders and while it renames files into place, and
//! checks every file after each kill.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use sha2::{Digest, Sha256};

use crate::harness::{Library, TODAY, copy_tree, files};

const ORGANISATIONS: usize = 1000;
const TEMP_SUFFIX: &str = ".policygen-tmp";
/// The empty file a build keeps in the output folder while it runs.
const IN_PROGRESS: &str = ".policygen-build-in-progress";

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
        .filter(|f| !f.ends_with(TEMP_SUFFIX) && f != IN_PROGRESS)
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
        // Markdown and HTML only: every format goes through the same writer,
        // and PDF rendering would make the build ten times slower.
        .args(["build", "--today", TODAY, "--quiet", "--format", "md,html"])
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
        if file.ends_with(TEMP_SUFFIX) || file == IN_PROGRESS {
            state.temp += 1;
            continue;
        }
        let hash = sha256(&std::fs::read(out.join(&file)).unwrap());
        let (was_old, is_new) = (old.get(&file) == Some(&hash), new.get(&file) == Some(&hash));
        assert!(
            was_old || is_new,
            "{when}: {file} is neither the old file nor the new one (a partial or foreign file)"
        );
        // Files both builds make alike count as neither.
        if was_old && !is_new {
            state.old += 1;
        } else if is_new && !was_old {
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
    let manifest = manifest_hashes(&out);
    assert!(
        manifest.len() > ORGANISATIONS,
        "the manifest lists every document"
    );
    for (path, hash) in &manifest {
        assert_eq!(
            old.get(path),
            Some(hash),
            "the manifest's hash of {path} is not the file's"
        );
    }
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

    // Kill the changed build at several moments, each time over the old
    // output: while it renders and stages (by time), and while it renames
    // staged files into place, just after a chosen file has been replaced
    // (files are committed in path order).
    let changed: Vec<&String> = new
        .iter()
        .filter(|(f, h)| old.get(*f).is_some_and(|o| o != *h))
        .map(|(f, _)| f)
        .filter(|f| f.ends_with(".md"))
        .collect();
    let mut kills = Vec::new();
    let mut mid_commit = 0;
    let moments: Vec<(String, Option<&String>)> = [5]
        .iter()
        .map(|tenths| (format!("after {:?}", full * *tenths / 10), None))
        .chain([1, 3, 5].iter().map(|eighths| {
            let file = changed[changed.len() * eighths / 8];
            (format!("once {file} was replaced"), Some(file))
        }))
        .collect();
    for (moment, file) in &moments {
        std::fs::remove_dir_all(&out).unwrap();
        copy_tree(saved.path(), &out);
        let mut child = build(library.path()).spawn().unwrap();
        let started = Instant::now();
        match file {
            None => std::thread::sleep(full / 2),
            Some(file) => {
                let target = out.join(file);
                let wanted = &new[*file];
                // Spin: the commit renames files a few microseconds apart.
                while started.elapsed() < full * 4
                    && std::fs::read(&target).map(|b| sha256(&b)).ok().as_ref() != Some(wanted)
                {
                }
            }
        }
        let finished = child.try_wait().unwrap().is_some();
        child.kill().ok();
        child.wait().unwrap();
        let state = check(&out, &old, &new, &format!("killed {moment}"));
        if file.is_some() && state.old > 0 && state.new > 0 {
            mid_commit += 1;
        }
        kills.push(format!(
            "killed {moment}: {} old, {} new, {} temporary{}",
            state.old,
            state.new,
            state.temp,
            if finished { " (had finished)" } else { "" }
        ));
    }
    assert!(
        mid_commit >= 2,
        "too few kills landed while files were being renamed into place:\n{}",
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
        files(&out)
            .iter()
            .all(|f| !f.ends_with(TEMP_SUFFIX) && f != IN_PROGRESS),
        "temporary files remain"
    );
    eprintln!("kills (full build {full:?}):\n{}", kills.join("\n"));
}
