//! The review dashboards: `index.html` for every organisation and
//! `<org>/index.html` for one, worst first, status in words as well as colour,
//! links that lead somewhere.

use std::path::Path;

use crate::html::support::{build, built, cells, files, fixture, page, read, select, text};

/// The data rows of a table (status-group heading rows left out), as text.
fn rows(doc: &scraper::Html, table: &str) -> Vec<String> {
    select(doc, &format!("{table} tbody tr:not(.group)"))
        .iter()
        .map(cells)
        .collect()
}

#[test]
fn site_dashboard_is_one_table_worst_first() {
    let out = built();
    let doc = page(&out.path().join("index.html"));
    assert_eq!(select(&doc, "html")[0].attr("lang"), Some("en-GB"));
    assert_eq!(text(&select(&doc, "h1")[0]), "Policy reviews");
    // The counts link to their status groups.
    let totals: Vec<(String, Option<&str>)> = select(&doc, "ul.summary li")
        .iter()
        .map(|li| {
            let link = li.select(&scraper::Selector::parse("a").unwrap()).next();
            (text(li), link.and_then(|a| a.attr("href")))
        })
        .collect();
    assert_eq!(
        totals,
        [
            ("1 overdue".to_string(), Some("#overdue")),
            ("2 due".to_string(), Some("#due")),
            ("1 current".to_string(), Some("#current")),
            ("1 draft not yet approved".to_string(), None),
        ]
    );

    let tables = select(&doc, "main table");
    assert_eq!(tables.len(), 1, "one table for the whole library");
    assert_eq!(
        text(&select(&doc, "#reviews caption")[0]),
        "Every policy of every organisation, most urgent first: 4 reviews at 2 organisations"
    );
    let head: Vec<String> = select(&doc, "#reviews thead th[scope=col]")
        .iter()
        .map(text)
        .collect();
    assert_eq!(
        head,
        [
            "Organisation",
            "Regulator and service",
            "Policy",
            "Status",
            "Next review",
            "Approval",
            "Staff",
            "Manager",
            "PDF"
        ]
    );
    let evil = "Evil <script>alert('name')</script> & Sons \"Care\" {{ x }} <<org_field_email>> [click](https://evil.example) <img src=x onerror=alert(1)>";
    let ann = "Ann <i> O'Neil & \"Co\"";
    // Within a status group a draft comes first, its approval in words;
    // never reviewed, its first review is due today.
    assert_eq!(
        rows(&doc, "#reviews"),
        [
            "Tŷ Derw Care Home | CIW care home | Staff Induction Policy | Overdue by 175 days | 1 June 2026 | Approved | No staff listed | Siân Hughes | PDF".to_string(),
            format!("{evil} | CIW care home | Medication Policy | Due today | 23 November 2026 | Draft: never reviewed | Nothing to read yet | {ann} | PDF"),
            "Tŷ Derw Care Home | CIW care home | Medication Policy | Due in 17 days | 10 December 2026 | Approved | No staff listed | Siân Hughes | PDF".to_string(),
            format!("{evil} | CIW care home | Staff Induction Policy | Current due in 282 days | 1 September 2027 | Approved | No staff listed | {ann} | PDF"),
        ]
    );
    // A draft's row is marked, for its colour and the filter; its words say
    // it is a draft.
    let drafts: Vec<String> = select(&doc, "#reviews tr.draft")
        .iter()
        .map(|tr| {
            text(
                &tr.select(&scraper::Selector::parse("td:nth-of-type(5)").unwrap())
                    .next()
                    .unwrap(),
            )
        })
        .collect();
    assert_eq!(drafts, ["Draft: never reviewed"]);
    // Each row is headed by its organisation, linked to the organisation's page.
    let headers: Vec<(String, String)> = select(&doc, "#reviews tbody th[scope=row] a")
        .iter()
        .map(|a| (text(a), a.attr("href").unwrap().to_string()))
        .collect();
    assert_eq!(
        headers[0],
        (
            "Tŷ Derw Care Home".to_string(),
            "ty-derw/index.html".to_string()
        )
    );
    assert_eq!(headers[3].1, "hostile/index.html");
    let links: Vec<&str> = select(&doc, "#reviews tbody tr:not(.group) td a")
        .iter()
        .map(|a| a.attr("href").unwrap())
        .collect();
    assert_eq!(
        links[..2],
        ["ty-derw/induction.html", "ty-derw/induction.pdf"]
    );

    // A heading row where each status group starts, in its own row group.
    let groups: Vec<(String, String)> = select(&doc, "#reviews tbody")
        .iter()
        .map(|tbody| {
            let first = tbody
                .select(&scraper::Selector::parse("tr.group th[scope=rowgroup]").unwrap())
                .next()
                .unwrap();
            (tbody.attr("id").unwrap().to_string(), text(&first))
        })
        .collect();
    assert_eq!(
        groups,
        [
            ("overdue".to_string(), "Overdue: 1 review".to_string()),
            ("due".to_string(), "Due: 2 reviews".to_string()),
            ("current".to_string(), "Current: 1 review".to_string()),
        ]
    );
    // Status is a word, with the colour as a class on the same element.
    let badges: Vec<(String, String)> = select(&doc, "span.status")
        .iter()
        .map(|s| (s.attr("class").unwrap().to_string(), text(s)))
        .collect();
    assert_eq!(
        badges[0],
        ("status overdue".to_string(), "Overdue".to_string())
    );
    assert_eq!(badges[1], ("status due".to_string(), "Due".to_string()));
    assert_eq!(
        badges[3],
        ("status current".to_string(), "Current".to_string())
    );

    // The filter is there for the script to reveal; the page works without it.
    let filter = select(&doc, "form#filter[role=search]");
    assert_eq!(filter.len(), 1);
    assert!(filter[0].attr("hidden").is_some());
    assert_eq!(select(&doc, "#filter-shown[role=status]").len(), 1);
    let toggles: Vec<String> = select(&doc, "#filter button[aria-pressed=false]")
        .iter()
        .map(text)
        .collect();
    assert_eq!(toggles, ["Overdue", "Due", "Current", "Drafts"]);

    // The organisation no policy applies to is listed apart.
    let idle: Vec<String> = select(&doc, "#no-policies ~ ul li")
        .iter()
        .map(text)
        .collect();
    assert_eq!(idle, ["Quiet Lane Home Care"]);
    let nav: Vec<&str> = select(&doc, "nav.site-nav a")
        .iter()
        .map(|a| a.attr("href").unwrap())
        .collect();
    assert_eq!(nav, ["reviews.ics", "schedule.csv"]);
}

