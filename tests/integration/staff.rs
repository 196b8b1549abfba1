//! Staff read-and-sign (SPEC §9): the acknowledgement sheet that closes every
//! document, and `policygen reading`. Fixture `staff` (over `workflow`): `home` approved version 1 of
//! the handbook policy, then version 2; Carys Jones read only version 1, Ann
//! Lee both, Dafydd Rees version 2, Tomos Price nothing, and Siân Evans read
//! version 2 but left on 2026-06-30. `draft-home`'s only review awaits
//! approval; at `edited-home` both staff read version 1, whose text has
//! changed since (its archive in approved/ names the home as it was); everyone
//! at `small-home` has read it, and `no-staff` lists nobody.

use crate::harness::{Library, assert_snapshot, repo};
use crate::html::support::{page, select, text};
use crate::pdf::{assert_in_order, page_text, pages, tool};

fn library() -> Library {
    Library::layers(&["workflow", "staff"])
}

/// The part of a text from `from` on.
fn from<'a>(text: &'a str, from: &str) -> &'a str {
    let at = text
        .find(from)
        .unwrap_or_else(|| panic!("{from:?} not in:\n{text}"));
    &text[at..]
}

#[test]
fn the_sheet_lists_who_read_this_version_in_every_format() {
    let library = library();
    library.run(&["build"]).success();

    let md = library.read("out/home/handbook.md");
    let sheet = from(&md, "## Staff acknowledgement");
    assert_in_order(
        sheet,
        &[
            "Everyone listed reads version 2 of this policy and confirms it.",
            "| Name | Role | Read version 2 on |\n|---|---|---|\n",
            "| Carys Jones | Senior Care Worker |  |\n",
            "| Dafydd Rees | Care Worker | 2 April 2026 |\n",
            "| Tomos Price | Cook |  |\n",
            "| Ann Lee | Registered Manager | 15 March 2026 |\n",
            "By signing, I confirm that I have read and understood version 2 of this policy",
            "| Name | Signature | Date |\n|---|---|---|\n",
        ],
    );
    // She left before the build date: no longer on the sheet.
    assert!(!md.contains("Siân Evans"), "{sheet}");
    // Ten blank rows: more than the four on the roster.
    assert_eq!(sheet.matches("|   |   |   |\n").count(), 10, "{sheet}");

    let html = library.read("out/home/handbook.html");
    let sheet = from(&html, "<section class=\"sheet\"");
    assert_in_order(
        sheet,
        &[
            "<h2 id=\"staff-acknowledgement\">Staff acknowledgement</h2>",
            "<th scope=\"col\">Read version 2 on</th>",
            "<td data-label=\"Name\">Carys Jones</td><td data-label=\"Role\">Senior Care Worker</td><td data-label=\"Read version 2 on\"></td>",
            "<td data-label=\"Name\">Dafydd Rees</td><td data-label=\"Role\">Care Worker</td><td data-label=\"Read version 2 on\">2 April 2026</td>",
            "<td data-label=\"Name\">Ann Lee</td><td data-label=\"Role\">Registered Manager</td><td data-label=\"Read version 2 on\">15 March 2026</td>",
            "<table class=\"signatures\">",
        ],
    );
    assert_eq!(
        sheet
            .matches("<tr><td></td><td></td><td></td></tr>")
            .count(),
        10
    );
    assert!(html.contains("<li><a href=\"#staff-acknowledgement\">Staff acknowledgement</a></li>"));

    // PDF: the sheet starts a page of its own, and that page is the last.
    // Read with `-layout`, each table row is one line (pdftotext's plain
    // mode reads a column with blank cells as a block of its own).
    let pdf = library.path().join("out/home/handbook.pdf");
    let last = pages(&pdf);
    let text = page_text(&pdf, last);
    assert_in_order(
        &text,
        &[
            "Staff acknowledgement",
            "Everyone listed reads version 2",
            "By signing, I confirm",
            &format!("Page {last} of {last}"),
        ],
    );
    let page = last.to_string();
    let layout = tool("pdftotext", &["-layout", "-f", &page, "-l", &page], &pdf);
    let row = |name: &str| {
        let line = layout
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("no row for {name}:\n{layout}"));
        line.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    assert_eq!(row("Read version"), "Name Role Read version 2 on");
    assert_eq!(row("Carys Jones"), "Carys Jones Senior Care Worker");
    assert_eq!(row("Dafydd Rees"), "Dafydd Rees Care Worker 2 April 2026");
    assert_eq!(row("Tomos Price"), "Tomos Price Cook");
    assert_eq!(row("Ann Lee"), "Ann Lee Registered Manager 15 March 2026");
    assert_eq!(row("Signature"), "Name Signature Date");
    assert!(!layout.contains("Siân Evans"));
    let before = page_text(&pdf, last - 1);
    assert!(before.contains("Copyright ©"), "{before}");
    assert!(!before.contains("Staff acknowledgement"), "{before}");
}

