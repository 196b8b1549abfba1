//! A profile on disk while a command edits it (`review`, and every command
//! that records something in a profile): the library's profiles are locked
//! for the whole edit, so two edits at once queue instead of one losing the
//! other, and the edited text is written back in place — through a link to
//! the file it names, keeping its permissions, owner and byte-order mark —
//! atomically (a temporary file beside it, then a rename).

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Holds the library's profiles for one edit; released when dropped (or
/// when the process ends).
#[derive(Debug)]
pub struct EditLock {
    _folder: Option<File>,
}

impl EditLock {
    /// Waits for any other edit of the profiles in `root/organisations/` to
    /// finish, then holds them. Take it before loading the project, so the
    /// edit starts from what is on disk. (The folder itself is locked: the
    /// profile is replaced by a rename, so a lock on the file would not
    /// outlive the edit.)
    pub fn acquire(root: &Path) -> Result<EditLock, Diagnostic> {
        let dir = root.join("organisations");
        let Ok(folder) = File::open(&dir) else {
            // No profiles to edit: the command says so once it has loaded.
            return Ok(EditLock { _folder: None });
        };
        match folder.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                eprintln!("waiting for another edit of the profiles in organisations/ to finish…");
                folder.lock().map_err(|e| cannot_lock(&dir, &e))?;
            }
            Err(fs::TryLockError::Error(e)) => return Err(cannot_lock(&dir, &e)),
        }
        Ok(EditLock {
            _folder: Some(folder),
        })
    }

    /// Replaces the profile `relative` (`organisations/home.yaml`) with
    /// `text`. A profile that is a link stays one: the file it names is
    /// replaced. A byte-order mark the file began with is kept (loading
    /// drops it from the text), and so are its permissions and owner.
    pub fn write(&self, root: &Path, relative: &str, text: &str) -> Result<(), Diagnostic> {
        let path = root.join(relative);
        let real = fs::canonicalize(&path).map_err(|e| cannot_write(relative, &e))?;
        let old = fs::read(&real).map_err(|e| cannot_write(relative, &e))?;
        let metadata = fs::metadata(&real).map_err(|e| cannot_write(relative, &e))?;
        let mut bytes = Vec::with_capacity(text.len() + BOM.len());
        if old.starts_with(BOM) && !text.as_bytes().starts_with(BOM) {
            bytes.extend_from_slice(BOM);
        }
        bytes.extend_from_slice(text.as_bytes());
        replace(&real, &bytes, &metadata).map_err(|e| cannot_write(relative, &e))
    }
}

/// Writes `bytes` to a temporary file beside `real` with its permissions
/// and owner, flushes it to disk (a profile is a source, written rarely),
/// and renames it over `real`.
fn replace(real: &Path, bytes: &[u8], metadata: &fs::Metadata) -> std::io::Result<()> {
    let temp = temp_beside(real);
    let result = (|| {
        let mut file = File::create(&temp)?;
        file.write_all(bytes)?;
        file.set_permissions(metadata.permissions())?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            // Only possible as root or the owner; otherwise the new file is
            // the editor's, as with any editor that saves by renaming.
            let _ = std::os::unix::fs::fchown(&file, Some(metadata.uid()), Some(metadata.gid()));
        }
        file.sync_all()?;
        fs::rename(&temp, real)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

fn temp_beside(real: &Path) -> PathBuf {
    let name = real
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("profile");
    real.with_file_name(format!(".{name}.{}.policygen-tmp", std::process::id()))
}

fn cannot_lock(dir: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(format!("cannot lock `{}` for the edit: {e}", dir.display()))
        .with_hint("check that you may read the folder")
}

fn cannot_write(relative: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(format!("cannot write `{relative}`: {e}"))
        .in_file(relative)
        .with_hint("check that the profile is writable and the disk is not full")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_waits_and_the_mark_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("organisations")).unwrap();
        fs::write(
            dir.path().join("organisations/a.yaml"),
            b"\xEF\xBB\xBFname: A\n",
        )
        .unwrap();
        let lock = EditLock::acquire(dir.path()).unwrap();
        let other = File::open(dir.path().join("organisations")).unwrap();
        assert!(other.try_lock().is_err(), "the folder is locked");
        lock.write(dir.path(), "organisations/a.yaml", "name: B\n")
            .unwrap();
        drop(lock);
        assert!(other.try_lock().is_ok());
        assert_eq!(
            fs::read(dir.path().join("organisations/a.yaml")).unwrap(),
            b"\xEF\xBB\xBFname: B\n"
        );
    }
}
