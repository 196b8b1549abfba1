//! Inputs the fuzzers (fuzz/) found a bug with, replayed on every test run
//! through the same checks as the `source` fuzz target: loaded as a profile,
//! policy or jurisdiction (the first byte chooses), validated, resolved and
//! rendered in memory, within seconds; every finding must name its file and
//! point at a line that is really there.

use policygen::build::pipeline;
use policygen::load::project::{self, Project};
use policygen::render::Format;
use policygen::resolve::checked::BuildContext;
use policygen::resolve::checked::{Checked, Selection};

use crate::harness::{fixtures, repo};

fn replay(data: &[u8], case: &str) {
    let Some((&which, bytes)) = data.split_first() else {
        return;
    };
    let path = match which % 3 {
        0 => "organisations/fuzz.yaml",
        1 => "policies/sample/fuzz.yaml",
        _ => "jurisdictions/cqc.yaml",
    };
    let Ok(text) = project::decode(bytes, path) else {
        return;
    };
    let read = |p: &str| std::fs::read_to_string(repo().join(p)).unwrap();
    let shipped: Vec<(String, String)> = ["ciw", "cqc", "ofsted"]
        .iter()
        .map(|j| format!("jurisdictions/{j}.yaml"))
        .filter(|p| p != path)
        .map(|p| (p.clone(), read(&p)))
        .chain([
            (
                "policies/sample/standard.yaml".to_string(),
                read("tests/fixtures/base/policies/sample/standard.yaml"),
            ),
            (
                "organisations/good-home.yaml".to_string(),
                read("tests/fixtures/base/organisations/good-home.yaml"),
            ),
        ])
        .collect();
    let mut files: Vec<(&str, &str)> = shipped
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    files.push((path, &text));
    let project = Project::from_sources(files);
    let context = BuildContext {
        today: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        due_within: 30,
    };
    let checked = Checked::new(&project, context);
    let mut findings = checked.diagnostics.clone();
    if !checked.has_errors()
        && let Err(more) = pipeline::render(&checked, &Selection::default(), Format::AVAILABLE)
    {
        findings.extend(more);
    }
    for finding in &findings {
        let shown = finding.render(false);
        let file = finding
            .path
            .as_deref()
            .unwrap_or_else(|| panic!("{case}: a finding names no file:\n{shown}"));
        if let Some(location) = &finding.location {
            let source = project.sources.iter().find(|s| s.path == file).unwrap();
            let line = source
                .text
                .lines()
                .nth(location.line - 1)
                .map(|l| l.trim_end_matches('\r'));
            assert_eq!(
                line,
                Some(location.line_text.as_str()),
                "{case}: the excerpt is not the line it names:\n{shown}"
            );
            assert!(
                location.column <= location.line_text.chars().count() + 1,
                "{case}: the caret is past the end of the line:\n{shown}"
            );
        }
    }
}

#[test]
fn fuzz_findings_stay_fixed() {
    let dir = fixtures().join("fuzz/source");
    let mut cases = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let started = std::time::Instant::now();
        replay(&std::fs::read(&path).unwrap(), &path.display().to_string());
        // Some inputs were found because they were slow (a 7,000-character
        // name took PDF layout over 20 s).
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "{}: took {:?}",
            path.display(),
            started.elapsed()
        );
        cases += 1;
    }
    assert!(cases > 0, "no regression inputs in {}", dir.display());
}
