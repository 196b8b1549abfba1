//! What policygen writes into the library stays inside it (issue 20): the
//! approved texts of `approve` and `review --approved-by`
//! (`approved/<org>/<policy>/v<version>.md`), the policy sources of
//! `import` and the profiles of `new` are never written through a symbolic
//! link, into a folder that is a file, or along a `..` from a version; and
//! a refused approval leaves the profile and the archives byte for byte.

use std::os::unix::fs::symlink;
use std::path::Path;

use crate::harness::{Library, Run, assert_snapshot, files, fixtures};

/// The document-control library: `waiting` has a review awaiting approval.
fn library() -> Library {
    Library::layers(&["workflow", "pdf", "control"])
}

fn pin(case: &str, run: &Run) {
    let text = format!("exit code: {}\n{}", run.code, run.stderr);
    assert_snapshot(&format!("expected/errors/{case}.txt"), &text);
}

/// Every file under `dir`, with its bytes.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    files(dir)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(dir.join(&f)).unwrap_or_default();
            (f, bytes)
        })
        .collect()
}

const APPROVE: &[&str] = &["approve", "waiting", "handbook", "--by", "Owain Price"];

/// A refused approval: exit 1, nothing written outside, the profile and
/// the archives as they were.
#[track_caller]
fn refused(library: &Library, args: &[&str], outside: &Path) -> Run {
    let profile = library.read("organisations/waiting.yaml");
    let approved = snapshot(&library.path().join("approved"));
    let run = library.run(args);
    run.code(1);
    assert!(
        run.stderr.ends_with("nothing was written\n"),
        "{}",
        run.stderr
    );
    assert_eq!(library.read("organisations/waiting.yaml"), profile);
    assert_eq!(snapshot(&library.path().join("approved")), approved);
    assert!(
        files(outside).is_empty(),
        "written outside: {:?}",
        files(outside)
    );
    run
}

#[test]
fn approved_texts_are_never_written_through_a_link() {
    let library = library();
    let outside = tempfile::tempdir().unwrap();
    // approved/ itself a link out of the library.
    symlink(outside.path(), library.path().join("approved")).unwrap();
    let run = refused(&library, APPROVE, outside.path());
    pin("approve-through-a-link", &run);
    std::fs::remove_file(library.path().join("approved")).unwrap();

    // A folder further down a link; then a file where a folder belongs.
    std::fs::create_dir_all(library.path().join("approved")).unwrap();
    symlink(outside.path(), library.path().join("approved/waiting")).unwrap();
    let run = refused(&library, APPROVE, outside.path());
    assert!(
        run.stderr.contains(
            "error: cannot write `approved/waiting/handbook/v2.md`: a folder on the way `approved/waiting` is a symbolic link\n"
        ),
        "{}",
        run.stderr
    );
    std::fs::remove_file(library.path().join("approved/waiting")).unwrap();
    library.write("approved/waiting", "not a folder\n");
    let run = refused(&library, APPROVE, outside.path());
    assert!(
        run.stderr
            .contains("`approved/waiting` is a file, not a folder"),
        "{}",
        run.stderr
    );
    library.remove("approved/waiting");

    // The archive itself a (dangling) link: refused too.
    std::fs::create_dir_all(library.path().join("approved/waiting/handbook")).unwrap();
    symlink(
        outside.path().join("v2.md"),
        library.path().join("approved/waiting/handbook/v2.md"),
    )
    .unwrap();
    let run = refused(&library, APPROVE, outside.path());
    assert!(
        run.stderr
            .contains("the file `approved/waiting/handbook/v2.md` is a symbolic link"),
        "{}",
        run.stderr
    );
    library.remove("approved/waiting/handbook/v2.md");

    // With the library as it should be, the same approval goes through.
    library.run(APPROVE).success();
    assert!(
        library
            .read("approved/waiting/handbook/v2.md")
            .contains("Owain Price")
    );
    assert!(files(outside.path()).is_empty());
}