#[test]
fn a_draft_sheet_cannot_be_signed() {
    let library = library();
    library.run(&["build", "--org", "draft-home"]).success();
    let md = library.read("out/draft-home/handbook.md");
    let sheet = from(&md, "## Staff acknowledgement");
    assert_eq!(
        sheet,
        "## Staff acknowledgement\n\nThis document is a draft: it cannot be signed until it is approved. Once it is, everyone listed reads it and signs.\n\n| Name | Role |\n|---|---|\n| Nia Owen | Registered Manager |\n| Huw Morgan | Care Worker |\n"
    );
    let html = library.read("out/draft-home/handbook.html");
    assert!(!html.contains("class=\"signatures\""));
    let pdf = library.path().join("out/draft-home/handbook.pdf");
    let text = page_text(&pdf, pages(&pdf));
    assert_in_order(
        &text,
        &[
            "Staff acknowledgement",
            "cannot be signed until it is approved",
            "Nia Owen Registered Manager Huw Morgan Care Worker",
        ],
    );
    assert!(!text.contains("Signature"), "{text}");
}

#[test]
fn approving_a_new_version_resets_the_sheet() {
    let library = library();
    library
        .run(&[
            "review",
            "home",
            "handbook",
            "--date",
            "2026-11-20",
            "--by",
            "Ann Lee",
            "--approved-by",
            "Owain Price",
            "--version",
            "3",
        ])
        .success();
    library
        .run(&["build", "--org", "home", "--format", "md"])
        .success();
    let md = library.read("out/home/handbook.md");
    assert_in_order(
        from(&md, "## Staff acknowledgement"),
        &[
            "| Name | Role | Read version 3 on |\n|---|---|---|\n",
            "| Carys Jones | Senior Care Worker |  |\n",
            "| Dafydd Rees | Care Worker |  |\n",
            "| Tomos Price | Cook |  |\n",
            "| Ann Lee | Registered Manager |  |\n",
        ],
    );
}

