//! `policygen import FILE --policy ID --variant NAME --jurisdiction J
//! --service S`: reads an existing policy document, prints the import
//! report, and writes `policies/ID/NAME.yaml` — never over an existing
//! source without `--force` (atomically), and not at all with `--dry-run`,
//! which prints the source instead.

use std::path::Path;

use crate::Outcome;
use crate::app::cli::ImportArgs;
use crate::app::ui::Ui;
use crate::build::atomic;
use crate::check;
use crate::diagnostic::Diagnostic;
use crate::import::{self, Request, library};
use crate::load::confine;
use crate::load::project::Project;
use crate::review::scaffold;

pub fn run(root: &Path, args: &ImportArgs, ui: &Ui) -> Outcome {
    let usage = |finding: Diagnostic| {
        ui.report(&[finding]);
        Outcome::Usage
    };
    if let Some(finding) = bad_name(args) {
        return usage(finding);
    }
    let project = Project::load(root);
    if let Err(finding) = super::regulated(&project, root, &args.jurisdiction, &args.service) {
        return usage(finding);
    }
    let relative = format!("policies/{}/{}.yaml", args.policy, args.variant);
    let yml = format!("policies/{}/{}.yml", args.policy, args.variant);
    let existing = [&relative, &yml]
        .into_iter()
        .find(|p| root.join(p).exists());
    if let (Some(path), false, false) = (existing, args.force, args.dry_run) {
        return usage(refuse_existing(path));
    }
    // The policy's folder a file, or a link out of the library: said
    // before the document is read.
    let target = match confine::writable(root, &relative) {
        Ok(target) => target,
        Err(finding) if !args.dry_run => {
            ui.report(&[finding]);
            return Outcome::Findings;
        }
        Err(_) => root.join(&relative),
    };

    let shown = args.file.display().to_string();
    let bytes = match read_input(&args.file, &shown) {
        Ok(bytes) => bytes,
        Err(finding) => {
            ui.report(&[finding]);
            return Outcome::Findings;
        }
    };
    let (registration_labels, jurisdictions) = library::jurisdictions(&project);
    let profile_fields = library::profile_fields(&project);
    let request = Request {
        path: &shown,
        bytes: &bytes,
        policy: &args.policy,
        variant: &args.variant,
        jurisdiction: &args.jurisdiction,
        service: &args.service,
        title: args.title.as_deref(),
        code: args.code.as_deref(),
        registration_labels,
        contacts: library::contacts(&project),
        jurisdictions,
        profile_fields,
    };
    let imported = match import::import(&request) {
        Ok(imported) => imported,
        Err(finding) => {
            ui.report(&[finding]);
            return Outcome::Findings;
        }
    };
    let mut findings = imported.findings.clone();
    findings.extend(library_findings(&project, args));

    if args.dry_run {
        // The source is the output; the report goes with the findings.
        print!("{}", imported.yaml);
        if !ui.quiet {
            eprint!("{}", imported.report.render());
            eprintln!();
        }
        ui.report(&findings);
        return if imported.has_errors() {
            Outcome::Findings
        } else {
            Outcome::Success
        };
    }
    ui.say(&imported.report.render());
    ui.report(&findings);
    if imported.has_errors() {
        ui.say(&format!("nothing written: correct the document and import it again (`--dry-run` shows the source {relative} would hold)"));
        return Outcome::Findings;
    }
    if let Err(outcome) = write_source(&target, &relative, args.force, &imported.yaml, ui) {
        return outcome;
    }
    ui.say(&format!("wrote {relative}"));
    say_next(&project, args, ui);
    Outcome::Success
}

/// A `--policy` or `--variant` that cannot name a file, with a suggestion.
fn bad_name(args: &ImportArgs) -> Option<Diagnostic> {
    for (what, value) in [("policy id", &args.policy), ("variant name", &args.variant)] {
        if !check::is_slug(value) {
            let suggestion = scaffold::slugify(value);
            return Some(
                Diagnostic::error(format!("`{value}` cannot be a {what}")).with_hint(format!(
                    "use lowercase letters, digits and single hyphens{}",
                    if suggestion.is_empty() {
                        String::new()
                    } else {
                        format!(": did you mean `{suggestion}`?")
                    }
                )),
            );
        }
    }
    None
}

/// What the new source would mean for the library: a clash with another
/// variant, and organisations it would leave without one.
fn library_findings(project: &Project, args: &ImportArgs) -> Vec<Diagnostic> {
    let (policy, variant) = (&args.policy, &args.variant);
    let (jurisdiction, service) = (&args.jurisdiction, &args.service);
    let mut findings = library::conflicts(project, policy, variant, jurisdiction, service);
    findings.extend(library::uncovered(
        project,
        policy,
        variant,
        jurisdiction,
        service,
    ));
    findings
}

/// Writes the source: a new file, or with `--force` over the old one.
/// `target` is `relative` in the library, checked by `confine::writable`.
fn write_source(
    target: &Path,
    relative: &str,
    force: bool,
    yaml: &str,
    ui: &Ui,
) -> Result<(), Outcome> {
    let written = if force {
        atomic::write_atomic(target, yaml.as_bytes())
    } else {
        atomic::write_new(target, yaml.as_bytes())
    };
    match written {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            ui.report(&[refuse_existing(relative)]);
            Err(Outcome::Usage)
        }
        Err(e) => {
            ui.report(
                &[Diagnostic::error(format!("cannot write `{relative}`: {e}"))
                    .with_hint("check that the policies/ folder is writable")],
            );
            Err(Outcome::Findings)
        }
    }
}

/// Which organisations the new source applies to, and what to run next.
fn say_next(project: &Project, args: &ImportArgs, ui: &Ui) {
    let orgs = library::organisations(project, &args.policy, &args.jurisdiction, &args.service);
    ui.say(&match orgs.as_slice() {
        [] => format!(
            "no organisation in this library is a {} {} service yet; add one with `policygen new`",
            args.jurisdiction, args.service
        ),
        orgs => format!("it applies to: {}", orgs.join(", ")),
    });
    ui.say("next: `policygen check`, then `policygen build`");
}

fn refuse_existing(path: &str) -> Diagnostic {
    Diagnostic::error(format!("`{path}` already exists"))
        .with_hint("choose another --variant name, or pass --force to replace it")
}

/// The input's bytes, refusing a folder or a file too large before reading it.
fn read_input(path: &Path, shown: &str) -> Result<Vec<u8>, Diagnostic> {
    let cannot = |e: std::io::Error| {
        Diagnostic::error(format!("cannot read the file: {e}"))
            .in_file(shown)
            .with_hint("check the file's name and that you may read it")
    };
    let metadata = std::fs::metadata(path).map_err(cannot)?;
    if metadata.is_dir() {
        return Err(Diagnostic::error("this is a folder, not a document")
            .in_file(shown)
            .with_hint("import one document at a time: `policygen import old/key-worker.txt …`"));
    }
    if metadata.len() > import::MAX_INPUT_BYTES as u64 {
        return Err(Diagnostic::error(format!(
            "the file is too large to import ({:.1} MB; the limit is {} MB)",
            metadata.len() as f64 / (1024.0 * 1024.0),
            import::MAX_INPUT_BYTES / (1024 * 1024)
        ))
        .in_file(shown)
        .with_hint("import one policy document at a time"));
    }
    std::fs::read(path).map_err(cannot)
}
