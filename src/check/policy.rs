//! Checks of the policy sources as written, before `extends` is applied:
//! policy and variant ids, `applies_to`, `when` and related policies.

use crate::check::is_slug;
use crate::diagnostic::{self, Diagnostic};
use crate::load::project::{Loaded, Project};
use crate::model::jurisdiction::SERVICES;
use crate::model::policy::{SectionSource, VariantSource, When};

/// Checks every variant file of every policy.
pub fn check_sources(project: &Project, findings: &mut Vec<Diagnostic>) {
    for (policy_id, variants) in &project.policies {
        // Ids become output file names and link targets: keep them plain.
        if !is_slug(policy_id) {
            findings.push(
            Diagnostic::error(format!("policy folder name `{policy_id}` is not a valid policy id"))
                .in_file(format!("policies/{policy_id}"))
                .with_hint("rename the folder using lowercase letters, digits and hyphens, e.g. `policies/key-worker`"),
        );
        }
        for (variant_id, loaded) in variants {
            if !is_slug(variant_id) {
                findings.push(
                Diagnostic::error(format!("variant file name `{variant_id}` is not a valid variant id"))
                    .in_source(project.file(loaded.file))
                    .with_hint("rename the file using lowercase letters, digits and hyphens, e.g. `ciw-care-home.yaml`"),
            );
            }
            check_applies_to(project, policy_id, variant_id, loaded, findings);
            check_source(project, loaded, findings);
        }
    }
}

/// Checks what a variant file names: `when` jurisdictions and services, and
/// related policies the library does not ship.
fn check_source(project: &Project, loaded: &Loaded<VariantSource>, findings: &mut Vec<Diagnostic>) {
    let file = project.file(loaded.file);
    let source = &loaded.value;
    let mut whens: Vec<&When> = Vec::new();
    fn collect<'a>(sections: &'a [SectionSource], out: &mut Vec<&'a When>) {
        for s in sections {
            out.extend(&s.when);
            collect(&s.sections, out);
        }
    }
    collect(source.sections.as_deref().unwrap_or_default(), &mut whens);
    for op in &source.add {
        collect(std::slice::from_ref(&op.section), &mut whens);
    }
    for op in &source.replace {
        whens.extend(&op.when);
        collect(op.sections.as_deref().unwrap_or_default(), &mut whens);
    }
    for when in whens {
        for j in &when.jurisdictions {
            if !project.jurisdictions.contains_key(&j.value)
                && !project.has_file("jurisdictions", &j.value)
            {
                let known: Vec<&str> = project.jurisdictions.keys().map(String::as_str).collect();
                findings.push(
                    file.error(
                        format!("unknown jurisdiction `{}` in `when`", j.value),
                        file.location_of_span(j, j.value.chars().count()),
                    )
                    .with_hint(
                        diagnostic::did_you_mean(&j.value, known.iter().copied()).unwrap_or_else(
                            || format!("jurisdictions in this library: {}", known.join(", ")),
                        ),
                    ),
                );
            }
        }
        for s in &when.services {
            if !SERVICES.contains(&s.value.as_str()) {
                findings.push(
                    file.error(
                        format!("unknown service `{}` in `when`", s.value),
                        file.location_of_span(s, s.value.chars().count()),
                    )
                    .with_hint(
                        diagnostic::did_you_mean(&s.value, SERVICES.iter().copied())
                            .unwrap_or_else(|| format!("services are: {}", SERVICES.join(", "))),
                    ),
                );
            }
        }
    }
    for related in source.related.iter().flatten() {
        let id = &related.id;
        if related.title.is_none() && !project.policies.contains_key(&id.value) {
            findings.push(
                file.error(
                    format!("related policy `{}` is not in this library", id.value),
                    file.location_of_span(id, id.value.chars().count()),
                )
                .with_hint(project.policy_hint(&id.value).unwrap_or_else(|| {
                    format!(
                        "give its title and code so documents can name it: `{{ id: {}, title: …, code: … }}`",
                        id.value
                    )
                })),
            );
        }
    }
}

fn check_applies_to(
    project: &Project,
    policy_id: &str,
    variant_id: &str,
    loaded: &Loaded<VariantSource>,
    findings: &mut Vec<Diagnostic>,
) {
    let file = project.file(loaded.file);
    let applies = &loaded.value.applies_to;
    for j in &applies.jurisdictions {
        if !project.jurisdictions.contains_key(&j.value)
            && !project.has_file("jurisdictions", &j.value)
        {
            findings.push(
                file.error(
                    format!("unknown jurisdiction `{}`", j.value),
                    file.location_of_span(j, j.value.chars().count()),
                )
                .with_hint_opt(diagnostic::did_you_mean(
                    &j.value,
                    project.jurisdictions.keys().map(String::as_str),
                )),
            );
        }
    }
    for s in &applies.services {
        if !SERVICES.contains(&s.value.as_str()) {
            findings.push(
                file.error(
                    format!("unknown service `{}`", s.value),
                    file.location_of_span(s, s.value.chars().count()),
                )
                .with_hint(
                    diagnostic::did_you_mean(&s.value, SERVICES.iter().copied())
                        .unwrap_or_else(|| format!("services are: {}", SERVICES.join(", "))),
                ),
            );
        }
    }
    if applies.jurisdictions.is_empty() || applies.services.is_empty() {
        findings.push(
            file.error(
                format!("variant `{policy_id}/{variant_id}` applies to no organisation"),
                file.find_key("applies_to"),
            )
            .with_hint("list at least one jurisdiction and one service under `applies_to`"),
        );
    }
}
