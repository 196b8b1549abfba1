//! `policygen list`: the policies and their variants, the organisations, and
//! which variant each organisation gets, as JSON or a table.

use crate::control::state;
use std::fmt::Write;

use serde::Serialize;

use crate::resolve::checked::Checked;

#[derive(Serialize)]
pub struct Listing {
    pub policies: Vec<PolicyListing>,
    pub organisations: Vec<OrgListing>,
}

#[derive(Serialize)]
pub struct PolicyListing {
    pub id: String,
    pub variants: Vec<VariantListing>,
}

#[derive(Serialize)]
pub struct VariantListing {
    pub id: String,
    pub title: String,
    pub code: String,
    pub extends: Option<String>,
    pub jurisdictions: Vec<String>,
    pub services: Vec<String>,
}

#[derive(Serialize)]
pub struct OrgListing {
    pub slug: String,
    pub name: String,
    pub jurisdiction: String,
    pub service: String,
    /// False when the profile has errors: it gets no documents until fixed.
    pub valid: bool,
    /// Policy id → the variant it gets.
    pub variants: std::collections::BTreeMap<String, String>,
    /// Policies the profile excludes with `exclude: true`.
    pub excluded: Vec<String>,
    /// Policy id → its approval state: `none`, `awaiting`, `changed`, `approved`.
    pub approval: std::collections::BTreeMap<String, &'static str>,
}

/// The listing of a checked project.
pub fn listing(checked: &Checked) -> Listing {
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

/// The listing as the table `list` prints.
pub fn table(listing: &Listing) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Policies");
    for policy in &listing.policies {
        let _ = writeln!(out, "  {}", policy.id);
        for v in &policy.variants {
            let extends = v
                .extends
                .as_ref()
                .map(|e| format!(" (extends {e})"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
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
    out.push('\n');
    let _ = writeln!(out, "Organisations");
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
        let _ = writeln!(
            out,
            "  {:<width$}  {:<6} {:<17} {variants}",
            org.slug, org.jurisdiction, org.service
        );
    }
    out
}
