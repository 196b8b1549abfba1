//! Puts a build on disk: every file written atomically (a temporary file in
//! the same folder, then a rename), unchanged files left untouched, outputs
//! of removed organisations or policies deleted, and `manifest.json` recording
//! what policygen owns in the output folder.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Write;
use std::path::{Component, Path};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::diagnostic::Diagnostic;

/// Suffix of temporary files; leftovers from a killed build are removed by the next.
const TEMP_SUFFIX: &str = ".policygen-tmp";
pub const MANIFEST: &str = "manifest.json";

/// One output file in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Entry {
    pub path: String,
    pub sha256: String,
    pub org: String,
    /// None for files shared by an organisation's documents (a logo copy).
    pub policy: Option<String>,
    pub variant: Option<String>,
    pub format: String,
    pub last_review: Option<String>,
    pub next_review: Option<String>,
    pub status: Option<String>,
}

/// `out/manifest.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub generator: String,
    pub build_date: String,
    pub outputs: Vec<Entry>,
}

impl Manifest {
    /// Reads the manifest of an output folder; a missing or unreadable one is empty.
    pub fn read(out_dir: &Path) -> Manifest {
        fs::read(out_dir.join(MANIFEST))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }
}

/// A file to write and the manifest entry describing it.
#[derive(Debug, Clone)]
pub struct Planned {
    pub bytes: Vec<u8>,
    pub entry: Entry,
}

/// What a write did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    pub written: Vec<String>,
    pub unchanged: Vec<String>,
    pub deleted: Vec<String>,
}

/// Hex SHA-256 of some bytes.
pub fn sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes `files` into `out_dir`. `in_scope` says which entries of the
/// previous manifest this build was responsible for: those it no longer
/// produces are deleted; entries outside the scope are kept as they were.
pub fn write(
    out_dir: &Path,
    files: BTreeMap<String, Planned>,
    in_scope: &dyn Fn(&Entry) -> bool,
    generator: &str,
    build_date: &str,
    extra: &[(String, Vec<u8>)],
) -> Result<Report, Diagnostic> {
    let fail = |path: &Path, e: std::io::Error| {
        Diagnostic::error(format!("cannot write `{}`: {e}", path.display()))
            .with_hint("check that the output folder is writable and the disk is not full")
    };
    fs::create_dir_all(out_dir).map_err(|e| fail(out_dir, e))?;
    remove_temp_files(out_dir);
    let previous = Manifest::read(out_dir);
    let mut report = Report::default();

    for (path, planned) in &files {
        let target = safe_join(out_dir, path).ok_or_else(|| {
            Diagnostic::error(format!(
                "refusing to write outside the output folder: {path}"
            ))
        })?;
        if fs::read(&target).is_ok_and(|old| old == planned.bytes) {
            report.unchanged.push(path.clone());
            continue;
        }
        write_atomic(&target, &planned.bytes).map_err(|e| fail(&target, e))?;
        report.written.push(path.clone());
    }

    let produced: BTreeSet<&str> = files.keys().map(String::as_str).collect();
    let mut outputs: Vec<Entry> = Vec::new();
    for old in previous.outputs {
        if produced.contains(old.path.as_str()) {
            continue;
        }
        if in_scope(&old) {
            if let Some(target) = safe_join(out_dir, &old.path)
                && target.is_file()
            {
                fs::remove_file(&target).map_err(|e| fail(&target, e))?;
                remove_empty_parents(out_dir, &target);
                report.deleted.push(old.path.clone());
            }
        } else {
            outputs.push(old);
        }
    }
    outputs.extend(files.into_values().map(|p| p.entry));
    outputs.sort();

    for (path, bytes) in extra {
        let target = safe_join(out_dir, path).ok_or_else(|| {
            Diagnostic::error(format!(
                "refusing to write outside the output folder: {path}"
            ))
        })?;
        if fs::read(&target).is_ok_and(|old| &old == bytes) {
            report.unchanged.push(path.clone());
        } else {
            write_atomic(&target, bytes).map_err(|e| fail(&target, e))?;
            report.written.push(path.clone());
        }
    }

    let manifest = Manifest {
        generator: generator.to_string(),
        build_date: build_date.to_string(),
        outputs,
    };
    let target = out_dir.join(MANIFEST);
    let bytes = manifest.to_bytes();
    if !fs::read(&target).is_ok_and(|old| old == bytes) {
        write_atomic(&target, &bytes).map_err(|e| fail(&target, e))?;
    }
    Ok(report)
}

