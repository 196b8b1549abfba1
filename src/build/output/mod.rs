//! Puts a build on disk: every file staged beside its target first, then
//! the whole build committed at once or not at all (each replaced file is
//! kept until the commit is complete, so a failure part way puts every
//! one back); unchanged files left untouched; outputs of removed
//! organisations or policies deleted only when they are exactly what
//! policygen wrote; and `manifest.json` recording what policygen owns in
//! the output folder, always describing what is on disk.

use std::collections::BTreeMap;
use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::build::atomic::temp_path;
use crate::build::folder::{self, Session, write_error};

use crate::diagnostic::Diagnostic;

pub use crate::build::folder::safe_join;
pub use entry::{Entry, Held, Name, Sum};
pub use manifest::{MANIFEST, Manifest};

mod entry;
mod manifest;

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
pub struct Planned<'p> {
    pub content: Content,
    pub entry: Held<'p>,
}

/// What a write did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    pub written: Vec<String>,
    pub unchanged: Vec<String>,
    pub deleted: Vec<String>,
    /// Warnings for outputs that would have been deleted but are no longer
    /// what policygen wrote, so they are left where they are.
    pub kept: Vec<Diagnostic>,
}

/// Hex SHA-256 of some bytes.
pub fn sha256(bytes: &[u8]) -> String {
    Sum::of(bytes).to_hex()
}

/// Puts `bytes` for `path` beside their target without touching the target:
/// unchanged when the file already holds them, else a temporary file. The
/// folders on the way are made as needed, never through a link.
pub fn stage(session: &Session, path: &str, bytes: &[u8]) -> Result<Content, Diagnostic> {
    let target = safe_join(&session.out_dir, path).ok_or_else(|| outside(path))?;
    session.parent_of(path)?;
    if fs::symlink_metadata(&target).is_ok_and(|m| m.is_dir()) {
        return Err(folder_in_the_way(&target));
    }
    if same_bytes(&target, bytes) {
        return Ok(Content::Unchanged);
    }
    let temp = temp_path(&target, "");
    match fs::write(&temp, bytes) {
        Ok(()) => Ok(Content::Staged(temp)),
        Err(e) => {
            let _ = fs::remove_file(&temp);
            Err(write_error(&target, &e))
        }
    }
}

/// Whether `path` is a regular file (not a link) holding exactly `bytes`
/// (compared by size first).
pub fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && fs::read(path).is_ok_and(|old| old == bytes)
}

/// Whether the output an entry describes is still on disk as policygen
/// wrote it: a regular file, reached through real folders (`folders`, checked
/// once for the whole build), of the recorded size, and either untouched
/// since `since` (when the manifest was written) or, when it was touched,
/// with the recorded hash.
pub fn intact(
    out_dir: &Path,
    entry: &Entry,
    since: Option<SystemTime>,
    folders: &folder::RealFolders,
) -> bool {
    let listed = Listed {
        path: &entry.path,
        size: entry.size,
        sha256: entry.sha256,
    };
    listed.intact(out_dir, since, folders)
}

/// What [`intact`] needs of a manifest entry.
pub struct Listed<'a> {
    pub path: &'a str,
    pub size: Option<u64>,
    pub sha256: Sum,
}

impl Listed<'_> {
    /// [`intact`] for this much of an entry.
    pub fn intact(
        &self,
        out_dir: &Path,
        since: Option<SystemTime>,
        folders: &folder::RealFolders,
    ) -> bool {
        let Some(target) = safe_join(out_dir, self.path) else {
            return false;
        };
        if !folders.lead_to(self.path) {
            return false;
        }
        let Ok(metadata) = fs::symlink_metadata(&target) else {
            return false;
        };
        if !metadata.is_file() || self.size.is_some_and(|size| size != metadata.len()) {
            return false;
        }
        let untouched = since
            .zip(metadata.modified().ok())
            .is_some_and(|(since, modified)| modified < since);
        untouched || fs::read(&target).is_ok_and(|bytes| Sum::of(&bytes) == self.sha256)
    }
}

/// Removes the temporary files of a build that will not be committed, and
/// ends it, leaving the folder as it was.
pub fn discard(session: Session, files: &BTreeMap<String, Planned<'_>>) {
    for planned in files.values() {
        if let Content::Staged(temp) = &planned.content {
            let _ = fs::remove_file(temp);
        }
    }
    session.abandon();
}

