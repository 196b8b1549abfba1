//! The output folder while a build writes to it: locked so that one build
//! writes at a time, entered only through real folders (never a symbolic
//! link, so nothing is written or deleted outside it), and left exactly as
//! it was, empty folders included, when the build does not commit.

use std::collections::BTreeSet;
use std::fs::{self, File};
use std::io::ErrorKind;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use crate::diagnostic::Diagnostic;

/// Suffix of temporary files; leftovers from a killed build are removed by the next.
pub const TEMP_SUFFIX: &str = ".policygen-tmp";

/// Marks a build under way; a build that ends (committed or abandoned)
/// removes it, so finding it means an earlier build was killed.
pub const IN_PROGRESS: &str = ".policygen-build-in-progress";

/// A build's hold on its output folder, from [`Session::open`] to commit or
/// discard. The folder itself is locked (an advisory lock on the folder,
/// so no lock file is left behind); the lock goes when this is dropped,
/// also when the process dies.
#[derive(Debug)]
pub struct Session {
    pub out_dir: PathBuf,
    _lock: File,
    /// Folders this build created, parents first, so a build that does not
    /// commit removes them again.
    created: Mutex<Vec<PathBuf>>,
}

impl Session {
    /// Locks the output folder (creating it if need be) for a build, and,
    /// when an earlier build was killed part way, removes the temporary
    /// files it left behind (searching the folder only then keeps no-op
    /// builds fast; the lock means no other build's files are in flight).
    pub fn open(out_dir: &Path) -> Result<Session, Diagnostic> {
        let mut created = Vec::new();
        match fs::metadata(out_dir) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => return Err(not_a_folder(out_dir)),
            Err(e) if e.kind() == ErrorKind::NotFound => {
                let mut missing: Vec<&Path> = out_dir
                    .ancestors()
                    .take_while(|p| !p.as_os_str().is_empty() && !p.exists())
                    .collect();
                fs::create_dir_all(out_dir).map_err(|e| write_error(out_dir, &e))?;
                missing.reverse();
                created.extend(missing.into_iter().map(Path::to_path_buf));
            }
            Err(e) => return Err(write_error(out_dir, &e)),
        }
        let lock = lock(out_dir, true)?;
        let marker = out_dir.join(IN_PROGRESS);
        if marker.exists() {
            remove_temp_files(out_dir);
        }
        fs::write(&marker, b"").map_err(|e| write_error(&marker, &e))?;
        Ok(Session {
            out_dir: out_dir.to_path_buf(),
            _lock: lock,
            created: Mutex::new(created),
        })
    }

    /// The folder that holds `relative` (a path checked by
    /// [`safe_join`]), created folder by folder as needed; refused when any
    /// part of it inside the output folder is a symbolic link or a file.
    pub fn parent_of(&self, relative: &str) -> Result<PathBuf, Diagnostic> {
        let mut dir = self.out_dir.clone();
        let parts: Vec<&str> = relative.split('/').collect();
        for part in &parts[..parts.len().saturating_sub(1)] {
            dir.push(part);
            match fs::symlink_metadata(&dir) {
                Ok(m) if m.is_dir() => {}
                Ok(m) if m.file_type().is_symlink() => return Err(linked_folder(&dir)),
                Ok(_) => return Err(file_for_folder(&dir)),
                Err(e) if e.kind() == ErrorKind::NotFound => match fs::create_dir(&dir) {
                    Ok(()) => {
                        if let Ok(mut created) = self.created.lock() {
                            created.push(dir.clone());
                        }
                    }
                    // Another thread of this build made it first.
                    Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
                    Err(e) => return Err(write_error(&dir, &e)),
                },
                Err(e) => return Err(write_error(&dir, &e)),
            }
        }
        Ok(dir)
    }

    /// Ends a build that committed.
    pub fn finish(self) {
        let _ = fs::remove_file(self.out_dir.join(IN_PROGRESS));
    }

    /// Ends a build that did not commit: the folders it made go again
    /// (they hold nothing once its temporary files are removed).
    pub fn abandon(self) {
        let _ = fs::remove_file(self.out_dir.join(IN_PROGRESS));
        let created = self.created.lock().map(|c| c.clone()).unwrap_or_default();
        for dir in created.iter().rev() {
            let _ = fs::remove_dir(dir);
        }
    }
}

/// Takes a shared lock on an existing output folder for `build --check`,
/// so it never compares against a folder another build is half-way through
/// writing. None when there is no folder yet.
pub fn lock_for_reading(out_dir: &Path) -> Result<Option<File>, Diagnostic> {
    if !out_dir.exists() {
        return Ok(None);
    }
    if !out_dir.is_dir() {
        return Err(not_a_folder(out_dir));
    }
    lock(out_dir, false).map(Some)
}

fn lock(out_dir: &Path, exclusive: bool) -> Result<File, Diagnostic> {
    let folder = File::open(out_dir).map_err(|e| write_error(out_dir, &e))?;
    let result = if exclusive {
        folder.try_lock()
    } else {
        folder.try_lock_shared()
    };
    match result {
        Ok(()) => Ok(folder),
        Err(fs::TryLockError::WouldBlock) => Err(Diagnostic::error(format!(
            "another policygen build is writing to `{}`",
            out_dir.display()
        ))
        .with_hint(
            "wait for it to finish, then run this one again (two builds at once would mix their files)",
        )),
        Err(fs::TryLockError::Error(e)) => Err(write_error(out_dir, &e)),
    }
}

