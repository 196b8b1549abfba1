//! Whether many outputs are all intact, checked folder by folder: each
//! folder of the output folder opened once, never through a link (which
//! is what [`RealFolders`](crate::build::folder::RealFolders) checks), and
//! each file in it looked up by its name in the open folder. The same
//! answer as [`output::intact`](crate::build::output::intact) for every
//! file, in far fewer path look-ups: the replay of an unchanged build
//! (`build::record`) checks every output the manifest lists, 65,000 at
//! 10,000 organisations. `rustix` (the standard safe wrapper of the
//! system calls, already in the dependency tree) gives the `openat` and
//! `statx` that the standard library does not.

use std::collections::BTreeMap;
use std::io::Read;
use std::os::fd::{AsFd, OwnedFd};
use std::path::Path;
use std::time::{Duration, SystemTime};

use rayon::prelude::*;
use rustix::fs::{AtFlags, FileType, Mode, OFlags, StatxFlags, StatxTimestamp};

use crate::build::folder::safe_join;
use crate::build::output::Sum;

/// One file to check: its path in the output folder, its recorded size
/// and its recorded SHA-256 as hex (read only if the file was touched).
pub struct Row<'a> {
    pub path: &'a str,
    pub size: Option<u64>,
    pub sha256: &'a str,
}

/// Whether every row's file is intact: a regular file (not a link),
/// reached through real folders, of the recorded size, and either
/// untouched since `since` or holding the recorded hash.
pub fn all_intact(out_dir: &Path, rows: &[Row], since: Option<SystemTime>) -> bool {
    let mut by_folder: BTreeMap<&str, Vec<(&str, &Row)>> = BTreeMap::new();
    for row in rows {
        if safe_join(out_dir, row.path).is_none() {
            return false;
        }
        let (folder, name) = row.path.rsplit_once('/').unwrap_or(("", row.path));
        by_folder.entry(folder).or_default().push((name, row));
    }
    let Ok(root) = rustix::fs::open(out_dir, dir_flags(), Mode::empty()) else {
        return false;
    };
    let folders: Vec<_> = by_folder.into_iter().collect();
    folders.par_iter().all(|(folder, files)| {
        open_folder(&root, folder).is_some_and(|dir| {
            files
                .iter()
                .all(|(name, row)| file_intact(&dir, name, row, since))
        })
    })
}

fn dir_flags() -> OFlags {
    OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC
}

/// The folder `relative` (plain names, `""` for the output folder itself)
/// opened one name at a time, none of them a link.
fn open_folder(root: &OwnedFd, relative: &str) -> Option<OwnedFd> {
    let mut dir = rustix::io::dup(root).ok()?;
    if relative.is_empty() {
        return Some(dir);
    }
    for name in relative.split('/') {
        dir = rustix::fs::openat(&dir, name, dir_flags() | OFlags::NOFOLLOW, Mode::empty()).ok()?;
    }
    Some(dir)
}

fn file_intact(dir: &OwnedFd, name: &str, row: &Row, since: Option<SystemTime>) -> bool {
    let wanted = StatxFlags::TYPE | StatxFlags::SIZE | StatxFlags::MTIME;
    let Ok(stat) = rustix::fs::statx(dir, name, AtFlags::SYMLINK_NOFOLLOW, wanted) else {
        return false;
    };
    if !StatxFlags::from_bits_retain(stat.stx_mask).contains(wanted)
        || FileType::from_raw_mode(u32::from(stat.stx_mode)) != FileType::RegularFile
        || row.size.is_some_and(|size| size != stat.stx_size)
    {
        return false;
    }
    let untouched = since
        .zip(time(stat.stx_mtime))
        .is_some_and(|(since, modified)| modified < since);
    untouched || same_hash(dir, name, row.sha256)
}

/// A file time as the standard library's `Metadata::modified` gives it.
fn time(at: StatxTimestamp) -> Option<SystemTime> {
    let seconds = Duration::from_secs(at.tv_sec.unsigned_abs());
    let whole = if at.tv_sec >= 0 {
        SystemTime::UNIX_EPOCH.checked_add(seconds)?
    } else {
        SystemTime::UNIX_EPOCH.checked_sub(seconds)?
    };
    whole.checked_add(Duration::from_nanos(u64::from(at.tv_nsec)))
}

fn same_hash(dir: &OwnedFd, name: &str, sha256: &str) -> bool {
    let Some(wanted) = Sum::from_hex(sha256) else {
        return false;
    };
    let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    let Ok(fd) = rustix::fs::openat(dir.as_fd(), name, flags, Mode::empty()) else {
        return false;
    };
    let mut bytes = Vec::new();
    std::fs::File::from(fd).read_to_end(&mut bytes).is_ok() && Sum::of(&bytes) == wanted
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::folder::RealFolders;
    use crate::build::output::{Listed, Sum};

    /// Every case answers as `output::intact` does.
    #[test]
    fn answers_as_one_file_at_a_time_does() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let elsewhere = dir.path().join("elsewhere");
        for folder in ["out/a/deep", "out/b", "elsewhere"] {
            std::fs::create_dir_all(dir.path().join(folder)).unwrap();
        }
        let files = ["top.html", "a/p.md", "a/deep/q.md", "b/r.md", "link.md"];
        for file in &files[..4] {
            std::fs::write(out.join(file), file.as_bytes()).unwrap();
        }
        std::fs::write(elsewhere.join("s.md"), "link.md").unwrap();
        std::os::unix::fs::symlink(elsewhere.join("s.md"), out.join("link.md")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("linked")).unwrap();
        let since = SystemTime::now() + Duration::from_secs(60);
        let hex = |text: &str| Sum::of(text.as_bytes()).to_hex();
        // (path, recorded size, recorded content)
        let cases: Vec<(&str, Option<u64>, &str)> = vec![
            ("top.html", Some(8), "top.html"),
            ("a/p.md", Some(6), "a/p.md"),
            ("a/deep/q.md", None, "a/deep/q.md"),
            ("b/r.md", Some(99), "b/r.md"),
            ("b/missing.md", Some(1), "x"),
            ("link.md", Some(7), "link.md"),
            ("linked/s.md", Some(7), "link.md"),
            ("a", None, "a"),
            ("a/../b/r.md", Some(6), "b/r.md"),
        ];
        for (path, size, content) in &cases {
            for since in [Some(since), None] {
                let sha256 = hex(content);
                let one = Listed {
                    path,
                    size: *size,
                    sha256: Sum::from_hex(&sha256).unwrap(),
                };
                let folders = RealFolders::check(&out, [*path]);
                let row = Row {
                    path,
                    size: *size,
                    sha256: &sha256,
                };
                assert_eq!(
                    all_intact(&out, &[row], since),
                    one.intact(&out, since, &folders),
                    "{path}, since {since:?}"
                );
            }
        }
        // Touched and changed, its size kept: found by its hash.
        let sha256 = hex("a/p.md");
        let row = |sha256| Row {
            path: "a/p.md",
            size: Some(6),
            sha256,
        };
        assert!(all_intact(&out, &[row(&sha256)], None));
        std::fs::write(out.join("a/p.md"), "a/P.md").unwrap();
        assert!(!all_intact(&out, &[row(&sha256)], None));
        assert!(all_intact(&out, &[row(&sha256)], Some(since)));
        assert!(all_intact(&out, &[], None));
        assert!(!all_intact(&dir.path().join("none"), &[row(&sha256)], None));
    }
}