#[test]
fn reading_lists_who_is_outstanding_worst_first() {
    let library = library();
    let run = library.run(&["reading"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_snapshot("expected/reading/table.txt", &run.stdout);
    // Carys Jones read only version 1, Tomos Price nothing; Siân Evans,
    // who read version 2, has left and no longer counts.
    assert!(
        run.stdout.contains(
            "home          handbook  2        2 of 4           Carys Jones, Tomos Price\n"
        )
    );
    // Drafts say in words why there is nothing to read: the review awaiting
    // approval, or the changes since the version its staff read.
    assert!(run.stdout.contains("draft-home    handbook  -        draft            nothing to read: version 1 awaits approval (review of 2026-10-01)\n"));
    assert!(run.stdout.contains(
        "edited-home   handbook  -        draft            nothing to read: changes since version 1 await approval\n"
    ));
    assert!(run.stdout.ends_with("\nas of 2026-11-23: 1 policy with staff still to read it (2 acknowledgements outstanding), 2 drafts with nothing to read yet, 1 read by everyone, 1 with no staff listed\n"));

    let json = library.run(&["reading", "--format", "json"]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    assert_snapshot("expected/reading/all.json", &json.stdout);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let rows = value["reading"].as_array().unwrap();
    let statuses: Vec<&str> = rows.iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(
        statuses,
        ["unapproved", "unapproved", "unread", "read", "no-staff"]
    );
    let approvals: Vec<&str> = rows
        .iter()
        .map(|r| r["approval"].as_str().unwrap())
        .collect();
    assert_eq!(
        approvals,
        ["awaiting", "changed", "approved", "approved", "approved"]
    );
    assert_eq!(rows[2]["org"], "home");
    assert_eq!(rows[2]["version"], "2");
    assert_eq!(rows[2]["approved_on"], "2026-03-14");
    assert_eq!(rows[2]["draft_reason"], serde_json::Value::Null);
    assert_eq!(
        (rows[2]["staff"].as_u64(), rows[2]["read"].as_u64()),
        (Some(4), Some(2))
    );
    assert_eq!(
        rows[2]["outstanding"],
        serde_json::json!(["Carys Jones", "Tomos Price"])
    );
    // Both of edited-home's staff read version 1, but its text has changed
    // since: nobody has read what the document says now.
    assert_eq!(rows[1]["org"], "edited-home");
    assert_eq!(
        (&rows[1]["version"], rows[1]["read"].as_u64()),
        (&serde_json::Value::Null, Some(0))
    );
    assert_eq!(
        rows[1]["draft_reason"],
        "changes since version 1 await approval"
    );
}

#[test]
fn reading_fails_on_unread_and_approving_a_new_version_resets_it() {
    let library = library();
    let fail = library.run(&["reading", "--fail-on", "unread"]);
    assert_eq!(fail.code, 1);
    assert_eq!(
        fail.stderr,
        "error: 2 acknowledgements of approved policies are outstanding (--fail-on unread)\n  = hint: record each with `policygen ack ORG POLICY --staff NAME`\n"
    );
    // Everyone at small-home has read it; a draft has nothing to read yet.
    let pass = library.run(&["reading", "small-home", "draft-home", "--fail-on", "unread"]);
    assert_eq!(pass.code, 0, "{}", pass.stderr);

    library
        .run(&[
            "review",
            "small-home",
            "handbook",
            "--by",
            "Gwen Hall",
            "--approved-by",
            "Gwen Hall",
            "--version",
            "2",
        ])
        .success();
    let json = library.run(&["reading", "small-home", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let row = &value["reading"][0];
    assert_eq!(
        (row["version"].as_str(), row["read"].as_u64()),
        (Some("2"), Some(0))
    );
    assert_eq!(
        row["outstanding"],
        serde_json::json!(["Gwen Hall", "Iolo Bowen"])
    );
    let fail = library.run(&["reading", "small-home", "--fail-on", "unread"]);
    assert_eq!(fail.code, 1);
}

#[test]
fn the_shipped_library_shows_who_has_read_what_as_the_readme_does() {
    // Every shipped profile has a roster; the acknowledgements follow the
    // approvals: none for a policy never approved or awaiting approval, the
    // old version's at elm-lodge (changed since), and at bryn-haven some of
    // version 2 (no longer counting), some of version 3 and a leaver's.
    let library = Library::shipped();
    let check = library.run(&["check"]);
    assert_eq!((check.code, check.stderr.as_str()), (0, ""));
    let run = library.run(&["reading"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_snapshot("expected/reading/shipped.txt", &run.stdout);
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    for line in run.stdout.lines().filter(|l| !l.is_empty()) {
        assert!(
            readme.contains(&format!("{line}\n")),
            "README lacks {line:?}"
        );
    }

    // The README's team meeting at Bryn Haven, as printed.
    let ack = library.run(&[
        "ack",
        "bryn-haven",
        "key-worker",
        "--staff",
        "Carys Jones",
        "--staff",
        "dafydd rees",
        "--date",
        "2026-11-20",
    ]);
    assert_eq!(ack.code, 0, "{}", ack.stderr);
    assert!(
        readme.contains(&ack.stdout),
        "README lacks:\n{}",
        ack.stdout
    );
    let after = library.run(&["reading", "bryn-haven"]);
    assert!(
        after
            .stdout
            .contains("bryn-haven    key-worker  3        4 of 6  Megan Hughes, Rhys Morgan\n"),
        "{}",
        after.stdout
    );
    library
        .run(&["build", "--org", "bryn-haven", "--format", "md"])
        .success();
    let md = library.read("out/bryn-haven/key-worker.md");
    assert_in_order(
        from(&md, "## Staff acknowledgement"),
        &[
            "| Siân Evans | Registered Manager | 16 March 2026 |\n",
            "| Carys Jones | Senior Care Worker | 20 November 2026 |\n",
            "| Megan Hughes | Night Care Worker |  |\n",
            "| Eleri Thomas | Activities Coordinator | 20 March 2026 |\n",
        ],
    );
    assert!(
        !md.contains("Gethin Davies"),
        "a leaver is not on the sheet"
    );
}

#[test]
fn dashboards_say_who_has_read_each_policy() {
    let library = library();
    library.run(&["build", "--format", "html"]).success();
    let out = library.path().join("out");
    let site = page(&out.join("index.html"));
    // Org name → the Staff cell, and the class that colours it.
    let staff: Vec<(String, String, String)> = select(&site, "#reviews tbody tr:not(.group)")
        .iter()
        .map(|row| {
            let td = |i: usize| {
                row.select(&scraper::Selector::parse("td").unwrap())
                    .nth(i)
                    .unwrap()
            };
            let org = text(&select_one(row, "th[scope=row]"));
            let cell = td(5);
            (
                org,
                text(&cell),
                cell.attr("class").unwrap_or("").to_string(),
            )
        })
        .collect();
    let by_org = |name: &str| {
        staff
            .iter()
            .find(|(org, ..)| org == name)
            .map(|(_, cell, class)| (cell.as_str(), class.as_str()))
            .unwrap_or_else(|| panic!("no row for {name}: {staff:?}"))
    };
    assert_eq!(
        by_org("Meadow House"),
        ("Read by 2 of 4", "unread-by-staff")
    );
    assert_eq!(by_org("Ash Cottage"), ("Read by 2 of 2", "read-by-all"));
    assert_eq!(by_org("Willow Court"), ("Nothing to read yet", ""));
    assert_eq!(by_org("Rowan Lodge"), ("Nothing to read yet", ""));
    let heads: Vec<String> = select(&site, "#reviews thead th")
        .iter()
        .map(text)
        .collect();
    assert_eq!(heads[6], "Staff");

    // The organisation's page names who is still to read it; not on a draft.
    let home = page(&out.join("home/index.html"));
    let cell = text(&select(&home, "#policies td[data-label=Staff]")[0]);
    assert_eq!(
        cell,
        "Read by 2 of 4 Still to read: Carys Jones, Tomos Price"
    );
    let small = page(&out.join("small-home/index.html"));
    assert_eq!(
        text(&select(&small, "#policies td[data-label=Staff]")[0]),
        "Read by 2 of 2"
    );
    let edited = page(&out.join("edited-home/index.html"));
    assert_eq!(
        text(&select(&edited, "#policies td[data-label=Staff]")[0]),
        "Nothing to read yet"
    );

    // Recording the rest turns the figure green.
    library
        .run(&[
            "ack",
            "home",
            "handbook",
            "--staff",
            "Carys Jones",
            "--staff",
            "Tomos Price",
        ])
        .success();
    library.run(&["build", "--format", "html"]).success();
    let home = page(&out.join("home/index.html"));
    assert_eq!(
        text(&select(&home, "#policies td[data-label=Staff]")[0]),
        "Read by 4 of 4"
    );
}

fn select_one<'a>(row: &scraper::ElementRef<'a>, css: &str) -> scraper::ElementRef<'a> {
    row.select(&scraper::Selector::parse(css).unwrap())
        .next()
        .unwrap()
}
