//! The `policygen` binary: parse arguments, read the clock once, run.

use std::process::ExitCode;

use clap::Parser;
use policygen::app::cli::Cli;
use policygen::app::ui::Ui;

/// mimalloc rather than the system allocator: a PDF build allocates and
/// frees millions of small blocks (glyph runs, PDF objects, compressor
/// tables), and mimalloc does that in about 9% less CPU per PDF
/// (measured on 300 generated documents, see the commit). Built without
/// transparent huge pages (`no_thp`): with them each thread's memory grew
/// in 2 MB pages, and a build of 1,000 organisations peaked at 84-89 MB
/// instead of 52-56 MB, a no-op rebuild at 68 MB instead of 41 MB, for the
/// same CPU time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let epoch = std::env::var("SOURCE_DATE_EPOCH").ok();
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let today = match policygen::review::build_date(cli.today.as_deref(), epoch.as_deref(), || {
        chrono::Local::now().date_naive()
    }) {
        Ok(today) => today,
        Err(finding) => {
            Ui::new(cli.quiet, cli.verbose, cli.color, no_color).report(&[finding]);
            return ExitCode::from(policygen::Outcome::Usage.exit_code());
        }
    };
    ExitCode::from(policygen::run(cli, today, no_color).exit_code())
}
