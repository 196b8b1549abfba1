//! What editing a profile (`policygen review`) must keep safe: edits made at
//! the same moment both land, values a build would reject are refused
//! before writing, and the file keeps its link, its permissions and its
//! byte-order mark.

use std::os::unix::fs::{PermissionsExt, symlink};
use std::process::{Command, Stdio};

use crate::harness::{Library, Run, TODAY, assert_snapshot};

const PROFILE: &str = "name: Home\nregistration_no: \"SIN-00012345-ABCD\"\njurisdiction: ciw\nservice: care-home\nregistered_manager: { first_name: Carys, last_name: Evans }\npolicies:\n  handbook:\n    reviews:\n      - { date: 2026-03-14, by: Carys Evans, version: \"2\" }\n";

fn library() -> Library {
    let library = Library::layers(&["workflow"]);
    library.write("organisations/home.yaml", PROFILE);
    library
}

fn review(library: &Library, note: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_policygen"));
    command
        .args([
            "--today", TODAY, "review", "home", "handbook", "--note", note,
        ])
        .current_dir(library.path())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Defect 7: two reviews started at the same moment are both recorded
/// (the second waits for the first and re-reads the profile).
#[test]
fn reviews_at_the_same_moment_are_both_recorded() {
    let library = library();
    for round in 0..6 {
        let notes = [
            format!("Round {round} first"),
            format!("Round {round} second"),
        ];
        let children: Vec<_> = notes
            .iter()
            .map(|note| review(&library, note).spawn().unwrap())
            .collect();
        for child in children {
            let output = child.wait_with_output().unwrap();
            assert!(
                output.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let profile = library.read("organisations/home.yaml");
        for note in &notes {
            assert!(
                profile.contains(note.as_str()),
                "round {round}: the review `{note}` was lost:\n{profile}"
            );
        }
    }
    library.run(&["check"]).success();
}

/// Runs a review that must be refused; the profile stays byte for byte.
fn refused(library: &Library, args: &[&str]) -> Run {
    let before = std::fs::read(library.path().join("organisations/home.yaml")).unwrap();
    let run = library.run(args);
    assert_ne!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stderr.ends_with("nothing was written\n"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read(library.path().join("organisations/home.yaml")).unwrap(),
        before,
        "the profile was changed"
    );
    run
}

/// Defect 12: a value the next build would reject (a character the PDF
/// font lacks) is refused before the profile is written.
#[test]
fn values_a_build_would_reject_are_refused() {
    let library = library();
    let run = refused(
        &library,
        &["review", "home", "handbook", "--note", "Reviewed ✅"],
    );
    let text = format!("exit code: {}\n{}", run.code, run.stderr);
    assert_snapshot("expected/errors/review-missing-glyph.txt", &text);
    run.code(1);
    let run = refused(&library, &["review", "home", "handbook", "--by", "Zoë 王"]);
    run.code(1);
    assert!(run.stderr.contains("王"), "{}", run.stderr);
    // Defect 11: a control character typed on the command line is refused
    // too, and never printed raw.
    let run = refused(
        &library,
        &[
            "review",
            "home",
            "handbook",
            "--by",
            "Evil\u{1b}]0;title\u{7}",
        ],
    );
    run.code(1);
    assert!(!run.stderr.contains('\u{1b}'), "{:?}", run.stderr);
    // The library still builds.
    library.run(&["build", "--format", "pdf"]).success();
}

/// Defect 13: a profile that is a link (inside the project) stays a link,
/// and the file it points to is edited; its permissions are kept.
#[test]
fn a_linked_profile_stays_a_link_and_keeps_its_mode() {
    let library = library();
    std::fs::create_dir_all(library.path().join("shared")).unwrap();
    let target = library.path().join("shared/home.yaml");
    std::fs::rename(library.path().join("organisations/home.yaml"), &target).unwrap();
    symlink(
        "../shared/home.yaml",
        library.path().join("organisations/home.yaml"),
    )
    .unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600)).unwrap();
    library
        .run(&["review", "home", "handbook", "--note", "Linked"])
        .success();
    let link = library.path().join("organisations/home.yaml");
    assert!(link.is_symlink(), "the link was replaced by a file");
    assert!(std::fs::read_to_string(&target).unwrap().contains("Linked"));
    let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "mode {mode:o}");
    // Nothing left beside either.
    for folder in ["organisations", "shared"] {
        let names: Vec<_> = std::fs::read_dir(library.path().join(folder))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names, ["home.yaml"], "{folder}");
    }

    // A plain profile keeps its mode too.
    let library = self::library();
    let path = library.path().join("organisations/home.yaml");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    library
        .run(&["review", "home", "handbook", "--note", "Plain"])
        .success();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640, "mode {mode:o}");
}

/// Defect 14: a UTF-8 byte-order mark is kept, so the review adds one line
/// and changes nothing else.
#[test]
fn a_byte_order_mark_is_kept() {
    let library = library();
    let path = library.path().join("organisations/home.yaml");
    let before = format!("\u{feff}{PROFILE}");
    std::fs::write(&path, &before).unwrap();
    library
        .run(&["review", "home", "handbook", "--note", "Kept"])
        .success();
    let after = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        after,
        format!("{before}      - {{ date: {TODAY}, version: \"2\", note: Kept }}\n")
    );
}

/// Defect 17: a review refused for what it asks (a date after the build
/// date, before the newest review, or one already recorded) exits 1 and
/// names the profile; a mistake on the command line exits 2.
#[test]
fn refusals_of_the_request_exit_1_and_name_the_profile() {
    let library = library();
    let run = refused(
        &library,
        &["review", "home", "handbook", "--date", "2026-11-24"],
    );
    let text = format!("exit code: {}\n{}", run.code, run.stderr);
    assert_snapshot("expected/errors/review-in-the-future.txt", &text);
    run.code(1);
    for args in [
        &["review", "home", "handbook", "--date", "2026-03-13"][..],
        &[
            "review",
            "home",
            "handbook",
            "--date",
            "2026-03-14",
            "--by",
            "Carys Evans",
            "--version",
            "2",
        ][..],
    ] {
        let run = refused(&library, args);
        run.code(1);
        assert!(
            run.stderr.contains(" --> organisations/home.yaml"),
            "{args:?}: {}",
            run.stderr
        );
    }
    refused(
        &library,
        &["review", "home", "handbook", "--date", "2026-02-30"],
    )
    .code(2);
    refused(&library, &["review", "hom", "handbook"]).code(2);
}