/// Writes a file so that readers see either the old or the new contents:
/// the bytes go to a temporary file in the same folder, which is renamed over
/// the target. A killed process leaves the old file (and a temporary file the
/// next build removes). There is no fsync per file: it would cost seconds
/// on large builds and only matters on power loss, not a killed build.
pub fn write_atomic(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = target.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let name = target
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("output");
    let temp = dir.join(format!(".{name}.{}{TEMP_SUFFIX}", std::process::id()));
    let result = (|| {
        let mut file = fs::File::create(&temp)?;
        file.write_all(bytes)?;
        fs::rename(&temp, target)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// Creates a new file atomically, refusing to replace one that exists
/// (`ErrorKind::AlreadyExists`): the bytes go to a temporary file, which is
/// then hard-linked into place.
pub fn write_new(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = target.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let name = target
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("output");
    let temp = dir.join(format!(".{name}.{}{TEMP_SUFFIX}", std::process::id()));
    let result = (|| {
        let mut file = fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::hard_link(&temp, target)
    })();
    let _ = fs::remove_file(&temp);
    result
}

/// `out_dir/relative`, provided `relative` stays inside `out_dir`.
fn safe_join(out_dir: &Path, relative: &str) -> Option<std::path::PathBuf> {
    let path = Path::new(relative);
    let normal = path.components().all(|c| matches!(c, Component::Normal(_)));
    (normal && !relative.is_empty()).then(|| out_dir.join(path))
}

fn remove_temp_files(out_dir: &Path) {
    for entry in walkdir::WalkDir::new(out_dir)
        .max_depth(3)
        .into_iter()
        .filter_map(Result::ok)
    {
        let is_temp = entry.file_type().is_file()
            && entry
                .file_name()
                .to_str()
                .is_some_and(|n| n.ends_with(TEMP_SUFFIX));
        if is_temp {
            let _ = fs::remove_file(entry.path());
        }
    }
}

fn remove_empty_parents(out_dir: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == out_dir || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn planned(path: &str, text: &str, org: &str) -> (String, Planned) {
        (
            path.to_string(),
            Planned {
                bytes: text.as_bytes().to_vec(),
                entry: Entry {
                    path: path.to_string(),
                    sha256: sha256(text.as_bytes()),
                    org: org.to_string(),
                    policy: Some("p".into()),
                    variant: Some("v".into()),
                    format: "md".into(),
                    last_review: None,
                    next_review: None,
                    status: None,
                },
            },
        )
    }

    #[test]
    fn writes_skips_unchanged_and_deletes_stale() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        let all = |_: &Entry| true;
        let first: BTreeMap<_, _> = [planned("a/p.md", "A", "a"), planned("b/p.md", "B", "b")]
            .into_iter()
            .collect();
        let report = write(out, first, &all, "t", "d", &[]).unwrap();
        assert_eq!(report.written, ["a/p.md", "b/p.md"]);

        let second: BTreeMap<_, _> = [planned("a/p.md", "A", "a")].into_iter().collect();
        let report = write(out, second, &all, "t", "d", &[]).unwrap();
        assert_eq!(report.unchanged, ["a/p.md"]);
        assert_eq!(report.deleted, ["b/p.md"]);
        assert!(!out.join("b").exists());
        let manifest = Manifest::read(out);
        assert_eq!(manifest.outputs.len(), 1);
    }

    #[test]
    fn out_of_scope_entries_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        let first: BTreeMap<_, _> = [planned("a/p.md", "A", "a"), planned("b/p.md", "B", "b")]
            .into_iter()
            .collect();
        write(out, first, &|_| true, "t", "d", &[]).unwrap();
        let only_a = |e: &Entry| e.org == "a";
        let second: BTreeMap<_, _> = [planned("a/p.md", "A2", "a")].into_iter().collect();
        let report = write(out, second, &only_a, "t", "d", &[]).unwrap();
        assert_eq!(report.written, ["a/p.md"]);
        assert!(report.deleted.is_empty());
        assert!(out.join("b/p.md").exists());
        assert_eq!(Manifest::read(out).outputs.len(), 2);
    }

    #[test]
    fn leftover_temp_files_are_removed_and_paths_confined() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        fs::create_dir_all(out.join("a")).unwrap();
        fs::write(out.join("a/.p.md.123.policygen-tmp"), "partial").unwrap();
        write(out, BTreeMap::new(), &|_| true, "t", "d", &[]).unwrap();
        assert!(!out.join("a/.p.md.123.policygen-tmp").exists());
        assert!(safe_join(out, "../x").is_none());
        assert!(safe_join(out, "/etc/passwd").is_none());
    }
}
