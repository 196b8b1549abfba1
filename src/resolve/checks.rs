//! Checks that need the resolved section tree: section ids unique across an
//! inheritance chain and well formed, bodies free of headings and raw HTML,
//! nesting depth, and the placeholders of variants no organisation uses.

use std::collections::BTreeSet;

use pulldown_cmark::{Event, Parser, Tag};

use crate::check;
use crate::diagnostic::Diagnostic;
use crate::document::placeholder;
use crate::load::project::Project;
use crate::model::policy::markdown_options;
use crate::resolve::{Located, Resolved, Section, Variant};

/// Variants that no organisation uses are not rendered, so their
/// placeholders are checked here against the names every document fills.
pub(super) fn check_unused_placeholders(
    project: &Project,
    resolved: &Resolved,
    findings: &mut Vec<Diagnostic>,
) {
    let used: BTreeSet<(&str, &str)> = resolved
        .assignments
        .iter()
        .map(|a| (a.policy.as_str(), a.variant.as_str()))
        .collect();
    // A section inherited by several unused variants is reported once.
    let mut seen = BTreeSet::new();
    for (policy_id, variants) in &resolved.variants {
        for (variant_id, variant) in variants {
            if used.contains(&(policy_id.as_str(), variant_id.as_str())) {
                continue;
            }
            let mut texts: Vec<&Located> = vec![&variant.title];
            texts.extend(&variant.triggers);
            fn walk<'a>(sections: &'a [Section], out: &mut Vec<&'a Located>) {
                for s in sections {
                    out.push(&s.title);
                    out.extend(&s.body);
                    walk(&s.children, out);
                }
            }
            walk(&variant.sections, &mut texts);
            for located in texts {
                let file = project.file(located.file);
                for (placeholder, problem) in placeholder::check_names(&located.text) {
                    let location = located.location_of_part(
                        file,
                        placeholder.start,
                        placeholder.literal(&located.text),
                    );
                    let (message, hint) = problem.describe(&placeholder.name, "");
                    let finding = file.error(message, location).with_hint(hint);
                    if seen.insert(finding.identity()) {
                        findings.push(finding);
                    }
                }
            }
        }
    }
}

/// Checks a resolved variant's sections: ids unique and well formed, bodies
/// free of headings and raw HTML, nesting at most three levels.
pub(super) fn check_variant(project: &Project, variant: &Variant, findings: &mut Vec<Diagnostic>) {
    let mut seen = BTreeSet::new();
    check_sections(project, &variant.sections, 1, &mut seen, findings);
}

fn check_sections(
    project: &Project,
    sections: &[Section],
    depth: usize,
    seen: &mut BTreeSet<String>,
    findings: &mut Vec<Diagnostic>,
) {
    for s in sections {
        let file = project.file(s.id_at.file);
        let id_location = s.id_at.location(file);
        if !check::is_slug(&s.id) {
            findings.push(
                file.error(
                    format!("section id `{}` is not valid", s.id),
                    id_location.clone(),
                )
                .with_hint("use lowercase letters, digits and hyphens, e.g. `building-trust`"),
            );
        }
        if !seen.insert(s.id.clone()) {
            findings.push(
                file.error(
                    format!("section id `{}` is used twice", s.id),
                    id_location.clone(),
                )
                .with_hint("give each section its own id"),
            );
        }
        if depth > 3 {
            findings.push(
                file.error(format!("section `{}` is nested more than three levels deep", s.id), id_location)
                    .with_hint("documents number sections to three levels (4.1.2); move this section up a level"),
            );
        }
        if let Some(body) = &s.body {
            check_body(project, body, findings);
        }
        check_sections(project, &s.children, depth + 1, seen, findings);
    }
}

fn check_body(project: &Project, body: &Located, findings: &mut Vec<Diagnostic>) {
    let file = project.file(body.file);
    for (event, range) in Parser::new_ext(&body.text, markdown_options()).into_offset_iter() {
        let (problem, hint) = match event {
            Event::Start(Tag::Heading { .. }) => (
                "a section body cannot contain a heading",
                "make it a child section under `sections:` so it is numbered and listed",
            ),
            Event::Html(_) | Event::InlineHtml(_) => (
                "a section body cannot contain raw HTML",
                "write it as Markdown; for a literal `<`, write `\\<`",
            ),
            _ => continue,
        };
        let snippet = body.text[range.clone()]
            .lines()
            .next()
            .unwrap_or_default()
            .trim();
        let location = if snippet.is_empty() {
            None
        } else {
            file.find_after(body.offset, snippet, 0)
        };
        findings.push(file.error(problem, location).with_hint(hint));
    }
}