/// A version with `..` in it never names a path: `check` says so at its
/// line, and `review --version` and `approve` refuse it, writing nothing.
#[test]
fn a_version_cannot_lead_out_of_the_archive() {
    let library = library();
    let outside = tempfile::tempdir().unwrap();
    let profile = library.read("organisations/waiting.yaml");
    library.write(
        "organisations/waiting.yaml",
        &profile.replace(
            "version: \"2\", note: Annual review",
            "version: \"../../../x\", note: Annual review",
        ),
    );
    let run = library.run(&["check"]);
    pin("version-with-dots", &run);
    run.code(1);
    refused(&library, APPROVE, outside.path());
    library.write("organisations/waiting.yaml", &profile);

    let run = refused(
        &library,
        &[
            "review",
            "waiting",
            "long",
            "--by",
            "Ann Lee",
            "--version",
            "../../x",
            "--approved-by",
            "Owain Price",
        ],
        outside.path(),
    );
    assert!(
        run.stderr
            .contains("error: version `../../x` would lead out of the folder of approved texts\n"),
        "{}",
        run.stderr
    );
    // The finding names the profile but no line: the line is the one the
    // refused edit would have added, not one the file has.
    assert!(
        run.stderr.contains(" --> organisations/waiting.yaml\n"),
        "{}",
        run.stderr
    );
    assert!(!library.path().join("approved").exists());
}

/// `import` writes its source only inside `policies/`, and `new` its
/// profile only inside `organisations/`: never through a link.
#[test]
fn import_and_new_never_write_through_a_link() {
    let library = Library::layers(&["import/library"]);
    crate::harness::copy_tree(&fixtures().join("import/docs"), &library.path().join("old"));
    std::fs::create_dir_all(library.path().join("organisations/logos")).unwrap();
    std::fs::copy(
        fixtures().join("html-site/organisations/logos/ty-derw.png"),
        library.path().join("organisations/logos/ashgrove.png"),
    )
    .unwrap();
    std::fs::create_dir_all(library.path().join("policies")).unwrap();
    let outside = tempfile::tempdir().unwrap();
    symlink(outside.path(), library.path().join("policies/key-worker")).unwrap();
    let import = |extra: &[&str]| {
        let mut args = vec![
            "import",
            "old/key-worker.txt",
            "--policy",
            "key-worker",
            "--variant",
            "ours",
            "--jurisdiction",
            "cqc",
            "--service",
            "care-home",
        ];
        args.extend(extra);
        library.run(&args)
    };
    for extra in [&[][..], &["--force"][..]] {
        let run = import(extra);
        run.code(1);
        assert!(
            run.stderr.starts_with(
                "error: cannot write `policies/key-worker/ours.yaml`: a folder on the way `policies/key-worker` is a symbolic link\n"
            ),
            "{extra:?}: {}",
            run.stderr
        );
        assert!(files(outside.path()).is_empty());
    }
    // --dry-run writes nothing anywhere, so it still prints the source.
    import(&["--dry-run"]).success();
    std::fs::remove_file(library.path().join("policies/key-worker")).unwrap();

    // `--force` over a source that is a link: the link is not followed.
    std::fs::create_dir_all(library.path().join("policies/key-worker")).unwrap();
    let target = outside.path().join("kept.yaml");
    std::fs::write(&target, "title: Kept\n").unwrap();
    symlink(
        &target,
        library.path().join("policies/key-worker/ours.yaml"),
    )
    .unwrap();
    let run = import(&["--force"]);
    run.code(1);
    assert!(
        run.stderr
            .contains("the file `policies/key-worker/ours.yaml` is a symbolic link"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "title: Kept\n");

    // organisations/ a link out of the library: `new` refuses it.
    std::fs::remove_dir_all(library.path().join("organisations")).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    symlink(elsewhere.path(), library.path().join("organisations")).unwrap();
    let run = library.run(&[
        "new",
        "elm-lodge",
        "--jurisdiction",
        "cqc",
        "--service",
        "care-home",
    ]);
    run.code(1);
    assert!(
        run.stderr.starts_with(
            "error: cannot write `organisations/elm-lodge.yaml`: a folder on the way `organisations` is a symbolic link\n"
        ),
        "{}",
        run.stderr
    );
    assert!(files(elsewhere.path()).is_empty());
}
