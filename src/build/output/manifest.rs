//! `out/manifest.json`, read and written without holding it whole: at
//! 10,000 organisations it is 30 MB of JSON, so the new manifest is
//! written straight to its temporary file, and compared with the one on
//! disk as it is produced, never kept as bytes.

use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::build::atomic::temp_path;
use crate::build::folder::{Session, write_error};
use crate::build::output::{Content, Entry, folder_in_the_way, outside, safe_join};
use crate::diagnostic::Diagnostic;

pub const MANIFEST: &str = "manifest.json";

/// `out/manifest.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub generator: String,
    pub build_date: String,
    pub outputs: Vec<Entry>,
    /// The site-level files a full build writes beside the outputs (the
    /// site dashboard, the site calendar, the schedule), with their input
    /// keys, so an unchanged one is neither made nor read back. They are not
    /// outputs: nothing here is ever deleted for being missing from a build.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub site: Vec<Entry>,
}

impl Manifest {
    /// Reads the manifest of an output folder; a missing or unreadable one is empty.
    pub fn read(out_dir: &Path) -> Manifest {
        fs::read(out_dir.join(MANIFEST))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }
}

/// The manifest as a build writes it: the same JSON as [`Manifest`], its
/// entries borrowed from the previous manifest and from this build.
#[derive(Serialize)]
pub(super) struct Listing<'a> {
    pub generator: &'a str,
    pub build_date: &'a str,
    pub outputs: Vec<&'a Entry>,
    #[serde(skip_serializing_if = "<[Entry]>::is_empty")]
    pub site: &'a [Entry],
}

impl Listing<'_> {
    /// Writes the manifest's JSON (pretty, with a final newline) to `out`.
    fn write_to(&self, out: impl Write) -> io::Result<()> {
        let mut out = BufWriter::with_capacity(64 * 1024, out);
        serde_json::to_writer_pretty(&mut out, self)?;
        out.write_all(b"\n")?;
        out.flush()
    }

    /// Whether `path` is a regular file (not a link) holding exactly this
    /// manifest, compared as it is produced.
    fn is_in(&self, path: &Path) -> bool {
        if !fs::symlink_metadata(path).is_ok_and(|m| m.is_file()) {
            return false;
        }
        let Ok(file) = File::open(path) else {
            return false;
        };
        let mut old = SameAs {
            old: BufReader::with_capacity(64 * 1024, file),
            same: true,
            chunk: Vec::new(),
        };
        // A difference ends the comparison with an error.
        self.write_to(&mut old).is_ok() && old.same && old.at_end()
    }

    /// Stages the manifest for `path` like any output (unchanged when the
    /// file already holds it), or always when `always`: its time tells a
    /// later build which outputs were touched after it.
    pub(super) fn stage(
        &self,
        session: &Session,
        path: &str,
        always: bool,
    ) -> Result<Content, Diagnostic> {
        let target = safe_join(&session.out_dir, path).ok_or_else(|| outside(path))?;
        session.parent_of(path)?;
        if fs::symlink_metadata(&target).is_ok_and(|m| m.is_dir()) {
            return Err(folder_in_the_way(&target));
        }
        if !always && self.is_in(&target) {
            return Ok(Content::Unchanged);
        }
        let temp = temp_path(&target, "");
        match File::create(&temp).and_then(|file| self.write_to(file)) {
            Ok(()) => Ok(Content::Staged(temp)),
            Err(e) => {
                let _ = fs::remove_file(&temp);
                Err(write_error(&target, &e))
            }
        }
    }
}

/// A writer that only compares what it is given with the bytes of `old`,
/// failing at the first difference.
struct SameAs<R> {
    old: R,
    same: bool,
    chunk: Vec<u8>,
}

impl<R: Read> SameAs<R> {
    /// Whether `old` has nothing left.
    fn at_end(&mut self) -> bool {
        matches!(self.old.read(&mut [0]), Ok(0))
    }
}

impl<R: Read> Write for SameAs<R> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.chunk.resize(bytes.len(), 0);
        if self.old.read_exact(&mut self.chunk).is_err() || self.chunk != bytes {
            self.same = false;
            return Err(io::Error::other("differs"));
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(entries: &[Entry]) -> Listing<'_> {
        Listing {
            generator: "policygen test",
            build_date: "2026-11-23",
            outputs: entries.iter().collect(),
            site: &[],
        }
    }

    #[test]
    fn the_listing_is_compared_with_the_file_byte_for_byte() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(MANIFEST);
        let mut bytes = Vec::new();
        listing(&[]).write_to(&mut bytes).unwrap();
        assert!(
            bytes.ends_with(b"]\n}\n"),
            "{}",
            String::from_utf8_lossy(&bytes)
        );
        fs::write(&path, &bytes).unwrap();
        assert!(listing(&[]).is_in(&path));
        // One byte more, one byte less, one byte changed.
        let mut longer = bytes.clone();
        longer.push(b'\n');
        fs::write(&path, &longer).unwrap();
        assert!(!listing(&[]).is_in(&path));
        fs::write(&path, &bytes[..bytes.len() - 1]).unwrap();
        assert!(!listing(&[]).is_in(&path));
        let mut changed = bytes.clone();
        changed[3] ^= 1;
        fs::write(&path, &changed).unwrap();
        assert!(!listing(&[]).is_in(&path));
        assert!(!listing(&[]).is_in(&dir.path().join("missing.json")));
        // What Manifest::read reads back is what was written.
        fs::write(&path, &bytes).unwrap();
        assert_eq!(Manifest::read(dir.path()).build_date, "2026-11-23");
    }
}
