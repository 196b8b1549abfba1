//! `policygen build`: check, render in memory, and only when everything
//! succeeded write the outputs.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Instant;

use chrono::NaiveDate;

use crate::cli::BuildArgs;
use crate::diagnostic::Diagnostic;
use crate::output::{self, Entry, Planned};
use crate::pipeline::{self, Checked, Rendered, Selection};
use crate::project::Project;
use crate::render::Format;
use crate::ui::Ui;
use crate::{GENERATOR, Outcome};
use crate::{calendar, schedule, site};

pub fn run(root: &Path, args: &BuildArgs, today: NaiveDate, ui: &Ui) -> Outcome {
    let started = Instant::now();
    let formats = match parse_formats(&args.format) {
        Ok(formats) => formats,
        Err(message) => {
            eprintln!("error: {message}");
            return Outcome::Usage;
        }
    };
    let project = Project::load(root);
    let selection = Selection {
        orgs: args.select.orgs.clone(),
        policies: args.select.policies.clone(),
    };
    let usage = selection.check(&project);
    if !usage.is_empty() {
        ui.report(&usage);
        return Outcome::Usage;
    }
    let mut checked = Checked::new(&project, super::context(today));
    checked.diagnostics.retain(|d| selection.relevant(d));
    ui.report(&checked.diagnostics);
    if checked.has_errors() {
        eprintln!("nothing was written");
        return Outcome::Findings;
    }
    let rendered = match pipeline::render(&checked, &selection, &formats) {
        Ok(rendered) => rendered,
        Err(errors) => {
            ui.report(&errors);
            eprintln!("nothing was written");
            return Outcome::Findings;
        }
    };

    let out_dir = args.out.clone().unwrap_or_else(|| root.join("out"));
    let documents = rendered.len();
    let mut files = plan(rendered);
    let in_scope = |entry: &Entry| {
        selection.includes(&entry.org, entry.policy.as_deref().unwrap_or(""))
            || (entry.policy.is_none()
                && (selection.orgs.is_empty() || selection.orgs.contains(&entry.org)))
    };
    let in_scope =
        |entry: &Entry| in_scope(entry) && formats.iter().any(|f| f.extension() == entry.format);
    let previous = output::Manifest::read(&out_dir);
    let extra = match site_files(
        &checked, &selection, &formats, &previous, &mut files, &in_scope,
    ) {
        Ok(extra) => extra,
        Err(error) => {
            ui.report(&[error]);
            eprintln!("nothing was written");
            return Outcome::Findings;
        }
    };
    match output::write(
        &out_dir,
        files,
        &in_scope,
        GENERATOR,
        &today.to_string(),
        &extra,
    ) {
        Ok(report) => {
            for path in &report.written {
                ui.detail(&format!("wrote {}", out_dir.join(path).display()));
            }
            for path in &report.deleted {
                ui.detail(&format!("deleted {}", out_dir.join(path).display()));
            }
            ui.say(&format!(
                "built {documents} documents into {}: {} written, {} unchanged, {} deleted in {:.2} s",
                out_dir.display(),
                report.written.len(),
                report.unchanged.len(),
                report.deleted.len(),
                started.elapsed().as_secs_f64()
            ));
            Outcome::Success
        }
        Err(error) => {
            ui.report(&[error]);
            Outcome::Findings
        }
    }
}

/// The site-level files: the calendar always, and with HTML the dashboards.
/// They cover the whole library even when `--org`/`--policy` narrow the
/// build (the schedule needs no rendering), so they never show a partial
/// picture. Organisation dashboards join `files`, so the manifest lists them
/// and they go with their organisation; the site dashboard and the calendar
/// are returned as extra files.
fn site_files(
    checked: &Checked,
    selection: &Selection,
    formats: &[Format],
    previous: &output::Manifest,
    files: &mut BTreeMap<String, Planned>,
    in_scope: &dyn Fn(&Entry) -> bool,
) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
    let rows = schedule::rows(checked, &Selection::default(), checked.context.due_within);
    let mut extra = vec![(
        site::CALENDAR.to_string(),
        calendar::ics(&rows, checked.context.today).into_bytes(),
    )];
    if !formats.contains(&Format::Html) {
        return Ok(extra);
    }
    // Everything in the output folder once this build is written: its own
    // files and the previous build's files outside its scope.
    let available: BTreeSet<String> = files
        .keys()
        .cloned()
        .chain(
            previous
                .outputs
                .iter()
                .filter(|e| !in_scope(e))
                .map(|e| e.path.clone()),
        )
        .collect();
    let pages_for: BTreeSet<String> = checked
        .validated
        .organisations
        .keys()
        .filter(|org| selection.orgs.is_empty() || selection.orgs.contains(org))
        .cloned()
        .collect();
    let dashboards = site::dashboards(
        checked,
        &rows,
        &available,
        &pages_for,
        &checked.project.templates,
    )?;
    for (org, bytes) in dashboards.organisations {
        let path = site::org_index(&org);
        let entry = Entry {
            path: path.clone(),
            sha256: output::sha256(&bytes),
            org,
            policy: None,
            variant: None,
            format: Format::Html.extension().to_string(),
            last_review: None,
            next_review: None,
            status: None,
        };
        files.insert(path, Planned { bytes, entry });
    }
    extra.push((site::INDEX.to_string(), dashboards.site));
    Ok(extra)
}

fn parse_formats(requested: &[String]) -> Result<Vec<Format>, String> {
    if requested.is_empty() {
        return Ok(Format::AVAILABLE.to_vec());
    }
    let mut formats = requested
        .iter()
        .map(|f| f.parse())
        .collect::<Result<Vec<Format>, _>>()?;
    formats.sort();
    formats.dedup();
    Ok(formats)
}

/// The files of every rendered document, keyed by path, with their manifest entries.
fn plan(rendered: Vec<Rendered>) -> BTreeMap<String, Planned> {
    let mut files = BTreeMap::new();
    for doc in rendered {
        for (i, artifact) in doc.artifacts.into_iter().enumerate() {
            let primary = i == 0
                || artifact.path.ends_with(&format!(
                    "/{}.{}",
                    doc.assignment.policy,
                    artifact.format.map_or("", |f| f.extension())
                ));
            let entry = Entry {
                path: artifact.path.clone(),
                sha256: output::sha256(&artifact.bytes),
                org: doc.assignment.org.clone(),
                policy: primary.then(|| doc.assignment.policy.clone()),
                variant: primary.then(|| doc.assignment.variant.clone()),
                format: artifact.format.map_or("", |f| f.extension()).to_string(),
                last_review: primary.then(|| doc.last_review.clone()).flatten(),
                next_review: primary.then(|| doc.next_review.clone()),
                status: primary.then(|| doc.status.clone()),
            };
            files.insert(
                artifact.path,
                Planned {
                    bytes: artifact.bytes,
                    entry,
                },
            );
        }
    }
    files
}
