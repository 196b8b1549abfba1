//! The record of the last build (README, "No-op rebuilds"): a build whose
//! inputs are all those of the last build says exactly what that build of
//! them says, without parsing the library; any change that could alter an
//! output or a finding makes it an ordinary build, and a record that is
//! missing, corrupt or out of date is never an error.
//!
//! To see which way a build went, the record's findings are marked (its
//! key kept): a build that replays the record prints the mark.

use std::path::Path;

use crate::harness::{Library, Run};

const RECORD: &str = "out/.policygen-last-build.json";
const MARK: &str = "replayed from the record";
const MD: [&str; 3] = ["build", "--format", "md"];

/// Adds the mark to the record's findings, keeping everything else.
fn mark(library: &Library) {
    let mut record: serde_json::Value = serde_json::from_str(&library.read(RECORD)).unwrap();
    record["findings"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({
            "severity": "Warning",
            "message": MARK,
            "path": null,
            "file": null,
            "org": null,
            "location": null,
            "hint": null,
        }));
    library.write(RECORD, &record.to_string());
}

fn replayed(run: &Run) -> bool {
    run.stderr.contains(MARK)
}

/// What a run printed, its closing line's time left out.
fn said(run: &Run) -> (String, String) {
    let stdout = match run.stdout.rsplit_once(" in ") {
        Some((line, _)) => line.to_string(),
        None => run.stdout.clone(),
    };
    (stdout, run.stderr.clone())
}

/// Runs `args` after a change: it must be an ordinary build (the mark not
/// printed), and say what an ordinary build says.
#[track_caller]
fn ordinary(library: &Library, today: &str, args: &[&str], change: &str) -> Run {
    mark(library);
    let run = library.run_on(today, args);
    run.success();
    assert!(!replayed(&run), "replayed the record after {change}");
    run
}

