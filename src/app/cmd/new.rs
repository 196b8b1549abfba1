//! `policygen new ORG-SLUG`: writes a new organisation profile with every key
//! present and explained, for the jurisdiction and service given. Never
//! replaces an existing profile.

use std::path::Path;

use crate::Outcome;
use crate::app::cli::NewArgs;
use crate::app::ui::Ui;
use crate::build::output;
use crate::check;
use crate::diagnostic::{self, Diagnostic};
use crate::load::project::Project;
use crate::model::jurisdiction::SERVICES;
use crate::review::scaffold::{self, ScaffoldInput};

pub fn run(root: &Path, args: &NewArgs, ui: &Ui) -> Outcome {
    let usage = |finding: Diagnostic| {
        ui.report(&[finding]);
        Outcome::Usage
    };
    let slug = args.slug.as_str();
    if !check::is_slug(slug) {
        let suggestion = scaffold::slugify(slug);
        let hint = if suggestion.is_empty() {
            "use lowercase letters, digits and single hyphens, e.g. `bryn-haven`".to_string()
        } else {
            format!(
                "use lowercase letters, digits and single hyphens: did you mean `{suggestion}`?"
            )
        };
        return usage(
            Diagnostic::error(format!("`{slug}` cannot be a profile name")).with_hint(hint),
        );
    }

    let project = Project::load(root);
    let id = args.jurisdiction.as_str();
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
        return usage(Diagnostic::error(format!("unknown jurisdiction `{id}`")).with_hint(hint));
    };
    let jurisdiction = &jurisdiction.value;
    let service = args.service.as_str();
    if !SERVICES.contains(&service) {
        let hint = diagnostic::did_you_mean(service, SERVICES.iter().copied())
            .unwrap_or_else(|| format!("services are: {}", SERVICES.join(", ")));
        return usage(Diagnostic::error(format!("unknown service `{service}`")).with_hint(hint));
    }
    if !jurisdiction.services.contains_key(service) {
        let regulated: Vec<&str> = jurisdiction.services.keys().map(String::as_str).collect();
        return usage(
            Diagnostic::error(format!(
                "{} does not regulate `{service}` services",
                jurisdiction.regulator.short
            ))
            .with_hint(format!("`{id}` services are: {}", regulated.join(", "))),
        );
    }

    let relative = format!("organisations/{slug}.yaml");
    let target = root.join(&relative);
    let exists = |path: &str| root.join(path).exists();
    let refuse_existing = |path: &str| {
        usage(
            Diagnostic::error(format!("`{path}` already exists"))
                .with_hint("choose another name, or edit the existing profile"),
        )
    };
    for path in [relative.clone(), format!("organisations/{slug}.yml")] {
        if exists(&path) {
            return refuse_existing(&path);
        }
    }
    let text = scaffold::profile(&ScaffoldInput {
        slug,
        name: args.name.as_deref(),
        jurisdiction_id: id,
        jurisdiction,
        service,
    });
    match output::write_new(&target, text.as_bytes()) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return refuse_existing(&relative);
        }
        Err(e) => {
            ui.report(
                &[Diagnostic::error(format!("cannot write `{relative}`: {e}"))
                    .with_hint("check that the organisations/ folder is writable")],
            );
            return Outcome::Findings;
        }
    }
    ui.say(&format!("created {relative}"));
    ui.say(&format!(
        "fill in its empty values, then run `policygen check --org {slug}`"
    ));
    Outcome::Success
}
