//! Running the binary on a copy of a fixture library.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The folder holding the fixtures.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// What a run of the binary produced.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// A temporary library: the shared fixture library (jurisdictions and
/// policies) plus the organisations of one case.
pub struct Library {
    pub dir: tempfile::TempDir,
}

impl Library {
    /// The shared library with no organisations.
    pub fn empty() -> Library {
        let dir = tempfile::tempdir().expect("temporary folder");
        copy_dir(&fixtures().join("library"), dir.path());
        fs::create_dir_all(dir.path().join("organisations")).expect("organisations folder");
        Library { dir }
    }

    /// The shared library with every profile of `tests/fixtures/<case>/organisations`.
    pub fn with_orgs(case: &str) -> Library {
        let library = Library::empty();
        copy_dir(
            &fixtures().join(case).join("organisations"),
            &library.path().join("organisations"),
        );
        library
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn profile(&self, slug: &str) -> PathBuf {
        self.path()
            .join("organisations")
            .join(format!("{slug}.yaml"))
    }

    pub fn write_profile(&self, slug: &str, text: &str) {
        fs::write(self.profile(slug), text).expect("write profile");
    }

    pub fn read_profile(&self, slug: &str) -> String {
        fs::read_to_string(self.profile(slug)).expect("read profile")
    }

    /// Runs `policygen --root <library> --today <today> ARGS…` with colour left
    /// to the defaults (output is piped, so none).
    pub fn run(&self, today: &str, args: &[&str]) -> Run {
        self.run_with_env(today, args, &[])
    }

    pub fn run_with_env(&self, today: &str, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut command = Command::new(env!("CARGO_BIN_EXE_policygen"));
        command
            .arg("--root")
            .arg(self.path())
            .args(["--today", today])
            .args(args)
            .env_remove("NO_COLOR")
            .env_remove("SOURCE_DATE_EPOCH");
        for (key, value) in env {
            command.env(key, value);
        }
        let output = command.output().expect("run policygen");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create folder");
    for entry in fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let entry = entry.expect("folder entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// Compares `actual` with the expected file, or rewrites the file when
/// `POLICYGEN_BLESS` is set.
pub fn assert_expected(expected: &Path, actual: &str) {
    if std::env::var_os("POLICYGEN_BLESS").is_some() {
        fs::create_dir_all(expected.parent().expect("parent")).expect("create folder");
        fs::write(expected, actual).expect("write expected file");
        return;
    }
    let want = fs::read_to_string(expected).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run with POLICYGEN_BLESS=1 to create it",
            expected.display()
        )
    });
    if want != actual {
        let first = want
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(want.lines().count().min(actual.lines().count()));
        panic!(
            "{} differs from the output, first at line {}:\n--- expected\n{}\n--- actual\n{}\n(run with POLICYGEN_BLESS=1 to accept the new output)",
            expected.display(),
            first + 1,
            want.lines().nth(first).unwrap_or("<end of file>"),
            actual.lines().nth(first).unwrap_or("<end of file>"),
        );
    }
}
