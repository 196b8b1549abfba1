//! The pipeline every command shares: validate and resolve a loaded project,
//! then render the selected documents in memory. `check` stops after
//! rendering; `build` hands the artifacts to `output`.

use std::collections::BTreeMap;

use crate::check::{self, Validated};
use crate::diagnostic::{self, Diagnostic};
use crate::document::{self, BuildContext, Document};
use crate::load::project::Project;
use crate::render::{self, Format};
use crate::resolve::{self, Assignment, Resolved};

/// A project after validation and resolution.
pub struct Checked<'p> {
    pub project: &'p Project,
    pub validated: Validated,
    pub resolved: Resolved,
    pub context: BuildContext,
    /// Every finding so far, load-time ones included, sorted.
    pub diagnostics: Vec<Diagnostic>,
}

impl<'p> Checked<'p> {
    /// Validates and resolves `project`.
    pub fn new(project: &'p Project, context: BuildContext) -> Checked<'p> {
        let (validated, mut diagnostics) = check::validate(project, context.today);
        let (resolved, resolve_findings) = resolve::resolve(project, &validated);
        diagnostics.extend(resolve_findings);
        diagnostics.extend(project.diagnostics.iter().cloned());
        diagnostic::sort(&mut diagnostics);
        Checked {
            project,
            validated,
            resolved,
            context,
            diagnostics,
        }
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The assignments chosen by `selection`, in build order.
    pub fn select(&self, selection: &Selection) -> Vec<&Assignment> {
        self.resolved
            .assignments
            .iter()
            .filter(|a| selection.includes(&a.org, &a.policy))
            .collect()
    }

    /// The document of one assignment.
    pub fn document(&self, assignment: &Assignment) -> Result<Document<'p>, Vec<Diagnostic>> {
        document::build(
            self.project,
            &self.validated,
            &self.resolved,
            assignment,
            &self.context,
        )
    }
}

/// Which organisations and policies a command covers (empty: all).
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub orgs: Vec<String>,
    pub policies: Vec<String>,
}

impl Selection {
    pub fn includes(&self, org: &str, policy: &str) -> bool {
        (self.orgs.is_empty() || self.orgs.iter().any(|o| o == org))
            && (self.policies.is_empty() || self.policies.iter().any(|p| p == policy))
    }

    /// Whether a finding concerns the selection: with `--org`, problems in
    /// other organisations' profiles do not stop this build.
    pub fn relevant(&self, diagnostic: &Diagnostic) -> bool {
        let Some(slug) = diagnostic
            .path
            .as_deref()
            .and_then(|p| p.strip_prefix("organisations/"))
            .and_then(|p| p.strip_suffix(".yaml").or_else(|| p.strip_suffix(".yml")))
        else {
            return true;
        };
        self.orgs.is_empty() || self.orgs.iter().any(|o| o == slug)
    }

    /// Findings for names in the selection that do not exist.
    pub fn check(&self, project: &Project) -> Vec<Diagnostic> {
        let mut findings = Vec::new();
        // A profile that exists but has errors is not unknown: its errors
        // are reported with the others.
        for org in &self.orgs {
            if !project.organisations.contains_key(org) && !project.has_file("organisations", org) {
                let known: Vec<&str> = project.organisation_slugs().collect();
                findings.push(
                    Diagnostic::error(format!("unknown organisation `{org}`")).with_hint(
                        diagnostic::did_you_mean(org, known.iter().copied()).unwrap_or_else(|| {
                            format!(
                                "organisations in this library: {}; each is a file `organisations/<slug>.yaml`",
                                known.join(", ")
                            )
                        }),
                    ),
                );
            }
        }
        for policy in &self.policies {
            if !project.policies.contains_key(policy) {
                findings.push(
                    Diagnostic::error(format!("unknown policy `{policy}`"))
                        .with_hint(project.unknown_policy_hint(policy)),
                );
            }
        }
        findings
    }
}

/// Renders the selected documents in every requested format in memory, in
/// parallel, keeping nothing but the findings: what `check` needs.
/// Returns how many documents rendered, or every finding if any failed.
pub fn render(
    checked: &Checked,
    selection: &Selection,
    formats: &[Format],
) -> Result<usize, Vec<Diagnostic>> {
    use rayon::prelude::*;
    let renderers = render::renderers(formats, checked.project)?;
    let assignments = checked.select(selection);
    let mut findings: Vec<Diagnostic> = assignments
        .par_iter()
        .flat_map_iter(|assignment| match checked.document(assignment) {
            Ok(document) => renderers
                .iter()
                .filter_map(|r| r.render(&document).err())
                .collect::<Vec<_>>(),
            Err(errors) => errors,
        })
        .collect();
    dedupe(&mut findings);
    if findings.is_empty() {
        Ok(assignments.len())
    } else {
        Err(findings)
    }
}

/// Removes repeated findings (the same placeholder error reached through
/// several organisations) and sorts them.
pub fn dedupe(findings: &mut Vec<Diagnostic>) {
    let mut seen = BTreeMap::new();
    findings.retain(|d| seen.insert(d.render(false), ()).is_none());
    diagnostic::sort(findings);
}
