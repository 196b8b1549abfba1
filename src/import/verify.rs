//! The last stage of an import: the source just written is read back by the
//! project's own loader and resolved with the library's jurisdictions, as
//! `check` would, and each section's title and body must read back exactly
//! as made. A difference is policygen's fault, reported as such rather
//! than left for `check` to find in the user's library.

use chrono::NaiveDate;

use crate::diagnostic::Diagnostic;
use crate::import::Request;
use crate::import::outline::Section;
use crate::load::project::Project;
use crate::model::policy::SectionSource;
use crate::resolve::checked::BuildContext;
use crate::resolve::checked::Checked;

pub fn check(request: &Request, yaml: &str, sections: &[Section], findings: &mut Vec<Diagnostic>) {
    let target = format!("policies/{}/{}.yaml", request.policy, request.variant);
    let mut files: Vec<(&str, &str)> = request
        .jurisdictions
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    files.push((&target, yaml));
    let project = Project::from_sources(files);
    let context = BuildContext {
        // No organisation is loaded, so no date is compared with this one.
        today: NaiveDate::MIN,
        due_within: 0,
    };
    let checked = Checked::new(&project, context);
    let mut problems: Vec<String> = checked
        .diagnostics
        .iter()
        .filter(|d| d.is_error() && d.path.as_deref() == Some(target.as_str()))
        .map(|d| d.render(false))
        .collect();
    if let Some(variant) = project
        .policies
        .get(request.policy)
        .and_then(|v| v.get(request.variant))
    {
        let mut read: Vec<&SectionSource> = Vec::new();
        fn walk<'a>(list: &'a [SectionSource], out: &mut Vec<&'a SectionSource>) {
            for s in list {
                out.push(s);
                walk(&s.sections, out);
            }
        }
        walk(
            variant.value.sections.as_deref().unwrap_or_default(),
            &mut read,
        );
        let same = read.len() == sections.len()
            && read.iter().zip(sections).all(|(r, s)| {
                r.id.value == s.id
                    && r.title.value == s.title
                    && r.body.as_ref().map_or("", |b| b.value.as_str()) == s.body
            });
        if !same {
            problems.push("the sections do not read back as they were written".into());
        }
    } else if problems.is_empty() {
        problems.push("the source does not read back".into());
    }
    if !problems.is_empty() {
        findings.push(
            Diagnostic::error(format!(
                "the source made from this document would not pass `policygen check` (this is a fault in policygen):\n{}",
                problems.join("\n")
            ))
            .in_file(request.path)
            .with_hint("please report it with the document; meanwhile `--dry-run` prints the source for editing by hand"),
        );
    }
}
