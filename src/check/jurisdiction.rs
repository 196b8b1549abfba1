//! Checks of each jurisdiction file against itself: its id, its
//! registration-number pattern and example, its services and languages.

use regex_lite::Regex;

use crate::check::is_slug;
use crate::diagnostic::{self, Diagnostic};
use crate::load::project::Loaded;
use crate::load::source::SourceFile;
use crate::model::jurisdiction::{Jurisdiction, SERVICES};

/// Checks one jurisdiction; returns its compiled registration pattern when
/// the pattern is a valid regular expression.
pub(super) fn check_jurisdiction(
    id: &str,
    file: &SourceFile,
    loaded: &Loaded<Jurisdiction>,
    findings: &mut Vec<Diagnostic>,
) -> Option<Regex> {
    if !is_slug(id) {
        findings.push(
            Diagnostic::error(format!("jurisdiction file name `{id}` is not a valid id"))
                .in_source(file)
                .with_hint("rename the file using lowercase letters, digits and hyphens, e.g. `cqc.yaml`; profiles name it by that id"),
        );
    }
    let j = &loaded.value;
    let pattern = &j.registration.pattern;
    let compiled = match Regex::new(&format!("^(?:{})$", pattern.value)) {
        Ok(regex) => {
            if !regex.is_match(&j.registration.example) {
                findings.push(
                    file.error(
                        format!(
                            "registration example `{}` does not match the pattern",
                            j.registration.example
                        ),
                        file.find_key("example"),
                    )
                    .with_hint("make `registration.example` a valid registration number"),
                );
            }
            Some(regex)
        }
        Err(e) => {
            findings.push(
                file.error(
                    format!("registration pattern is not a valid regular expression: {e}"),
                    file.location_of_span(pattern, pattern.value.chars().count()),
                )
                .with_hint(
                    "write the pattern as a regular expression, e.g. `SIN-[0-9]{8}-[A-Z]{4}`",
                ),
            );
            None
        }
    };
    for service in j.services.keys() {
        if !SERVICES.contains(&service.as_str()) {
            findings.push(
                file.error(
                    format!("unknown service `{service}`"),
                    file.find_key(service),
                )
                .with_hint_opt(diagnostic::did_you_mean(service, SERVICES.iter().copied()))
                .with_hint(format!("services are: {}", SERVICES.join(", "))),
            );
        }
    }
    if j.languages.is_empty() {
        findings.push(
            file.error("`languages` is empty", file.find_key("languages"))
                .with_hint("list at least one language, e.g. `languages: [en]`"),
        );
    }
    compiled
}
