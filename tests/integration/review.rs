//! `policygen review`: the profile is edited in place, and only the new entry
//! differs. Each case's profile before the review is
//! `tests/fixtures/review/<case>/before.yaml`; the whole file expected after it
//! is `tests/expected/review/<case>.yaml`. The library around it is
//! `tests/fixtures/workflow` (a small `handbook` policy).

use std::fs;

use crate::harness::{Library, Run, assert_snapshot, fixtures, repo};

/// The review every golden case records: values that need quoting (a
/// version that looks like a number, a note with `: `) next to ones that do not.
const ARGS: &[&str] = &[
    "review",
    "home",
    "handbook",
    "--date",
    "2026-11-20",
    "--by",
    "Siân O'Brien",
    "--approved-by",
    "Owain Price",
    "--version",
    "3",
    "--note",
    "Annual review: no changes",
];

/// Runs the standard review on a case's `before.yaml`; checks the whole file
/// against its expected file and returns the run.
fn golden(case: &str) -> Run {
    let dir = fixtures().join("review").join(case);
    let before = fs::read_to_string(dir.join("before.yaml")).unwrap();
    let library = Library::layers(&["workflow"]);
    library.write("organisations/home.yaml", &before);
    let run = library.run(ARGS);
    assert_eq!(run.code, 0, "{case}: {}", run.stderr);
    assert_eq!(run.stderr, "", "{case}");
    let after = library.read("organisations/home.yaml");
    assert_snapshot(&format!("expected/review/{case}.yaml"), &after);
    // The edited profile builds cleanly.
    let check = library.run(&["check"]);
    assert_eq!(check.code, 0, "{case}: {}", check.stderr);
    run
}

/// `after` is `before` with one contiguous piece of text inserted: every
/// byte that was there is still there, in order, untouched. Returns the
/// inserted text (aligned to whole lines when the insertion is whole lines).
pub(crate) fn only_inserted(before: &str, after: &str) -> String {
    let split = |prefix: usize| {
        let rest = &before[prefix..];
        (after.len() >= before.len() && after.ends_with(rest))
            .then(|| after[prefix..after.len() - rest.len()].to_string())
    };
    let line_prefix: usize = before
        .split_inclusive('\n')
        .zip(after.split_inclusive('\n'))
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len())
        .sum();
    let byte_prefix = before
        .bytes()
        .zip(after.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    split(line_prefix)
        .or_else(|| split(byte_prefix))
        .unwrap_or_else(|| panic!("the edit changed more than it inserted:\n{after}"))
}

/// The text the review added to a case's profile.
fn inserted(case: &str) -> String {
    only_inserted(&before(case), &after(case))
}

fn before(case: &str) -> String {
    fs::read_to_string(fixtures().join("review").join(case).join("before.yaml")).unwrap()
}

fn after(case: &str) -> String {
    fs::read_to_string(
        repo()
            .join("tests/expected/review")
            .join(format!("{case}.yaml")),
    )
    .unwrap()
}

const NEXT_12: &str = "recorded a review of handbook on 2026-11-20 in organisations/home.yaml (version 3)\nnext review: 2027-11-20 (every 12 months)\narchived the approved text in approved/home/handbook/v3.md\nrun `policygen build --org home` to update its documents\n";
const NEXT_6: &str = "recorded a review of handbook on 2026-11-20 in organisations/home.yaml (version 3)\nnext review: 2027-05-20 (every 6 months)\narchived the approved text in approved/home/handbook/v3.md\nrun `policygen build --org home` to update its documents\n";

#[test]
fn flow_entries_among_comments_and_odd_quoting() {
    let run = golden("flow-entries");
    assert_eq!(run.stdout, NEXT_12);
    // The new entry follows the last one's `{date: …}` spelling, on its own line
    // after the two-line entry and its comment.
    assert_eq!(
        inserted("flow-entries"),
        "      - {date: 2026-11-20, by: Siân O'Brien, approved_by: Owain Price, version: \"3\", note: \"Annual review: no changes\"}\n"
    );
}

#[test]
fn block_entries() {
    let run = golden("block-entries");
    assert_eq!(run.stdout, NEXT_6);
    assert_eq!(
        inserted("block-entries"),
        "        - date: 2026-11-20\n          by: Siân O'Brien\n          approved_by: Owain Price\n          version: \"3\"\n          note: \"Annual review: no changes\"\n"
    );
}

