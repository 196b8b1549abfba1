//! Findings reported to the user: one value per problem, with the file, the
//! place in it and a hint, rendered in the `error: … --> path:line:col` shape.
//!
//! Every stage collects diagnostics instead of stopping at the first one, so a
//! single `check` run lists every problem across every file.

use std::fmt::Write as _;

/// How serious a finding is: errors fail `check` and `build`, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// Where a finding points: a 1-based line and column and the text of that line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    /// The whole offending line, for the caret display.
    pub line_text: String,
    /// How many characters the caret underlines (at least one).
    pub width: usize,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    /// Path of the file concerned, relative to the project root where possible.
    pub path: Option<String>,
    pub location: Option<Location>,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            path: None,
            location: None,
            hint: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub fn in_file(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    pub fn at(mut self, location: Option<Location>) -> Self {
        self.location = location;
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn with_hint_opt(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders the finding for a terminal; `color` adds ANSI styling.
    pub fn render(&self, color: bool) -> String {
        let paint = |code: &str, text: &str| {
            if color {
                format!("\x1b[{code}m{text}\x1b[0m")
            } else {
                text.to_string()
            }
        };
        let (label, code) = match self.severity {
            Severity::Error => ("error", "1;31"),
            Severity::Warning => ("warning", "1;33"),
        };
        let mut out = String::new();
        let _ = writeln!(out, "{}: {}", paint(code, label), paint("1", &self.message));
        match (&self.path, &self.location) {
            (Some(path), Some(loc)) => {
                let gutter = loc.line.to_string().len();
                let pad = " ".repeat(gutter);
                let _ = writeln!(
                    out,
                    "{pad}{} {path}:{}:{}",
                    paint("1;34", "-->"),
                    loc.line,
                    loc.column
                );
                let bar = paint("1;34", "|");
                let _ = writeln!(out, "{pad} {bar}");
                let _ = writeln!(
                    out,
                    "{} {bar} {}",
                    paint("1;34", &loc.line.to_string()),
                    loc.line_text
                );
                let lead: String = loc
                    .line_text
                    .chars()
                    .take(loc.column.saturating_sub(1))
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                let carets = "^".repeat(loc.width.max(1));
                let _ = writeln!(out, "{pad} {bar} {lead}{}", paint(code, &carets));
            }
            (Some(path), None) => {
                let _ = writeln!(out, " {} {path}", paint("1;34", "-->"));
            }
            _ => {}
        }
        if let Some(hint) = &self.hint {
            let _ = writeln!(out, "  = {}: {hint}", paint("1", "hint"));
        }
        out
    }
}

/// Sorts findings into a stable order (file, line, column, message) so output
/// never depends on the order in which files were visited.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (
            &a.path,
            a.location.as_ref().map(|l| (l.line, l.column)),
            &a.message,
        )
            .cmp(&(
                &b.path,
                b.location.as_ref().map(|l| (l.line, l.column)),
                &b.message,
            ))
    });
}

/// The closest candidate to `word`, for "did you mean" hints.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|(distance, c)| *distance <= (c.len().max(word.len()) / 3).max(2))
        .min_by_key(|(distance, c)| (*distance, *c))
        .map(|(_, c)| c)
}

/// A "did you mean" hint, when a close candidate exists.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    suggest(word, candidates).map(|c| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_caret_under_column() {
        let d = Diagnostic::error("unknown key `regstration_no`")
            .in_file("organisations/a.yaml")
            .at(Some(Location {
                line: 2,
                column: 1,
                line_text: "regstration_no: x".into(),
                width: 14,
            }))
            .with_hint("did you mean `registration_no`?");
        assert_eq!(
            d.render(false),
            "error: unknown key `regstration_no`\n --> organisations/a.yaml:2:1\n  |\n2 | regstration_no: x\n  | ^^^^^^^^^^^^^^\n  = hint: did you mean `registration_no`?\n"
        );
    }

    #[test]
    fn suggests_close_words_only() {
        let keys = ["name", "registration_no", "jurisdiction"];
        assert_eq!(suggest("regstration_no", keys), Some("registration_no"));
        assert_eq!(suggest("colour", keys), None);
    }
}
