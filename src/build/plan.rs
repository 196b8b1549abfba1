//! The plan phase: which documents this build covers and, of their outputs,
//! which are up to date (inputs unchanged since the build that wrote them,
//! file still in place) and which must be rendered.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::SystemTime;

use rayon::prelude::*;

use crate::build::Options;
use crate::build::folder::RealFolders;
use crate::build::keys::InputKeys;
use crate::build::output::{self, Entry, Manifest};
use crate::build::shard::{Shard, shard_manifests};
use crate::render::{self, Renderer};
use crate::resolve::Assignment;
use crate::resolve::checked::{Checked, Selection};

/// What a build will do, before anything is rendered.
pub struct Plan<'c> {
    /// Every assignment of the library in build order: shards and the scope
    /// of a build are positions in it.
    pub all: Vec<&'c Assignment>,
    /// The documents of this build.
    pub jobs: Vec<&'c Assignment>,
    /// The previous build's manifest, with what shard builds added since.
    pub previous: &'c Manifest,
    pub keys: InputKeys,
    pub renderers: Vec<Box<dyn Renderer>>,
    /// When the manifests were written: outputs untouched since are as they
    /// describe them (`None`: read every output back).
    pub since: Option<SystemTime>,
    /// The output folder's folders that are real (not links), for
    /// [`output::intact`].
    pub folders: RealFolders,
    /// Outputs whose inputs are unchanged, with their previous entry.
    pub up_to_date: BTreeMap<&'c str, &'c Entry>,
    /// Documents to render, each in the formats whose outputs are stale.
    pub todo: Vec<Work<'c>>,
}

/// One document to render: its assignment and, for each stale format, the
/// renderer (an index into [`Plan::renderers`]) and the output's input key.
pub struct Work<'c> {
    pub job: &'c Assignment,
    pub formats: Vec<(usize, String)>,
}

/// Plans a build of a checked project (which must have no errors) in the
/// formats of `renderers`, against the output folder's `previous` manifest
/// ([`previous_manifest`]). The output folder must be locked.
pub fn plan<'c>(
    checked: &'c Checked,
    options: &Options,
    renderers: Vec<Box<dyn Renderer>>,
    since: Option<SystemTime>,
    previous: &'c Manifest,
) -> Plan<'c> {
    let all = checked.select(&Selection::default());
    let jobs: Vec<&Assignment> = all
        .iter()
        .enumerate()
        .filter(|(i, a)| {
            options.shard.is_none_or(|s| s.owns(*i))
                && options.selection.includes(&a.org, &a.policy)
        })
        .map(|(_, a)| *a)
        .collect();
    let keys = InputKeys::new(checked);
    let folders = RealFolders::check(
        &options.out_dir,
        previous.outputs.iter().map(|e| e.path.as_str()),
    );

    let previous_by_path: BTreeMap<&str, &Entry> = previous
        .outputs
        .iter()
        .map(|e| (e.path.as_str(), e))
        .collect();
    // Previous outputs by document and format, so that finding a
    // document's companions does not scan the whole manifest for every
    // document (at 10,000 organisations that was 5 billion comparisons and
    // 137 s for a no-op rebuild).
    let mut previous_by_document: BTreeMap<(&str, &str, &str), Vec<&Entry>> = BTreeMap::new();
    for e in &previous.outputs {
        if let Some(policy) = &e.policy {
            previous_by_document
                .entry((e.org.as_str(), policy.as_str(), e.format.as_str()))
                .or_default()
                .push(e);
        }
    }
    // Each document's keys and output checks are independent: done in
    // parallel (hashing and a stat per output), gathered in build order.
    let checked_jobs: Vec<(Vec<&Entry>, Option<Work>)> = jobs
        .par_iter()
        .map(|job| {
            let mut kept = Vec::new();
            let mut formats = Vec::new();
            for (index, renderer) in renderers.iter().enumerate() {
                let format = renderer.format();
                let key = keys.key(checked, job, format);
                let path = render::output_path(&job.org, &job.policy, format);
                // The document's other files of this format (the redline page
                // beside an HTML document) share its key and stay with it.
                let companions = || {
                    previous_by_document
                        .get(&(job.org.as_str(), job.policy.as_str(), format.extension()))
                        .into_iter()
                        .flatten()
                        .copied()
                        .filter(|e| e.path != path && e.made_from(&key))
                };
                match previous_by_path.get(path.as_str()) {
                    Some(old)
                        if old.made_from(&key)
                            && output::intact(&options.out_dir, old, since, &folders)
                            && companions()
                                .all(|e| output::intact(&options.out_dir, e, since, &folders)) =>
                    {
                        kept.extend(companions());
                        kept.push(*old);
                    }
                    _ => formats.push((index, key)),
                }
            }
            let work = (!formats.is_empty()).then_some(Work { job, formats });
            (kept, work)
        })
        .collect();
    let mut up_to_date = BTreeMap::new();
    let mut todo = Vec::new();
    for (kept, work) in checked_jobs {
        up_to_date.extend(kept.into_iter().map(|e| (e.path.as_str(), e)));
        todo.extend(work);
    }
    Plan {
        all,
        jobs,
        previous,
        keys,
        renderers,
        since,
        folders,
        up_to_date,
        todo,
    }
}

/// When the manifests of the output folder were last written (the
/// earliest, when shards wrote their own): outputs untouched since then
/// are as the manifest describes them.
pub fn manifest_time(out_dir: &Path) -> Option<SystemTime> {
    let mut paths = vec![out_dir.join(output::MANIFEST)];
    paths.extend(shard_manifests(out_dir).into_iter().map(|(path, _)| path));
    paths
        .iter()
        .filter_map(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok())
        .min()
}

/// The manifest of the output folder; for a full build, with the outputs
/// shards built there, which count as the folder's own.
pub fn previous_manifest(out_dir: &Path, shard: Option<Shard>) -> Manifest {
    let mut previous = Manifest::read(out_dir);
    if shard.is_none() {
        for shard_manifest in shard_manifests(out_dir) {
            previous.outputs.extend(shard_manifest.1.outputs);
        }
    }
    previous
}

impl Plan<'_> {
    /// Whether an entry of the previous manifest is this build's to keep or delete.
    pub fn in_scope(&self, entry: &Entry, options: &Options) -> bool {
        let org_selected = options.selection.orgs.is_empty()
            || options.selection.orgs.iter().any(|o| entry.org == *o);
        let format_selected = options
            .formats
            .iter()
            .any(|f| entry.format == f.extension())
            || (entry.format.is_empty() && org_selected);
        match &entry.policy {
            Some(policy) => {
                let selected = options.selection.includes(&entry.org, policy) && format_selected;
                let in_shard = options.shard.is_none_or(|shard| {
                    self.all
                        .iter()
                        .position(|a| entry.org == a.org && *policy == a.policy)
                        .is_none_or(|i| shard.owns(i))
                });
                selected && in_shard
            }
            // Organisation-level files (dashboards, logo copies) belong to full builds.
            None => options.shard.is_none() && org_selected && format_selected,
        }
    }
}
