//! The diff phase of `build --check`: what a build would change in the
//! output folder, without writing anything.

use crate::build::output;
use crate::build::plan::Plan;
use crate::build::render::{Differs, Rendered, State};
use crate::build::{Options, Stale};

/// Lists the outputs that are missing, differ, or would be deleted.
pub fn diff(options: &Options, plan: &Plan, rendered: &Rendered<Differs>) -> Stale {
    let out_dir = &options.out_dir;
    let mut stale = Vec::new();
    for (path, file) in &rendered.files {
        if matches!(file.state, State::Placed(Differs(true))) {
            stale.push(path.clone());
        }
    }
    for old in &plan.previous.outputs {
        if !rendered.files.contains_key(&old.path)
            && plan.in_scope(old, options)
            && out_dir.join(&old.path).is_file()
        {
            stale.push(format!("{} (would be deleted)", old.path));
        }
    }
    for (path, bytes) in &rendered.site {
        if !output::same_bytes(&out_dir.join(path), bytes) {
            stale.push(path.clone());
        }
    }
    stale.sort();
    stale.dedup();
    Stale {
        documents: plan.jobs.len(),
        rendered: rendered.documents,
        paths: stale,
    }
}
