//! What a build may do to the output folder, and nothing more: a commit
//! that cannot finish changes nothing; outputs edited by hand or replaced
//! by links are put right; only files policygen wrote (byte for byte) are
//! deleted; nothing is written or deleted through a symbolic link; and one
//! build writes to a folder at a time.

use std::collections::BTreeMap;
use std::os::unix::fs::symlink;
use std::path::Path;

use crate::harness::{Library, Run, assert_snapshot};

/// Markdown and HTML only: every format goes through the same writer.
const FORMATS: &[&str] = &["build", "--format", "md,html"];

/// Everything under `dir`, without following links: files with their bytes,
/// folders, and links with their targets.
fn tree(dir: &Path) -> BTreeMap<String, String> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|e| e.unwrap())
        .map(|e| {
            let relative = e.path().strip_prefix(dir).unwrap().display().to_string();
            let kind = e.file_type();
            let what = if kind.is_symlink() {
                format!(
                    "link to {}",
                    std::fs::read_link(e.path()).unwrap().display()
                )
            } else if kind.is_dir() {
                "folder".to_string()
            } else {
                let bytes = std::fs::read(e.path()).unwrap();
                format!("{} bytes {:x}", bytes.len(), crc(&bytes))
            };
            (relative, what)
        })
        .collect()
}

/// A cheap fingerprint of some bytes (FNV-1a), enough to tell files apart.
fn crc(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100000001b3)
    })
}

/// Renames every organisation in the shipped library, so every document changes.
fn rename_everyone(library: &Library) {
    for entry in std::fs::read_dir(library.path().join("organisations")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let text = std::fs::read_to_string(&path).unwrap();
            let renamed = text.replacen("name: ", "name: Renamed ", 1);
            assert_ne!(text, renamed, "{}", path.display());
            std::fs::write(&path, renamed).unwrap();
        }
    }
}

/// The shipped library, built once.
fn built() -> Library {
    let library = Library::shipped();
    library.run(FORMATS).success();
    library
}

/// Pins a run's exit code and stderr as `expected/errors/<case>.txt`.
fn pin(case: &str, run: &Run) {
    let text = format!("exit code: {}\n{}", run.code, run.stderr);
    assert_snapshot(&format!("expected/errors/{case}.txt"), &text);
}

fn assert_no_bookkeeping(out: &Path) {
    for path in tree(out).keys() {
        assert!(
            !path.contains(".policygen-tmp") && !path.ends_with(".policygen-build-in-progress"),
            "left behind: {path}"
        );
    }
}

/// Defect 1: an output that cannot be replaced (here a folder where a
/// document belongs) stops the build before any file is renamed into
/// place; every other output, the manifest and the folder stay as they were.
#[test]
fn a_commit_that_cannot_finish_changes_nothing() {
    let library = built();
    let out = library.path().join("out");
    // The last document in commit order, so a commit that renames as it
    // goes would have replaced every other one first.
    std::fs::remove_file(out.join("pathways/key-worker.md")).unwrap();
    std::fs::create_dir(out.join("pathways/key-worker.md")).unwrap();
    std::fs::write(out.join("pathways/key-worker.md/notes.txt"), "mine").unwrap();
    let before = tree(&out);
    rename_everyone(&library);
    let run = library.run(FORMATS);
    run.code(1);
    pin("output-is-a-folder", &run);
    assert_eq!(tree(&out), before, "out/ changed");
}

/// Defect 1: a fresh build that fails while staging leaves no empty
/// organisation folders, temporary files or marker behind.
#[test]
fn a_fresh_build_that_fails_leaves_the_folder_as_it_was() {
    let library = Library::shipped();
    let out = library.path().join("out");
    std::fs::create_dir(&out).unwrap();
    // A file where the last organisation's folder belongs.
    std::fs::write(out.join("pathways"), "not a folder").unwrap();
    let before = tree(&out);
    let run = library.run(FORMATS);
    run.code(1);
    pin("output-folder-is-a-file", &run);
    assert_eq!(tree(&out), before, "out/ changed");
}

