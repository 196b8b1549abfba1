//! The hostile profile (`organisations/hostile.yaml` in the fixture): every
//! value tries to become markup, a link, template code or a placeholder, and
//! must come out as the literal text written, in HTML and in Markdown.

use pulldown_cmark::{Event, Parser, Tag};

use crate::html::support::{built, page, read, run, select, text};

const NAME: &str = "Evil <script>alert('name')</script> & Sons \"Care\" {{ x }} <<org_field_email>> [click](https://evil.example) <img src=x onerror=alert(1)>";
const ADDRESS: &str =
    "1 <b>Bold</b> Street & [link](javascript:alert(2)) | col | ![img](https://evil.example/x.png)";
const MOTTO: &str = "*not emphasis* {{ org_field_name }} <<org_field_name>> </style><script>alert(5)</script> {% if true %}x{% endif %}";
const REVIEWER: &str = "[x](javascript:alert(4))";
const NOTE: &str = "<img src=x onerror=alert(3)> {% raw %}";

/// Nothing in the page can run or fetch: no script, no event-handler
/// attribute, no javascript: or outside link, images only embedded. The
/// site dashboard has one script, its own filter (checked byte for byte in
/// `dashboards::the_only_script_is_the_dashboards_own`), and nothing else.
fn assert_inert(doc: &scraper::Html, what: &str) {
    assert!(
        select(doc, "iframe, object, embed, link").is_empty(),
        "{what}"
    );
    let scripts = select(doc, "script");
    if what == "index.html" {
        assert_eq!(scripts.len(), 1, "{what}");
        assert!(scripts[0].attr("src").is_none(), "{what}");
        let script: String = scripts[0].text().collect();
        assert!(
            !script.contains("Evil") && !script.contains("alert"),
            "{what}"
        );
    } else {
        assert!(scripts.is_empty(), "{what}");
    }
    assert_eq!(select(doc, "style").len(), 1, "{what}");
    for element in select(doc, "*") {
        for (name, value) in element.value().attrs() {
            assert!(
                !name.to_ascii_lowercase().starts_with("on"),
                "{what}: attribute {name}={value}"
            );
            if name == "href" || name == "src" {
                assert!(
                    !value.contains("javascript:") && !value.contains("evil.example"),
                    "{what}: {name}={value}"
                );
            }
            if name == "src" {
                assert!(value.starts_with("data:image/"), "{what}: src={value}");
            }
        }
    }
}

#[test]
fn hostile_values_are_literal_text_in_html() {
    let out = built();
    for page_path in [
        "hostile/induction.html",
        "hostile/medication.html",
        "hostile/index.html",
        "index.html",
    ] {
        let doc = page(&out.path().join(page_path));
        assert_inert(&doc, page_path);
        let body = text(&select(&doc, "body")[0]);
        assert!(
            body.contains(NAME),
            "{page_path}: the name is not shown literally:\n{body}"
        );
    }

    let doc = page(&out.path().join("hostile/induction.html"));
    assert_eq!(text(&select(&doc, ".org-name")[0]), NAME);
    assert_eq!(
        text(&select(&doc, "title")[0]),
        format!("Staff Induction Policy – {NAME}")
    );
    assert_eq!(
        select(&doc, "header img.logo")[0].attr("alt"),
        Some(format!("{NAME} logo").as_str())
    );
    // The logo placeholder in the body gets the same alternative text.
    assert_eq!(
        select(&doc, "#section-1 + .section-body img")[0].attr("alt"),
        Some(format!("{NAME} logo").as_str())
    );
    assert_eq!(
        text(&select(&doc, "#section-2")[0]),
        format!("2. Who {NAME} inducts")
    );
    let body = |id: &str| text(&select(&doc, &format!("#{id} + .section-body"))[0]);
    assert!(
        body("section-3-1-1").contains(&format!("Contact details: {ADDRESS}; 01000 000000.")),
        "{}",
        body("section-3-1-1")
    );
    assert!(
        body("section-3-2").ends_with(&format!("Our motto: {MOTTO}")),
        "{}",
        body("section-3-2")
    );
    // The only link in the body is the policy's own; none came from a value.
    let links: Vec<_> = select(&doc, "main .section-body a")
        .iter()
        .map(|a| a.attr("href").unwrap().to_string())
        .collect();
    assert_eq!(links, ["medication.html"]);
    assert!(
        select(
            &doc,
            "main .section-body em, main .section-body b, main .section-body i"
        )
        .iter()
        .all(|e| text(e) == "who to ask")
    );

    let row: Vec<String> = select(&doc, "table.reviews tbody td")
        .iter()
        .map(text)
        .collect();
    assert_eq!(
        row,
        [
            "1 September 2026",
            REVIEWER,
            "<<org_field_name>>",
            "1 & 2",
            NOTE
        ]
    );
    let closing: Vec<String> = select(&doc, ".closing dd").iter().map(text).collect();
    assert_eq!(closing[0], "Ann <i> O'Neil & \"Co\", Registered Manager");
    assert_eq!(closing[3], "<<org_field_name>> on 1 September 2026");
    assert_eq!(
        text(&select(&doc, "footer")[0]),
        format!("Copyright © 2026 – {NAME}. All rights reserved.")
    );
}

