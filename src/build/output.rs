//! Puts a build on disk: every file written atomically (a temporary file in
//! the same folder, then a rename), unchanged files left untouched, outputs
//! of removed organisations or policies deleted, and `manifest.json` recording
//! what policygen owns in the output folder.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

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
    /// The document's approval state (SPEC §8): `none`, `awaiting`,
    /// `changed` or `approved`; on the document's own entries only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval: Option<String>,
    /// Hash of every input that produced the file; a later build skips
    /// rendering it while this is unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
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

/// Where a planned file's bytes are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// Written to a temporary file beside its target, renamed into place on commit.
    Staged(PathBuf),
    /// The file on disk already holds exactly these bytes.
    Unchanged,
    /// Not rendered this time: its inputs are unchanged since the build that
    /// wrote it.
    UpToDate,
}

/// A file of this build and the manifest entry describing it.
#[derive(Debug, Clone)]
pub struct Planned {
    pub content: Content,
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

fn write_error(path: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(format!("cannot write `{}`: {e}", path.display()))
        .with_hint("check that the output folder is writable and the disk is not full")
}

/// Marks a build under way; a build that ends (committed or abandoned)
/// removes it, so finding it means an earlier build was killed.
const IN_PROGRESS: &str = ".policygen-build-in-progress";

/// Gets the output folder ready: creates it and, when an earlier build was
/// killed part way, removes the temporary files it left behind (searching
/// the folder only then keeps no-op builds fast).
pub fn prepare(out_dir: &Path) -> Result<(), Diagnostic> {
    fs::create_dir_all(out_dir).map_err(|e| write_error(out_dir, e))?;
    let marker = out_dir.join(IN_PROGRESS);
    if marker.exists() {
        remove_temp_files(out_dir);
    }
    fs::write(&marker, b"").map_err(|e| write_error(&marker, e))?;
    Ok(())
}

/// Ends a build begun with [`prepare`].
pub fn finish(out_dir: &Path) {
    let _ = fs::remove_file(out_dir.join(IN_PROGRESS));
}

/// Puts `bytes` for `path` beside their target without touching the target:
/// unchanged when the file already holds them, else a temporary file.
pub fn stage(out_dir: &Path, path: &str, bytes: &[u8]) -> Result<Content, Diagnostic> {
    let target = safe_join(out_dir, path).ok_or_else(|| {
        Diagnostic::error(format!(
            "refusing to write outside the output folder: {path}"
        ))
    })?;
    if same_bytes(&target, bytes) {
        return Ok(Content::Unchanged);
    }
    let temp = temp_path(&target);
    let result = (|| {
        fs::create_dir_all(temp.parent().unwrap_or(out_dir))?;
        fs::write(&temp, bytes)
    })();
    match result {
        Ok(()) => Ok(Content::Staged(temp)),
        Err(e) => {
            let _ = fs::remove_file(&temp);
            Err(write_error(&target, e))
        }
    }
}

/// Whether `path` holds exactly `bytes` (compared by size first).
pub fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    fs::metadata(path).is_ok_and(|m| m.len() == bytes.len() as u64)
        && fs::read(path).is_ok_and(|old| old == bytes)
}

/// Removes the temporary files of a build that will not be committed, and
/// ends it.
pub fn discard(out_dir: &Path, files: &BTreeMap<String, Planned>) {
    for planned in files.values() {
        if let Content::Staged(temp) = &planned.content {
            let _ = fs::remove_file(temp);
        }
    }
    finish(out_dir);
}

/// Commits a build: renames every staged file into place, deletes the
/// outputs in scope that this build no longer produces, writes the `extra`
/// site files and the manifest (`manifest` names it; shards write their own).
/// `in_scope` says which entries of the previous manifest this build was
/// responsible for; entries outside it are kept as they were.
pub fn commit(
    out_dir: &Path,
    files: BTreeMap<String, Planned>,
    previous: &Manifest,
    in_scope: &dyn Fn(&Entry) -> bool,
    manifest: (&str, Manifest),
    extra: &[(String, Vec<u8>)],
) -> Result<Report, Diagnostic> {
    let mut report = Report::default();
    for (path, planned) in &files {
        match &planned.content {
            Content::Staged(temp) => {
                let target = out_dir.join(path);
                fs::rename(temp, &target).map_err(|e| write_error(&target, e))?;
                report.written.push(path.clone());
            }
            Content::Unchanged | Content::UpToDate => report.unchanged.push(path.clone()),
        }
    }

    let mut outputs: Vec<Entry> = Vec::new();
    for old in &previous.outputs {
        if files.contains_key(&old.path) {
            continue;
        }
        if in_scope(old) {
            if let Some(target) = safe_join(out_dir, &old.path)
                && target.is_file()
            {
                fs::remove_file(&target).map_err(|e| write_error(&target, e))?;
                remove_empty_parents(out_dir, &target);
                report.deleted.push(old.path.clone());
            }
        } else {
            outputs.push(old.clone());
        }
    }
    outputs.extend(files.into_values().map(|p| p.entry));
    outputs.sort();
    outputs.dedup_by(|a, b| a.path == b.path);

    for (path, bytes) in extra {
        let target = safe_join(out_dir, path).ok_or_else(|| {
            Diagnostic::error(format!(
                "refusing to write outside the output folder: {path}"
            ))
        })?;
        if same_bytes(&target, bytes) {
            report.unchanged.push(path.clone());
        } else {
            write_atomic(&target, bytes).map_err(|e| write_error(&target, e))?;
            report.written.push(path.clone());
        }
    }

    let (name, mut manifest) = manifest;
    manifest.outputs = outputs;
    let target = out_dir.join(name);
    let bytes = manifest.to_bytes();
    if !same_bytes(&target, &bytes) {
        write_atomic(&target, &bytes).map_err(|e| write_error(&target, e))?;
    }
    finish(out_dir);
    Ok(report)
}

