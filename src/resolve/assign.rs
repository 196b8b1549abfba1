//! Assignment: the one variant of each policy that applies to each
//! organisation, by its jurisdiction and service.

use crate::check::Validated;
use crate::diagnostic::Diagnostic;
use crate::load::project::Project;
use crate::resolve::{Assignment, Resolved};

/// Picks the one applicable variant of each policy for each organisation.
///
/// A policy none of whose variants covers the organisation's service does not
/// apply to it and is skipped; one that covers the service but has no variant
/// for the organisation's jurisdiction, or has several, is an error.
pub(super) fn assign(
    project: &Project,
    validated: &Validated,
    resolved: &mut Resolved,
    findings: &mut Vec<Diagnostic>,
) {
    let mut assignments = Vec::new();
    for (slug, org) in &validated.organisations {
        let file = project.file(org.file);
        for (policy_id, variants) in &project.policies {
            if org.policies.get(policy_id).is_some_and(|p| p.exclude) {
                continue;
            }
            let sources = variants.iter();
            let covers_service = sources.clone().any(|(_, v)| {
                v.value
                    .applies_to
                    .services
                    .iter()
                    .any(|s| s.value == org.service)
            });
            let candidates: Vec<&str> = sources
                .filter(|(_, v)| {
                    v.value
                        .applies_to
                        .services
                        .iter()
                        .any(|s| s.value == org.service)
                        && v.value
                            .applies_to
                            .jurisdictions
                            .iter()
                            .any(|j| j.value == org.jurisdiction)
                })
                .map(|(id, _)| id.as_str())
                .collect();
            match candidates.as_slice() {
                [] if !covers_service => {}
                [] => findings.push(
                    Diagnostic::error(format!(
                        "no variant of policy `{policy_id}` applies to organisation `{slug}` ({} {})",
                        org.jurisdiction, org.service
                    ))
                    .in_source(file)
                    .with_hint(format!(
                        "candidates for `{}` services: {}; add `{}` to one variant's `applies_to.jurisdictions`, or set `policies: {{ {policy_id}: {{ exclude: true }} }}` in the profile",
                        org.service,
                        variants
                            .iter()
                            .filter(|(_, v)| v.value.applies_to.services.iter().any(|s| s.value == org.service))
                            .map(|(id, _)| id.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                        org.jurisdiction
                    )),
                ),
                [variant] => {
                    if resolved.variant(policy_id, variant).is_some() {
                        assignments.push(Assignment {
                            org: slug.clone(),
                            policy: policy_id.clone(),
                            variant: variant.to_string(),
                        });
                    }
                }
                several => findings.push(
                    Diagnostic::error(format!(
                        "{} variants of policy `{policy_id}` apply to organisation `{slug}`: {}",
                        several.len(),
                        several.join(", ")
                    ))
                    .in_source(file)
                    .with_hint("narrow the variants' `applies_to` so exactly one matches this jurisdiction and service"),
                ),
            }
        }
    }
    assignments.sort();
    resolved.assignments = assignments;
}
