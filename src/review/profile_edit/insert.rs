//! The new text: an entry written in the style of the list it joins, and
//! the `policies:`, policy and list (`reviews:`, `acknowledgements:`) lines
//! created when absent.

use super::EditError;
use super::Entry;
use super::context::{Context, ListStyle, Splice};
use super::quote::scalar;
use super::tree::{Kind, Node, is_empty_flow, lookup};

impl Context<'_> {
    pub(super) fn flow_entry(&self, entry: &Entry, spaced: bool) -> String {
        let body = entry
            .fields
            .iter()
            .map(|(k, v)| format!("{k}: {}", scalar(v)))
            .collect::<Vec<_>>()
            .join(", ");
        if spaced {
            format!("{{ {body} }}")
        } else {
            format!("{{{body}}}")
        }
    }

    /// A block-list entry at `dash` columns, in `style`.
    pub(super) fn block_entry(&self, entry: &Entry, dash: usize, style: ListStyle) -> String {
        let nl = self.nl;
        let pad = " ".repeat(dash);
        match style {
            ListStyle::BlockEntries { gap } => {
                let mut out = String::new();
                for (i, (k, v)) in entry.fields.iter().enumerate() {
                    if i == 0 {
                        out.push_str(&format!("{pad}-{}{k}: {}{nl}", " ".repeat(gap), scalar(v)));
                    } else {
                        out.push_str(&format!("{pad}{} {k}: {}{nl}", " ".repeat(gap), scalar(v)));
                    }
                }
                out
            }
            ListStyle::FlowEntries { spaced } | ListStyle::FlowList { spaced } => {
                format!("{pad}- {}{nl}", self.flow_entry(entry, spaced))
            }
        }
    }

    /// The list (`reviews:`) with the new entry, as lines indented by `indent`.
    pub(super) fn list_lines(&self, entry: &Entry, indent: usize) -> String {
        let pad = " ".repeat(indent);
        let list = entry.list;
        match self.style {
            ListStyle::FlowList { spaced } => format!(
                "{pad}{list}: [{}]{}",
                self.flow_entry(entry, spaced),
                self.nl
            ),
            style => format!(
                "{pad}{list}:{}{}",
                self.nl,
                self.block_entry(entry, indent + self.seq_offset, style)
            ),
        }
    }

    /// `<policy>:` and its list, as lines indented by `indent`.
    pub(super) fn policy_lines(&self, policy: &str, entry: &Entry, indent: usize) -> String {
        format!(
            "{}{}:{}{}",
            " ".repeat(indent),
            scalar(policy),
            self.nl,
            self.list_lines(entry, indent + self.step)
        )
    }

    /// `policies:` exists: add the policy or go into it.
    pub(super) fn add_to_policies(
        &self,
        key: &Node,
        value: &Node,
        policy: &str,
        entry: &Entry,
    ) -> Result<Vec<Splice>, EditError> {
        match &value.kind {
            _ if value.is_null() || is_empty_flow(value) => {
                let lines = self.policy_lines(policy, entry, self.col(key.start) + self.step);
                Ok(vec![
                    self.clear_value(key, value),
                    self.after_line(key.end, &lines),
                ])
            }
            Kind::Map { flow, entries } => match lookup(entries, policy) {
                Some((k, v)) => self.add_to_policy(k, v, *flow, entry),
                None if *flow => Ok(self.flow_append(
                    value,
                    &format!(
                        "{}: {{ {}: [{}] }}",
                        scalar(policy),
                        entry.list,
                        self.flow_entry(entry, true)
                    ),
                )),
                None => {
                    let lines = self.policy_lines(policy, entry, self.col(value.start));
                    Ok(vec![self.after_line(value.end, &lines)])
                }
            },
            _ => Err(self.shape(value, "`policies` is not a mapping of policy ids")),
        }
    }

    /// The policy's entry exists: add the list or go into it.
    pub(super) fn add_to_policy(
        &self,
        key: &Node,
        value: &Node,
        in_flow: bool,
        entry: &Entry,
    ) -> Result<Vec<Splice>, EditError> {
        match &value.kind {
            _ if !in_flow && (value.is_null() || is_empty_flow(value)) => {
                let lines = self.list_lines(entry, self.col(key.start) + self.step);
                Ok(vec![
                    self.clear_value(key, value),
                    self.after_line(key.end, &lines),
                ])
            }
            _ if in_flow && value.is_null() => Ok(vec![Splice {
                start: value.start,
                end: value.end,
                with: format!(" {{ {}: [{}] }}", entry.list, self.flow_entry(entry, true)),
            }]),
            Kind::Map { flow, entries } => match lookup(entries, entry.list) {
                Some((k, v)) => self.add_to_list(k, v, *flow || in_flow, entry),
                None if *flow => Ok(self.flow_append(
                    value,
                    &format!(
                        "{}: [{}]",
                        entry.list,
                        self.flow_entry(entry, self.spaced(value))
                    ),
                )),
                None => {
                    let lines = self.list_lines(entry, self.col(value.start));
                    Ok(vec![self.after_line(value.end, &lines)])
                }
            },
            _ => Err(self.shape(
                value,
                "this policy's entry under `policies` is not a mapping",
            )),
        }
    }

    /// The list exists: append to it in its own style.
    pub(super) fn add_to_list(
        &self,
        key: &Node,
        value: &Node,
        in_flow: bool,
        entry: &Entry,
    ) -> Result<Vec<Splice>, EditError> {
        match &value.kind {
            _ if value.is_null() && !in_flow => {
                let dash = self.col(key.start) + self.seq_offset;
                let style = match self.style {
                    ListStyle::FlowList { spaced } => ListStyle::FlowEntries { spaced },
                    style => style,
                };
                Ok(vec![
                    self.clear_value(key, value),
                    self.after_line(key.end, &self.block_entry(entry, dash, style)),
                ])
            }
            _ if value.is_null() => Ok(vec![Splice {
                start: value.start,
                end: value.end,
                with: format!(" [{}]", self.flow_entry(entry, true)),
            }]),
            Kind::Seq { flow: true, .. } => {
                let spaced = match self.style_of(value) {
                    Some(ListStyle::FlowList { spaced }) => spaced,
                    _ => true,
                };
                Ok(self.flow_append(value, &self.flow_entry(entry, spaced)))
            }
            Kind::Seq { flow: false, items } => {
                let style = self
                    .style_of(value)
                    .unwrap_or(ListStyle::FlowEntries { spaced: true });
                let dash = self.col(value.start);
                let last = items.last().map_or(value.end, |n| n.end);
                Ok(vec![
                    self.after_line(last, &self.block_entry(entry, dash, style)),
                ])
            }
            _ => Err(self.shape(value, &format!("`{}` is not a list", entry.list))),
        }
    }

    /// Adds `item` as the last element of a flow collection `[…]` or `{…}`,
    /// following its layout: on the same line, or on a line of its own when
    /// the elements are one per line (comments stay on the lines they were on).
    pub(super) fn flow_append(&self, collection: &Node, item: &str) -> Vec<Splice> {
        let close = collection.end - 1;
        let last_end = match &collection.kind {
            Kind::Seq { items, .. } => items.last().map(|n| n.end),
            Kind::Map { entries, .. } => entries.last().map(|(k, v)| v.end.max(k.end)),
            _ => None,
        };
        let insert = |at: usize, with: String| Splice {
            start: at,
            end: at,
            with,
        };
        let Some(last_end) = last_end else {
            // Empty: `[]` or `[ ]` becomes `[item]`.
            return vec![Splice {
                start: collection.start + 1,
                end: close,
                with: item.to_string(),
            }];
        };
        let gap = &self.text[last_end..close];
        let trailing_comma = strip_comments(gap).find(',').map(|i| last_end + i);
        let multi_line = self.line_start(last_end) != self.line_start(close);
        if multi_line {
            let indent = " ".repeat(self.col(self.element_start(collection)));
            let line = format!(
                "{indent}{item}{}",
                if trailing_comma.is_some() { "," } else { "" }
            );
            let line = format!("{line}{}", self.nl);
            match trailing_comma {
                Some(comma) => vec![self.after_line(comma, &line)],
                None => vec![
                    insert(last_end, ",".to_string()),
                    self.after_line(last_end, &line),
                ],
            }
        } else {
            match trailing_comma {
                Some(comma) => vec![insert(comma + 1, format!(" {item},"))],
                None => vec![insert(last_end, format!(", {item}"))],
            }
        }
    }

    pub(super) fn element_start(&self, collection: &Node) -> usize {
        match &collection.kind {
            Kind::Seq { items, .. } => items.last().map_or(collection.start, |n| n.start),
            Kind::Map { entries, .. } => entries.last().map_or(collection.start, |(k, _)| k.start),
            _ => collection.start,
        }
    }
}

/// The gap between flow elements with `# …` comments blanked out (same length).
pub(super) fn strip_comments(gap: &str) -> String {
    let mut out = String::with_capacity(gap.len());
    let mut in_comment = false;
    for c in gap.chars() {
        if c == '#' {
            in_comment = true;
        } else if c == '\n' {
            in_comment = false;
        }
        if in_comment {
            out.extend(std::iter::repeat_n(' ', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    out
}