/// `out_dir/relative`, provided `relative` is a plain path inside `out_dir`:
/// names separated by single `/`, no `.`, `..` or root.
pub fn safe_join(out_dir: &Path, relative: &str) -> Option<PathBuf> {
    let path = Path::new(relative);
    let plain = !relative.is_empty()
        && relative
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
        && path.components().all(|c| matches!(c, Component::Normal(_)));
    plain.then(|| out_dir.join(path))
}

/// The folders of an output folder that are real folders (not links) all
/// the way from it, each checked once for the many outputs inside it.
#[derive(Debug, Default)]
pub struct RealFolders(BTreeSet<String>);

impl RealFolders {
    /// Checks every folder on the way to each of `paths` (relative to `out_dir`).
    pub fn check<'a>(out_dir: &Path, paths: impl IntoIterator<Item = &'a str>) -> RealFolders {
        let folders: BTreeSet<&str> = paths
            .into_iter()
            .filter_map(|p| p.rsplit_once('/').map(|(dir, _)| dir))
            .collect();
        let mut real = BTreeSet::new();
        let mut not_real = BTreeSet::new();
        for folder in folders {
            let mut at = String::new();
            for part in folder.split('/') {
                if !at.is_empty() {
                    at.push('/');
                }
                at.push_str(part);
                if real.contains(&at) {
                    continue;
                }
                let is_real = !not_real.contains(&at)
                    && safe_join(out_dir, &at)
                        .is_some_and(|d| fs::symlink_metadata(d).is_ok_and(|m| m.is_dir()));
                if !is_real {
                    not_real.insert(at);
                    break;
                }
                real.insert(at.clone());
            }
        }
        RealFolders(real)
    }

    /// Whether every folder on the way to `relative` was found real (a
    /// folder is listed only when the ones above it are).
    pub fn lead_to(&self, relative: &str) -> bool {
        relative
            .rsplit_once('/')
            .is_none_or(|(dir, _)| self.0.contains(dir))
    }
}

/// Whether `relative` is reached from `out_dir` through real folders only
/// and is itself a regular file (not a link).
pub fn is_own_file(out_dir: &Path, relative: &str) -> bool {
    let Some(target) = safe_join(out_dir, relative) else {
        return false;
    };
    let mut dir = out_dir.to_path_buf();
    let parts: Vec<&str> = relative.split('/').collect();
    for part in &parts[..parts.len() - 1] {
        dir.push(part);
        if !fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir()) {
            return false;
        }
    }
    fs::symlink_metadata(target).is_ok_and(|m| m.is_file())
}

pub fn write_error(path: &Path, e: &std::io::Error) -> Diagnostic {
    if e.kind() == ErrorKind::NotADirectory {
        return Diagnostic::error(format!(
            "cannot write `{}`: part of its path is a file, not a folder",
            path.display()
        ))
        .with_hint("move that file out of the way, or pass another folder with --out");
    }
    Diagnostic::error(format!("cannot write `{}`: {e}", path.display()))
        .with_hint("check that the output folder is writable and the disk is not full")
}

fn not_a_folder(out_dir: &Path) -> Diagnostic {
    Diagnostic::error(format!(
        "the output folder `{}` is a file, not a folder",
        out_dir.display()
    ))
    .with_hint("move the file out of the way, or pass another folder with --out")
}

fn linked_folder(dir: &Path) -> Diagnostic {
    Diagnostic::error(format!(
        "`{}` is a symbolic link; policygen writes only into real folders inside the output folder",
        dir.display()
    ))
    .with_hint(format!(
        "remove the link (`rm {}`) and the next build makes the folder; to publish elsewhere, pass that folder with --out",
        dir.display()
    ))
}

fn file_for_folder(dir: &Path) -> Diagnostic {
    Diagnostic::error(format!(
        "`{}` is a file where policygen puts a folder",
        dir.display()
    ))
    .with_hint("move the file out of the way; policygen makes the folder")
}

/// Removes every temporary file of earlier builds (whichever process left
/// it), without following links.
pub fn remove_temp_files(out_dir: &Path) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_confined_and_plain() {
        let out = Path::new("out");
        assert!(safe_join(out, "a/b.md").is_some());
        for bad in ["../x", "/etc/passwd", "a//b", "a/./b", "", "a/"] {
            assert!(safe_join(out, bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn a_second_session_is_refused_and_an_abandoned_one_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let first = Session::open(&out).unwrap();
        let second = Session::open(&out).unwrap_err();
        assert!(second.message.starts_with("another policygen build"));
        first.parent_of("a/b/c.md").unwrap();
        assert!(out.join("a/b").is_dir());
        first.abandon();
        assert!(!out.exists(), "the folder it created is gone");
    }

    #[test]
    fn links_inside_the_folder_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir_all(&out).unwrap();
        std::os::unix::fs::symlink(dir.path(), out.join("a")).unwrap();
        let session = Session::open(&out).unwrap();
        let error = session.parent_of("a/b.md").unwrap_err();
        assert!(error.message.contains("is a symbolic link"), "{error:?}");
        assert!(!is_own_file(&out, "a/b.md"));
        session.abandon();
        assert!(out.join("a").is_symlink());
    }
}