#[test]
fn flow_list_on_one_line() {
    golden("flow-list");
    assert_eq!(
        inserted("flow-list"),
        ", {date: 2026-11-20, by: Siân O'Brien, approved_by: Owain Price, version: \"3\", note: \"Annual review: no changes\"}"
    );
}

#[test]
fn flow_list_over_several_lines() {
    golden("flow-list-lines");
    // A comma after the old last entry (its comment stays on its line), and
    // the new entry on a line of its own.
    assert_eq!(
        after("flow-list-lines"),
        before("flow-list-lines").replace(
            "      { date: 2026-06-01, by: Margaret Okafor }   # latest\n",
            "      { date: 2026-06-01, by: Margaret Okafor },   # latest\n      { date: 2026-11-20, by: Siân O'Brien, approved_by: Owain Price, version: \"3\", note: \"Annual review: no changes\" }\n"
        )
    );
}

#[test]
fn creates_policies_when_absent() {
    let run = golden("no-policies");
    assert_eq!(run.stdout, NEXT_12);
    assert_eq!(
        inserted("no-policies"),
        "policies:\n  handbook:\n    reviews:\n      - { date: 2026-11-20, by: Siân O'Brien, approved_by: Owain Price, version: \"3\", note: \"Annual review: no changes\" }\n"
    );
}

#[test]
fn creates_reviews_when_absent() {
    let run = golden("no-reviews");
    assert_eq!(run.stdout, NEXT_6);
    assert_eq!(
        inserted("no-reviews"),
        "    reviews:\n      - { date: 2026-11-20, by: Siân O'Brien, approved_by: Owain Price, version: \"3\", note: \"Annual review: no changes\" }\n"
    );
}

#[test]
fn creates_the_policy_when_absent() {
    golden("new-policy");
    assert_eq!(
        inserted("new-policy"),
        "  handbook:\n    reviews:\n      - { date: 2026-11-20, by: Siân O'Brien, approved_by: Owain Price, version: \"3\", note: \"Annual review: no changes\" }\n"
    );
}

#[test]
fn keeps_windows_line_endings() {
    golden("crlf");
    assert_eq!(
        inserted("crlf"),
        "      - { date: 2026-11-20, by: Siân O'Brien, approved_by: Owain Price, version: \"3\", note: \"Annual review: no changes\" }\r\n"
    );
}

const SIMPLE: &str = "name: Home\nregistration_no: \"SIN-00012345-ABCD\"\njurisdiction: ciw\nservice: care-home\nregistered_manager: { first_name: Carys, last_name: Evans }\npolicies:\n  handbook:\n    reviews:\n      - { date: 2026-03-14, by: Carys Evans, version: \"2\" }\n";

fn simple() -> Library {
    let library = Library::layers(&["workflow"]);
    library.write("organisations/home.yaml", SIMPLE);
    library
}

