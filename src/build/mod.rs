//! The build engine behind `policygen build`, in named phases:
//! [`plan`](plan::plan) decides which outputs are stale by hashing their
//! inputs; [`render`](render::render) renders only those, in parallel,
//! handing each file to a sink as it is made so memory stays bounded; then
//! [`commit`](commit::commit) puts the lot on disk — only when every
//! document rendered — or, for `--check`, [`diff`](diff::diff) lists what a
//! build would change. Shards (`--shard K/N`) build a deterministic slice.

pub mod atomic;
pub mod commit;
pub mod diff;
pub mod folder;
pub mod intact;
pub mod keys;
pub mod output;
pub mod pipeline;
pub mod plan;
pub mod record;
pub mod render;
mod reports;
pub mod shard;
mod site;

use std::path::PathBuf;

use crate::build::folder::Session;
use crate::build::render::{Compare, Stage};
use crate::diagnostic::Diagnostic;
use crate::render::Format;
use crate::report::publish::Publish;
use crate::resolve::checked::{Checked, Selection};

pub use keys::InputKeys;
pub use shard::Shard;

/// What to build.
#[derive(Debug, Clone)]
pub struct Options {
    pub formats: Vec<Format>,
    pub selection: Selection,
    pub out_dir: PathBuf,
    pub shard: Option<Shard>,
    /// Show a progress bar on stderr.
    pub progress: bool,
    /// Where the output folder is published (`--site-url`, `--uid-domain`).
    pub publish: Publish,
    /// What to record beside the manifest once the build commits, so the
    /// next build of the same inputs can say the same without parsing
    /// ([`record`]); None writes no record.
    pub record: Option<record::Seed>,
}

/// What a build did.
#[derive(Debug, Default)]
pub struct Summary {
    /// Documents (organisation × policy) in this build.
    pub documents: usize,
    /// Documents rendered because an input changed.
    pub rendered: usize,
    pub report: output::Report,
}

/// What a build would change (`--check`).
#[derive(Debug, Default)]
pub struct Stale {
    /// Documents (organisation × policy) in this build.
    pub documents: usize,
    /// Documents rendered because an input changed.
    pub rendered: usize,
    /// Outputs that are missing, differ or would be deleted, sorted.
    pub paths: Vec<String>,
}

/// Builds a checked project (which must have no errors) into
/// `options.out_dir`: plan → render → commit. A failed build leaves the
/// folder as it was.
pub fn build(checked: &Checked, options: &Options) -> Result<Summary, Vec<Diagnostic>> {
    let renderers = crate::render::renderers(&options.formats, checked.project)?;
    // The folder is locked before the manifest is read, so what it says
    // stays true until this build commits.
    let session = Session::open(&options.out_dir).map_err(|e| vec![e])?;
    // A build trusts the outputs untouched since the manifest was written.
    let since = plan::manifest_time(&options.out_dir);
    let previous = plan::previous_manifest(&options.out_dir, options.shard);
    let plan = plan::plan(checked, options, renderers, since, &previous);
    let rendered = match render::render(checked, options, &plan, &Stage(&session)) {
        Ok(rendered) => rendered,
        Err(findings) => {
            session.abandon();
            return Err(findings);
        }
    };
    commit::commit(checked, options, &plan, session, rendered)
}

/// Says what a build would change, writing nothing: plan → render → diff.
pub fn check(checked: &Checked, options: &Options) -> Result<Stale, Vec<Diagnostic>> {
    let renderers = crate::render::renderers(&options.formats, checked.project)?;
    // Never compare against a folder another build is half-way through writing.
    let _reading = folder::lock_for_reading(&options.out_dir).map_err(|e| vec![e])?;
    // Every output is read back: none is trusted for being untouched.
    let previous = plan::previous_manifest(&options.out_dir, options.shard);
    let plan = plan::plan(checked, options, renderers, None, &previous);
    let rendered = render::render(checked, options, &plan, &Compare(&options.out_dir))?;
    Ok(diff::diff(options, &plan, &rendered))
}
