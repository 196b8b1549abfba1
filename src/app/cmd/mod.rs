//! One module per command, each a few lines over the library.

pub mod ack;
pub mod approve;
pub mod build;
pub mod changes;
pub mod check;
pub mod due;
pub mod import;
pub mod list;
pub mod new;
pub mod reading;
pub mod review;

use std::path::Path;

use chrono::NaiveDate;

use crate::Outcome;
use crate::app::cli::SelectArgs;
use crate::app::ui::Ui;
use crate::diagnostic::{self, Diagnostic};
use crate::load::project::Project;
use crate::model::jurisdiction::{Jurisdiction, SERVICES};
use crate::resolve::checked::BuildContext;
use crate::resolve::checked::Checked;
use crate::resolve::checked::Selection;

/// The default `--within` window for review status, in days (SPEC §5).
pub const DEFAULT_DUE_WITHIN: u32 = 30;

pub fn context(today: NaiveDate) -> BuildContext {
    BuildContext {
        today,
        due_within: DEFAULT_DUE_WITHIN,
    }
}

/// The organisations and policies `--org` / `--policy` choose, or a usage
/// error (already reported) when they name something the library lacks.
pub fn select(project: &Project, args: &SelectArgs, ui: &Ui) -> Result<Selection, Outcome> {
    let selection = Selection {
        orgs: args.orgs.clone(),
        policies: args.policies.clone(),
    };
    let usage = selection.check(project);
    if usage.is_empty() {
        Ok(selection)
    } else {
        ui.report(&usage);
        Err(Outcome::Usage)
    }
}

/// The jurisdiction `id` of the library, provided it regulates `service`;
/// else the usage error saying what is wrong, with "did you mean".
pub fn regulated<'p>(
    project: &'p Project,
    root: &Path,
    id: &str,
    service: &str,
) -> Result<&'p Jurisdiction, Diagnostic> {
    let Some(jurisdiction) = project.jurisdictions.get(id) else {
        let known: Vec<&str> = project.jurisdictions.keys().map(String::as_str).collect();
        let hint = diagnostic::did_you_mean(id, known.iter().copied()).unwrap_or_else(|| {
            if known.is_empty() {
                format!(
                    "no jurisdictions found in `{}`; run policygen in the library folder or pass --root",
                    root.join("jurisdictions").display()
                )
            } else {
                format!("jurisdictions in this library: {}", known.join(", "))
            }
        });
        return Err(Diagnostic::error(format!("unknown jurisdiction `{id}`")).with_hint(hint));
    };
    let jurisdiction = &jurisdiction.value;
    if !SERVICES.contains(&service) {
        let hint = diagnostic::did_you_mean(service, SERVICES.iter().copied())
            .unwrap_or_else(|| format!("services are: {}", SERVICES.join(", ")));
        return Err(Diagnostic::error(format!("unknown service `{service}`")).with_hint(hint));
    }
    if !jurisdiction.services.contains_key(service) {
        let regulated: Vec<&str> = jurisdiction.services.keys().map(String::as_str).collect();
        return Err(Diagnostic::error(format!(
            "{} does not regulate `{service}` services",
            jurisdiction.regulator.short
        ))
        .with_hint(format!("`{id}` services are: {}", regulated.join(", "))));
    }
    Ok(jurisdiction)
}

/// Reports why a profile edit was refused, and that nothing was written.
pub fn refused(ui: &Ui, refusal: crate::review::target::Refusal) -> Outcome {
    ui.report(&refusal.findings);
    if let Some(note) = &refusal.note {
        eprintln!("{note}");
    }
    eprintln!("nothing was written");
    refusal.outcome
}

/// What the next build would say about an edited profile: its documents
/// for `policy` rendered in memory in every format (a character the PDF
/// font lacks, say). Every command that edits a profile calls this with the
/// edited project before writing.
pub fn renders(
    project: &Project,
    org: &str,
    policy: &str,
    today: NaiveDate,
) -> Vec<crate::diagnostic::Diagnostic> {
    let checked = Checked::new(project, context(today));
    let selection = Selection {
        orgs: vec![org.to_string()],
        policies: vec![policy.to_string()],
    };
    // Findings of the whole pipeline about this profile (a review date
    // past 9999 …), then what rendering finds.
    let mut errors: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| {
            d.is_error()
                && selection.relevant(d)
                && d.path
                    .as_deref()
                    .is_some_and(|p| p.starts_with("organisations/"))
        })
        .cloned()
        .collect();
    if errors.is_empty() {
        errors =
            crate::build::pipeline::render(&checked, &selection, crate::render::Format::AVAILABLE)
                .err()
                .unwrap_or_default();
    }
    // Placed in the profile as saved, not as the edit would write it.
    if let Some(loaded) = project.organisations.get(org) {
        let path = project.file(loaded.file).path.clone();
        let saved = std::fs::read_to_string(project.root.join(&path)).unwrap_or_default();
        let saved = crate::load::source::SourceFile::new(path.clone(), saved);
        crate::review::record::as_saved(
            &mut errors,
            &path,
            saved.text.trim_start_matches('\u{feff}'),
        );
    }
    errors
}
