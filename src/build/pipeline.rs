//! The pipeline every command shares: validate and resolve a loaded project,
//! then render the selected documents in memory. `check` stops after
//! rendering; `build` hands the artifacts to `output`.

use std::collections::BTreeSet;

use crate::diagnostic::{self, Diagnostic};
use crate::render::{self, Format};
use crate::resolve::checked::{Checked, Selection};

/// Renders the selected documents in every requested format in memory, in
/// parallel, keeping nothing but the findings: what `check` needs.
/// Returns how many documents rendered, or every finding if any failed.
pub fn render(
    checked: &Checked,
    selection: &Selection,
    formats: &[Format],
) -> Result<usize, Vec<Diagnostic>> {
    use rayon::prelude::*;
    let renderers = render::renderers(formats, checked.project)?;
    let assignments = checked.select(selection);
    let mut findings: Vec<Diagnostic> = assignments
        .par_iter()
        .flat_map_iter(|assignment| match checked.document(assignment) {
            Ok(document) => renderers
                .iter()
                .filter_map(|r| render::render_document(r.as_ref(), &document).err())
                .collect::<Vec<_>>(),
            Err(errors) => errors,
        })
        .collect();
    dedupe(&mut findings);
    if findings.is_empty() {
        Ok(assignments.len())
    } else {
        Err(findings)
    }
}

/// Removes repeated findings (the same placeholder error reached through
/// several organisations) and sorts them.
pub fn dedupe(findings: &mut Vec<Diagnostic>) {
    let mut seen = BTreeSet::new();
    findings.retain(|d| seen.insert(d.identity()));
    diagnostic::sort(findings);
}
