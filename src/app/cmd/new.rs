//! `policygen new ORG-SLUG`: writes a new organisation profile with every key
//! present and explained, for the jurisdiction and service given. Never
//! replaces an existing profile.

use std::path::Path;

use crate::Outcome;
use crate::app::cli::NewArgs;
use crate::app::ui::Ui;
use crate::build::atomic;
use crate::check;
use crate::diagnostic::Diagnostic;
use crate::load::confine;
use crate::load::project::Project;
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
    let jurisdiction = match super::regulated(&project, root, &args.jurisdiction, &args.service) {
        Ok(jurisdiction) => jurisdiction,
        Err(finding) => return usage(finding),
    };
    let (id, service) = (args.jurisdiction.as_str(), args.service.as_str());
    let relative = format!("organisations/{slug}.yaml");
    // organisations/ a file, or a link out of the library: said as that.
    let target = match confine::writable(root, &relative) {
        Ok(target) => target,
        Err(finding) => {
            ui.report(&[finding]);
            return Outcome::Findings;
        }
    };
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
    match atomic::write_new(&target, text.as_bytes()) {
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