/// The site dashboard is the one page with a script: inline, allowed by
/// its hash in the page's Content-Security-Policy, and the same bytes
/// whatever the library holds (no value is ever written into it).
#[test]
fn the_only_script_is_the_dashboards_own() {
    use base64::Engine;
    use sha2::Digest;
    let out = built();
    let doc = page(&out.path().join("index.html"));
    let scripts = select(&doc, "script");
    assert_eq!(scripts.len(), 1);
    assert!(scripts[0].attr("src").is_none());
    let script: String = scripts[0].text().collect();
    let bundled = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/dashboard.js"),
    )
    .unwrap();
    let lines = |text: &str| -> Vec<String> {
        text.lines()
            .map(str::trim_end)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect()
    };
    assert_eq!(lines(&script), lines(&bundled));
    let hash =
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(script.as_bytes()));
    let csp = select(&doc, "meta[http-equiv=Content-Security-Policy]")[0]
        .attr("content")
        .unwrap()
        .to_string();
    assert_eq!(
        csp,
        format!(
            "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'sha256-{hash}'"
        )
    );
    for (path, _) in files(out.path())
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html") && p != "index.html")
    {
        let other = page(&out.path().join(&path));
        assert!(select(&other, "script").is_empty(), "{path} has a script");
    }
}

