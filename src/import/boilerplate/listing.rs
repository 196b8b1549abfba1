//! The report's list of what was dropped and left out, with a warning for
//! web-page debris and for text that could not be placed.

use super::Mark;
use crate::diagnostic::Diagnostic;
use crate::import::report::{Dropped as Row, Report};
use crate::import::{Kind, Line, Style, location, places};

/// Adds what was dropped to the report, and a warning for debris and for
/// text that could not be placed.
pub fn report(
    path: &str,
    kind: Kind,
    lines: &[Line],
    marks: &[Mark],
    report: &mut Report,
    findings: &mut Vec<Diagnostic>,
) {
    // Runs of the same mark, blank lines between them ignored.
    let mut runs: Vec<(Mark, usize, usize)> = Vec::new();
    for (i, mark) in marks.iter().enumerate() {
        if *mark == Mark::Keep || lines[i].blank() {
            continue;
        }
        match runs.last_mut() {
            Some((m, _, last)) if m == mark && (*last + 1..i).all(|j| lines[j].blank()) => {
                *last = i
            }
            _ => runs.push((*mark, i, i)),
        }
    }
    for (mark, first, last) in runs {
        let excerpt = if lines[first].style == Style::Image {
            "(a picture)".to_string()
        } else {
            // A rule above the closing block says less than the first label.
            let shown = (first..=last)
                .find(|&i| marks[i] == mark && lines[i].raw.chars().any(char::is_alphanumeric))
                .unwrap_or(first);
            excerpt(&lines[shown].raw)
        };
        let span = places(kind, lines[first].no, lines[last].no);
        match mark {
            Mark::Dropped(what) => report.dropped.push(Row {
                first: lines[first].no,
                last: lines[last].no,
                what: what.describe(),
                excerpt,
            }),
            Mark::Debris => {
                report.left_out.push(Row {
                    first: lines[first].no,
                    last: lines[last].no,
                    what: "web-page debris",
                    excerpt,
                });
                findings.push(
                    Diagnostic::warning(format!("web-page debris after the closing block is dropped ({span})"))
                        .in_file(path)
                        .at(location(kind, &lines[first], 1, lines[first].raw.chars().count()))
                        .with_hint("it looks like the comments or footer of the page the text was copied from; check that none of the policy is among it"),
                );
            }
            Mark::Unplaced => {
                report.left_out.push(Row {
                    first: lines[first].no,
                    last: lines[last].no,
                    what: "text before the first heading",
                    excerpt,
                });
                findings.push(
                    Diagnostic::warning(format!("text before the first heading belongs to no section and is left out ({span})"))
                        .in_file(path)
                        .at(location(kind, &lines[first], 1, lines[first].raw.chars().count()))
                        .with_hint("if it is part of the policy, put it under a heading in the document and import again, or add it to a section of the source"),
                );
            }
            Mark::Keep => {}
        }
    }
}

/// The start of a line, for the report.
fn excerpt(text: &str) -> String {
    let text = text.trim();
    let short: String = text.chars().take(48).collect();
    if short.len() < text.len() {
        format!("{}…", short.trim_end())
    } else {
        short
    }
}
