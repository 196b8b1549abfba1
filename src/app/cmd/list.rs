//! `policygen list`: the policies and their variants, the organisations, and
//! which variant each organisation gets.

use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use crate::Outcome;
use crate::app::cli::{ListArgs, ListFormat};
use crate::app::ui::Ui;
use crate::build::pipeline::Checked;
use crate::control::state;
use crate::load::project::Project;

#[derive(Serialize)]
struct Listing {
    policies: Vec<PolicyListing>,
    organisations: Vec<OrgListing>,
}

#[derive(Serialize)]
struct PolicyListing {
    id: String,
    variants: Vec<VariantListing>,
}

#[derive(Serialize)]
struct VariantListing {
    id: String,
    title: String,
    code: String,
    extends: Option<String>,
    jurisdictions: Vec<String>,
    services: Vec<String>,
}

#[derive(Serialize)]
struct OrgListing {
    slug: String,
    name: String,
    jurisdiction: String,
    service: String,
    /// False when the profile has errors: it gets no documents until fixed.
    valid: bool,
    /// Policy id → the variant it gets.
    variants: std::collections::BTreeMap<String, String>,
    /// Policies the profile excludes with `exclude: true`.
    excluded: Vec<String>,
    /// Policy id → its approval state: `none`, `awaiting`, `changed`, `approved`.
    approval: std::collections::BTreeMap<String, &'static str>,
}

pub fn run(root: &Path, args: &ListArgs, today: NaiveDate, ui: &Ui) -> Outcome {
    let project = Project::load(root);
    let checked = Checked::new(&project, super::context(today));
    let listing = listing(&checked);
    match args.format {
        ListFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&listing).unwrap_or_default()
        ),
        ListFormat::Table => print_table(&listing),
    }
    ui.report(&checked.diagnostics);
    if checked.has_errors() {
        Outcome::Findings
    } else {
        Outcome::Success
    }
}

fn listing(checked: &Checked) -> Listing {
    let project = checked.project;
    let policies = project
        .policies
        .iter()
        .map(|(id, variants)| PolicyListing {
            id: id.clone(),
            variants: variants
                .iter()
                .map(|(vid, loaded)| {
                    let resolved = checked.resolved.variant(id, vid);
                    VariantListing {
                        id: vid.clone(),
                        title: resolved.map(|v| v.title.text.clone()).unwrap_or_default(),
                        code: resolved.map(|v| v.code.clone()).unwrap_or_default(),
                        extends: loaded.value.extends.as_ref().map(|e| e.value.clone()),
                        jurisdictions: loaded
                            .value
                            .applies_to
                            .jurisdictions
                            .iter()
                            .map(|j| j.value.clone())
                            .collect(),
                        services: loaded
                            .value
                            .applies_to
                            .services
                            .iter()
                            .map(|s| s.value.clone())
                            .collect(),
                    }
                })
                .collect(),
        })
        .collect();
    let organisations = project
        .organisations
        .iter()
        .map(|(slug, loaded)| OrgListing {
            slug: slug.clone(),
            name: loaded.value.name.value.clone(),
            jurisdiction: loaded.value.jurisdiction.value.clone(),
            service: loaded.value.service.value.clone(),
            valid: checked.validated.organisations.contains_key(slug),
            excluded: loaded
                .value
                .policies
                .iter()
                .filter(|(_, record)| record.exclude)
                .map(|(id, _)| id.clone())
                .collect(),
            variants: checked
                .resolved
                .assignments_of(slug)
                .iter()
                .map(|a| (a.policy.clone(), a.variant.clone()))
                .collect(),
            approval: checked
                .resolved
                .assignments_of(slug)
                .iter()
                .map(|a| (a.policy.clone(), state::of(checked, a).state.as_str()))
                .collect(),
        })
        .collect();
    Listing {
        policies,
        organisations,
    }
}

fn print_table(listing: &Listing) {
    println!("Policies");
    for policy in &listing.policies {
        println!("  {}", policy.id);
        for v in &policy.variants {
            let extends = v
                .extends
                .as_ref()
                .map(|e| format!(" (extends {e})"))
                .unwrap_or_default();
            println!(
                "    {:<20} {:<8} {}{extends}\n    {:<20} applies to {} × {}",
                v.id,
                v.code,
                v.title,
                "",
                v.jurisdictions.join(", "),
                v.services.join(", ")
            );
        }
    }
    println!();
    println!("Organisations");
    let width = listing
        .organisations
        .iter()
        .map(|o| o.slug.len())
        .max()
        .unwrap_or(0);
    for org in &listing.organisations {
        let mut gets: Vec<String> = org
            .variants
            .iter()
            .map(|(p, v)| {
                let approval = org.approval.get(p).copied().unwrap_or_default();
                format!("{p}: {v} ({approval})")
            })
            .collect();
        gets.extend(org.excluded.iter().map(|p| format!("{p}: excluded")));
        let variants = if !org.valid {
            "(the profile has errors: run `policygen check`)".to_string()
        } else if gets.is_empty() {
            "(no policy applies)".to_string()
        } else {
            gets.join(", ")
        };
        println!(
            "  {:<width$}  {:<6} {:<17} {variants}",
            org.slug, org.jurisdiction, org.service
        );
    }
}