/// One change a commit makes, in order; `temp` is None for a deletion.
struct Change {
    path: String,
    target: PathBuf,
    temp: Option<PathBuf>,
}

/// How to take back a change already made.
enum Undo {
    /// Put the kept copy back.
    Restore { target: PathBuf, backup: PathBuf },
    /// The file was new: remove it.
    Remove(PathBuf),
}

/// Commits a build: renames every staged file into place, deletes the
/// outputs in scope that this build no longer produces, writes the `extra`
/// site files and the manifest (`manifest` names it; shards write their
/// own), all or nothing. `in_scope` says which entries of the previous
/// manifest this build was responsible for; entries outside it are kept as
/// they were. Once committed, with the folder still locked, `committed`
/// is given the SHA-256 of the `manifest.json` left (not for a shard's).
///
/// Long on purpose: it is the transaction — apply each change keeping an
/// undo record, write the manifest last, and on any failure undo in reverse —
/// and every failure path is easiest to check with its undo in sight.
pub fn commit(
    session: Session,
    files: BTreeMap<String, Planned<'_>>,
    previous: &Manifest,
    in_scope: &dyn Fn(&Entry) -> bool,
    manifest: (&str, Manifest),
    extra: &[(String, Vec<u8>)],
    committed: &dyn Fn(Sum),
) -> Result<Report, Diagnostic> {
    let out_dir = session.out_dir.clone();
    let mut report = Report::default();
    let mut changes = Vec::new();
    for (path, planned) in &files {
        match &planned.content {
            Content::Staged(temp) => changes.push(Change {
                path: path.clone(),
                target: out_dir.join(path),
                temp: Some(temp.clone()),
            }),
            Content::Unchanged | Content::UpToDate => report.unchanged.push(path.clone()),
        }
    }

    // The new manifest lists the entries where they are, uncopied.
    let mut outputs: Vec<&Entry> = Vec::new();
    for old in &previous.outputs {
        if files.contains_key(&old.path) {
            continue;
        }
        if !in_scope(old) {
            outputs.push(old);
            continue;
        }
        match ownership(&out_dir, old) {
            Ownership::Gone => {}
            Ownership::Own(target) => changes.push(Change {
                path: old.path.clone(),
                target,
                temp: None,
            }),
            Ownership::NotOurs(why) => report.kept.push(kept(&out_dir, &old.path, why)),
        }
    }
    outputs.extend(files.values().map(|p| &*p.entry));
    outputs.sort();
    outputs.dedup_by(|a, b| a.path == b.path);

    // Every byte is on disk before the first rename: a full disk stops the
    // build here, with nothing replaced.
    let (name, manifest) = manifest;
    let listing = manifest::Listing {
        generator: &manifest.generator,
        build_date: &manifest.build_date,
        outputs,
        site: &manifest.site,
    };
    // The manifest is rewritten whenever anything was, so its time
    // tells a later build which outputs were touched after it.
    let wrote_any = changes.iter().any(|c| c.temp.is_some());
    let mut last = Vec::new();
    for (path, bytes) in extra
        .iter()
        .map(|(p, b)| (p.as_str(), Some(b.as_slice())))
        .chain([(name, None)])
    {
        let staged = match bytes {
            Some(bytes) => stage(&session, path, bytes),
            None => listing.stage(&session, path, wrote_any),
        };
        match staged {
            Ok(Content::Staged(temp)) => last.push(Change {
                path: path.to_string(),
                target: out_dir.join(path),
                temp: Some(temp),
            }),
            Ok(_) => {
                if path != name {
                    report.unchanged.push(path.to_string());
                }
            }
            Err(error) => {
                abandon(session, changes.iter().chain(&last));
                return Err(error);
            }
        }
    }
    changes.extend(last);
    if let Some(change) = changes
        .iter()
        .find(|c| c.temp.is_some() && fs::symlink_metadata(&c.target).is_ok_and(|m| m.is_dir()))
    {
        let error = folder_in_the_way(&change.target);
        abandon(session, &changes);
        return Err(error);
    }

    let mut undo = Vec::new();
    for change in &changes {
        if let Err(e) = apply(change, &mut undo) {
            for step in undo.into_iter().rev() {
                match step {
                    Undo::Restore { target, backup } => {
                        let _ = fs::rename(backup, target);
                    }
                    Undo::Remove(target) => {
                        let _ = fs::remove_file(target);
                    }
                }
            }
            abandon(session, &changes);
            return Err(Diagnostic::error(format!(
                "cannot replace `{}`: {e}",
                change.target.display()
            ))
            .with_hint(
                "every file already replaced was put back; check that the output folder is writable and the disk is not full",
            ));
        }
    }
    for step in undo {
        if let Undo::Restore { backup, .. } = step {
            let _ = fs::remove_file(backup);
        }
    }
    // Still locked: what `committed` is told is what the folder holds.
    if name == MANIFEST
        && let Ok(bytes) = fs::read(out_dir.join(name))
    {
        committed(Sum::of(&bytes));
    }
    for change in changes {
        if change.path == name {
            continue;
        }
        if change.temp.is_some() {
            report.written.push(change.path);
        } else {
            remove_empty_parents(&out_dir, &change.target);
            report.deleted.push(change.path);
        }
    }
    session.finish();
    Ok(report)
}

