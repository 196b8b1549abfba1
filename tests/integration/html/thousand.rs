//! The site dashboard of a library of 1,000 generated organisations, built
//! HTML-only into a temporary folder: one row per (organisation × policy)
//! in the schedule's order, counts that link to their status groups, a
//! size that grows by a small constant per row, and the filter used from
//! the keyboard in headless Chromium (and the page whole without scripts).

use std::path::Path;
use std::process::Command;

use crate::harness::Library;
use crate::html::support::{read, select, text};

/// One row of `schedule.csv`, the reference for the table's order.
struct Scheduled {
    org: String,
    name: String,
    status: String,
    next_review: String,
    approval: String,
}

fn schedule(out: &Path) -> Vec<Scheduled> {
    let mut reader = csv::Reader::from_path(out.join("schedule.csv")).unwrap();
    let header = reader.headers().unwrap().clone();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (org, name, status, next) = (at("org"), at("org_name"), at("status"), at("next_review"));
    let approval = at("approval");
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            Scheduled {
                org: r[org].to_string(),
                name: r[name].to_string(),
                status: r[status].to_string(),
                next_review: r[next].to_string(),
                approval: r[approval].to_string(),
            }
        })
        .collect()
}

#[test]
fn a_thousand_homes_on_one_page() {
    let library = Library::generated(1000);
    library.run(&["build", "--format", "html"]).success();
    let out = library.path().join("out");
    let html = read(&out.join("index.html"));
    let doc = scraper::Html::parse_document(&html);
    let expected = schedule(&out);
    assert_eq!(expected.len(), 1000);

    // Every (organisation × policy) once: worst status first, drafts first
    // within each status, then the soonest next review.
    let rows = select(&doc, "#reviews tbody tr:not(.group)");
    assert_eq!(rows.len(), 1000);
    let rank = |s: &str| ["overdue", "due", "current"].iter().position(|x| *x == s);
    let key = |r: &Scheduled| {
        (
            rank(&r.status),
            r.approval == "approved",
            r.next_review.clone(),
        )
    };
    let mut expected: Vec<Scheduled> = expected;
    expected.sort_by_key(key);
    for (i, (row, want)) in rows.iter().zip(&expected).enumerate() {
        let header = row
            .select(&scraper::Selector::parse("th[scope=row] a").unwrap())
            .next()
            .unwrap();
        assert_eq!(text(&header), want.name, "row {i}");
        assert_eq!(
            header.attr("href").unwrap(),
            format!("{}/index.html", want.org)
        );
        let group = row.parent().and_then(scraper::ElementRef::wrap).unwrap();
        assert_eq!(group.attr("id"), Some(want.status.as_str()), "row {i}");
        assert_eq!(
            row.attr("class") == Some("draft"),
            want.approval != "approved",
            "row {i}"
        );
    }

    let drafts = expected.iter().filter(|r| r.approval != "approved").count();
    assert!(drafts > 0 && drafts < 1000, "{drafts} drafts");
    assert_eq!(
        text(&select(&doc, "ul.summary li.drafts")[0]),
        format!("{drafts} drafts not yet approved")
    );

    // The counts link to their groups, each of which starts with a heading row.
    let count = |status: &str| expected.iter().filter(|r| r.status == status).count();
    let (overdue, due, current) = (count("overdue"), count("due"), count("current"));
    assert!(
        overdue > 0 && due > 0 && current > 0,
        "{overdue} {due} {current}"
    );
    let totals: Vec<(String, String)> = select(&doc, "ul.summary a")
        .iter()
        .map(|a| (text(a), a.attr("href").unwrap().to_string()))
        .collect();
    let thousands = |n: usize| {
        if n >= 1000 {
            format!("{},{:03}", n / 1000, n % 1000)
        } else {
            n.to_string()
        }
    };
    assert_eq!(
        totals,
        [
            (
                format!("{} overdue", thousands(overdue)),
                "#overdue".to_string()
            ),
            (format!("{} due", thousands(due)), "#due".to_string()),
            (
                format!("{} current", thousands(current)),
                "#current".to_string()
            ),
        ]
    );
    for (status, label, n) in [
        ("overdue", "Overdue", overdue),
        ("due", "Due", due),
        ("current", "Current", current),
    ] {
        assert_eq!(
            select(&doc, &format!("tbody#{status} tr:not(.group)")).len(),
            n
        );
        let heading = select(&doc, &format!("tbody#{status} > tr:first-child > th"));
        assert_eq!(
            text(&heading[0]),
            format!("{label}: {} reviews", thousands(n))
        );
        assert_eq!(heading[0].attr("scope"), Some("rowgroup"));
    }
    assert_eq!(
        text(&select(&doc, "#reviews caption")[0]),
        "Every policy of every organisation, most urgent first: 1,000 reviews at 1,000 organisations"
    );

    // Small: at most ~400 KB, a few hundred bytes per row (the Staff column
    // costs 26 bytes a row where no staff are listed, as here).
    let table_start = html.find("<tbody").unwrap();
    let table_end = html.find("</table>").unwrap();
    let per_row = (table_end - table_start) / 1000;
    println!("index.html: {} bytes, {per_row} bytes per row", html.len());
    assert!(per_row <= 340, "{per_row} bytes per row");
    assert!(html.len() <= 400_000, "index.html is {} bytes", html.len());

    // The built-in template's table is made a few hundred rows at a time;
    // the same template as the project's own is rendered whole, to the
    // same bytes.
    same_page_from_a_copied_template(&library, &["--format", "html"]);

    // The filter, from the keyboard, in Chromium.
    let name = &expected.iter().find(|r| r.org == "org-01000").unwrap().name;
    let browser_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let output = Command::new("node")
        .current_dir(&browser_dir)
        .arg("filter.mjs")
        .arg(out.join("index.html"))
        .arg(name)
        .output()
        .expect("node runs (scripts/test installs it)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let seen: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    println!("filter: {seen}");
    // The script ran under the page's own Content-Security-Policy.
    assert_eq!(seen["filter_shown"], true);
    assert_eq!(seen["loaded"], 1000);
    assert_eq!(seen["loaded_text"], "1,000 of 1,000 shown");
    let status_of_name = &expected.iter().find(|r| &r.name == name).unwrap().status;
    assert_eq!(
        seen["typed"],
        serde_json::json!([[name, status_of_name, "Approved"]])
    );
    assert_eq!(seen["typed_text"], "1 of 1,000 shown");
    let (label, in_group) = match status_of_name.as_str() {
        "overdue" => ("Overdue", overdue),
        "due" => ("Due", due),
        _ => ("Current", current),
    };
    assert_eq!(
        seen["typed_headings"],
        serde_json::json!([format!("{label}: 1 of {} shown", thousands(in_group))])
    );
    assert_eq!(seen["overdue_pressed"], "true");
    assert_eq!(seen["overdue"], overdue);
    assert_eq!(seen["overdue_groups"], serde_json::json!(["overdue"]));
    assert_eq!(
        seen["overdue_text"],
        format!("{} of 1,000 shown", thousands(overdue))
    );
    // "Drafts" as well: the overdue drafts, their approval in words.
    let overdue_drafts = expected
        .iter()
        .filter(|r| r.status == "overdue" && r.approval != "approved")
        .count();
    assert!(overdue_drafts > 0);
    assert_eq!(seen["drafts_pressed"], "true");
    assert_eq!(seen["overdue_drafts"], overdue_drafts);
    assert_eq!(
        seen["overdue_drafts_seen"],
        serde_json::json!(["overdue: Draft: awaiting approval"])
    );
    assert_eq!(
        seen["overdue_drafts_text"],
        format!("{overdue_drafts} of 1,000 shown")
    );
    // Without scripts: every row, no filter.
    assert_eq!(seen["no_script"], 1000);
    assert_eq!(seen["no_script_ran"], false);
    assert_eq!(seen["no_script_filter_shown"], false);
    assert_eq!(seen["external"], serde_json::json!([]));
    // Loaded, laid out and the script run (a generous bound for a busy machine).
    assert!(seen["load_ms"].as_u64().unwrap() < 5000, "{seen}");
}

/// Builds `library` again with the built-in `dashboard.html` copied into
/// its `templates/` (so it is the project's own) into a fresh folder, and
/// checks the site dashboard is byte for byte the one already in `out/`.
pub fn same_page_from_a_copied_template(library: &Library, args: &[&str]) {
    let built_in = read(&library.path().join("out/index.html"));
    let template = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/dashboard.html");
    library.write("templates/dashboard.html", &read(&template));
    let mut all = vec!["build", "--out", "out-own-template"];
    all.extend_from_slice(args);
    library.run(&all).success();
    let own = read(&library.path().join("out-own-template/index.html"));
    assert!(own == built_in, "the two site dashboards differ");
    library.remove("templates/dashboard.html");
}
