//! Shared test helpers: fixture libraries in temporary folders, running the
//! binary, and expected-file snapshots through snapbox (`UPDATE_SNAPSHOTS=1`
//! rewrites them).

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const TODAY: &str = "2026-11-23";

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixtures() -> PathBuf {
    repo().join("tests/fixtures")
}

/// A library in a temporary folder: the shipped jurisdictions, the `base`
/// fixture, then the named case's files on top (later files win).
pub struct Library {
    pub dir: tempfile::TempDir,
}

impl Library {
    pub fn new(case: &str) -> Library {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_tree(
            &repo().join("jurisdictions"),
            &dir.path().join("jurisdictions"),
        );
        copy_tree(&fixtures().join("base"), dir.path());
        if !case.is_empty() {
            let case_dir = fixtures().join(case);
            assert!(
                case_dir.is_dir(),
                "no fixture folder {}",
                case_dir.display()
            );
            copy_tree(&case_dir, dir.path());
        }
        Library { dir }
    }

    /// The shipped jurisdictions, then the named fixture folders on top, in
    /// order (without `base`).
    pub fn layers(parts: &[&str]) -> Library {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_tree(
            &repo().join("jurisdictions"),
            &dir.path().join("jurisdictions"),
        );
        fs::create_dir_all(dir.path().join("organisations")).unwrap();
        for part in parts {
            let part_dir = fixtures().join(part);
            assert!(
                part_dir.is_dir(),
                "no fixture folder {}",
                part_dir.display()
            );
            copy_tree(&part_dir, dir.path());
        }
        Library { dir }
    }

    /// Only the shipped library (jurisdictions, policies, organisations, assets).
    pub fn shipped() -> Library {
        let dir = tempfile::tempdir().expect("temp dir");
        for folder in [
            "jurisdictions",
            "policies",
            "organisations",
            "assets",
            "approved",
        ] {
            copy_tree(&repo().join(folder), &dir.path().join(folder));
        }
        Library { dir }
    }

    /// The shipped library with `n` generated organisations across every
    /// variant (`scripts/gen-library.py`) in place of the shipped ones.
    pub fn generated(n: usize) -> Library {
        let library = Library::shipped();
        let status = Command::new("python3")
            .arg(repo().join("scripts/gen-library.py"))
            .arg(n.to_string())
            .arg(library.path())
            .status()
            .expect("python3 runs scripts/gen-library.py");
        assert!(status.success());
        library
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, relative: &str, text: &str) {
        let path = self.path().join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    pub fn remove(&self, relative: &str) {
        let path = self.path().join(relative);
        if path.is_dir() {
            fs::remove_dir_all(path).unwrap();
        } else {
            fs::remove_file(path).unwrap();
        }
    }

    pub fn read(&self, relative: &str) -> String {
        fs::read_to_string(self.path().join(relative))
            .unwrap_or_else(|e| panic!("cannot read {relative}: {e}"))
    }

    /// Runs policygen in this library with `--today` fixed.
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.path(), args)
    }

    /// Runs policygen in this library with another build date.
    pub fn run_on(&self, today: &str, args: &[&str]) -> Run {
        let output = command(self.path(), today)
            .args(args)
            .env("NO_COLOR", "1")
            .output()
            .expect("run policygen");
        Run::from(output)
    }

    /// Runs policygen with colour left to it (`NO_COLOR` unset) and extra
    /// environment variables.
    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut command = command(self.path(), TODAY);
        command.args(args).env_remove("NO_COLOR");
        for (key, value) in env {
            command.env(key, value);
        }
        Run::from(command.output().expect("run policygen"))
    }
}

/// The binary with a working folder and a build date.
fn command(dir: &Path, today: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_policygen"));
    command
        .args(["--today", today])
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH");
    command
}

/// Runs policygen with the given working folder.
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_policygen"))
        .args(args)
        .args(["--today", TODAY])
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .env("NO_COLOR", "1")
        .output()
        .expect("run policygen");
    Run::from(output)
}

/// What a run printed and how it ended.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(output: Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

impl Run {
    #[track_caller]
    pub fn success(&self) -> &Run {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code, code,
            "unexpected exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

/// Compares `actual` with the expected file (relative to tests/), through
/// snapbox: a failure shows a line diff of the two. `UPDATE_SNAPSHOTS=1`
/// rewrites the file instead, so re-pinning is one command and the change is reviewed in `git diff`. The expected file is
/// read raw (no `[..]` or `...` wildcards, so a pinned text means exactly
/// itself), and after snapbox's comparison, which forgives line endings, the
/// bytes are compared too: pinned CRLF files stay CRLF.
#[track_caller]
pub fn assert_snapshot(expected: &str, actual: &str) {
    let path = repo().join("tests").join(expected);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        // Written directly, not through snapbox's overwrite action: that one
        // leaves a file alone when only its line endings differ.
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, actual).unwrap();
        return;
    }
    let wanted = snapbox::Data::read_from(&path, Some(snapbox::data::DataFormat::Text)).raw();
    snapbox::Assert::new().eq(actual.to_owned(), wanted);
    let bytes = fs::read(&path).unwrap_or_default();
    assert!(
        bytes == actual.as_bytes(),
        "tests/{expected} matches except for its line endings (CRLF against LF); run with UPDATE_SNAPSHOTS=1 to accept"
    );
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir`, relative, sorted.
pub fn files(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    files.sort();
    files
}
