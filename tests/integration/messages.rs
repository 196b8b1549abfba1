//! Issue 20, defect 16: inputs that used to get a message about something
//! else (`does not exist` for a file, `already exists` for a folder that is
//! a file, `1.0 MB; the limit is 1.0 MB`) now say what is wrong. Each text
//! is pinned as `expected/errors/<case>.txt`; the cases whose inputs are
//! plain files are fixtures in `errors.rs`.

use crate::harness::{Library, Run, assert_snapshot};

fn pin(case: &str, run: &Run) {
    let text = format!("exit code: {}\n{}", run.code, run.stderr);
    assert_snapshot(&format!("expected/errors/{case}.txt"), &text);
    assert!(!run.stderr.contains("panicked"), "{case} panicked");
}

#[test]
fn root_is_a_file() {
    let library = Library::new("");
    let run = library.run(&["--root", "organisations/good-home.yaml", "check"]);
    pin("root-is-a-file", &run);
    run.code(1);
}

/// A library folder that is a file is an error, not a library with no
/// organisations in it (which `check` used to pass).
#[test]
fn organisations_is_a_file() {
    let library = Library::new("");
    library.remove("organisations");
    library.write("organisations", "name: Good Home\n");
    let run = library.run(&["check"]);
    pin("organisations-is-a-file", &run);
    run.code(1);
    // `new` says the same, not "already exists", and writes nothing.
    let run = library.run(&[
        "new",
        "elm-lodge",
        "--jurisdiction",
        "cqc",
        "--service",
        "care-home",
    ]);
    pin("new-organisations-is-a-file", &run);
    run.code(1);
    assert_eq!(library.read("organisations"), "name: Good Home\n");
}

/// A profile a little over the limit: the figures show it is over.
#[test]
fn slightly_too_large() {
    let library = Library::new("");
    let mut text = String::from(
        "name: Big Home\nregistration_no: \"1-123456789\"\njurisdiction: cqc\nservice: care-home\nfields:\n",
    );
    let mut i = 0;
    while text.len() < 1_080_000 {
        text.push_str(&format!("  note_{i}: {}\n", "lorem ipsum ".repeat(8)));
        i += 1;
    }
    text.truncate(1_080_000);
    library.write("organisations/big.yaml", &text);
    let run = library.run(&["check"]);
    pin("slightly-too-large", &run);
    run.code(1);
    assert!(
        run.stderr
            .contains("1,080,000 bytes (1.03 MB); the limit is 1,048,576 bytes"),
        "{}",
        run.stderr
    );
}
