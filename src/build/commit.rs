//! The commit phase of a build: every staged file renamed into place, the
//! outputs this build no longer produces deleted, the site files and the
//! manifest written.

use crate::GENERATOR;
use crate::build::folder::Session;
use crate::build::output::{self, Content, Manifest, Planned};
use crate::build::plan::Plan;
use crate::build::record;
use crate::build::render::{Rendered, State};
use crate::build::shard::shard_manifests;
use crate::build::{Options, Summary};
use crate::diagnostic::Diagnostic;
use crate::resolve::checked::Checked;

/// Commits what the render phase staged.
pub fn commit(
    checked: &Checked,
    options: &Options,
    plan: &Plan,
    session: Session,
    rendered: Rendered<'_, Content>,
) -> Result<Summary, Vec<Diagnostic>> {
    let out_dir = &options.out_dir;
    let files: std::collections::BTreeMap<_, _> = rendered
        .files
        .into_iter()
        .map(|(path, file)| {
            let content = match file.state {
                State::UpToDate => Content::UpToDate,
                State::Placed(content) => content,
            };
            (
                path,
                Planned {
                    content,
                    entry: file.entry,
                },
            )
        })
        .collect();
    let manifest = Manifest {
        generator: GENERATOR.to_string(),
        build_date: checked.context.today.to_string(),
        outputs: Vec::new(),
        site: rendered.site_entries,
    };
    let manifest_name = options
        .shard
        .map_or(output::MANIFEST.to_string(), |s| s.manifest_name());
    // Site-level files kept as they are count as unchanged, as when they
    // were made again and found the same.
    let kept_site: Vec<String> = manifest
        .site
        .iter()
        .filter(|e| !rendered.site.iter().any(|(path, _)| *path == e.path))
        .map(|e| e.path.clone())
        .collect();
    // A build of the same inputs after this one finds every file of this
    // build and every site file unchanged.
    let unchanged_next = files.len() + manifest.site.len();
    let documents = plan.jobs.len();
    let keep_record = |manifest| {
        if let Some(seed) = &options.record {
            record::write(out_dir, &seed.record(manifest, documents, unchanged_next));
        }
    };
    let mut report = output::commit(
        session,
        files,
        plan.previous,
        &|entry| plan.in_scope(entry, options),
        (&manifest_name, manifest),
        &rendered.site,
        &keep_record,
    )
    .map_err(|e| vec![e])?;
    report.unchanged.extend(kept_site);
    if options.shard.is_none() {
        // A full build has taken over what the shards built.
        for (path, _) in shard_manifests(out_dir) {
            let _ = std::fs::remove_file(path);
        }
    }
    Ok(Summary {
        documents,
        rendered: rendered.documents,
        report,
    })
}