/// Defect 2: an output edited by hand, or replaced by a link, is rewritten
/// by the next build (and the file the link pointed at is left alone), so
/// `build --check` passes after it.
#[test]
fn edited_and_linked_outputs_are_repaired() {
    let library = built();
    let out = library.path().join("out");
    let clean = tree(&out);
    let edited = out.join("bryn-haven/key-worker.md");
    let mut text = std::fs::read_to_string(&edited).unwrap();
    text.push_str("\nAdded by hand.\n");
    std::fs::write(&edited, text).unwrap();
    // Same size, other bytes.
    let html = out.join("elm-lodge/key-worker.html");
    let same_size = std::fs::read_to_string(&html)
        .unwrap()
        .replacen("<html", "<HTML", 1);
    std::fs::write(&html, same_size).unwrap();
    let outside = tempfile::tempdir().unwrap();
    let foreign = outside.path().join("page.html");
    std::fs::copy(out.join("pathways/key-worker.html"), &foreign).unwrap();
    std::fs::remove_file(out.join("pathways/key-worker.html")).unwrap();
    symlink(&foreign, out.join("pathways/key-worker.html")).unwrap();
    let foreign_before = std::fs::read(&foreign).unwrap();

    let check = library.run(&["build", "--format", "md,html", "--check"]);
    check.code(1);
    for path in [
        "bryn-haven/key-worker.md",
        "elm-lodge/key-worker.html",
        "pathways/key-worker.html",
    ] {
        assert!(
            check.stderr.contains(&format!("stale: {path}\n")),
            "{path}: {}",
            check.stderr
        );
    }
    let run = library.run(FORMATS);
    run.success();
    assert!(
        run.stdout.contains("files: 3 written"),
        "expected the three outputs rewritten: {}",
        run.stdout
    );
    assert_eq!(tree(&out), clean, "out/ is not what a clean build makes");
    assert_eq!(std::fs::read(&foreign).unwrap(), foreign_before);
    library
        .run(&["build", "--format", "md,html", "--check"])
        .success();
}

