//! Findings reported to the user: one value per problem, with the file, the
//! place in it and a hint, rendered in the `error: … --> path:line:col` shape.
//!
//! Every stage collects diagnostics instead of stopping at the first one, so a
//! single `check` run lists every problem across every file.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use unicode_width::UnicodeWidthChar;

/// Index of a loaded source file (`Project::sources`).
pub type FileId = usize;

/// How serious a finding is: errors fail `check` and `build`, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Severity {
    Error,
    Warning,
}

/// Where a finding points: a 1-based line and column and the text of that line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    /// The whole offending line, for the caret display.
    pub line_text: String,
    /// How many characters the caret underlines (at least one).
    pub width: usize,
}

/// One finding (serialised only for `build::record`, which replays a
/// build's findings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    /// Path of the file concerned as the user knows it, relative to the
    /// project root where possible.
    pub path: Option<String>,
    /// The loaded source file concerned, when the finding is about one.
    pub file: Option<FileId>,
    /// The organisation whose profile (or profile's files) the finding is
    /// about, when it is one: `--org` leaves out other organisations' findings.
    pub org: Option<String>,
    pub location: Option<Location>,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            path: None,
            file: None,
            org: None,
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

    /// Names a loaded source file: its path, its id and, for a profile, its
    /// organisation.
    pub fn in_source(mut self, origin: &impl Origin) -> Self {
        self.path = Some(origin.path().to_string());
        self.file = origin.id();
        self.org = origin.org().map(str::to_string);
        self
    }

    /// Says which organisation the finding concerns.
    pub fn for_org(mut self, org: impl Into<String>) -> Self {
        self.org = Some(org.into());
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

    /// What makes two findings the same one: everything a reader sees, but
    /// not the organisation whose build met it (one placeholder error in a
    /// policy, reached through several organisations, is one finding).
    pub fn identity(&self) -> Identity {
        (
            self.severity,
            self.message.clone(),
            self.path.clone(),
            self.location.clone(),
            self.hint.clone(),
        )
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
        // Nothing from a file reaches the terminal raw: a control character
        // in a value (an escape sequence that would retitle the terminal)
        // is shown as its visible symbol.
        let message = visible_text(&self.message);
        let _ = writeln!(out, "{}: {}", paint(code, label), paint("1", &message));
        let path = self.path.as_deref().map(visible_text);
        match (&path, &self.location) {
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
                let (shown, column, width) = excerpt(&loc.line_text, loc.column, loc.width);
                let _ = writeln!(out, "{pad} {bar}");
                let _ = writeln!(
                    out,
                    "{} {bar} {shown}",
                    paint("1;34", &loc.line.to_string()),
                );
                let (lead, carets) = caret_line(&shown, column, width);
                let _ = writeln!(out, "{pad} {bar} {lead}{}", paint(code, &carets));
            }
            (Some(path), None) => {
                let _ = writeln!(out, " {} {path}", paint("1;34", "-->"));
            }
            _ => {}
        }
        if let Some(hint) = self.hint.as_deref().map(visible_text) {
            // The `=` lines up with the `|` of the excerpt, as rustc's does.
            let pad = " ".repeat(
                self.location
                    .as_ref()
                    .map_or(1, |l| l.line.to_string().len()),
            );
            let _ = writeln!(out, "{pad} = {}: {hint}", paint("1", "hint"));
        }
        out
    }
}

/// A control character's visible symbol: `␛` for ESC, `␀` for NUL, `␡` for
/// DEL, `␤` for the Unicode line and paragraph separators (which a terminal
/// may show as nothing, or as a line break); other control characters (C1)
/// as U+FFFD.
fn visible(c: char) -> char {
    match c {
        '\t' => '\t',
        c if (c as u32) < 0x20 => char::from_u32(0x2400 + c as u32).unwrap_or('?'),
        '\u{7f}' => '\u{2421}',
        '\u{2028}' | '\u{2029}' => '\u{2424}',
        c if c.is_control() => '\u{fffd}',
        c => c,
    }
}

/// `text` with every control character but tab and line break made visible.
fn visible_text(text: &str) -> String {
    text.chars()
        .map(|c| if c == '\n' { c } else { visible(c) })
        .collect()
}

/// A finding's identity for de-duplication: severity, message, path,
/// location and hint.
pub type Identity = (
    Severity,
    String,
    Option<String>,
    Option<Location>,
    Option<String>,
);

/// What a finding can name as its file.
pub trait Origin {
    /// The path as the user knows it.
    fn path(&self) -> &str;
    fn id(&self) -> Option<FileId>;
    /// The organisation whose profile it is, if it is one.
    fn org(&self) -> Option<&str>;
}

