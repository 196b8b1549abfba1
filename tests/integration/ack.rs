//! `policygen ack`: acknowledgements appended to the profile in place, and
//! only they differ. Each golden case's profile before is
//! `tests/fixtures/ack/<case>/before.yaml`, the whole file expected after it
//! `tests/expected/ack/<case>.yaml`, in the `workflow` library. Every
//! refusal is pinned in `tests/expected/ack/refused/<case>.txt`, run on the
//! `staff` fixture, and leaves the profile byte for byte.

use std::fs;

use crate::harness::{Library, Run, assert_snapshot, fixtures};
use crate::review::only_inserted;

/// A team meeting of two: one name typed in another case (recorded as the
/// roster spells it), one with an apostrophe.
const ARGS: &[&str] = &[
    "ack",
    "home",
    "handbook",
    "--staff",
    "siân o'brien",
    "--staff",
    "Carys Jones",
    "--date",
    "2026-11-20",
];

/// Runs the standard acknowledgement on a case's `before.yaml`, checks the
/// whole file against its expected file, and returns what was inserted.
fn golden(case: &str, stdout: &str) -> String {
    let before = fs::read_to_string(fixtures().join("ack").join(case).join("before.yaml")).unwrap();
    let library = Library::layers(&["workflow"]);
    library.write("organisations/home.yaml", &before);
    let run = library.run(ARGS);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""), "{case}");
    assert_eq!(run.stdout, stdout, "{case}");
    let after = library.read("organisations/home.yaml");
    assert_snapshot(&format!("expected/ack/{case}.yaml"), &after);
    // The edited profile builds cleanly, and the sheet shows the new dates.
    let build = library.run(&["build", "--format", "md"]);
    assert_eq!(build.code, 0, "{case}: {}", build.stderr);
    let md = library.read("out/home/handbook.md");
    assert!(
        md.contains("| Siân O'Brien | Care Worker | 20 November 2026 |\n"),
        "{case}:\n{md}"
    );
    only_inserted(&before, &after)
}

const EVERYONE: &str = "recorded that Siân O'Brien and Carys Jones read version 3 of handbook on 2026-11-20 in organisations/home.yaml\nhandbook: read by 3 of 3; everyone on the staff list has read it\nrun `policygen build --org home` to update its acknowledgement sheets\n";

#[test]
fn flow_entries_among_comments() {
    assert_eq!(
        golden("flow-entries", EVERYONE),
        "      - { name: Siân O'Brien, date: 2026-11-20, version: \"3\" }\n      - { name: Carys Jones, date: 2026-11-20, version: \"3\" }\n"
    );
}

#[test]
fn block_entries() {
    assert_eq!(
        golden("block-entries", EVERYONE),
        "        - name: Siân O'Brien\n          date: 2026-11-20\n          version: \"3\"\n        - name: Carys Jones\n          date: 2026-11-20\n          version: \"3\"\n"
    );
}

#[test]
fn a_flow_list_on_one_line() {
    assert_eq!(
        golden("flow-list", EVERYONE),
        ", {name: Siân O'Brien, date: 2026-11-20, version: \"3\"}, {name: Carys Jones, date: 2026-11-20, version: \"3\"}"
    );
}

#[test]
fn keeps_windows_line_endings() {
    assert_eq!(
        golden("crlf", EVERYONE),
        "      - { name: Siân O'Brien, date: 2026-11-20, version: \"3\" }\r\n      - { name: Carys Jones, date: 2026-11-20, version: \"3\" }\r\n"
    );
}

#[test]
fn creates_the_list_in_the_style_of_the_reviews() {
    let stdout = "recorded that Siân O'Brien and Carys Jones read version 3 of handbook on 2026-11-20 in organisations/home.yaml\nhandbook: read by 2 of 2; everyone on the staff list has read it\nrun `policygen build --org home` to update its acknowledgement sheets\n";
    assert_eq!(
        golden("no-acknowledgements", stdout),
        "    acknowledgements:\n      - { name: Siân O'Brien, date: 2026-11-20, version: \"3\" }\n      - { name: Carys Jones, date: 2026-11-20, version: \"3\" }\n"
    );
}

