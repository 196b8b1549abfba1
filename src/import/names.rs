//! Placeholders in the imported text, checked where the input wrote them:
//! a name no document fills is an error at its input line with "did you
//! mean"; an `org_field_*` name that is not one of a profile's own values is
//! a warning (organisations then need it under `fields:`); a placeholder
//! that expands to a list must stand on a line of its own.

use crate::diagnostic::{self, Diagnostic};
use crate::document::placeholder::{self, BLOCK_NAMES, DOCUMENT_NAMES};
use crate::import::outline::Section;
use crate::import::{Kind, Line, Request, location, place};

/// The `org_field_*` names every profile can fill from its own keys.
const PROFILE_FIELDS: &[&str] = &[
    "org_field_name",
    "org_field_registration_no",
    "org_field_jurisdiction",
    "org_field_service",
    "org_field_address",
    "org_field_phone",
    "org_field_email",
    "org_field_website",
    "org_field_brand_colour",
    "org_field_review_cycle",
    "org_field_logo",
    "org_field_registered_manager_first_name",
    "org_field_registered_manager_last_name",
    "org_field_registered_manager_name",
    "org_field_responsible_individual_first_name",
    "org_field_responsible_individual_last_name",
    "org_field_responsible_individual_name",
];

pub fn check(
    request: &Request,
    kind: Kind,
    lines: &[Line],
    sections: &[Section],
    findings: &mut Vec<Diagnostic>,
) {
    let path = request.path;
    let known: Vec<&str> = DOCUMENT_NAMES
        .iter()
        .chain(BLOCK_NAMES)
        .chain(PROFILE_FIELDS)
        .copied()
        .chain(request.profile_fields.iter().map(String::as_str))
        .collect();
    let mut indices: Vec<usize> = Vec::new();
    for s in sections {
        indices.push(s.index);
        indices.extend(&s.body_lines);
    }
    for i in indices {
        let line = &lines[i];
        for p in placeholder::scan(&line.raw) {
            let name = p.name.as_str();
            let base = name.strip_suffix("_cap").unwrap_or(name);
            let column = line.raw[..p.start].chars().count() + 1;
            let width = p.literal(&line.raw).chars().count();
            let at = location(kind, line, column, width);
            let where_ = if kind == Kind::Docx {
                format!(" in {}", place(kind, line.no))
            } else {
                String::new()
            };
            if BLOCK_NAMES.contains(&name) {
                if line.raw.trim() != p.literal(&line.raw) {
                    findings.push(
                        Diagnostic::error(format!("placeholder `{name}` must stand on a line of its own{where_}"))
                            .in_file(path)
                            .at(at)
                            .with_hint("it expands to a list or a picture; put it on its own line in the document and import again"),
                    );
                }
                continue;
            }
            if known.contains(&base) {
                continue;
            }
            let hint = diagnostic::did_you_mean(name, known.iter().copied());
            // A field no profile defines and close to one that exists is a
            // typo; one far from any is the provider's own, to add to profiles.
            if let (Some(field), None) = (base.strip_prefix("org_field_"), &hint) {
                findings.push(
                    Diagnostic::warning(format!(
                        "placeholder `{name}` is not a value any profile has yet{where_}"
                    ))
                    .in_file(path)
                    .at(at)
                    .with_hint(format!(
                        "every organisation using this policy needs `{field}: …` under `fields:` in its profile"
                    )),
                );
                continue;
            }
            findings.push(
                Diagnostic::error(format!("unknown placeholder `{name}`{where_}"))
                    .in_file(path)
                    .at(at)
                    .with_hint(hint.unwrap_or_else(|| {
                        "see the placeholder table in the README for the names you can use; correct it in the document and import again".into()
                    })),
            );
        }
    }
}
