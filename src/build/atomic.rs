//! Writing one file so that a reader, or a killed process, sees the old
//! bytes or the new ones and never a mix: the bytes go to a temporary file
//! beside the target (named so the next build recognises and removes a
//! leftover), which is then renamed over it or hard-linked into place.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::build::folder;

/// `.<name>.<pid>.<tag>policygen-tmp` beside `target`.
pub(crate) fn temp_path(target: &Path, tag: &str) -> PathBuf {
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("output");
    dir.join(format!(
        ".{name}.{}.{tag}{}",
        std::process::id(),
        folder::TEMP_SUFFIX.trim_start_matches('.')
    ))
}

/// Writes a file so that readers see either the old or the new contents:
/// the bytes go to a temporary file in the same folder, which is renamed over
/// the target. A killed process leaves the old file (and a temporary file the
/// next build removes). There is no fsync per file: it would cost seconds
/// on large builds and only matters on power loss, not a killed build.
pub fn write_atomic(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = target.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let temp = temp_path(target, "");
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
    let temp = temp_path(target, "");
    let result = (|| {
        let mut file = fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::hard_link(&temp, target)
    })();
    let _ = fs::remove_file(&temp);
    result
}
