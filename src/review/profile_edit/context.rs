//! The edit: splices into the original text, and the facts about the file
//! (line ending, indentation, list style) that shape the new text.

use super::EditError;
use super::tree::{Kind, Node, dash_of};

// The edit

/// Replace `text[start..end]` with `with`.
pub(super) struct Splice {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) with: String,
}

pub(super) fn apply(text: &str, mut splices: Vec<Splice>) -> String {
    splices.sort_by_key(|s| (s.start, s.end));
    let mut out = String::with_capacity(text.len() + 200);
    let mut at = 0;
    for s in splices {
        out.push_str(&text[at..s.start]);
        out.push_str(&s.with);
        at = s.end;
    }
    out.push_str(&text[at..]);
    out
}

/// How new lists are written when the file gives no list to follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ListStyle {
    /// `- { date: …, by: … }` per line (the documented style).
    FlowEntries { spaced: bool },
    /// `- date: …` then `  by: …` lines.
    BlockEntries { gap: usize },
    /// `[{ date: … }, { date: … }]`.
    FlowList { spaced: bool },
}

/// Facts about the file that shape new text.
pub(super) struct Context<'t> {
    pub(super) text: &'t str,
    /// `\n` or `\r\n`, as the file uses.
    pub(super) nl: &'static str,
    /// Indentation of a nested mapping under its key.
    pub(super) step: usize,
    /// Indentation of a block list's `-` under its key (0 or `step`).
    pub(super) seq_offset: usize,
    /// The style of the first list of the kind being added to (else of the
    /// first `reviews:` list) in the file, for new lists.
    pub(super) style: ListStyle,
}

impl<'t> Context<'t> {
    /// The facts of `text`, for adding to lists under the key `list`.
    pub(super) fn new(text: &'t str, root: &Node, list: &str) -> Context<'t> {
        let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
        let mut ctx = Context {
            text,
            nl,
            step: 2,
            seq_offset: 2,
            style: ListStyle::FlowEntries { spaced: true },
        };
        let mut step = None;
        let mut seq_offset = None;
        let mut style = None;
        ctx.survey(root, list, &mut step, &mut seq_offset, &mut style);
        if style.is_none() && list != "reviews" {
            ctx.survey(root, "reviews", &mut step, &mut seq_offset, &mut style);
        }
        ctx.step = step.filter(|s| *s > 0).unwrap_or(2);
        ctx.seq_offset = seq_offset.unwrap_or(ctx.step);
        ctx.style = style.unwrap_or(ListStyle::FlowEntries { spaced: true });
        ctx
    }

    /// Reads indentation and list style off the existing text.
    pub(super) fn survey(
        &self,
        node: &Node,
        list: &str,
        step: &mut Option<usize>,
        seq_offset: &mut Option<usize>,
        style: &mut Option<ListStyle>,
    ) {
        match &node.kind {
            Kind::Map {
                flow: false,
                entries,
            } => {
                for (key, value) in entries {
                    match &value.kind {
                        Kind::Map { flow: false, .. } if step.is_none() => {
                            *step = self.col(value.start).checked_sub(self.col(key.start));
                        }
                        Kind::Seq { flow: false, .. }
                            if seq_offset.is_none()
                                && self.line_start(value.start) != self.line_start(key.start) =>
                        {
                            *seq_offset = self.col(value.start).checked_sub(self.col(key.start));
                        }
                        _ => {}
                    }
                    let is_list = matches!(&key.kind, Kind::Scalar { value, .. } if value == list);
                    if is_list && style.is_none() {
                        *style = self.style_of(value);
                    }
                    self.survey(value, list, step, seq_offset, style);
                }
            }
            Kind::Seq { items, .. } => {
                for item in items {
                    self.survey(item, list, step, seq_offset, style);
                }
            }
            _ => {}
        }
    }

    pub(super) fn style_of(&self, list: &Node) -> Option<ListStyle> {
        let Kind::Seq { flow, items } = &list.kind else {
            return None;
        };
        let last = items.last()?;
        Some(match (&last.kind, flow) {
            (Kind::Map { flow: true, .. }, true) => ListStyle::FlowList {
                spaced: self.spaced(last),
            },
            (Kind::Map { flow: true, .. }, false) => ListStyle::FlowEntries {
                spaced: self.spaced(last),
            },
            (Kind::Map { flow: false, .. }, false) => ListStyle::BlockEntries {
                gap: self
                    .col(last.start)
                    .saturating_sub(self.col(dash_of(self.text, last)) + 1)
                    .max(1),
            },
            _ => return None,
        })
    }

    /// Whether a flow mapping is written `{ a: b }` rather than `{a: b}`.
    pub(super) fn spaced(&self, map: &Node) -> bool {
        self.text[map.start..].chars().nth(1) == Some(' ')
    }

    pub(super) fn line_start(&self, at: usize) -> usize {
        self.text[..at].rfind('\n').map_or(0, |i| i + 1)
    }

    /// Column (in characters) of a byte offset; indentation is ASCII.
    pub(super) fn col(&self, at: usize) -> usize {
        self.text[self.line_start(at)..at]
            .chars()
            .filter(|c| *c != '\u{feff}')
            .count()
    }

    pub(super) fn line_number(&self, at: usize) -> usize {
        self.text[..at].matches('\n').count() + 1
    }

    pub(super) fn shape(&self, node: &Node, what: &str) -> EditError {
        EditError::Shape {
            what: what.to_string(),
            line: self.line_number(node.start),
        }
    }

    /// Inserts whole `lines` (each ending in a newline) after the line holding
    /// `at`, keeping any comment on that line where it is.
    pub(super) fn after_line(&self, at: usize, lines: &str) -> Splice {
        let text = self.text;
        let position = if at > 0 && text[..at].ends_with('\n') {
            Some(at)
        } else {
            text[at..].find('\n').map(|i| at + i + 1)
        };
        match position {
            Some(p) => Splice {
                start: p,
                end: p,
                with: lines.to_string(),
            },
            None => Splice {
                start: text.len(),
                end: text.len(),
                with: format!("{}{lines}", self.nl),
            },
        }
    }

    /// Removes a null or empty `{}`/`[]` value written after `key:`, keeping
    /// the rest of the line (a comment) as it is.
    pub(super) fn clear_value(&self, key: &Node, value: &Node) -> Splice {
        let colon = self.text[key.end..value.start.max(key.end)]
            .find(':')
            .map_or(key.end, |i| key.end + i + 1);
        let end = value.end.max(colon);
        Splice {
            start: colon,
            end,
            with: String::new(),
        }
    }
}
