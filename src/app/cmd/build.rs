//! `policygen build`: check everything, then hand the build to the engine
//! in `build/` and report what it did (or, with `--check`, would do).

use std::io::IsTerminal;
use std::path::Path;
use std::time::Instant;

use chrono::NaiveDate;

use crate::Outcome;
use crate::app::cli::BuildArgs;
use crate::app::ui::Ui;
use crate::build::record::{self, Key, Seed};
use crate::build::{self, Options, Stale, Summary};
use crate::diagnostic::Diagnostic;
use crate::load::reading::Reading;
use crate::render::Format;
use crate::resolve::checked::{Checked, Selection};

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
    let reading = Reading::read(root);
    let mut options = Options {
        formats,
        selection: Selection {
            orgs: args.select.orgs.clone(),
            policies: args.select.policies.clone(),
        },
        out_dir: args.out.clone().unwrap_or_else(|| root.join("out")),
        shard: args.shard,
        progress: !ui.quiet && std::io::stderr().is_terminal(),
        publish: args.publish.publish(),
        record: None,
    };
    let context = super::context(today);
    // A build that writes keeps a record of what it read and said; when
    // nothing has changed since, it says the same and writes nothing
    // (`build::record`). `--check` reads every output back; a shard
    // builds only part of the folder.
    let key = (!args.check && args.shard.is_none()).then(|| Key::new(&reading, &options, &context));
    if let Some(key) = &key
        && let Some(replayed) = record::replay(&options.out_dir, key, reading.resolved_root())
    {
        ui.report(&replayed.findings);
        let counts = Counts {
            documents: replayed.documents,
            unchanged: replayed.unchanged,
            ..Counts::default()
        };
        return say_built(&options, &counts, ui, started);
    }
    let project = reading.parse();
    if let Err(outcome) = super::select(&project, &args.select, ui) {
        return outcome;
    }
    let mut checked = Checked::new(&project, context);
    checked
        .diagnostics
        .retain(|d| options.selection.relevant(d));
    ui.report(&checked.diagnostics);
    if checked.has_errors() {
        return nothing_written(args);
    }
    let done = if args.check {
        build::check(&checked, &options).map(|stale| report_stale(&options, &stale, ui, started))
    } else {
        options.record = key.map(|key| Seed {
            key: key.with_logos(&project.logo_digest),
            logos: project.logo_names.clone(),
            findings: checked.diagnostics.clone(),
        });
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
    let out_dir = &options.out_dir;
    let report = &summary.report;
    ui.report(&report.kept);
    for path in &report.written {
        ui.detail(&format!("wrote {}", out_dir.join(path).display()));
    }
    for path in &report.deleted {
        ui.detail(&format!("deleted {}", out_dir.join(path).display()));
    }
    let counts = Counts {
        documents: summary.documents,
        rendered: summary.rendered,
        written: report.written.len(),
        unchanged: report.unchanged.len(),
        deleted: report.deleted.len(),
    };
    say_built(options, &counts, ui, started)
}

/// What the closing line of a build counts.
#[derive(Default)]
struct Counts {
    documents: usize,
    rendered: usize,
    written: usize,
    unchanged: usize,
    deleted: usize,
}

fn say_built(options: &Options, counts: &Counts, ui: &Ui, started: Instant) -> Outcome {
    let elapsed = started.elapsed().as_secs_f64();
    let shard = options
        .shard
        .map(|s| format!(" (shard {s})"))
        .unwrap_or_default();
    ui.say(&format!(
        "built {} documents{shard} into {}: {} rendered; files: {} written, {} unchanged, {} deleted in {elapsed:.2} s",
        counts.documents,
        options.out_dir.display(),
        counts.rendered,
        counts.written,
        counts.unchanged,
        counts.deleted,
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
