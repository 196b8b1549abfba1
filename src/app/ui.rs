//! How policygen talks to the terminal: findings on stderr, progress and
//! summaries on stdout, colour only when wanted (`--color`, `NO_COLOR`).

use std::io::{IsTerminal, Write};

use crate::app::cli::ColorChoice;
use crate::diagnostic::Diagnostic;

#[derive(Debug, Clone, Copy)]
pub struct Ui {
    pub quiet: bool,
    pub verbose: bool,
    /// Colour on stderr.
    pub color: bool,
    /// Colour on stdout.
    pub color_out: bool,
}

impl Ui {
    pub fn new(quiet: bool, verbose: bool, choice: ColorChoice, no_color: bool) -> Ui {
        let wants = |terminal: bool| match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => terminal && !no_color,
        };
        Ui {
            quiet,
            verbose,
            color: wants(std::io::stderr().is_terminal()),
            color_out: wants(std::io::stdout().is_terminal()),
        }
    }

    /// Prints findings to stderr (warnings are hidden by `--quiet`), followed
    /// by a count line when there are errors.
    pub fn report(&self, diagnostics: &[Diagnostic]) {
        let mut err = std::io::stderr().lock();
        for d in diagnostics {
            if self.quiet && !d.is_error() {
                continue;
            }
            let _ = writeln!(err, "{}", d.render(self.color));
        }
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        if errors > 0 {
            let noun = if errors == 1 { "error" } else { "errors" };
            let _ = writeln!(
                err,
                "{}: found {errors} {noun}",
                if self.color {
                    "\x1b[1;31merror\x1b[0m"
                } else {
                    "error"
                }
            );
        }
    }

    /// A line of normal output, hidden by `--quiet`.
    pub fn say(&self, line: &str) {
        if !self.quiet {
            println!("{line}");
        }
    }

    /// A line shown only with `--verbose`.
    pub fn detail(&self, line: &str) {
        if self.verbose {
            println!("{line}");
        }
    }
}