#[test]
fn organisation_dashboard_says_who_the_organisation_is() {
    let out = built();
    let doc = page(&out.path().join("ty-derw/index.html"));
    assert_eq!(text(&select(&doc, "h1")[0]), "Tŷ Derw Care Home");
    assert_eq!(
        text(&select(&doc, "title")[0]),
        "Tŷ Derw Care Home – policy reviews"
    );
    let logo = select(&doc, "header img.logo");
    assert_eq!(logo[0].attr("alt"), Some("Tŷ Derw Care Home logo"));
    assert!(
        logo[0]
            .attr("src")
            .unwrap()
            .starts_with("data:image/png;base64,")
    );
    let facts: Vec<String> = select(&doc, "dl.org-facts > div")
        .iter()
        .map(text)
        .collect();
    assert_eq!(
        facts,
        [
            "CIW service ID SIN-00054321-TDCH",
            "Regulator Care Inspectorate Wales (CIW)",
            "Service Care home",
            "Registered Manager Siân Hughes",
            "Responsible Individual Gareth Lloyd",
        ]
    );
    assert_eq!(
        text(&select(&doc, "#policies caption")[0]),
        "Policies of Tŷ Derw Care Home, most urgent first"
    );
    assert_eq!(
        rows(&doc, "#policies"),
        [
            "Staff Induction Policy | IND-01 | Overdue by 175 days | Approved | No staff listed | 1 June 2025 | 1 June 2026 | 12 months | PDF of Staff Induction Policy Word of Staff Induction Policy Markdown of Staff Induction Policy",
            "Medication Policy | MED-01 | Due in 17 days | Approved | No staff listed | 10 December 2025 | 10 December 2026 | 12 months | PDF of Medication Policy Word of Medication Policy Markdown of Medication Policy",
        ]
    );
    // Each row is headed by its policy.
    let headers: Vec<String> = select(&doc, "#policies tbody th[scope=row]")
        .iter()
        .map(text)
        .collect();
    assert_eq!(headers, ["Staff Induction Policy", "Medication Policy"]);
    let links: Vec<_> = select(&doc, "#policies a")
        .iter()
        .map(|a| a.attr("href").unwrap().to_string())
        .collect();
    assert_eq!(
        links,
        [
            "induction.html",
            "induction.pdf",
            "induction.docx",
            "induction.md",
            "medication.html",
            "medication.pdf",
            "medication.docx",
            "medication.md"
        ]
    );
    let nav: Vec<_> = select(&doc, "nav.site-nav a")
        .iter()
        .map(|a| a.attr("href").unwrap().to_string())
        .collect();
    assert_eq!(nav, ["../index.html", "reviews.ics"]);
    assert!(read(&out.path().join("ty-derw/index.html")).contains(":root { --brand: #2b5d34; }"));

    // A profile without managers says so rather than leaving a gap.
    let idle = page(&out.path().join("quiet-lane/index.html"));
    assert_eq!(
        text(&select(&idle, "p.empty")[0]),
        "No policy in the library applies to this organisation yet."
    );
    let facts: Vec<String> = select(&idle, "dl.org-facts > div")
        .iter()
        .map(text)
        .collect();
    assert_eq!(facts[2], "Service Domiciliary care");
    assert_eq!(facts[3], "Registered Manager not named in the profile");
    assert!(select(&idle, "header img").is_empty());
}

/// Every link in every page leads to a file that exists, or an element on the page.
#[test]
fn every_link_leads_somewhere() {
    let out = built();
    let mut checked = 0;
    for (path, _) in files(out.path())
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
    {
        let full = out.path().join(&path);
        let doc = page(&full);
        for a in select(&doc, "a[href]") {
            let href = a.attr("href").unwrap();
            checked += 1;
            if let Some(id) = href.strip_prefix('#') {
                assert_eq!(
                    select(&doc, &format!("[id=\"{id}\"]")).len(),
                    1,
                    "{path}: {href}"
                );
            } else {
                let target = full.parent().unwrap().join(href);
                assert!(target.is_file(), "{path}: {href} leads nowhere");
            }
        }
    }
    assert!(checked > 50, "only {checked} links checked");
}

#[test]
fn narrowed_build_keeps_the_whole_picture() {
    let out = built();
    let before = files(out.path());
    build(&fixture(), out.path(), &["--org", "hostile"]);
    let after = files(out.path());
    // Another organisation's files are neither rewritten nor dropped.
    for path in [
        "ty-derw/index.html",
        "ty-derw/induction.html",
        "quiet-lane/index.html",
    ] {
        assert_eq!(before[path], after[path], "{path}");
    }
    // The site dashboard still shows every organisation.
    assert_eq!(before["index.html"], after["index.html"]);

    // A Markdown-only build leaves the HTML and its links alone: every
    // file is as it was but the record of the last build, which now
    // records this one.
    build(&fixture(), out.path(), &["--format", "md"]);
    let record = ".policygen-last-build.json";
    let mut after = files(out.path());
    assert!(after.remove(record) != before.get(record).cloned());
    let mut before = before;
    before.remove(record);
    assert_eq!(after, before);
}

