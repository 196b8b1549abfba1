//! One document rendered from arbitrary profile values. The profile is
//! written as JSON (which YAML reads) from structured arbitrary values, so
//! the run reaches rendering; then the Markdown must hold no raw HTML, no
//! link or image other than policygen's own, and the organisation's name as
//! literal text.

#![no_main]

mod common;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use policygen::build::pipeline::Checked;
use policygen::load::project::Project;
use policygen::render::{self, Format};
use pulldown_cmark::{Event, Parser, Tag};

#[derive(Debug, Arbitrary)]
struct Profile {
    name: String,
    registration: Registration,
    place: u8,
    manager: Option<(String, String)>,
    responsible: Option<(String, String)>,
    address: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    website: Option<String>,
    colour: Option<(u8, u8, u8)>,
    cycle: Option<(u16, u8)>,
    reviews: Vec<Review>,
    fields: Vec<(String, String)>,
}

#[derive(Debug, Arbitrary)]
enum Registration {
    Valid,
    Other(String),
}

#[derive(Debug, Arbitrary)]
struct Review {
    day: u16,
    by: Option<String>,
    approved_by: Option<String>,
    version: Option<String>,
    note: Option<String>,
}

fuzz_target!(|profile: Profile| {
    use serde_json::{Map, Value, json};
    let places = [
        ("cqc", "care-home", "1-123456789"),
        ("ciw", "care-home", "SIN-00012345-ABCD"),
        ("ciw", "domiciliary", "SIN-00012345-ABCD"),
        ("ofsted", "childrens-home", "SC123456"),
        ("cqc", "supported-living", "1-123456789"),
    ];
    let (jurisdiction, service, valid) = places[profile.place as usize % places.len()];
    let mut map = Map::new();
    map.insert("name".into(), json!(profile.name));
    map.insert(
        "registration_no".into(),
        json!(match &profile.registration {
            Registration::Valid => valid.to_string(),
            Registration::Other(text) => text.clone(),
        }),
    );
    map.insert("jurisdiction".into(), json!(jurisdiction));
    map.insert("service".into(), json!(service));
    for (key, person) in [
        ("registered_manager", &profile.manager),
        ("responsible_individual", &profile.responsible),
    ] {
        if let Some((first, last)) = person {
            map.insert(key.into(), json!({ "first_name": first, "last_name": last }));
        }
    }
    for (key, value) in [
        ("address", &profile.address),
        ("phone", &profile.phone),
        ("email", &profile.email),
        ("website", &profile.website),
    ] {
        if let Some(value) = value {
            map.insert(key.into(), json!(value));
        }
    }
    if let Some((r, g, b)) = profile.colour {
        map.insert("brand".into(), json!({ "colour": format!("#{r:02x}{g:02x}{b:02x}") }));
    }
    if let Some((count, unit)) = profile.cycle {
        let unit = ["days", "weeks", "months", "years"][unit as usize % 4];
        map.insert("review_cycle".into(), json!(format!("{} {unit}", count % 40 + 1)));
    }
    let start = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).expect("a real date");
    let mut days: Vec<u16> = profile.reviews.iter().map(|r| r.day % 2500).collect();
    days.sort_unstable();
    let reviews: Vec<Value> = profile
        .reviews
        .iter()
        .zip(days)
        .map(|(r, day)| {
            let date = start + chrono::Days::new(day.into());
            let mut review = Map::new();
            review.insert("date".into(), json!(date.to_string()));
            for (key, value) in [
                ("by", &r.by),
                ("approved_by", &r.approved_by),
                ("version", &r.version),
                ("note", &r.note),
            ] {
                if let Some(value) = value {
                    review.insert(key.into(), json!(value));
                }
            }
            Value::Object(review)
        })
        .collect();
    map.insert("policies".into(), json!({ "sample": { "reviews": reviews } }));
    let mut fields = Map::new();
    fields.insert("motto".into(), json!(""));
    for (key, value) in &profile.fields {
        fields.insert(key.clone(), json!(value));
    }
    map.insert("fields".into(), Value::Object(fields));
    let yaml = Value::Object(map).to_string();

    let policy = POLICY_WITH_FIELDS;
    let mut files: Vec<(&str, &str)> = common::JURISDICTIONS.to_vec();
    files.push(("policies/sample/standard.yaml", policy));
    files.push(("organisations/fuzz.yaml", &yaml));
    let project = Project::from_sources(files);
    let checked = Checked::new(&project, common::context());
    common::check_findings(&project, &checked.diagnostics);
    if checked.has_errors() {
        return;
    }
    let renderers = match render::renderers(Format::AVAILABLE, &project) {
        Ok(renderers) => renderers,
        Err(findings) => panic!("the bundled templates fail: {findings:#?}"),
    };
    let mut artifacts = Vec::new();
    for assignment in &checked.resolved.assignments {
        let document = match checked.document(assignment) {
            Ok(document) => document,
            Err(findings) => {
                common::check_findings(&project, &findings);
                continue;
            }
        };
        for renderer in &renderers {
            match renderer.render(&document) {
                Ok(files) => artifacts.extend(files),
                Err(finding) => common::check_findings(&project, &[finding]),
            }
        }
    }
    let name = profile.name.trim();
    for artifact in &artifacts {
        if artifact.path.ends_with(".html") {
            // Whatever the values, the page runs no script and loads nothing.
            let html = std::str::from_utf8(&artifact.bytes).expect("HTML is UTF-8");
            let lower = html.to_ascii_lowercase();
            for forbidden in ["<script", "javascript:", " onerror=", " onload=", "<iframe", "<img src=\"http"] {
                assert!(!lower.contains(forbidden), "{forbidden} in {}:\n{html}", artifact.path);
            }
            continue;
        }
        if !artifact.path.ends_with(".md") {
            continue;
        }
        let markdown = std::str::from_utf8(&artifact.bytes).expect("Markdown is UTF-8");
        let mut text = String::new();
        for event in Parser::new_ext(markdown, pulldown_cmark::Options::ENABLE_TABLES) {
            match event {
                Event::Html(html) | Event::InlineHtml(html) => {
                    panic!("raw HTML {html:?} in\n{markdown}")
                }
                Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                    assert!(
                        dest_url.ends_with(".md") && !dest_url.contains(':')
                            || dest_url.as_ref() == "logo.png"
                            || dest_url.as_ref() == "logo.jpg",
                        "link to {dest_url:?} in\n{markdown}"
                    );
                }
                Event::Text(t) => text.push_str(&t),
                _ => text.push(' '),
            }
        }
        let collapse = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let plain = !name.chars().any(|c| c.is_control() || c == '\u{fffd}');
        if plain && !name.is_empty() {
            assert!(
                collapse(&text).contains(&collapse(name)),
                "name {name:?} is not literal text in\n{markdown}"
            );
        }
    }
});

/// The sample policy, with the free-form field every profile here has.
const POLICY_WITH_FIELDS: &str = concat!(
    include_str!("../../tests/fixtures/base/policies/sample/standard.yaml"),
    "  - id: motto\n    title: Motto <<org_field_motto>>\n    body: |\n      <<org_field_name_cap>> says: <<org_field_motto>>; <<current_year>>, <<last_update_date>>.\n"
);