#[test]
fn date_defaults_to_the_build_date_and_version_carries_over() {
    let library = simple();
    let run = library.run(&["review", "home", "handbook", "--by", "Carys Evans"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "recorded a review of handbook on 2026-11-23 in organisations/home.yaml (version 2, as at the last review)\nnext review: 2027-11-23 (every 12 months)\nit awaits approval: `policygen approve home handbook --by NAME`\nrun `policygen build --org home` to update its documents\n"
    );
    assert_eq!(
        library.read("organisations/home.yaml"),
        format!("{SIMPLE}      - {{ date: 2026-11-23, by: Carys Evans, version: \"2\" }}\n")
    );
    // Running it again would record the same review twice: refused.
    let again = library.run(&["review", "home", "handbook", "--by", "Carys Evans"]);
    assert_eq!(again.code, 1);
    assert!(
        again
            .stderr
            .starts_with("error: this review of `handbook` on 2026-11-23 is already recorded\n")
    );
    // --quiet prints nothing at all on success.
    let quiet = library.run(&["--quiet", "review", "home", "handbook", "--by", "Another"]);
    assert_eq!((quiet.code, quiet.stdout.as_str()), (0, ""));
}

#[test]
fn leap_day_and_month_end_reviews() {
    // A review on 29 February with a 12-month cycle is next due on 28 February.
    let library = Library::layers(&["workflow"]);
    library.write(
        "organisations/home.yaml",
        "name: Home\nregistration_no: \"SIN-00012345-ABCD\"\njurisdiction: ciw\nservice: care-home\nregistered_manager: { first_name: Carys, last_name: Evans }\nreview_cycle: 12 months\n",
    );
    let run = library.run_on("2024-02-29", &["review", "home", "handbook"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("\nnext review: 2025-02-28 (every 12 months)\n"),
        "{}",
        run.stdout
    );
    let due = library.run_on("2024-03-01", &["due", "--format", "json"]);
    assert!(due.stdout.contains("\"next_review\": \"2025-02-28\""));

    // A review on 31 January with a 1-month cycle is next due on 28 February.
    let library = Library::layers(&["workflow"]);
    library.write(
        "organisations/home.yaml",
        "name: Home\nregistration_no: \"SIN-00012345-ABCD\"\njurisdiction: ciw\nservice: care-home\nregistered_manager: { first_name: Carys, last_name: Evans }\npolicies:\n  handbook:\n    review_cycle: 1 month\n",
    );
    let run = library.run_on(
        "2026-02-10",
        &["review", "home", "handbook", "--date", "2026-01-31"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("\nnext review: 2026-02-28 (every 1 month)\n"),
        "{}",
        run.stdout
    );
}

/// Runs a review that must be refused, and checks the profile is byte-for-byte unchanged.
fn refused(library: &Library, args: &[&str]) -> Run {
    let before = library.read("organisations/home.yaml");
    let run = library.run(args);
    assert_ne!(run.code, 0);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.ends_with("nothing was written\n"),
        "{}",
        run.stderr
    );
    assert_eq!(
        library.read("organisations/home.yaml"),
        before,
        "the profile was changed"
    );
    let leftovers: Vec<_> = fs::read_dir(library.path().join("organisations"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, ["home.yaml"]);
    run
}

#[test]
fn refuses_unknown_names_with_suggestions() {
    let library = simple();
    let run = refused(&library, &["review", "hom", "handbook"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("error: unknown organisation `hom`\n  = hint: did you mean `home`?\n"),
        "{}",
        run.stderr
    );
    let run = refused(&library, &["review", "home", "handbok"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("error: unknown policy `handbok`\n  = hint: did you mean `handbook`?\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn refuses_dates_in_the_future_or_before_the_last_review() {
    let library = simple();
    let run = refused(
        &library,
        &["review", "home", "handbook", "--date", "2026-11-24"],
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .starts_with("error: the review date 2026-11-24 is after the build date 2026-11-23\n"),
        "{}",
        run.stderr
    );

    let run = refused(
        &library,
        &["review", "home", "handbook", "--date", "2026-03-13"],
    );
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: the review date 2026-03-13 is earlier than the newest review recorded for `handbook` (2026-03-14)\n --> organisations/home.yaml:9:17\n  |\n9 |       - { date: 2026-03-14, by: Carys Evans, version: \"2\" }\n  |                 ^^^^^^^^^^\n  = hint: reviews are kept oldest first; to correct an older entry, edit the profile by hand\n\nerror: found 1 error\nnothing was written\n"
    );

    let run = refused(
        &library,
        &["review", "home", "handbook", "--date", "2026-02-30"],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("error: `--date 2026-02-30` is not a real date\n"),
        "{}",
        run.stderr
    );

    // The same day as the newest review is allowed (a second review that day).
    let run = library.run(&[
        "review",
        "home",
        "handbook",
        "--date",
        "2026-03-14",
        "--note",
        "Second look",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn refuses_a_profile_that_does_not_validate() {
    let library = Library::layers(&["workflow"]);
    library.write(
        "organisations/home.yaml",
        &SIMPLE.replace("SIN-00012345-ABCD", "SIN-123"),
    );
    let run = refused(&library, &["review", "home", "handbook"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.starts_with("error: registration number `SIN-123` is not a valid CIW service ID\n --> organisations/home.yaml:2:18\n"), "{}", run.stderr);
    assert!(
        run.stderr.contains("fix the profile first"),
        "{}",
        run.stderr
    );

    // Not even readable as YAML.
    library.write("organisations/home.yaml", "name: [Home\n");
    let run = refused(&library, &["review", "home", "handbook"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("organisations/home.yaml"),
        "{}",
        run.stderr
    );
}

#[test]
fn adds_reviews_beside_other_keys() {
    let library = Library::layers(&["workflow"]);
    library.write(
        "organisations/home.yaml",
        &SIMPLE.replace(
            "    reviews:\n      - { date: 2026-03-14, by: Carys Evans, version: \"2\" }\n",
            "    exclude: false\n",
        ),
    );
    // Valid, and editable:
    let run = library.run(&["review", "home", "handbook", "--by", "A"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        library
            .read("organisations/home.yaml")
            .ends_with("    exclude: false\n    reviews:\n      - { date: 2026-11-23, by: A }\n")
    );
}
