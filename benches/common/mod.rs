//! What the renderer benchmarks share: the documents to time (the shipped
//! library, or `POLICYGEN_BENCH_ROOT`, at a fixed build date), the
//! organisations named on the command line, and a per-thread CPU clock.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use policygen::load::project::Project;
use policygen::resolve::checked::{BuildContext, Checked};

/// The organisation slugs named on the command line (none: every one).
pub fn only() -> Vec<String> {
    std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect()
}

/// The library to time: POLICYGEN_BENCH_ROOT (a trimmed one, say), else the
/// shipped example library.
pub fn project() -> Project {
    let root = std::env::var_os("POLICYGEN_BENCH_ROOT")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf());
    Project::load(&root)
}

/// The checked library at the fixed build date the benchmarks use.
pub fn checked(project: &Project) -> Checked<'_> {
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).expect("date");
    Checked::new(
        project,
        BuildContext {
            today,
            due_within: 30,
        },
    )
}

/// Nanoseconds this thread has spent on a CPU, where Linux reports it.
pub fn thread_cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}