fn temp_path(target: &Path) -> PathBuf {
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("output");
    dir.join(format!(".{name}.{}{TEMP_SUFFIX}", std::process::id()))
}

/// Writes a file so that readers see either the old or the new contents:
/// the bytes go to a temporary file in the same folder, which is renamed over
/// the target. A killed process leaves the old file (and a temporary file the
/// next build removes). There is no fsync per file: it would cost seconds
/// on large builds and only matters on power loss, not a killed build.
pub fn write_atomic(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = target.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let temp = temp_path(target);
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
    let temp = temp_path(target);
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
pub fn safe_join(out_dir: &Path, relative: &str) -> Option<std::path::PathBuf> {
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

    fn entry(path: &str, org: &str) -> Entry {
        Entry {
            path: path.to_string(),
            sha256: String::new(),
            org: org.to_string(),
            policy: Some("p".into()),
            variant: Some("v".into()),
            format: "md".into(),
            last_review: None,
            next_review: None,
            status: None,
            approval: None,
            input: None,
        }
    }

    /// Stages and commits `files` (path, text, org) the way a build does.
    fn build(
        out: &Path,
        files: &[(&str, &str, &str)],
        in_scope: &dyn Fn(&Entry) -> bool,
    ) -> Report {
        prepare(out).unwrap();
        let previous = Manifest::read(out);
        let planned: BTreeMap<String, Planned> = files
            .iter()
            .map(|(path, text, org)| {
                let content = stage(out, path, text.as_bytes()).unwrap();
                (
                    path.to_string(),
                    Planned {
                        content,
                        entry: entry(path, org),
                    },
                )
            })
            .collect();
        commit(
            out,
            planned,
            &previous,
            in_scope,
            (MANIFEST, Manifest::default()),
            &[],
        )
        .unwrap()
    }

    #[test]
    fn writes_skips_unchanged_and_deletes_stale() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        let all = |_: &Entry| true;
        let report = build(out, &[("a/p.md", "A", "a"), ("b/p.md", "B", "b")], &all);
        assert_eq!(report.written, ["a/p.md", "b/p.md"]);
        let report = build(out, &[("a/p.md", "A", "a")], &all);
        assert_eq!(report.unchanged, ["a/p.md"]);
        assert_eq!(report.deleted, ["b/p.md"]);
        assert!(!out.join("b").exists());
        assert_eq!(Manifest::read(out).outputs.len(), 1);
    }

    #[test]
    fn out_of_scope_entries_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        build(out, &[("a/p.md", "A", "a"), ("b/p.md", "B", "b")], &|_| {
            true
        });
        let report = build(out, &[("a/p.md", "A2", "a")], &|e: &Entry| e.org == "a");
        assert_eq!(report.written, ["a/p.md"]);
        assert!(report.deleted.is_empty());
        assert!(out.join("b/p.md").exists());
        assert_eq!(Manifest::read(out).outputs.len(), 2);
    }

    #[test]
    fn staging_leaves_targets_alone_until_commit_and_discard_cleans_up() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        build(out, &[("a/p.md", "old", "a")], &|_| true);
        let content = stage(out, "a/p.md", b"new").unwrap();
        assert_eq!(fs::read_to_string(out.join("a/p.md")).unwrap(), "old");
        let files: BTreeMap<String, Planned> = [(
            "a/p.md".to_string(),
            Planned {
                content,
                entry: entry("a/p.md", "a"),
            },
        )]
        .into();
        discard(out, &files);
        assert_eq!(
            crate::build::output::tests::listing(out),
            ["a/p.md", "manifest.json"]
        );
    }

    fn listing(dir: &Path) -> Vec<String> {
        let mut files: Vec<String> = walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        files.sort();
        files
    }

    #[test]
    fn leftover_temp_files_are_removed_and_paths_confined() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        fs::create_dir_all(out.join("a")).unwrap();
        fs::write(out.join("a/.p.md.123.policygen-tmp"), "partial").unwrap();
        // A killed build leaves its marker; the next build cleans up.
        fs::write(out.join(IN_PROGRESS), "").unwrap();
        prepare(out).unwrap();
        assert!(!out.join("a/.p.md.123.policygen-tmp").exists());
        finish(out);
        assert!(!out.join(IN_PROGRESS).exists());
        assert!(safe_join(out, "../x").is_none());
        assert!(safe_join(out, "/etc/passwd").is_none());
    }
}
