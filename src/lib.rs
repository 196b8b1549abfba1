//! policygen turns a library of YAML policy sources into branded, dated
//! policy documents for care providers.
//!
//! The pipeline reads off the folders, one per stage: `load` (every source
//! read once) → `check` → `resolve` → `document` → `render` → `build`
//! (plan, render, then commit to `out/` or diff for `--check`), with
//! `review` and `control` (review dates, approval) feeding the document,
//! `report` (due lists, calendars, dashboards) beside `render`, `import`
//! turning an existing document into a source, and `app` the command line.
//! Everything between reading and writing is pure: values in, values out.
//! The disk is touched only by `load` (reads), `build` (`out/`, through
//! `build::atomic`), `review::profile_file` (profile edits under the edit
//! lock), `control::archive` (`approved/`) and the `import` command.

// Findings are values passed around on the error path, which is cold; boxing
// them would only add noise.
#![allow(clippy::result_large_err)]

pub mod app;
pub mod build;
pub mod check;
pub mod control;
pub mod diagnostic;
pub mod document;
pub mod import;
pub mod load;
pub mod model;
pub mod render;
pub mod report;
pub mod resolve;
pub mod review;

use chrono::NaiveDate;

use crate::app::cli::{Cli, Command};
use crate::app::cmd;
use crate::app::ui::Ui;

/// The version written into outputs and the manifest.
pub const GENERATOR: &str = concat!("policygen ", env!("CARGO_PKG_VERSION"));

/// How a command ended, mapped to the exit code by the binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0.
    Success,
    /// Exit 1: validation errors, stale output, a `--fail-on` hit.
    Findings,
    /// Exit 2: the command line itself was wrong.
    Usage,
}

impl Outcome {
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Success => 0,
            Outcome::Findings => 1,
            Outcome::Usage => 2,
        }
    }
}

/// Runs a parsed command line with the build date already decided.
pub fn run(cli: Cli, today: NaiveDate, no_color: bool) -> Outcome {
    let ui = Ui::new(cli.quiet, cli.verbose, cli.color, no_color);
    match &cli.command {
        Command::Build(args) => cmd::build::run(&cli.root, args, today, &ui),
        Command::Check(args) => cmd::check::run(&cli.root, args, today, &ui),
        Command::List(args) => cmd::list::run(&cli.root, args, today, &ui),
        Command::Due(args) => cmd::due::run(&cli.root, args, today, &ui),
        Command::Review(args) => cmd::review::run(&cli.root, args, today, &ui),
        Command::New(args) => cmd::new::run(&cli.root, args, &ui),
        Command::Import(args) => cmd::import::run(&cli.root, args, &ui),
        Command::Approve(args) => cmd::approve::run(&cli.root, args, today, &ui),
        Command::Changes(args) => cmd::changes::run(&cli.root, args, today, &ui),
        Command::Ack(args) => cmd::ack::run(&cli.root, args, today, &ui),
        Command::Reading(args) => cmd::reading::run(&cli.root, args, today, &ui),
    }
}
