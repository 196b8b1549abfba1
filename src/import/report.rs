//! The import report a user reads before building: the source's title, code
//! and version and where each came from, every section with the number
//! documents will give it and the input lines it came from, what was dropped
//! as boilerplate and what was left out. Warnings and errors are findings,
//! printed by the command as every other finding is.

use std::fmt::Write as _;

use crate::import::{Kind, Line, Request, places};

/// Where a value of the source came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A command-line option.
    Option,
    /// The input line (or paragraph) with this number.
    Line(usize),
    /// Made from the policy id.
    Made,
    /// policygen's default.
    Default,
}

/// One section of the result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionLine {
    /// The number documents give it: `4.1`.
    pub number: String,
    /// The number the input wrote, if any: `4.1.`, `1.0`.
    pub written: Option<String>,
    pub title: String,
    pub id: String,
    pub depth: usize,
    pub first: usize,
    pub last: usize,
}

/// A run of dropped or left-out lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dropped {
    pub first: usize,
    pub last: usize,
    pub what: &'static str,
    pub excerpt: String,
}

#[derive(Debug, Clone)]
pub struct Report {
    pub input: String,
    pub kind: Kind,
    /// Lines (paragraphs for Word) in the input.
    pub lines: usize,
    pub target: String,
    pub applies: String,
    pub title: (String, Origin),
    pub code: (String, Origin),
    pub version: (String, Origin),
    pub sections: Vec<SectionLine>,
    pub dropped: Vec<Dropped>,
    pub left_out: Vec<Dropped>,
    /// Values of a filled-in document put back as placeholders.
    pub restored: Vec<crate::import::values::Restored>,
}

impl Report {
    pub fn new(request: &Request, kind: Kind, lines: &[Line]) -> Report {
        let unknown = (String::new(), Origin::Default);
        Report {
            input: request.path.to_string(),
            kind,
            lines: lines.last().map_or(0, |l| l.no),
            target: format!("policies/{}/{}.yaml", request.policy, request.variant),
            applies: format!("{} {}", request.jurisdiction, request.service),
            title: unknown.clone(),
            code: unknown.clone(),
            version: unknown,
            sections: Vec::new(),
            dropped: Vec::new(),
            left_out: Vec::new(),
            restored: Vec::new(),
        }
    }

    /// The report as text for a terminal.
    ///
    /// Long because the report is: one paragraph after another in the order a
    /// reader goes through them, each a few lines of its own.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let unit = if self.kind == Kind::Docx {
            "paragraphs"
        } else {
            "lines"
        };
        let _ = writeln!(
            out,
            "read {} ({}, {} {unit}) for {}",
            self.input,
            self.kind.describe(),
            self.lines,
            self.target
        );
        let origin = |o: Origin, option: &str| match o {
            Origin::Option => format!("from {option}"),
            Origin::Line(n) => format!("from {}", places(self.kind, n, n)),
            Origin::Made => format!("made from the policy id; set it with {option}"),
            Origin::Default => "the first version".to_string(),
        };
        let _ = writeln!(
            out,
            "  title     {} ({})",
            self.title.0,
            origin(self.title.1, "--title")
        );
        let _ = writeln!(
            out,
            "  code      {} ({})",
            self.code.0,
            origin(self.code.1, "--code")
        );
        let _ = writeln!(
            out,
            "  version   {} ({})",
            self.version.0,
            origin(self.version.1, "the source's `version:`")
        );
        let _ = writeln!(out, "  for       {}", self.applies);

        let _ = writeln!(
            out,
            "\n{} {}, numbered as documents will number them:",
            self.sections.len(),
            if self.sections.len() == 1 {
                "section"
            } else {
                "sections"
            }
        );
        let label = |s: &SectionLine| format!("{}{}", "  ".repeat(s.depth - 1), s.number);
        let number_width = self
            .sections
            .iter()
            .map(|s| label(s).chars().count())
            .max()
            .unwrap_or(0);
        let title_width = self
            .sections
            .iter()
            .map(|s| s.title.chars().count())
            .max()
            .unwrap_or(0)
            .min(48);
        for s in &self.sections {
            let title: String = if s.title.chars().count() > 48 {
                format!("{}…", s.title.chars().take(47).collect::<String>())
            } else {
                s.title.clone()
            };
            let was = s
                .written
                .as_ref()
                .filter(|w| w.trim_end_matches('.') != s.number)
                .map(|w| format!(" (numbered {w} in the input)"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {:<nw$}  {:<tw$}  {}{was}",
                label(s),
                title,
                places(self.kind, s.first, s.last),
                nw = number_width,
                tw = title_width
            );
        }
        for (heading, rows) in [
            ("dropped, because the templates render it:", &self.dropped),
            ("left out (see the warnings):", &self.left_out),
        ] {
            if rows.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n{heading}");
            let span_width = rows
                .iter()
                .map(|r| places(self.kind, r.first, r.last).chars().count())
                .max()
                .unwrap_or(0);
            let what_width = rows
                .iter()
                .map(|r| r.what.chars().count())
                .max()
                .unwrap_or(0);
            for r in rows {
                let _ = writeln!(
                    out,
                    "  {:<sw$}  {:<ww$}  {}",
                    places(self.kind, r.first, r.last),
                    r.what,
                    r.excerpt,
                    sw = span_width,
                    ww = what_width
                );
            }
        }
        if !self.restored.is_empty() {
            let _ = writeln!(
                out,
                "\nput back as placeholders, so documents show the profile's and the register's values:"
            );
            let width = self
                .restored
                .iter()
                .map(|r| r.text.chars().count())
                .max()
                .unwrap_or(0);
            for r in &self.restored {
                let _ = writeln!(
                    out,
                    "  {:>3} × {:<width$}  → {}",
                    r.count, r.text, r.placeholder
                );
            }
        }
        let mut tidy: String = out.lines().map(|l| format!("{}\n", l.trim_end())).collect();
        if tidy.is_empty() {
            tidy.push('\n');
        }
        tidy
    }
}
