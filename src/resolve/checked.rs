//! The project after validation and resolution, which every later stage
//! reads: `document` builds from it, the schedule and the dashboards date
//! from it, `build` plans from it; and the selection a command covers.

use crate::check::{self, Validated};
use crate::diagnostic::{self, Diagnostic};
use crate::load::project::Project;
use crate::resolve::{self, Assignment, Resolved};
use crate::review::{self, LAST_DATE};

/// Options that shape documents but are not part of the library.
#[derive(Debug, Clone, Copy)]
pub struct BuildContext {
    pub today: chrono::NaiveDate,
    /// Days ahead within which a review counts as due.
    pub due_within: u32,
}

/// Review dates computed past [`LAST_DATE`] (a build date near the end of
/// 9999 plus a cycle), each an error at the newest review, so no output
/// ever shows a five-digit year.
fn dates_beyond_9999(
    project: &Project,
    validated: &Validated,
    resolved: &Resolved,
    today: chrono::NaiveDate,
) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    for assignment in &resolved.assignments {
        let Some(facts) = validated.organisations.get(&assignment.org) else {
            continue;
        };
        let record = facts.policies.get(&assignment.policy);
        let cycle = review::effective_cycle(
            record.and_then(|r| r.cycle),
            facts.cycle,
            resolved
                .variant(&assignment.policy, &assignment.variant)
                .and_then(|v| v.cycle),
        );
        let last = record.and_then(|r| r.last_review()).unwrap_or(today);
        if cycle.after(last).is_some_and(|next| next <= LAST_DATE) {
            continue;
        }
        let file = project.file(facts.file);
        let location = file
            .find_after(0, &last.to_string(), 0)
            .filter(|_| record.is_some_and(|r| !r.reviews.is_empty()));
        findings.push(
            Diagnostic::error(format!(
                "the next review of `{}` would fall after 9999-12-31 ({last} plus {cycle})",
                assignment.policy
            ))
            .in_file(&file.path)
            .at(location)
            .with_hint("dates after 9999-12-31 cannot be written; check the build date (--today, SOURCE_DATE_EPOCH) and the review cycle"),
        );
    }
    findings
}

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
        Checked::with(project, context, false)
    }

    /// As [`Checked::new`], but an organisation whose only errors are in
    /// values its documents quote is kept (`check::validate_with`), so
    /// `check` renders its documents and lists their findings in the same
    /// round. Never built from: it has errors.
    pub fn lenient(project: &'p Project, context: BuildContext) -> Checked<'p> {
        Checked::with(project, context, true)
    }

    fn with(project: &'p Project, context: BuildContext, lenient: bool) -> Checked<'p> {
        let (validated, mut diagnostics) = check::validate_with(project, context.today, lenient);
        let (resolved, resolve_findings) = resolve::resolve(project, &validated);
        diagnostics.extend(resolve_findings);
        diagnostics.extend(dates_beyond_9999(
            project,
            &validated,
            &resolved,
            context.today,
        ));
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
        match &diagnostic.org {
            Some(org) => self.orgs.is_empty() || self.orgs.contains(org),
            None => true,
        }
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
