//! What an import needs from the library it writes into: the jurisdictions
//! (their registration labels are boilerplate; the result is checked
//! against them), the other variants of the policy that would apply to the
//! same organisations, and the organisations that will get the new one.

use crate::diagnostic::Diagnostic;
use crate::load::project::Project;

/// The library's jurisdiction labels and files, for [`super::Request`].
pub fn jurisdictions(project: &Project) -> (Vec<String>, Vec<(String, String)>) {
    let labels = project
        .jurisdictions
        .values()
        .map(|j| j.value.registration.label.clone())
        .collect();
    let files = project
        .jurisdictions
        .values()
        .map(|j| {
            let file = project.file(j.file);
            (file.path.clone(), file.text.clone())
        })
        .collect();
    (labels, files)
}

/// A warning for each other variant of `policy` that also applies to
/// `jurisdiction` and `service`: organisations would then get two variants,
/// which `check` refuses.
pub fn conflicts(
    project: &Project,
    policy: &str,
    variant: &str,
    jurisdiction: &str,
    service: &str,
) -> Vec<Diagnostic> {
    let Some(variants) = project.policies.get(policy) else {
        return Vec::new();
    };
    variants
        .iter()
        .filter(|(id, _)| id.as_str() != variant)
        .filter(|(_, v)| {
            let applies = &v.value.applies_to;
            applies.jurisdictions.iter().any(|j| j.value == jurisdiction)
                && applies.services.iter().any(|s| s.value == service)
        })
        .map(|(id, v)| {
            Diagnostic::warning(format!(
                "variant `{policy}/{id}` also applies to {jurisdiction} {service} services"
            ))
            .in_file(&project.file(v.file).path)
            .with_hint(format!(
                "each organisation gets exactly one variant of a policy: delete `{}` if the imported text replaces it, or narrow its `applies_to`",
                project.file(v.file).path
            ))
        })
        .collect()
}

/// A warning naming the organisations the new variant leaves without one:
/// those of the same service under another jurisdiction that no other
/// variant covers. `check` refuses an organisation whose service a policy
/// covers but not its jurisdiction, so these would stop the next build.
pub fn uncovered(
    project: &Project,
    policy: &str,
    variant: &str,
    jurisdiction: &str,
    service: &str,
) -> Option<Diagnostic> {
    let covered = |j: &str| {
        project.policies.get(policy).is_some_and(|variants| {
            variants.iter().any(|(id, v)| {
                let applies = &v.value.applies_to;
                id.as_str() != variant
                    && applies.jurisdictions.iter().any(|x| x.value == j)
                    && applies.services.iter().any(|x| x.value == service)
            })
        })
    };
    let missing: Vec<String> = project
        .organisations
        .iter()
        .filter(|(_, o)| !o.value.policies.get(policy).is_some_and(|p| p.exclude))
        .filter(|(_, o)| {
            o.value.service.value == service
                && o.value.jurisdiction.value != jurisdiction
                && !covered(&o.value.jurisdiction.value)
        })
        .map(|(slug, o)| format!("{slug} ({} {service})", o.value.jurisdiction.value))
        .collect();
    if missing.is_empty() {
        return None;
    }
    Some(
        Diagnostic::warning(format!(
            "no variant of `{policy}` applies to {}",
            missing.join(", ")
        ))
        .with_hint(format!(
            "`check` and `build` refuse an organisation whose service a policy covers but not its jurisdiction: import or write a variant for it, or set `policies: {{ {policy}: {{ exclude: true }} }}` in its profile"
        )),
    )
}

/// The organisations of the library the new variant will serve.
pub fn organisations<'p>(
    project: &'p Project,
    policy: &str,
    jurisdiction: &str,
    service: &str,
) -> Vec<&'p str> {
    project
        .organisations
        .iter()
        .filter(|(_, o)| {
            o.value.jurisdiction.value == jurisdiction
                && o.value.service.value == service
                && !o.value.policies.get(policy).is_some_and(|p| p.exclude)
        })
        .map(|(slug, _)| slug.as_str())
        .collect()
}

/// The address, phone, email and website of every profile of the library.
pub fn contacts(project: &Project) -> Vec<String> {
    let mut found = std::collections::BTreeSet::new();
    for org in project.organisations.values() {
        let o = &org.value;
        for value in [&o.address, &o.phone, &o.email, &o.website]
            .into_iter()
            .flatten()
        {
            let value = value.0.trim();
            if !value.is_empty() {
                found.insert(value.to_string());
            }
        }
    }
    found.into_iter().collect()
}

/// Every `org_field_*` name some profile of the library defines under `fields:`.
pub fn profile_fields(project: &Project) -> Vec<String> {
    let mut names = std::collections::BTreeMap::new();
    for org in project.organisations.values() {
        for (key, value) in &org.value.fields {
            value.flatten_into(&format!("org_field_{key}"), &mut names);
        }
    }
    names.into_keys().collect()
}