#[test]
fn the_date_defaults_to_the_build_date_and_outstanding_names_are_listed() {
    let library = Library::layers(&["workflow", "staff"]);
    let run = library.run(&["ack", "home", "handbook", "--staff", "Tomos Price"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "recorded that Tomos Price read version 2 of handbook on 2026-11-23 in organisations/home.yaml\nhandbook: read by 3 of 4; still to read: Carys Jones\nrun `policygen build --org home` to update its acknowledgement sheets\n"
    );
    assert!(
        library
            .read("organisations/home.yaml")
            .ends_with("      - { name: Tomos Price, date: 2026-11-23, version: \"2\" }\n")
    );
    let quiet = library.run(&[
        "--quiet",
        "ack",
        "home",
        "handbook",
        "--staff",
        "Carys Jones",
    ]);
    assert_eq!((quiet.code, quiet.stdout.as_str()), (0, ""));
}

/// Runs an `ack` that must be refused on the `staff` fixture (after
/// `prepare`), pins what it printed, and checks nothing changed on disk.
fn refused(case: &str, prepare: impl Fn(&Library), args: &[&str]) -> Run {
    let library = Library::layers(&["workflow", "staff"]);
    prepare(&library);
    let profiles = ["organisations/home.yaml", "organisations/draft-home.yaml"];
    let before: Vec<String> = profiles.iter().map(|p| library.read(p)).collect();
    let run = library.run(args);
    assert_snapshot(
        &format!("expected/ack/refused/{case}.txt"),
        &format!("exit code: {}\n{}", run.code, run.stderr),
    );
    assert_ne!(run.code, 0, "{case}");
    assert_eq!(run.stdout, "", "{case}");
    assert!(
        run.stderr.ends_with("nothing was written\n"),
        "{case}: {}",
        run.stderr
    );
    let after: Vec<String> = profiles.iter().map(|p| library.read(p)).collect();
    assert_eq!(before, after, "{case}: a refused ack changed a profile");
    let leftovers = fs::read_dir(library.path().join("organisations"))
        .unwrap()
        .count();
    assert_eq!(leftovers, 5, "{case}: a temporary file was left behind");
    run
}

fn ack(names: &[&str], extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = ["ack", "home", "handbook"].map(String::from).to_vec();
    for name in names {
        args.extend(["--staff".to_string(), name.to_string()]);
    }
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

fn run_refused(case: &str, args: Vec<String>) -> Run {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    refused(case, |_| {}, &args)
}

#[test]
fn refuses_names_not_on_the_roster_with_suggestions() {
    // Carys Jones is on the roster, but nobody is recorded when another name is wrong.
    let run = run_refused(
        "not-on-roster",
        ack(&["Carys Jones", "Carys Jnoes", "Tomos", "Zed Zebedee"], &[]),
    );
    assert_eq!(run.code, 1);
}

#[test]
fn refuses_dates_after_the_build_date_or_before_the_approval() {
    assert_eq!(
        run_refused(
            "future-date",
            ack(&["Tomos Price"], &["--date", "2026-12-01"])
        )
        .code,
        1
    );
    assert_eq!(
        run_refused(
            "before-approval",
            ack(&["Tomos Price"], &["--date", "2026-03-13"])
        )
        .code,
        1
    );
    assert_eq!(
        run_refused(
            "not-a-date",
            ack(&["Tomos Price"], &["--date", "2026-02-30"])
        )
        .code,
        2
    );
}

#[test]
fn refuses_a_policy_with_no_approved_version() {
    // draft-home's only review awaits approval.
    let run = refused(
        "no-approved-version",
        |_| {},
        &["ack", "draft-home", "handbook", "--staff", "Nia Owen"],
    );
    assert_eq!(run.code, 1);
    let never = refused(
        "never-reviewed",
        |library| {
            let text = library.read("organisations/draft-home.yaml");
            let reviewed =
                "      - { date: 2026-10-01, by: Nia Owen, version: \"1\", note: First draft }\n";
            assert!(text.contains(reviewed));
            library.write(
                "organisations/draft-home.yaml",
                &text
                    .replace(reviewed, "")
                    .replace("    reviews:\n", "    reviews: []\n"),
            );
        },
        &["ack", "draft-home", "handbook", "--staff", "Nia Owen"],
    );
    assert_eq!(never.code, 1);
    // edited-home approved version 1, but its text has changed since: the
    // document is a draft again, and version 1 is no longer what it says.
    let changed = refused(
        "changed-since-approval",
        |_| {},
        &["ack", "edited-home", "handbook", "--staff", "Elin Hughes"],
    );
    assert_eq!(changed.code, 1);
}

#[test]
fn refuses_the_same_version_twice_and_the_same_person_twice() {
    assert_eq!(
        run_refused(
            "already-acknowledged",
            ack(&["Tomos Price", "ann lee"], &[])
        )
        .code,
        1
    );
    assert_eq!(
        run_refused("named-twice", ack(&["Tomos Price", "tomos  price"], &[])).code,
        1
    );
}

#[test]
fn refuses_someone_who_had_left() {
    // Siân Evans left on 2026-06-30: she can acknowledge a day she was there, not after.
    assert_eq!(run_refused("left", ack(&["Siân Evans"], &[])).code, 1);
}

#[test]
fn refuses_unknown_names_and_policies_not_built() {
    let unknown_org = refused(
        "unknown-org",
        |_| {},
        &["ack", "hme", "handbook", "--staff", "Ann Lee"],
    );
    assert_eq!(unknown_org.code, 2);
    let unknown_policy = refused(
        "unknown-policy",
        |_| {},
        &["ack", "home", "handbok", "--staff", "Ann Lee"],
    );
    assert_eq!(unknown_policy.code, 2);
    // `visiting` is for CQC supported living only: no document for a care home.
    let not_built = refused(
        "not-built",
        |_| {},
        &["ack", "home", "visiting", "--staff", "Ann Lee"],
    );
    assert_eq!(not_built.code, 1);
}

#[test]
fn refuses_a_profile_that_does_not_validate() {
    let run = refused(
        "invalid-profile",
        |library| {
            let text = library.read("organisations/home.yaml");
            library.write(
                "organisations/home.yaml",
                &text.replace("role: Cook", "role: \"\""),
            );
        },
        &["ack", "home", "handbook", "--staff", "Ann Lee"],
    );
    assert_eq!(run.code, 1);
}
