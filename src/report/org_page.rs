//! An organisation's dashboard, `out/<org>/index.html`: who the
//! organisation is (logo, name, registration number, regulator, service,
//! Registered Manager and Responsible Individual) above its policies and
//! their review status, worst first, linking to each document and to the
//! organisation's own calendar. Script-free, like every page but the site
//! dashboard.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::GENERATOR;
use crate::diagnostic::Diagnostic;
use crate::model::jurisdiction::service_label;
use crate::render::html;
use crate::report::dashboard::{
    self, CALENDAR, Counts, Group, RowView, Shared, Totals, groups, org_calendar, org_index,
    row_view,
};
use crate::review::schedule::Row;

/// The organisation dashboard's template.
pub const TEMPLATE: &str = "organisation.html";

/// One line of the organisation's details.
#[derive(Debug, Clone, Serialize)]
struct Fact {
    label: String,
    value: String,
}

#[derive(Debug, Clone, Serialize)]
struct OrgPage<'a> {
    title: String,
    name: String,
    logo_src: Option<String>,
    logo_alt: String,
    facts: Vec<Fact>,
    build_date: String,
    due_within: u32,
    totals: Counts,
    groups: Vec<Group>,
    home: &'static str,
    calendar: &'static str,
    /// This organisation's calendar's published address, to subscribe to.
    subscribe: Option<String>,
    brand: String,
    css: &'a str,
    generator: &'static str,
}

/// Makes the page of every organisation in `pages_for` and hands each to
/// `on_page` as soon as it is made.
pub(crate) fn pages(
    shared: &Shared,
    rows: &[Row],
    pages_for: &BTreeSet<String>,
    on_page: &mut dyn FnMut(String, Vec<u8>) -> Result<(), Diagnostic>,
) -> Result<(), Diagnostic> {
    if pages_for.is_empty() {
        return Ok(());
    }
    let templates = &shared.checked.project.templates;
    let (tera, template_path) = html::compile(templates, TEMPLATE)?;
    let mut by_org: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
    for row in rows {
        by_org.entry(row.org.as_str()).or_default().push(row);
    }
    for slug in pages_for {
        let Some(view) = page(shared, slug, by_org.get(slug.as_str())) else {
            continue;
        };
        let path = org_index(slug);
        let bytes = dashboard::render_with(&tera, &template_path, TEMPLATE, &view, &path)?;
        on_page(slug.clone(), bytes)?;
    }
    Ok(())
}

/// The view of one organisation's page; `None` for one that did not validate.
fn page<'a>(shared: &'a Shared, slug: &str, rows: Option<&Vec<&Row>>) -> Option<OrgPage<'a>> {
    let checked = shared.checked;
    let facts = checked.validated.organisations.get(slug)?;
    let profile = &checked.project.organisations.get(slug)?.value;
    let jurisdiction = &checked
        .project
        .jurisdictions
        .get(&facts.jurisdiction)?
        .value;
    let terms = jurisdiction.services.get(&facts.service);
    let name = profile.name.value.trim().to_string();
    let rows: &[&Row] = rows.map_or(&[], Vec::as_slice);

    let mut details = vec![
        Fact {
            label: jurisdiction.registration.label.clone(),
            value: profile.registration_no.value.0.trim().to_string(),
        },
        Fact {
            label: "Regulator".into(),
            value: format!(
                "{} ({})",
                jurisdiction.regulator.name, jurisdiction.regulator.short
            ),
        },
        Fact {
            label: "Service".into(),
            value: capitalised(service_label(&facts.service)),
        },
    ];
    let people = [
        (
            terms.map_or("Registered Manager", |t| t.manager.as_str()),
            &profile.registered_manager,
        ),
        (
            terms.map_or("Responsible Individual", |t| t.responsible.as_str()),
            &profile.responsible_individual,
        ),
    ];
    for (role, person) in people {
        details.push(Fact {
            label: role.to_string(),
            value: person
                .as_ref()
                .map_or("not named in the profile".to_string(), |p| p.full()),
        });
    }
    let brand = html::brand(facts.brand_colour.as_deref());
    let views = rows
        .iter()
        .map(|r| (r.status, row_view(shared, r).within_org(slug)))
        .collect::<Vec<(_, RowView)>>();
    Some(OrgPage {
        title: format!("{name} – policy reviews"),
        logo_src: checked.project.logos.get(slug).map(html::logo_data_uri),
        logo_alt: format!("{name} logo"),
        name,
        facts: details,
        build_date: (shared.date)(checked.context.today),
        due_within: checked.context.due_within,
        totals: Totals::of(rows.iter().copied()).into(),
        groups: groups(views),
        home: "../index.html",
        calendar: CALENDAR,
        subscribe: shared.publish.absolute(&org_calendar(slug)),
        brand,
        css: &shared.css,
        generator: GENERATOR,
    })
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or(String::new(), |first| {
        first.to_uppercase().chain(chars).collect()
    })
}