/// Makes one change, recording how to take it back. A file that is
/// replaced or deleted is first kept under a temporary name (a hard link,
/// so the target never goes missing).
fn apply(change: &Change, undo: &mut Vec<Undo>) -> std::io::Result<()> {
    let target = &change.target;
    let existed = match fs::symlink_metadata(target) {
        Ok(_) => true,
        Err(e) if e.kind() == ErrorKind::NotFound => false,
        Err(e) => return Err(e),
    };
    if existed {
        let backup = temp_path(target, "old.");
        let _ = fs::remove_file(&backup);
        match &change.temp {
            Some(_) => {
                if fs::hard_link(target, &backup).is_err() {
                    // A file system without hard links.
                    fs::copy(target, &backup)?;
                }
            }
            None => fs::rename(target, &backup)?,
        }
        undo.push(Undo::Restore {
            target: target.clone(),
            backup,
        });
    }
    if let Some(temp) = &change.temp {
        fs::rename(temp, target)?;
        if !existed {
            undo.push(Undo::Remove(target.clone()));
        }
    }
    Ok(())
}

/// Removes the temporary files of changes not made, and ends the build.
fn abandon<'a>(session: Session, changes: impl IntoIterator<Item = &'a Change>) {
    for change in changes {
        if let Some(temp) = &change.temp {
            let _ = fs::remove_file(temp);
        }
    }
    session.abandon();
}

/// Whether an output of an earlier build may be deleted.
enum Ownership {
    /// Exactly as policygen wrote it: delete.
    Own(PathBuf),
    /// Already gone.
    Gone,
    /// Changed, or not reached through real folders: keep, and say so.
    NotOurs(&'static str),
}

fn ownership(out_dir: &Path, entry: &Entry) -> Ownership {
    let Some(target) = safe_join(out_dir, &entry.path) else {
        return Ownership::NotOurs("its manifest entry is not a plain path");
    };
    if fs::symlink_metadata(&target).is_err() {
        return Ownership::Gone;
    }
    if !folder::is_own_file(out_dir, &entry.path) {
        return Ownership::NotOurs("it is a symbolic link or is reached through one");
    }
    match fs::read(&target) {
        Ok(bytes) if Sum::of(&bytes) == entry.sha256 => Ownership::Own(target),
        Ok(_) => Ownership::NotOurs("it was changed after policygen wrote it"),
        Err(_) => Ownership::NotOurs("it cannot be read"),
    }
}

fn kept(out_dir: &Path, path: &str, why: &str) -> Diagnostic {
    Diagnostic::warning(format!(
        "kept `{}`, which this build no longer makes: {why}",
        out_dir.join(path).display()
    ))
    .with_hint("policygen deletes only files exactly as it wrote them; delete it yourself if it is not needed")
}

fn outside(path: &str) -> Diagnostic {
    Diagnostic::error(format!(
        "refusing to write outside the output folder: {path}"
    ))
}

fn folder_in_the_way(target: &Path) -> Diagnostic {
    Diagnostic::error(format!(
        "cannot replace `{}`: it is a folder, not a file",
        target.display()
    ))
    .with_hint("policygen writes this output there; move the folder elsewhere and build again")
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
mod tests;
