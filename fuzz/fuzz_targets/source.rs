//! Arbitrary bytes as an organisation profile, a policy variant or a
//! jurisdiction (the first byte chooses), through loading, validation,
//! resolution and rendering. Nothing may panic, and every finding must name
//! its file and point at a real line of it.

#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use policygen::build::pipeline::{self, Checked, Selection};
use policygen::load::project::{self, Project};
use policygen::render::Format;

fuzz_target!(|data: &[u8]| {
    let Some((&which, bytes)) = data.split_first() else {
        return;
    };
    let path = match which % 3 {
        0 => "organisations/fuzz.yaml",
        1 => "policies/sample/fuzz.yaml",
        _ => "jurisdictions/cqc.yaml",
    };
    let text = match project::decode(bytes, path) {
        Ok(text) => text,
        Err(finding) => {
            let _ = finding.render(false);
            return;
        }
    };
    let mut files: Vec<(&str, &str)> = common::JURISDICTIONS
        .iter()
        .copied()
        .filter(|(p, _)| *p != path)
        .collect();
    files.push(("policies/sample/standard.yaml", common::POLICY));
    files.push(("organisations/good-home.yaml", common::PROFILE));
    files.push((path, &text));
    let project = Project::from_sources(files);
    let checked = Checked::new(&project, common::context());
    common::check_findings(&project, &checked.diagnostics);
    if !checked.has_errors() {
        if let Err(findings) = pipeline::render(&checked, &Selection::default(), Format::AVAILABLE) {
            common::check_findings(&project, &findings);
        }
    }
});
