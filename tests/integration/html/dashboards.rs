//! The review dashboards: `index.html` for every organisation and
//! `<org>/index.html` for one, worst first, status in words as well as colour,
//! links that lead somewhere.

use std::path::Path;

use crate::html::support::{build, built, cells, files, fixture, page, read, select, text};

/// The rows of each schedule table on a page, as text.
fn tables(doc: &scraper::Html) -> Vec<Vec<String>> {
    select(doc, "table.schedule")
        .iter()
        .map(|table| {
            table
                .select(&scraper::Selector::parse("tbody tr").unwrap())
                .map(|tr| cells(&tr))
                .collect()
        })
        .collect()
}

#[test]
fn site_dashboard_lists_every_organisation_worst_first() {
    let out = built();
    let doc = page(&out.path().join("index.html"));
    assert_eq!(select(&doc, "html")[0].attr("lang"), Some("en-GB"));
    assert_eq!(text(&select(&doc, "h1")[0]), "Policy reviews");
    let totals: Vec<String> = select(&doc, "ul.summary li").iter().map(text).collect();
    assert_eq!(
        totals,
        [
            "1 overdue",
            "2 due",
            "1 current",
            "1 draft not yet approved"
        ]
    );

    // Organisations with policies, the one with the most urgent review first.
    let orgs: Vec<(String, String)> = select(&doc, "main h2[id^=org-] a")
        .iter()
        .map(|a| (text(a), a.attr("href").unwrap().to_string()))
        .collect();
    assert_eq!(
        orgs[0],
        (
            "Tŷ Derw Care Home".to_string(),
            "ty-derw/index.html".to_string()
        )
    );
    assert!(orgs[1].0.starts_with("Evil <script>"));
    assert_eq!(orgs[1].1, "hostile/index.html");
    assert_eq!(orgs.len(), 2);

    let tables = tables(&doc);
    assert_eq!(
        tables[0],
        [
            "Staff Induction Policy | IND-01 | Overdue 175 days overdue | Approved | 1 June 2025 | 1 June 2026 | 12 months | Web page of Staff Induction Policy PDF of Staff Induction Policy Word of Staff Induction Policy Markdown of Staff Induction Policy",
            "Medication Policy | MED-01 | Due due in 17 days | Approved | 10 December 2025 | 10 December 2026 | 12 months | Web page of Medication Policy PDF of Medication Policy Word of Medication Policy Markdown of Medication Policy",
        ]
    );
    // A draft comes first, its approval in words; never reviewed, its first
    // review is due today.
    assert_eq!(
        tables[1],
        [
            "Medication Policy | MED-01 | Due due today | Draft: never reviewed | Not yet reviewed | 23 November 2026 | 12 months | Web page of Medication Policy PDF of Medication Policy Word of Medication Policy Markdown of Medication Policy",
            "Staff Induction Policy | IND-01 | Current due in 282 days | Approved | 1 September 2026 | 1 September 2027 | 12 months | Web page of Staff Induction Policy PDF of Staff Induction Policy Word of Staff Induction Policy Markdown of Staff Induction Policy",
        ]
    );
    // Status is a word, with the colour as a class on the same element.
    let badges: Vec<(String, String)> = select(&doc, "span.status")
        .iter()
        .map(|s| (s.attr("class").unwrap().to_string(), text(s)))
        .collect();
    assert_eq!(
        badges[0],
        ("status status-overdue".to_string(), "Overdue".to_string())
    );
    assert_eq!(
        badges[1],
        ("status status-due".to_string(), "Due".to_string())
    );
    assert_eq!(
        badges[3],
        ("status status-current".to_string(), "Current".to_string())
    );
    let approvals: Vec<String> = select(&doc, "span.approval")
        .iter()
        .map(|s| s.attr("class").unwrap().to_string())
        .collect();
    assert_eq!(
        approvals,
        [
            "approval approval-approved",
            "approval approval-approved",
            "approval approval-none",
            "approval approval-approved"
        ]
    );

    // The organisation no policy applies to is listed apart.
    let idle: Vec<String> = select(&doc, "#no-policies ~ ul li")
        .iter()
        .map(text)
        .collect();
    assert_eq!(idle, ["Quiet Lane Home Care"]);
    assert_eq!(
        select(&doc, "nav.site-nav a")[0].attr("href"),
        Some("reviews.ics")
    );
}

#[test]
fn organisation_dashboard_lists_its_policies() {
    let out = built();
    let doc = page(&out.path().join("ty-derw/index.html"));
    assert_eq!(text(&select(&doc, "h1")[0]), "Tŷ Derw Care Home");
    assert_eq!(
        text(&select(&doc, "title")[0]),
        "Tŷ Derw Care Home – policy reviews"
    );
    let tables = tables(&doc);
    assert_eq!(tables.len(), 1);
    assert_eq!(tables[0].len(), 2);
    assert!(tables[0][0].starts_with("Staff Induction Policy | IND-01 | Overdue"));
    let links: Vec<_> = select(&doc, "table.schedule a")
        .iter()
        .map(|a| a.attr("href").unwrap().to_string())
        .collect();
    assert_eq!(
        links[..5],
        [
            "induction.html",
            "induction.html",
            "induction.pdf",
            "induction.docx",
            "induction.md"
        ]
    );
    let nav: Vec<_> = select(&doc, "nav.site-nav a")
        .iter()
        .map(|a| a.attr("href").unwrap().to_string())
        .collect();
    assert_eq!(nav, ["../index.html", "../reviews.ics"]);
    assert!(read(&out.path().join("ty-derw/index.html")).contains(":root { --brand: #2b5d34; }"));

    let idle = page(&out.path().join("quiet-lane/index.html"));
    assert_eq!(
        text(&select(&idle, "p.empty")[0]),
        "No policy in the library applies to this organisation yet."
    );
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

    // A Markdown-only build leaves the HTML and its links alone.
    build(&fixture(), out.path(), &["--format", "md"]);
    assert_eq!(files(out.path()), before);
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