#[test]
fn a_removed_organisation_loses_its_dashboard() {
    let root = tempfile::tempdir().unwrap();
    copy_dir(&fixture(), root.path());
    let out = tempfile::tempdir().unwrap();
    build(root.path(), out.path(), &[]);
    assert!(out.path().join("quiet-lane/index.html").is_file());
    std::fs::remove_file(root.path().join("organisations/quiet-lane.yaml")).unwrap();
    build(root.path(), out.path(), &[]);
    assert!(!out.path().join("quiet-lane").exists());
    let doc = page(&out.path().join("index.html"));
    assert!(select(&doc, "#no-policies").is_empty());
}

fn copy_dir(from: &Path, to: &Path) {
    for (path, bytes) in files(from) {
        let target = to.join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, bytes).unwrap();
    }
}

/// Every approval state in words in both dashboards, drafts first within
/// each status group, and a changed policy's redline page linked.
#[test]
fn approval_states_in_words_drafts_first() {
    let library = crate::control::all_states();
    library.run(&["build", "--format", "html,pdf"]).success();
    // With the PDF column and links to what changed, the built-in
    // template made in pieces gives the page the whole template gives.
    crate::html::thousand::same_page_from_a_copied_template(&library, &["--format", "html,pdf"]);
    let out = library.path().join("out");
    let doc = page(&out.join("index.html"));
    let rows: Vec<String> = select(&doc, "#reviews tbody tr:not(.group)")
        .iter()
        .map(|tr| {
            let cells: Vec<String> = tr
                .select(&scraper::Selector::parse("th, td").unwrap())
                .map(|c| text(&c))
                .collect();
            let draft = if tr.attr("class") == Some("draft") {
                "draft: "
            } else {
                ""
            };
            format!(
                "{draft}{} {} | {} | {}",
                cells[0], cells[2], cells[3], cells[5]
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            "draft: Never Reviewed Home Staff Handbook Policy | Due today | Draft: never reviewed",
            "draft: Never Reviewed Home Long Document Policy | Due today | Draft: never reviewed",
            "draft: Moved Home Staff Handbook Policy | Current due in 312 days | Draft: changed since v1 What changed in Staff Handbook Policy at Moved Home",
            "draft: Moved Home Long Document Policy | Current due in 312 days | Draft: changed since v4 What changed in Long Document Policy at Moved Home",
            "draft: Waiting Home Staff Handbook Policy | Current due in 344 days | Draft: awaiting approval",
            "draft: Waiting Home Long Document Policy | Current due in 344 days | Draft: awaiting approval",
            "Signed Home Staff Handbook Policy | Current due in 312 days | Approved",
            "Signed Home Long Document Policy | Current due in 312 days | Approved",
        ]
    );
    let changes: Vec<&str> = select(&doc, "#reviews a[href$='.changes.html']")
        .iter()
        .map(|a| a.attr("href").unwrap())
        .collect();
    assert_eq!(
        changes,
        ["moved/handbook.changes.html", "moved/long.changes.html"]
    );
    assert_eq!(
        text(&select(&doc, "ul.summary li.drafts")[0]),
        "6 drafts not yet approved"
    );

    let moved = page(&out.join("moved/index.html"));
    let approvals: Vec<(String, String)> = select(&moved, "#policies span.approval")
        .iter()
        .map(|s| (s.attr("class").unwrap().to_string(), text(s)))
        .collect();
    assert_eq!(
        approvals,
        [
            (
                "approval changed".to_string(),
                "Draft: changed since v1".to_string()
            ),
            (
                "approval changed".to_string(),
                "Draft: changed since v4".to_string()
            ),
        ]
    );
    let link = select(&moved, "#policies a[href='handbook.changes.html']");
    assert_eq!(text(&link[0]), "What changed in Staff Handbook Policy");
    assert!(out.join("moved/handbook.changes.html").is_file());
    assert_eq!(
        text(&select(&moved, "ul.summary li.drafts")[0]),
        "2 drafts not yet approved"
    );
    // An approved policy's row says so in words, in green.
    let signed = page(&out.join("signed/index.html"));
    let approvals: Vec<String> = select(&signed, "#policies span.approval")
        .iter()
        .map(|s| format!("{}: {}", s.attr("class").unwrap(), text(s)))
        .collect();
    assert_eq!(approvals, ["approval approved: Approved"; 2]);
}