#[test]
fn an_unchanged_library_says_what_its_last_build_said_and_any_change_is_built() {
    let library = Library::layers(&["html-site"]);
    let today = crate::harness::TODAY;
    let first = library.run(&MD);
    first.success();
    assert!(
        first.stderr.contains("warning: brand colour `#ffcc00`"),
        "{}",
        first.stderr
    );

    // Nothing changed: the same findings and counts, nothing written.
    let again = library.run(&MD);
    again.success();
    assert_eq!(again.stderr, first.stderr);
    assert!(
        again
            .stdout
            .contains("0 rendered; files: 0 written, 11 unchanged, 0 deleted"),
        "{}",
        again.stdout
    );
    // An ordinary build of the same (no record) says exactly the same.
    library.remove(RECORD);
    let plain = library.run(&MD);
    assert_eq!(said(&plain), said(&again));
    // And that was the record replayed: marked, the mark shows.
    mark(&library);
    let run = library.run(&MD);
    assert!(replayed(&run), "{}", run.stderr);
    assert_eq!(said(&run).0, said(&plain).0);

    // Saved again without a change (only its time moves): still replayed.
    let profile = library.read("organisations/ty-derw.yaml");
    std::thread::sleep(std::time::Duration::from_millis(20));
    library.write("organisations/ty-derw.yaml", &profile);
    let run = library.run(&MD);
    assert!(replayed(&run), "{}", run.stderr);

    // One byte more in a profile (a comment): built, nothing rewritten.
    library.write("organisations/ty-derw.yaml", &format!("{profile}#\n"));
    let run = ordinary(&library, today, &MD, "a comment added to a profile");
    assert!(run.stdout.contains("files: 0 written"), "{}", run.stdout);
    library.write("organisations/ty-derw.yaml", &profile);
    library.run(&MD).success();

    // A logo's bytes (same name): the copy beside the documents follows.
    let logo = library.path().join("organisations/logos/ty-derw.png");
    let mut bytes = std::fs::read(&logo).unwrap();
    bytes.extend_from_slice(b"\0");
    std::fs::write(&logo, &bytes).unwrap();
    ordinary(&library, today, &MD, "a logo changed");
    assert_eq!(
        std::fs::read(library.path().join("out/ty-derw/logo.png")).unwrap(),
        bytes
    );

    // Another build date, another format, one organisation.
    ordinary(&library, "2026-11-24", &MD, "another build date");
    ordinary(
        &library,
        today,
        &["build", "--format", "html"],
        "another format",
    );
    ordinary(&library, today, &["build", "--org", "ty-derw"], "--org");
    library.run(&MD).success();

    // A file that is not read still gets its warning.
    library.write("organisations/extra.YAML", "name: x\n");
    let run = ordinary(&library, today, &MD, "a file added");
    assert!(
        run.stderr
            .contains("`organisations/extra.YAML` is not read"),
        "{}",
        run.stderr
    );
    library.remove("organisations/extra.YAML");
    library.run(&MD).success();

    // A template of the library's own.
    library.write(
        "templates/document.md",
        &format!(
            "{}\nAn own template.\n",
            std::fs::read_to_string(crate::harness::repo().join("templates/document.md")).unwrap()
        ),
    );
    ordinary(&library, today, &MD, "a template added");
    library.remove("templates");
    library.run(&MD).success();

    // An output edited by hand, its size kept: made again.
    let output = "out/ty-derw/induction.md";
    let text = library.read(output);
    library.write(output, &text.replacen('a', "b", 1));
    let run = ordinary(&library, today, &MD, "an output edited");
    assert!(run.stdout.contains("files: 1 written"), "{}", run.stdout);
    assert_eq!(library.read(output), text);

    // An output replaced by a link to a copy of itself: a real file again.
    let copy = library.path().join("copy.md");
    std::fs::rename(library.path().join(output), &copy).unwrap();
    std::os::unix::fs::symlink(&copy, library.path().join(output)).unwrap();
    ordinary(&library, today, &MD, "an output replaced by a link");
    assert!(!library.path().join(output).is_symlink());
    assert_eq!(library.read(output), text);

    // An organisation's folder replaced by a link to a copy: refused, as
    // by any build, not replayed.
    let folder = library.path().join("out/ty-derw");
    let moved = library.path().join("ty-derw-copy");
    std::fs::rename(&folder, &moved).unwrap();
    std::os::unix::fs::symlink(&moved, &folder).unwrap();
    mark(&library);
    let run = library.run(&MD);
    run.code(1);
    assert!(
        !replayed(&run) && run.stderr.contains("symbolic link"),
        "{}",
        run.stderr
    );
    std::fs::remove_file(&folder).unwrap();
    std::fs::rename(&moved, &folder).unwrap();

    // The manifest edited: written again as it was.
    let manifest = library.read("out/manifest.json");
    library.write("out/manifest.json", &format!("{manifest} "));
    ordinary(&library, today, &MD, "the manifest edited");
    assert_eq!(library.read("out/manifest.json"), manifest);

    // A failed build leaves the folder, record and all, as it was: once the
    // error is mended, the record still holds.
    let before = std::fs::read(library.path().join(RECORD)).unwrap();
    library.write(
        "organisations/ty-derw.yaml",
        &format!("{profile}\nname: [\n"),
    );
    library.run(&MD).code(1);
    assert_eq!(std::fs::read(library.path().join(RECORD)).unwrap(), before);
    library.write("organisations/ty-derw.yaml", &profile);
    mark(&library);
    let run = library.run(&MD);
    assert!(replayed(&run), "{}", run.stderr);
}

#[test]
fn a_corrupt_or_foreign_record_is_ignored_and_made_again() {
    let library = Library::layers(&["html-site"]);
    library.run(&MD).success();
    let plain = library.run(&MD);
    let record = library.path().join(RECORD);
    let good = std::fs::read(&record).unwrap();
    let text = String::from_utf8(good.clone()).unwrap();
    let half = &good[..good.len() / 2];
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("binary", vec![0xff, 0xfe, 0, 1, 2]),
        ("cut short", half.to_vec()),
        (
            "wrong types",
            text.replacen("\"documents\":", "\"documents\":\"many\",\"x\":", 1)
                .into_bytes(),
        ),
        (
            "another format",
            text.replacen("policygen last build", "policygen first build", 1)
                .into_bytes(),
        ),
        (
            "another key",
            serde_json::to_vec(&{
                let mut v: serde_json::Value = serde_json::from_slice(&good).unwrap();
                v["key"] = serde_json::json!("0".repeat(64));
                v
            })
            .unwrap(),
        ),
    ];
    for (case, bytes) in cases {
        std::fs::write(&record, &bytes).unwrap();
        let run = library.run(&MD);
        run.success();
        assert_eq!(said(&run), said(&plain), "{case}");
        assert_eq!(
            std::fs::read(&record).unwrap(),
            good,
            "{case}: not made again"
        );
    }
    // A folder where the record goes: the build still succeeds.
    std::fs::remove_file(&record).unwrap();
    std::fs::create_dir(&record).unwrap();
    let run = library.run(&MD);
    run.success();
    assert_eq!(said(&run), said(&plain));
    assert!(Path::new(&record).is_dir());
}
