//! The record of the last build (`out/.policygen-last-build.json`), so a
//! build whose every input is the same as that build's is a no-op without
//! parsing the library: the record holds a key over everything the build
//! read and was asked (the bytes of every source, template, font and logo,
//! what loading found while reading, the build date, the options and the
//! policygen binary itself), the SHA-256 of the manifest that build left,
//! and what a build of the same inputs reports: its findings (warnings
//! only: a build with errors writes nothing, this file included) and its
//! counts. A later build with the same key, the same manifest and every
//! output as the manifest describes it (the check an ordinary build makes
//! before trusting an output) prints exactly that and writes nothing.
//! Anything else — no record, an unreadable or corrupt one, another key, a
//! changed manifest, an output touched — is an ordinary build, which then
//! writes a new record. Deleting the file is always safe.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::GENERATOR;
use crate::build::Options;
use crate::build::folder::Session;
use crate::build::intact;
use crate::build::output::{MANIFEST, Sum};
use crate::build::plan::manifest_time;
use crate::build::shard::shard_manifests;
use crate::diagnostic::Diagnostic;
use crate::load::logo;
use crate::load::reading::Reading;
use crate::resolve::checked::BuildContext;

/// The record's name in the output folder.
pub const RECORD: &str = ".policygen-last-build.json";

/// Bumped whenever what the record holds changes meaning.
const FORMAT: &str = "policygen last build 1";

/// What the last build was made from and what it said.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    pub format: String,
    /// Everything the build followed from ([`Key`]), its logos included.
    pub key: Sum,
    /// The logo files its profiles named: read again to check the key.
    pub logos: Vec<String>,
    /// The SHA-256 of the `manifest.json` that build left.
    pub manifest: Sum,
    /// The documents of the build.
    pub documents: usize,
    /// The files a build of the same inputs counts as unchanged.
    pub unchanged: usize,
    /// The findings a build of the same inputs reports, in order.
    pub findings: Vec<Diagnostic>,
}

/// What a build records once it commits, besides what the commit tells:
/// its key and logos, and the findings it reported.
#[derive(Debug, Clone)]
pub struct Seed {
    pub key: Sum,
    pub logos: Vec<String>,
    pub findings: Vec<Diagnostic>,
}

impl Seed {
    /// The record of a build that left the manifest `manifest`.
    pub fn record(&self, manifest: Sum, documents: usize, unchanged: usize) -> Record {
        Record {
            format: FORMAT.to_string(),
            key: self.key,
            logos: self.logos.clone(),
            manifest,
            documents,
            unchanged,
            findings: self.findings.clone(),
        }
    }
}

/// A hash over everything a build follows from, fed piece by piece (each
/// piece labelled and length-prefixed, so no two inputs run together).
#[derive(Clone)]
pub struct Key(Sha256);

impl Key {
    /// The key of a build of what `reading` read, as `options` and
    /// `context` ask, by this binary: the record's format, policygen's
    /// version, the binary itself (its size, time and file identity: a
    /// rebuilt or replaced binary never replays an older one's findings),
    /// the build date and window, every option that reaches an output or
    /// a finding (not `--jobs`, not the progress bar), and everything
    /// read ([`Reading::feed`]). The logos are added by [`Key::with_logos`].
    /// Not the paths of the project and output folders: nothing a build
    /// makes or finds depends on them but through what is read (a finding
    /// naming a file by its full path is fed with the reading's findings),
    /// and the closing line, which names the output folder, is written
    /// afresh; so a folder built elsewhere and copied keeps its record.
    pub fn new(reading: &Reading, options: &Options, context: &BuildContext) -> Key {
        let mut key = Key(Sha256::new());
        let Options {
            formats,
            selection,
            out_dir: _,
            shard,
            progress: _,
            publish,
            record: _,
        } = options;
        let BuildContext { today, due_within } = context;
        key.text("format", FORMAT);
        key.text("generator", GENERATOR);
        key.text("binary", &binary_identity().unwrap_or_default());
        key.debug("options", &(formats, selection, shard, publish));
        key.debug("context", &(today, due_within));
        reading.feed(&mut |label, bytes| key.bytes(label, bytes));
        key
    }

    /// The key completed with the digest of the logos read ([`logo::digest`]).
    pub fn with_logos(mut self, digest: &[u8; 32]) -> Sum {
        self.bytes("logos", digest);
        Sum(self.0.finalize().into())
    }