/// The text a CommonMark reader gets from `markdown`, and every link and
/// image target, and whether any raw HTML got through.
fn read_markdown(markdown: &str) -> (String, Vec<String>, bool) {
    let mut text = String::new();
    let mut targets = Vec::new();
    let mut raw_html = false;
    for event in Parser::new_ext(markdown, pulldown_cmark::Options::ENABLE_TABLES) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(_) => text.push(' '),
            Event::Html(_) | Event::InlineHtml(_) => raw_html = true,
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                targets.push(dest_url.to_string())
            }
            _ => {}
        }
    }
    (
        text.split_whitespace().collect::<Vec<_>>().join(" "),
        targets,
        raw_html,
    )
}

#[test]
fn hostile_values_are_literal_text_in_markdown() {
    let out = built();
    let markdown = read(&out.path().join("hostile/induction.md"));
    let (text, mut targets, raw_html) = read_markdown(&markdown);
    assert!(!raw_html, "raw HTML reached the Markdown:\n{markdown}");
    targets.sort();
    targets.dedup();
    assert_eq!(targets, ["logo.png", "medication.md"]);
    for value in [
        NAME,
        ADDRESS,
        MOTTO,
        REVIEWER,
        NOTE,
        "Ann <i> O'Neil & \"Co\"",
    ] {
        assert!(
            text.contains(value),
            "{value:?} is not read back literally from:\n{text}"
        );
    }
    assert!(text.contains(&format!("2. Who {NAME} inducts")));
}

#[test]
fn a_brand_colour_that_fails_contrast_is_darkened_and_check_warns() {
    let root = crate::html::support::fixture();
    let output = run(&["check", "--root", root.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(
        stderr,
        "warning: 2 organisations (hostile, ty-derw) have approved policies with no approved text in approved/, so changes to them cannot be tracked until their next approval\n  \
         = hint: they were approved before policygen kept approved texts (or by editing the profile); to track one from now on, run `policygen approve ORG POLICY --by NAME` naming the approver its newest review records\n\n\
         warning: brand colour `#ffcc00` has a contrast of 1.5:1 against the white page, below the 4.5:1 that WCAG AA needs for text; headings will use the darker `#8f7200` instead\n  \
         --> organisations/hostile.yaml:13:18\n   \
         |\n\
         13 | brand: { colour: \"#ffcc00\" }\n   \
         |                  ^^^^^^^^^\n   \
         = hint: choose a darker brand colour, such as `#8f7200`, to have it used as written\n\n"
    );

    let out = built();
    let css = read(&out.path().join("hostile/induction.html"));
    assert!(css.contains(":root { --brand: #8f7200; }"));
    let css = read(&out.path().join("ty-derw/induction.html"));
    assert!(css.contains(":root { --brand: #2b5d34; }"));
}
