//! Shared by the fuzz targets: a small library held in memory, and the
//! checks every run makes on what policygen reports.

#![allow(dead_code)]

use policygen::diagnostic::Diagnostic;
use policygen::document::BuildContext;
use policygen::load::project::Project;

pub const JURISDICTIONS: &[(&str, &str)] = &[
    ("jurisdictions/ciw.yaml", include_str!("../../jurisdictions/ciw.yaml")),
    ("jurisdictions/cqc.yaml", include_str!("../../jurisdictions/cqc.yaml")),
    ("jurisdictions/ofsted.yaml", include_str!("../../jurisdictions/ofsted.yaml")),
];

/// A policy using every kind of placeholder, for every jurisdiction and service.
pub const POLICY: &str = include_str!("../../tests/fixtures/base/policies/sample/standard.yaml");

pub const PROFILE: &str = include_str!("../../tests/fixtures/base/organisations/good-home.yaml");

pub fn context() -> BuildContext {
    BuildContext {
        today: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("a real date"),
        due_within: 30,
    }
}

/// What every finding must carry: the file it is about, and a location that
/// agrees with that file's text.
pub fn check_findings(project: &Project, findings: &[Diagnostic]) {
    for finding in findings {
        let rendered = finding.render(false);
        let path = finding
            .path
            .as_deref()
            .unwrap_or_else(|| panic!("a finding names no file:\n{rendered}"));
        if let Some(location) = &finding.location {
            assert!(location.line >= 1 && location.column >= 1, "{rendered}");
            let source = project
                .sources
                .iter()
                .find(|s| s.path == path)
                .unwrap_or_else(|| panic!("finding in a file never read:\n{rendered}"));
            let line = source.text.lines().nth(location.line - 1).map(|l| l.trim_end_matches('\r'));
            assert_eq!(
                line,
                Some(location.line_text.as_str()),
                "the excerpt is not the line it names:\n{rendered}"
            );
            assert!(
                location.column <= location.line_text.chars().count() + 1,
                "the caret is past the end of the line:\n{rendered}"
            );
        }
    }
}