    fn bytes(&mut self, label: &str, bytes: &[u8]) {
        self.0.update((label.len() as u64).to_le_bytes());
        self.0.update(label.as_bytes());
        self.0.update((bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }

    fn text(&mut self, label: &str, text: &str) {
        self.bytes(label, text.as_bytes());
    }

    /// A value by its `Debug` form, which shows every field.
    fn debug(&mut self, label: &str, value: &impl std::fmt::Debug) {
        self.text(label, &format!("{value:?}"));
    }
}

/// The running binary's [`identity`]; None when it cannot be found, and
/// then no build is replayed.
fn binary_identity() -> Option<String> {
    identity(&std::env::current_exe().ok()?)
}

/// A file's device, file number, size and modification time: another
/// binary put in its place, or the same one rebuilt, differs in one of them.
fn identity(path: &Path) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(path).ok()?;
    Some(format!(
        "{} {} {} {}.{}",
        m.dev(),
        m.ino(),
        m.len(),
        m.mtime(),
        m.mtime_nsec()
    ))
}

fn path(out_dir: &Path) -> PathBuf {
    out_dir.join(RECORD)
}

/// The output folder's record, if there is a readable one of this format.
fn read(out_dir: &Path) -> Option<Record> {
    let bytes = std::fs::read(path(out_dir)).ok()?;
    let record: Record = serde_json::from_slice(&bytes).ok()?;
    (record.format == FORMAT).then_some(record)
}

/// Writes the record of a build that committed, while its folder is
/// still locked. Best effort: a record that cannot be written only means
/// the next build is an ordinary one (an older record left behind names a
/// manifest that is gone).
pub fn write(out_dir: &Path, record: &Record) {
    if let Ok(bytes) = serde_json::to_vec(record) {
        let _ = crate::build::atomic::write_atomic(&path(out_dir), &bytes);
    }
}

/// What a replayed build reports.
pub struct Replayed {
    pub documents: usize,
    pub unchanged: usize,
    pub findings: Vec<Diagnostic>,
}

/// Replays the last build when `key` (with the logos its record names,
/// read again from the project resolved at `root`) is its key, the
/// manifest it left is still there unchanged, no shard has built into the
/// folder since, and every file the manifest lists is as it describes it;
/// the folder is locked meanwhile, as for a build. None otherwise (nothing
/// is written then, and the ordinary build runs).
pub fn replay(out_dir: &Path, key: &Key, root: Option<&Path>) -> Option<Replayed> {
    binary_identity()?;
    let record = read(out_dir)?;
    let logos = match root {
        Some(root) => logo::digest(&logo::read_all(
            root,
            record.logos.iter().map(String::as_str),
        )),
        None => [0; 32],
    };
    if key.clone().with_logos(&logos) != record.key {
        return None;
    }
    let session = Session::open(out_dir).ok()?;
    if !unchanged_since(out_dir, &record) {
        session.abandon();
        return None;
    }
    session.finish();
    Some(Replayed {
        documents: record.documents,
        unchanged: record.unchanged,
        findings: record.findings,
    })
}

/// Whether the output folder is as the recorded build left it.
fn unchanged_since(out_dir: &Path, record: &Record) -> bool {
    let Ok(bytes) = std::fs::read(out_dir.join(MANIFEST)) else {
        return false;
    };
    if Sum::of(&bytes) != record.manifest || !shard_manifests(out_dir).is_empty() {
        return false;
    }
    // Only what the check needs of each entry, borrowed from the bytes
    // (the recorded manifest is one policygen wrote: its hash says so).
    let Ok(manifest) = serde_json::from_slice::<Outputs>(&bytes) else {
        return false;
    };
    let since = manifest_time(out_dir);
    let rows: Vec<intact::Row> = (manifest.outputs.iter().chain(&manifest.site))
        .map(|e| intact::Row {
            path: &e.path,
            size: e.size,
            sha256: e.sha256,
        })
        .collect();
    intact::all_intact(out_dir, &rows, since)
}

/// The manifest's entries as the replay reads them.
#[derive(Deserialize)]
struct Outputs<'a> {
    #[serde(borrow)]
    outputs: Vec<Entry<'a>>,
    #[serde(default, borrow)]
    site: Vec<Entry<'a>>,
}

/// One entry: its path, hash and size.
#[derive(Deserialize)]
struct Entry<'a> {
    #[serde(borrow)]
    path: Cow<'a, str>,
    sha256: &'a str,
    #[serde(default)]
    size: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_binary_replaced_or_rebuilt_is_another_binary() {
        let dir = tempfile::tempdir().unwrap();
        let binary = dir.path().join("policygen");
        std::fs::write(&binary, b"one build").unwrap();
        let first = identity(&binary).unwrap();
        assert_eq!(identity(&binary), Some(first.clone()));
        // A copy put in its place (a new file), with the same bytes.
        let copy = dir.path().join("copy");
        std::fs::copy(&binary, &copy).unwrap();
        std::fs::rename(&copy, &binary).unwrap();
        let replaced = identity(&binary).unwrap();
        assert_ne!(replaced, first);
        // Rewritten in place, the same size: its time moves.
        let file = std::fs::File::options().write(true).open(&binary).unwrap();
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
        file.set_modified(later).unwrap();
        assert_ne!(identity(&binary).unwrap(), replaced);
        assert_eq!(identity(&dir.path().join("missing")), None);
    }
}