/// Defect 3: a removed organisation's outputs are deleted only when they
/// are exactly what policygen wrote, reached without following a link;
/// a manifest entry that does not match the file on disk deletes nothing.
#[test]
fn only_files_policygen_wrote_are_deleted() {
    let library = built();
    let out = library.path().join("out");
    // bryn-haven's folder moved elsewhere and linked back in.
    let outside = tempfile::tempdir().unwrap();
    let moved = outside.path().join("bryn-haven");
    std::fs::rename(out.join("bryn-haven"), &moved).unwrap();
    symlink(&moved, out.join("bryn-haven")).unwrap();
    let moved_before = tree(&moved);
    // elm-lodge's Markdown edited by hand.
    let edited = out.join("elm-lodge/key-worker.md");
    std::fs::write(&edited, "my own notes\n").unwrap();
    // A manifest entry naming a file policygen never wrote.
    std::fs::write(out.join("harbour-view/notes.txt"), "keep me\n").unwrap();
    let manifest_path = out.join("manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&manifest_path).unwrap()).unwrap();
    let mut entry = manifest["outputs"][0].clone();
    entry["path"] = "harbour-view//notes.txt".into();
    entry["org"] = "harbour-view".into();
    manifest["outputs"].as_array_mut().unwrap().push(entry);
    std::fs::write(&manifest_path, serde_json::to_vec(&manifest).unwrap()).unwrap();

    for org in ["bryn-haven", "elm-lodge", "harbour-view"] {
        library.remove(&format!("organisations/{org}.yaml"));
    }
    let run = library.run(FORMATS);
    run.success();
    assert_eq!(
        tree(&moved),
        moved_before,
        "files outside out/ were deleted"
    );
    assert!(out.join("bryn-haven").is_symlink());
    assert_eq!(std::fs::read_to_string(&edited).unwrap(), "my own notes\n");
    assert_eq!(
        std::fs::read_to_string(out.join("harbour-view/notes.txt")).unwrap(),
        "keep me\n"
    );
    // What it did write is gone; each kept file is named.
    assert!(!out.join("elm-lodge/key-worker.html").exists());
    assert!(!out.join("harbour-view/key-worker.md").exists());
    for kept in [
        "bryn-haven/key-worker.md",
        "elm-lodge/key-worker.md",
        "harbour-view//notes.txt",
    ] {
        assert!(
            run.stderr.contains(kept),
            "no word about keeping {kept}: {}",
            run.stderr
        );
    }
    // The manifest no longer claims them.
    let manifest = library.read("out/manifest.json");
    for org in ["bryn-haven", "elm-lodge", "harbour-view"] {
        assert!(
            !manifest.contains(&format!("\"{org}/")),
            "{org} in manifest"
        );
    }
}

/// Defect 4: an organisation's output folder that is a link to a folder
/// elsewhere is refused, and nothing is written into it.
#[test]
fn nothing_is_written_through_a_linked_folder() {
    let library = built();
    let out = library.path().join("out");
    let outside = tempfile::tempdir().unwrap();
    std::fs::remove_dir_all(out.join("bryn-haven")).unwrap();
    symlink(outside.path(), out.join("bryn-haven")).unwrap();
    let before = tree(&out);
    rename_everyone(&library);
    let run = library.run(FORMATS);
    run.code(1);
    pin("output-folder-is-a-link", &run);
    assert!(tree(outside.path()).is_empty(), "wrote outside out/");
    assert_eq!(tree(&out), before, "out/ changed");
}

/// Defect 6: while a build holds the output folder, another is refused at
/// once with a clear message and touches nothing.
#[test]
fn a_second_build_is_refused_while_one_runs() {
    let library = built();
    let out = library.path().join("out");
    // A build locks the output folder itself (no lock file is left behind).
    let lock = std::fs::File::open(&out).unwrap();
    lock.lock().unwrap();
    let before = tree(&out);
    rename_everyone(&library);
    let run = library.run(FORMATS);
    run.code(1);
    pin("output-folder-locked", &run);
    assert_eq!(tree(&out), before, "out/ changed");
    drop(lock);
    library.run(FORMATS).success();
    assert_no_bookkeeping(&out);
}

/// Defect 6: pairs of builds started together: each either succeeds or is
/// refused because the other runs; none leaves temporary files, and the
/// folder ends as a single build makes it.
#[test]
fn builds_started_together_leave_a_clean_folder() {
    let library = built();
    let out = library.path().join("out");
    let reference = Library::shipped();
    rename_everyone(&reference);
    reference.run(FORMATS).success();
    let clean = tree(&reference.path().join("out"));
    rename_everyone(&library);
    for round in 0..6 {
        if round > 0 {
            // Alternate between two states so every pair has work to do.
            let flip = if round % 2 == 0 { "Renamed " } else { "Other " };
            for entry in std::fs::read_dir(library.path().join("organisations")).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "yaml") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    let text = text
                        .replacen("name: Renamed ", &format!("name: {flip}"), 1)
                        .replacen("name: Other ", &format!("name: {flip}"), 1);
                    std::fs::write(&path, text).unwrap();
                }
            }
        }
        let start = || {
            std::process::Command::new(env!("CARGO_BIN_EXE_policygen"))
                .args(FORMATS)
                .args(["--today", crate::harness::TODAY])
                .current_dir(library.path())
                .env("NO_COLOR", "1")
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (start(), start());
        for child in [a, b] {
            let output = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(
                output.status.success() || stderr.contains("another policygen build"),
                "round {round}: {stderr}"
            );
        }
        assert_no_bookkeeping(&out);
    }
    // Round 5 left the "Other" names; one more build with the clean names.
    for entry in std::fs::read_dir(library.path().join("organisations")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let text = std::fs::read_to_string(&path).unwrap();
            std::fs::write(&path, text.replacen("name: Other ", "name: Renamed ", 1)).unwrap();
        }
    }
    library.run(FORMATS).success();
    assert_eq!(tree(&out), clean);
}
