//! `policygen build`: check everything, then hand the build to the engine
//! in `build/` and report what it did (or, with `--check`, would do).

use std::io::IsTerminal;
use std::path::Path;
use std::time::Instant;

use chrono::NaiveDate;

use crate::Outcome;
use crate::app::cli::BuildArgs;
use crate::app::ui::Ui;
use crate::build::{self, Options, Stale, Summary};
use crate::diagnostic::Diagnostic;
use crate::load::project::Project;
use crate::render::Format;
use crate::resolve::checked::Checked;

pub fn run(root: &Path, args: &BuildArgs, today: NaiveDate, ui: &Ui) -> Outcome {
    let started = Instant::now();
    let formats = formats(&args.format);
    if let Some(asked) = args.jobs {
        // More threads than this only cost memory and time.
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let most = 4 * cores;
        let jobs = usize::try_from(asked).unwrap_or(usize::MAX).min(most);
        if jobs < usize::try_from(asked).unwrap_or(usize::MAX) {
            ui.report(&[Diagnostic::warning(format!(
                "`--jobs {asked}` is more than this machine can use; rendering on {most} threads"
            ))
            .with_hint(format!(
                "this machine has {cores} cores; policygen uses at most four threads per core"
            ))]);
        }
        let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build();
        return match pool {
            Ok(pool) => pool.install(|| build_with(root, args, formats, today, ui, started)),
            Err(e) => {
                ui.report(&[
                    Diagnostic::error(format!("cannot start {jobs} threads: {e}"))
                        .with_hint("pass a smaller --jobs, or leave it out to use one per core"),
                ]);
                Outcome::Usage
            }
        };
    }
    build_with(root, args, formats, today, ui, started)
}

fn build_with(
    root: &Path,
    args: &BuildArgs,
    formats: Vec<Format>,
    today: NaiveDate,
    ui: &Ui,
    started: Instant,
) -> Outcome {
    let project = Project::load(root);
    let selection = match super::select(&project, &args.select, ui) {
        Ok(selection) => selection,
        Err(outcome) => return outcome,
    };
    let mut checked = Checked::new(&project, super::context(today));
    checked.diagnostics.retain(|d| selection.relevant(d));
    ui.report(&checked.diagnostics);
    if checked.has_errors() {
        return nothing_written(args);
    }
    let out_dir = args.out.clone().unwrap_or_else(|| root.join("out"));
    let options = Options {
        formats,
        selection,
        out_dir,
        shard: args.shard,
        progress: !ui.quiet && std::io::stderr().is_terminal(),
        publish: args.publish.publish(),
    };
    let done = if args.check {
        build::check(&checked, &options).map(|stale| report_stale(&options, &stale, ui, started))
    } else {
        build::build(&checked, &options)
            .map(|summary| report_build(&options, &summary, ui, started))
    };
    done.unwrap_or_else(|errors| {
        ui.report(&errors);
        nothing_written(args)
    })
}

/// A build that stopped on findings says that it wrote nothing (`--check`
/// never writes, so says nothing more).
fn nothing_written(args: &BuildArgs) -> Outcome {
    if !args.check {
        eprintln!("nothing was written");
    }
    Outcome::Findings
}

fn report_stale(options: &Options, stale: &Stale, ui: &Ui, started: Instant) -> Outcome {
    let elapsed = started.elapsed().as_secs_f64();
    let out_dir = &options.out_dir;
    if stale.paths.is_empty() {
        ui.say(&format!(
            "{} is up to date ({} documents, {elapsed:.2} s)",
            out_dir.display(),
            stale.documents
        ));
        return Outcome::Success;
    }
    // Name them all with --verbose; otherwise the first hundred.
    let shown = if ui.verbose { stale.paths.len() } else { 100 };
    for path in stale.paths.iter().take(shown) {
        eprintln!("stale: {path}");
    }
    if stale.paths.len() > shown {
        eprintln!(
            "… and {} more (--verbose lists every one)",
            stale.paths.len() - shown
        );
    }
    ui.report(&[Diagnostic::error(format!(
        "{} is not what a build would produce: {} outputs are stale or missing",
        out_dir.display(),
        stale.paths.len()
    ))
    .with_hint("run `policygen build` to bring it up to date")]);
    Outcome::Findings
}

fn report_build(options: &Options, summary: &Summary, ui: &Ui, started: Instant) -> Outcome {
    let elapsed = started.elapsed().as_secs_f64();
    let out_dir = &options.out_dir;
    let report = &summary.report;
    ui.report(&report.kept);
    for path in &report.written {
        ui.detail(&format!("wrote {}", out_dir.join(path).display()));
    }
    for path in &report.deleted {
        ui.detail(&format!("deleted {}", out_dir.join(path).display()));
    }
    let shard = options
        .shard
        .map(|s| format!(" (shard {s})"))
        .unwrap_or_default();
    ui.say(&format!(
        "built {} documents{shard} into {}: {} rendered; files: {} written, {} unchanged, {} deleted in {elapsed:.2} s",
        summary.documents,
        out_dir.display(),
        summary.rendered,
        report.written.len(),
        report.unchanged.len(),
        report.deleted.len(),
    ));
    Outcome::Success
}

/// The formats asked for, in output order, each once; all by default.
fn formats(requested: &[Format]) -> Vec<Format> {
    if requested.is_empty() {
        return Format::AVAILABLE.to_vec();
    }
    let mut formats = requested.to_vec();
    formats.sort();
    formats.dedup();
    formats
}
