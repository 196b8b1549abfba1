//! Reads the approved texts, `approved/<org>/<policy-id>/v<version>.md`
//! (SPEC §8), into the project: each as a source file (so input hashes
//! cover it and findings can name it) and parsed into an [`ApprovedText`].
//! A file there that policygen did not write, or cannot read, is a finding.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::control::archive::{self, ApprovedText};
use crate::diagnostic::Diagnostic;
use crate::load::project::FileId;
use crate::load::source::SourceFile;

/// One approved text of one version.
#[derive(Debug, Clone)]
pub struct Archived {
    pub file: FileId,
    pub text: ApprovedText,
}

/// Organisation → policy → version → its approved text.
pub type Approved = BTreeMap<String, BTreeMap<String, BTreeMap<String, Archived>>>;

/// Reads `root/approved/`, appending each file to `sources`.
pub fn load(
    root: &Path,
    sources: &mut Vec<SourceFile>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Approved {
    let mut approved = Approved::new();
    let base = root.join(archive::FOLDER);
    for org in sorted_entries(&base, true) {
        for policy in sorted_entries(&base.join(&org), true) {
            let folder = base.join(&org).join(&policy);
            for name in sorted_entries(&folder, false) {
                let relative = format!("{}/{org}/{policy}/{name}", archive::FOLDER);
                let Some(version) = archive::version_of(&name) else {
                    if !name.starts_with('.') {
                        diagnostics.push(
                            Diagnostic::warning(format!("`{relative}` is not read"))
                                .in_file(&relative)
                                .with_hint("approved texts are named `v<version>.md` and written by `policygen approve`; move other files out of approved/"),
                        );
                    }
                    continue;
                };
                let text = match fs::read(folder.join(&name))
                    .map_err(|e| {
                        Diagnostic::error(format!("cannot read the approved text: {e}"))
                            .in_file(&relative)
                            .with_hint("check that the file exists and that you may read it")
                    })
                    .and_then(|bytes| crate::load::project::decode(&bytes, &relative))
                {
                    Ok(text) => text,
                    Err(finding) => {
                        diagnostics.push(finding);
                        continue;
                    }
                };
                match ApprovedText::parse(&text) {
                    Ok(parsed) => {
                        sources.push(SourceFile::new(relative, text));
                        approved
                            .entry(org.clone())
                            .or_default()
                            .entry(policy.clone())
                            .or_default()
                            .insert(
                                version.to_string(),
                                Archived {
                                    file: sources.len() - 1,
                                    text: parsed,
                                },
                            );
                    }
                    Err(why) => diagnostics.push(
                        Diagnostic::error(format!("the approved text cannot be read: {why}"))
                            .in_file(&relative)
                            .with_hint("approved texts are written by `policygen approve` and must not be edited; restore this one from version control"),
                    ),
                }
            }
        }
    }
    approved
}

/// The names of a folder's subfolders (`dirs`) or files, sorted; none when
/// the folder is missing.
fn sorted_entries(dir: &Path, dirs: bool) -> Vec<String> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir() == dirs)
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .collect();
    names.sort();
    names
}
