//! Section numbering and placeholder filling: each section kept for the
//! organisation's jurisdiction and service, numbered to three levels, its
//! title and body filled; and the review triggers as one block.

use crate::diagnostic::Diagnostic;
use crate::document::placeholder::{self, Placeholder, Problem, Values};
use crate::document::{SectionView, escape};
use crate::load::project::Project;
use crate::resolve::{Assignment, Located, Section, Variant};

#[allow(clippy::too_many_arguments)]
pub(super) fn number_sections(
    project: &Project,
    sections: &[Section],
    prefix: &str,
    level: usize,
    org: (&str, &str),
    values: &Values,
    assignment: &Assignment,
    out: &mut Vec<SectionView>,
    related_in_body: &mut bool,
    findings: &mut Vec<Diagnostic>,
) {
    let mut n = 0;
    for section in sections {
        if section
            .when
            .as_ref()
            .is_some_and(|w| !w.matches(org.0, org.1))
        {
            continue;
        }
        n += 1;
        if section.id == "related-policies" {
            *related_in_body = true;
        }
        let number = if prefix.is_empty() {
            n.to_string()
        } else {
            format!("{prefix}.{n}")
        };
        let title = fill(
            project,
            &section.title,
            values,
            placeholder::verbatim,
            assignment,
            findings,
        );
        let body = match &section.body {
            Some(body) => {
                if placeholder::scan(&body.text)
                    .iter()
                    .any(|p| p.name == "related_policies")
                {
                    *related_in_body = true;
                }
                fill(
                    project,
                    body,
                    values,
                    escape::markdown,
                    assignment,
                    findings,
                )
            }
            None => String::new(),
        };
        out.push(SectionView {
            anchor: format!("section-{}", number.replace('.', "-")),
            number: number.clone(),
            level,
            id: section.id.clone(),
            title,
            body,
        });
        number_sections(
            project,
            &section.children,
            &number,
            level + 1,
            org,
            values,
            assignment,
            out,
            related_in_body,
            findings,
        );
    }
}

/// The review triggers as a Markdown list, their placeholders filled.
pub(super) fn triggers(
    project: &Project,
    variant: &Variant,
    values: &Values,
    assignment: &Assignment,
    findings: &mut Vec<Diagnostic>,
) -> String {
    variant
        .triggers
        .iter()
        .map(|t| {
            format!(
                "- {}",
                fill(project, t, values, escape::markdown, assignment, findings).trim()
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Fills the placeholders of one piece of source text, recording a finding
/// (at the placeholder's line and column) for each that fails.
pub(super) fn fill(
    project: &Project,
    located: &Located,
    values: &Values,
    escape: fn(&str) -> String,
    assignment: &Assignment,
    findings: &mut Vec<Diagnostic>,
) -> String {
    match values.fill(&located.text, escape) {
        Ok(text) => text,
        Err(problems) => {
            for (placeholder, problem) in problems {
                findings.push(placeholder_finding(
                    project,
                    located,
                    &placeholder,
                    problem,
                    assignment,
                ));
            }
            String::new()
        }
    }
}

fn placeholder_finding(
    project: &Project,
    located: &Located,
    placeholder: &Placeholder,
    problem: Problem,
    assignment: &Assignment,
) -> Diagnostic {
    let file = project.file(located.file);
    let location =
        located.location_of_part(file, placeholder.start, placeholder.literal(&located.text));
    let (message, hint) = problem.describe(&placeholder.name, &assignment.org);
    file.error(message, location).with_hint(hint)
}