/// The caret line under an excerpt: the lead up to `column` (1-based,
/// in characters) and `width` characters of carets, both counted in
/// terminal columns, so wide characters (CJK, emoji) before or under the
/// caret keep it in place. Tabs stay tabs, as in the excerpt above.
fn caret_line(shown: &str, column: usize, width: usize) -> (String, String) {
    let columns = |c: char| c.width().unwrap_or(1);
    let mut lead = String::new();
    for c in shown.chars().take(column.saturating_sub(1)) {
        if c == '\t' {
            lead.push('\t');
        } else {
            lead.push_str(&" ".repeat(columns(c)));
        }
    }
    // Past the end of the line (a value missing there), one caret a character.
    let mut under = shown.chars().skip(column.saturating_sub(1));
    let carets: usize = (0..width.max(1))
        .map(|_| under.next().map_or(1, columns))
        .sum();
    (lead, "^".repeat(carets.max(1)))
}

/// Lines longer than this are shown as an excerpt around the caret.
const MAX_SHOWN: usize = 100;

/// The part of a line to show under a finding, with control characters made
/// visible, and the caret's column and width within it.
fn excerpt(line: &str, column: usize, width: usize) -> (String, usize, usize) {
    let chars: Vec<char> = line.chars().map(visible).collect();
    if chars.len() <= MAX_SHOWN {
        return (chars.into_iter().collect(), column, width);
    }
    let at = column.saturating_sub(1).min(chars.len());
    let start = at
        .saturating_sub(MAX_SHOWN / 2)
        .min(chars.len().saturating_sub(MAX_SHOWN));
    let end = (start + MAX_SHOWN).min(chars.len());
    let mut shown = String::new();
    let mut column = at - start + 1;
    if start > 0 {
        shown.push('…');
        column += 1;
    }
    shown.extend(&chars[start..end]);
    if end < chars.len() {
        shown.push('…');
    }
    let width = width.min(end.saturating_sub(at)).max(1);
    (shown, column, width)
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

/// A "did you mean" hint, when a close candidate exists; candidates equally
/// close are all named (`cqw`: "did you mean `ciw` or `cqc`?").
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let candidates: Vec<&str> = candidates.into_iter().collect();
    let best = suggest(word, candidates.iter().copied())?;
    let distance = strsim::damerau_levenshtein(word, best);
    let mut tied: Vec<&str> = candidates
        .into_iter()
        .filter(|c| strsim::damerau_levenshtein(word, c) == distance)
        .collect();
    tied.sort_unstable();
    tied.dedup();
    let names: Vec<String> = tied.iter().map(|c| format!("`{c}`")).collect();
    Some(match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => {
            format!("did you mean {} or {last}?", rest.join(", "))
        }
        _ => format!("did you mean `{best}`?"),
    })
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
    fn long_lines_are_cut_around_the_caret() {
        let line = format!("name: {}: here {}", "x".repeat(3000), "y".repeat(500));
        let d = Diagnostic::error("unexpected `:` in a value")
            .in_file("a.yaml")
            .at(Some(Location {
                line: 12,
                column: 3007,
                line_text: line,
                width: 1,
            }));
        let text = d.render(false);
        let excerpt = text.lines().nth(3).unwrap();
        let caret = text.lines().nth(4).unwrap();
        assert!(excerpt.starts_with("12 | …xxx"), "{excerpt}");
        assert!(excerpt.ends_with("y…"), "{excerpt}");
        assert!(excerpt.chars().count() < 110, "{excerpt}");
        // The caret sits under the colon.
        let at = caret.chars().position(|c| c == '^').unwrap();
        assert_eq!(excerpt.chars().nth(at), Some(':'));
    }

    #[test]
    fn control_characters_are_shown_and_hints_align() {
        let d = Diagnostic::error("x")
            .in_file("a.yaml")
            .at(Some(Location {
                line: 10,
                column: 8,
                line_text: "name: A\u{1}B".into(),
                width: 1,
            }))
            .with_hint("h");
        assert_eq!(
            d.render(false),
            "error: x\n  --> a.yaml:10:8\n   |\n10 | name: A\u{2401}B\n   |        ^\n   = hint: h\n"
        );
    }

    #[test]
    fn the_caret_counts_terminal_columns() {
        // Each CJK character and the emoji take two columns in a terminal.
        let d = Diagnostic::error("x").in_file("a.yaml").at(Some(Location {
            line: 1,
            column: 11,
            line_text: "name: 安心🏠 Home: x".into(),
            width: 2,
        }));
        let text = d.render(false);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[3], "1 | name: 安心🏠 Home: x");
        assert_eq!(lines[4], format!("  | {}^^", " ".repeat(13)));
        // Under a wide character, the carets cover both its columns.
        let d = Diagnostic::error("x").in_file("a.yaml").at(Some(Location {
            line: 1,
            column: 7,
            line_text: "name: 安心".into(),
            width: 2,
        }));
        assert_eq!(d.render(false).lines().nth(4), Some("  |       ^^^^"));
    }

    #[test]
    fn suggests_close_words_only() {
        let keys = ["name", "registration_no", "jurisdiction"];
        assert_eq!(suggest("regstration_no", keys), Some("registration_no"));
        assert_eq!(suggest("colour", keys), None);
        assert_eq!(
            did_you_mean("cqw", ["ofsted", "cqc", "ciw"]).as_deref(),
            Some("did you mean `ciw` or `cqc`?")
        );
    }
}
