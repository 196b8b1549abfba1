//! Edits an organisation profile as text, for `policygen review`: appends one
//! review to `policies.<id>.reviews`, creating `policies:`, the policy and
//! `reviews:` when absent, and leaves every other byte of the file as the
//! provider wrote it — comments, key order, quoting, blank lines.
//!
//! The file is parsed into a small tree of nodes that remember where they sit
//! in the text (from the YAML parser's event spans); the edit is a splice at
//! the right place, written in the style of the list it extends. [`verify`]
//! then re-reads both texts and checks that the only change in meaning is the
//! new entry. Pure: text in, text out.

use chrono::NaiveDate;
use serde_json::{Map, Value};
use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle, StructureStyle};

/// A completed review to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReview {
    pub date: NaiveDate,
    pub by: Option<String>,
    pub approved_by: Option<String>,
    pub version: Option<String>,
    pub note: Option<String>,
}

impl NewReview {
    /// The entry's keys and values in the order they are written.
    pub fn fields(&self) -> Vec<(&'static str, String)> {
        let mut fields = vec![("date", self.date.to_string())];
        for (key, value) in [
            ("by", &self.by),
            ("approved_by", &self.approved_by),
            ("version", &self.version),
            ("note", &self.note),
        ] {
            if let Some(value) = value {
                fields.push((key, value.clone()));
            }
        }
        fields
    }
}

/// Why a profile could not be edited.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("the profile cannot be read as YAML: {0}")]
    Parse(String),
    #[error("{what} (line {line})")]
    Shape { what: String, line: usize },
    #[error("the edited profile would not say what was intended: {0}")]
    Mismatch(String),
}

impl EditError {
    pub fn hint(&self) -> &'static str {
        match self {
            EditError::Parse(_) => "fix the YAML first: `policygen check` shows where",
            EditError::Shape { .. } => {
                "write `policies:` and each policy as mappings and `reviews:` as a list, as in the examples in the README"
            }
            EditError::Mismatch(_) => {
                "this is a bug in policygen; please report it with the profile attached, and add the review by hand meanwhile"
            }
        }
    }
}

/// Appends `review` to `policies.<policy>.reviews` of the profile `text`.
pub fn append_review(text: &str, policy: &str, review: &NewReview) -> Result<String, EditError> {
    let root = parse(text)?;
    let ctx = Context::new(text, &root);
    let Kind::Map { flow, entries } = &root.kind else {
        return Err(ctx.shape(&root, "the profile is not a mapping of `key: value` lines"));
    };
    if *flow {
        return Err(ctx.shape(&root, "the profile is written as one `{ … }` mapping"));
    }
    let splices = match lookup(entries, "policies") {
        None => {
            let body = ctx.policy_lines(policy, review, ctx.col(root.start) + ctx.step);
            let lines = format!(
                "{}policies:{}{body}",
                " ".repeat(ctx.col(root.start)),
                ctx.nl
            );
            vec![ctx.after_line(root.end, &lines)]
        }
        Some((key, value)) => ctx.add_to_policies(key, value, policy, review)?,
    };
    Ok(apply(text, splices))
}

/// Checks that `after` means exactly `before` plus the new review: every
/// other value the same, nothing lost or retyped.
pub fn verify(
    before: &str,
    after: &str,
    policy: &str,
    review: &NewReview,
) -> Result<(), EditError> {
    let read = |text: &str| {
        serde_saphyr::from_str::<Value>(text).map_err(|e| EditError::Parse(e.to_string()))
    };
    let mut expected = read(before)?;
    let actual = read(after).map_err(|e| EditError::Mismatch(e.to_string()))?;
    let entry: Map<String, Value> = review
        .fields()
        .into_iter()
        .map(|(k, v)| (k.to_string(), Value::String(v)))
        .collect();
    let slot = |value: &mut Value, key: &str, empty: Value| -> Result<(), EditError> {
        let Value::Object(map) = value else {
            return Err(EditError::Mismatch(format!(
                "`{key}`'s parent is not a mapping"
            )));
        };
        let child = map.entry(key.to_string()).or_insert(Value::Null);
        if child.is_null() {
            *child = empty;
        }
        Ok(())
    };
    slot(&mut expected, "policies", Value::Object(Map::new()))?;
    let policies = &mut expected["policies"];
    slot(policies, policy, Value::Object(Map::new()))?;
    let record = &mut policies[policy];
    slot(record, "reviews", Value::Array(Vec::new()))?;
    match &mut record["reviews"] {
        Value::Array(list) => list.push(Value::Object(entry)),
        _ => return Err(EditError::Mismatch("`reviews` is not a list".into())),
    }
    if expected == actual {
        Ok(())
    } else {
        Err(EditError::Mismatch(
            "a value other than the new review changed".into(),
        ))
    }
}

/// A YAML scalar for `value`: plain when YAML reads it back as the same text
/// in both block and flow context, otherwise double-quoted.
pub fn scalar(value: &str) -> String {
    if plain_is_safe(value) {
        value.to_string()
    } else {
        double_quoted(value)
    }
}

fn plain_is_safe(value: &str) -> bool {
    let simple = !value.is_empty()
        && value.trim() == value
        && !value.chars().any(|c| c.is_control() || c == '#')
        && !value.starts_with([
            '\'', '"', '`', '@', '%', '&', '*', '!', '|', '>', '-', '?', ':',
        ]);
    if !simple {
        return false;
    }
    let want = Value::String(value.to_string());
    let block = serde_saphyr::from_str::<Value>(&format!("k: {value}\n"));
    let flow = serde_saphyr::from_str::<Value>(&format!("k: [{value}, x]\n"));
    matches!(block, Ok(Value::Object(m)) if m.get("k") == Some(&want))
        && matches!(flow, Ok(Value::Object(m)) if m.get("k") == Some(&Value::Array(vec![want.clone(), Value::String("x".into())])))
}

fn double_quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

// ---------------------------------------------------------------------------
// The tree

#[derive(Debug)]
struct Node {
    kind: Kind,
    /// Byte offset where the node starts (for a block sequence: its first `-`).
    start: usize,
    /// Byte offset just after the node's last content (for flow collections,
    /// after the closing bracket); trailing comments and blank lines excluded.
    end: usize,
}

#[derive(Debug)]
enum Kind {
    Scalar {
        value: String,
        null: bool,
    },
    Alias,
    Map {
        flow: bool,
        entries: Vec<(Node, Node)>,
    },
    Seq {
        flow: bool,
        items: Vec<Node>,
    },
}

impl Node {
    fn is_null(&self) -> bool {
        matches!(self.kind, Kind::Scalar { null: true, .. })
    }
}

fn lookup<'a>(entries: &'a [(Node, Node)], key: &str) -> Option<(&'a Node, &'a Node)> {
    entries
        .iter()
        .find(|(k, _)| matches!(&k.kind, Kind::Scalar { value, .. } if value == key))
        .map(|(k, v)| (k, v))
}

fn parse(text: &str) -> Result<Node, EditError> {
    let mut events = Vec::new();
    for next in Parser::new_from_str(text) {
        let (event, span) = next.map_err(|e| EditError::Parse(e.to_string()))?;
        let Some(range) = span.byte_range() else {
            return Err(EditError::Parse("no byte positions from the parser".into()));
        };
        let keep = match &event {
            Event::Scalar(..)
            | Event::Alias(_)
            | Event::SequenceStart(..)
            | Event::SequenceEnd
            | Event::MappingStart(..)
            | Event::MappingEnd => true,
            Event::DocumentStart(..) => {
                if events
                    .iter()
                    .any(|(e, _)| matches!(e, Event::DocumentStart(..)))
                {
                    return Err(EditError::Parse(
                        "the file holds more than one YAML document".into(),
                    ));
                }
                true
            }
            _ => false,
        };
        if keep {
            events.push((event, range));
        }
    }
    let mut at = events
        .iter()
        .position(|(e, _)| matches!(e, Event::DocumentStart(..)))
        .map_or(0, |i| i + 1);
    if at >= events.len() {
        return Err(EditError::Parse("the file is empty".into()));
    }
    node(text, &events, &mut at)
}

type Events<'a> = [(Event<'a>, std::ops::Range<usize>)];

fn node(text: &str, events: &Events, at: &mut usize) -> Result<Node, EditError> {
    let truncated = || EditError::Parse("the file ends in the middle of a value".into());
    let (event, range) = events.get(*at).ok_or_else(truncated)?;
    *at += 1;
    match event {
        Event::Scalar(value, style, ..) => {
            let null = *style == ScalarStyle::Plain
                && matches!(value.as_ref(), "~" | "null" | "Null" | "NULL" | "");
            let end = if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded) {
                // A block scalar's span runs into the following lines' indentation.
                range.start + text[range.clone()].trim_end().len()
            } else {
                range.end
            };
            Ok(Node {
                kind: Kind::Scalar {
                    value: value.to_string(),
                    null,
                },
                start: range.start,
                end,
            })
        }
        Event::Alias(_) => Ok(Node {
            kind: Kind::Alias,
            start: range.start,
            end: range.end,
        }),
        Event::SequenceStart(style, ..) => {
            let flow = *style == StructureStyle::Flow;
            let mut items = Vec::new();
            loop {
                let (next, close) = events.get(*at).ok_or_else(truncated)?;
                if matches!(next, Event::SequenceEnd) {
                    *at += 1;
                    let (start, end) = match items.first() {
                        _ if flow => (range.start, close.end),
                        Some(first) => (dash_of(text, first), items.last().map_or(0, |n| n.end)),
                        None => (range.start, range.start),
                    };
                    return Ok(Node {
                        kind: Kind::Seq { flow, items },
                        start,
                        end,
                    });
                }
                items.push(node(text, events, at)?);
            }
        }
        Event::MappingStart(style, ..) => {
            let flow = *style == StructureStyle::Flow;
            let mut entries = Vec::new();
            loop {
                let (next, close) = events.get(*at).ok_or_else(truncated)?;
                if matches!(next, Event::MappingEnd) {
                    *at += 1;
                    let end = if flow {
                        close.end
                    } else {
                        entries
                            .last()
                            .map_or(range.start, |(k, v): &(Node, Node)| v.end.max(k.end))
                    };
                    return Ok(Node {
                        kind: Kind::Map { flow, entries },
                        start: range.start,
                        end,
                    });
                }
                let key = node(text, events, at)?;
                let value = node(text, events, at)?;
                entries.push((key, value));
            }
        }
        _ => Err(EditError::Parse("unexpected YAML structure".into())),
    }
}

/// The `-` in front of a block-list item (the parser's span for the list
/// starts at the first item's content, not at its dash).
fn dash_of(text: &str, item: &Node) -> usize {
    let before = text[..item.start].trim_end_matches([' ', '\t', '\r', '\n']);
    if before.ends_with('-') {
        before.len() - 1
    } else {
        item.start
    }
}

// ---------------------------------------------------------------------------
// The edit

/// Replace `text[start..end]` with `with`.
struct Splice {
    start: usize,
    end: usize,
    with: String,
}

fn apply(text: &str, mut splices: Vec<Splice>) -> String {
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
enum ListStyle {
    /// `- { date: …, by: … }` per line (the documented style).
    FlowEntries { spaced: bool },
    /// `- date: …` then `  by: …` lines.
    BlockEntries { gap: usize },
    /// `[{ date: … }, { date: … }]`.
    FlowList { spaced: bool },
}

/// Facts about the file that shape new text.
struct Context<'t> {
    text: &'t str,
    /// `\n` or `\r\n`, as the file uses.
    nl: &'static str,
    /// Indentation of a nested mapping under its key.
    step: usize,
    /// Indentation of a block list's `-` under its key (0 or `step`).
    seq_offset: usize,
    /// The style of the first `reviews:` list in the file, for new lists.
    style: ListStyle,
}

impl<'t> Context<'t> {
    fn new(text: &'t str, root: &Node) -> Context<'t> {
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
        ctx.survey(root, &mut step, &mut seq_offset, &mut style);
        ctx.step = step.filter(|s| *s > 0).unwrap_or(2);
        ctx.seq_offset = seq_offset.unwrap_or(ctx.step);
        ctx.style = style.unwrap_or(ListStyle::FlowEntries { spaced: true });
        ctx
    }

    /// Reads indentation and list style off the existing text.
    fn survey(
        &self,
        node: &Node,
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
                    let is_reviews =
                        matches!(&key.kind, Kind::Scalar { value, .. } if value == "reviews");
                    if is_reviews && style.is_none() {
                        *style = self.style_of(value);
                    }
                    self.survey(value, step, seq_offset, style);
                }
            }
            Kind::Seq { items, .. } => {
                for item in items {
                    self.survey(item, step, seq_offset, style);
                }
            }
            _ => {}
        }
    }

    fn style_of(&self, list: &Node) -> Option<ListStyle> {
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
    fn spaced(&self, map: &Node) -> bool {
        self.text[map.start..].chars().nth(1) == Some(' ')
    }

    fn line_start(&self, at: usize) -> usize {
        self.text[..at].rfind('\n').map_or(0, |i| i + 1)
    }

    /// Column (in characters) of a byte offset; indentation is ASCII.
    fn col(&self, at: usize) -> usize {
        self.text[self.line_start(at)..at]
            .chars()
            .filter(|c| *c != '\u{feff}')
            .count()
    }

    fn line_number(&self, at: usize) -> usize {
        self.text[..at].matches('\n').count() + 1
    }

    fn shape(&self, node: &Node, what: &str) -> EditError {
        EditError::Shape {
            what: what.to_string(),
            line: self.line_number(node.start),
        }
    }

    /// Inserts whole `lines` (each ending in a newline) after the line holding
    /// `at`, keeping any comment on that line where it is.
    fn after_line(&self, at: usize, lines: &str) -> Splice {
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
    fn clear_value(&self, key: &Node, value: &Node) -> Splice {
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

    fn flow_entry(&self, review: &NewReview, spaced: bool) -> String {
        let body = review
            .fields()
            .into_iter()
            .map(|(k, v)| format!("{k}: {}", scalar(&v)))
            .collect::<Vec<_>>()
            .join(", ");
        if spaced {
            format!("{{ {body} }}")
        } else {
            format!("{{{body}}}")
        }
    }

    /// A block-list entry at `dash` columns, in `style`.
    fn block_entry(&self, review: &NewReview, dash: usize, style: ListStyle) -> String {
        let nl = self.nl;
        let pad = " ".repeat(dash);
        match style {
            ListStyle::BlockEntries { gap } => {
                let mut out = String::new();
                for (i, (k, v)) in review.fields().into_iter().enumerate() {
                    if i == 0 {
                        out.push_str(&format!("{pad}-{}{k}: {}{nl}", " ".repeat(gap), scalar(&v)));
                    } else {
                        out.push_str(&format!("{pad}{} {k}: {}{nl}", " ".repeat(gap), scalar(&v)));
                    }
                }
                out
            }
            ListStyle::FlowEntries { spaced } | ListStyle::FlowList { spaced } => {
                format!("{pad}- {}{nl}", self.flow_entry(review, spaced))
            }
        }
    }

    /// `reviews:` with the new entry, as lines indented by `indent`.
    fn reviews_lines(&self, review: &NewReview, indent: usize) -> String {
        let pad = " ".repeat(indent);
        match self.style {
            ListStyle::FlowList { spaced } => format!(
                "{pad}reviews: [{}]{}",
                self.flow_entry(review, spaced),
                self.nl
            ),
            style => format!(
                "{pad}reviews:{}{}",
                self.nl,
                self.block_entry(review, indent + self.seq_offset, style)
            ),
        }
    }

    /// `<policy>:` and its `reviews:`, as lines indented by `indent`.
    fn policy_lines(&self, policy: &str, review: &NewReview, indent: usize) -> String {
        format!(
            "{}{}:{}{}",
            " ".repeat(indent),
            scalar(policy),
            self.nl,
            self.reviews_lines(review, indent + self.step)
        )
    }

    /// `policies:` exists: add the policy or go into it.
    fn add_to_policies(
        &self,
        key: &Node,
        value: &Node,
        policy: &str,
        review: &NewReview,
    ) -> Result<Vec<Splice>, EditError> {
        match &value.kind {
            _ if value.is_null() || is_empty_flow(value) => {
                let lines = self.policy_lines(policy, review, self.col(key.start) + self.step);
                Ok(vec![
                    self.clear_value(key, value),
                    self.after_line(key.end, &lines),
                ])
            }
            Kind::Map { flow, entries } => match lookup(entries, policy) {
                Some((k, v)) => self.add_to_policy(k, v, *flow, review),
                None if *flow => Ok(self.flow_append(
                    value,
                    &format!(
                        "{}: {{ reviews: [{}] }}",
                        scalar(policy),
                        self.flow_entry(review, true)
                    ),
                )),
                None => {
                    let lines = self.policy_lines(policy, review, self.col(value.start));
                    Ok(vec![self.after_line(value.end, &lines)])
                }
            },
            _ => Err(self.shape(value, "`policies` is not a mapping of policy ids")),
        }
    }

    /// The policy's entry exists: add `reviews:` or go into it.
    fn add_to_policy(
        &self,
        key: &Node,
        value: &Node,
        in_flow: bool,
        review: &NewReview,
    ) -> Result<Vec<Splice>, EditError> {
        match &value.kind {
            _ if !in_flow && (value.is_null() || is_empty_flow(value)) => {
                let lines = self.reviews_lines(review, self.col(key.start) + self.step);
                Ok(vec![
                    self.clear_value(key, value),
                    self.after_line(key.end, &lines),
                ])
            }
            _ if in_flow && value.is_null() => Ok(vec![Splice {
                start: value.start,
                end: value.end,
                with: format!(" {{ reviews: [{}] }}", self.flow_entry(review, true)),
            }]),
            Kind::Map { flow, entries } => match lookup(entries, "reviews") {
                Some((k, v)) => self.add_to_reviews(k, v, *flow || in_flow, review),
                None if *flow => Ok(self.flow_append(
                    value,
                    &format!("reviews: [{}]", self.flow_entry(review, self.spaced(value))),
                )),
                None => {
                    let lines = self.reviews_lines(review, self.col(value.start));
                    Ok(vec![self.after_line(value.end, &lines)])
                }
            },
            _ => Err(self.shape(
                value,
                "this policy's entry under `policies` is not a mapping",
            )),
        }
    }

    /// `reviews:` exists: append to it in its own style.
    fn add_to_reviews(
        &self,
        key: &Node,
        value: &Node,
        in_flow: bool,
        review: &NewReview,
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
                    self.after_line(key.end, &self.block_entry(review, dash, style)),
                ])
            }
            _ if value.is_null() => Ok(vec![Splice {
                start: value.start,
                end: value.end,
                with: format!(" [{}]", self.flow_entry(review, true)),
            }]),
            Kind::Seq { flow: true, .. } => {
                let spaced = match self.style_of(value) {
                    Some(ListStyle::FlowList { spaced }) => spaced,
                    _ => true,
                };
                Ok(self.flow_append(value, &self.flow_entry(review, spaced)))
            }
            Kind::Seq { flow: false, items } => {
                let style = self
                    .style_of(value)
                    .unwrap_or(ListStyle::FlowEntries { spaced: true });
                let dash = self.col(value.start);
                let last = items.last().map_or(value.end, |n| n.end);
                Ok(vec![
                    self.after_line(last, &self.block_entry(review, dash, style)),
                ])
            }
            _ => Err(self.shape(value, "`reviews` is not a list")),
        }
    }

    /// Adds `item` as the last element of a flow collection `[…]` or `{…}`,
    /// following its layout: on the same line, or on a line of its own when
    /// the elements are one per line (comments stay on the lines they were on).
    fn flow_append(&self, collection: &Node, item: &str) -> Vec<Splice> {
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

    fn element_start(&self, collection: &Node) -> usize {
        match &collection.kind {
            Kind::Seq { items, .. } => items.last().map_or(collection.start, |n| n.start),
            Kind::Map { entries, .. } => entries.last().map_or(collection.start, |(k, _)| k.start),
            _ => collection.start,
        }
    }
}

fn is_empty_flow(node: &Node) -> bool {
    match &node.kind {
        Kind::Map {
            flow: true,
            entries,
        } => entries.is_empty(),
        Kind::Seq { flow: true, items } => items.is_empty(),
        _ => false,
    }
}

/// The gap between flow elements with `# …` comments blanked out (same length).
fn strip_comments(gap: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn review(date: &str) -> NewReview {
        NewReview {
            date: NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap(),
            by: Some("Siân Evans".into()),
            approved_by: None,
            version: Some("4".into()),
            note: Some("Annual review, no changes".into()),
        }
    }

    fn edit(before: &str) -> String {
        let r = review("2026-11-23");
        let after = append_review(before, "key-worker", &r).unwrap();
        verify(before, &after, "key-worker", &r).unwrap();
        after
    }

    #[test]
    fn quotes_only_when_yaml_needs_it() {
        assert_eq!(scalar("Siân Evans"), "Siân Evans");
        assert_eq!(scalar("O'Brien"), "O'Brien");
        assert_eq!(scalar("2026-11-23"), "2026-11-23");
        assert_eq!(scalar("3"), "\"3\"");
        assert_eq!(scalar("1.10"), "\"1.10\"");
        assert_eq!(scalar("yes"), "\"yes\"");
        assert_eq!(scalar("null"), "\"null\"");
        assert_eq!(
            scalar("Annual review, no changes"),
            "\"Annual review, no changes\""
        );
        assert_eq!(scalar("Note: see #4"), "\"Note: see #4\"");
        assert_eq!(scalar("- list"), "\"- list\"");
        assert_eq!(scalar("say \"hi\"\\"), "say \"hi\"\\");
        assert_eq!(scalar("\"quoted\" \\ text"), "\"\\\"quoted\\\" \\\\ text\"");
        assert_eq!(scalar("a\nb"), "\"a\\nb\"");
        assert_eq!(scalar(" padded"), "\" padded\"");
        assert_eq!(scalar(""), "\"\"");
    }

    #[test]
    fn appends_flow_entry_in_block_list() {
        let before = "policies:\n  key-worker:\n    reviews:\n      - { date: 2025-03-14, by: A }  # first\n    # trailing\nfields: {}\n";
        assert_eq!(
            edit(before),
            "policies:\n  key-worker:\n    reviews:\n      - { date: 2025-03-14, by: A }  # first\n      - { date: 2026-11-23, by: Siân Evans, version: \"4\", note: \"Annual review, no changes\" }\n    # trailing\nfields: {}\n"
        );
    }

    #[test]
    fn follows_unspaced_braces_and_block_entries() {
        let before = "policies:\n  key-worker:\n    reviews:\n    - {date: 2025-03-14}\n";
        assert_eq!(
            edit(before),
            "policies:\n  key-worker:\n    reviews:\n    - {date: 2025-03-14}\n    - {date: 2026-11-23, by: Siân Evans, version: \"4\", note: \"Annual review, no changes\"}\n"
        );
        let before =
            "policies:\n  key-worker:\n    reviews:\n      -   date: 2025-03-14\n          by: A\n";
        assert_eq!(
            edit(before),
            "policies:\n  key-worker:\n    reviews:\n      -   date: 2025-03-14\n          by: A\n      -   date: 2026-11-23\n          by: Siân Evans\n          version: \"4\"\n          note: \"Annual review, no changes\"\n"
        );
    }

    #[test]
    fn appends_to_flow_lists() {
        assert_eq!(
            edit("policies:\n  key-worker:\n    reviews: [{date: 2025-03-14}]   # c\n"),
            "policies:\n  key-worker:\n    reviews: [{date: 2025-03-14}, {date: 2026-11-23, by: Siân Evans, version: \"4\", note: \"Annual review, no changes\"}]   # c\n"
        );
        assert_eq!(
            edit(
                "policies:\n  key-worker:\n    reviews: [\n      { date: 2025-03-14 },  # one\n    ]\n"
            ),
            "policies:\n  key-worker:\n    reviews: [\n      { date: 2025-03-14 },  # one\n      { date: 2026-11-23, by: Siân Evans, version: \"4\", note: \"Annual review, no changes\" },\n    ]\n"
        );
        assert_eq!(
            edit("policies:\n  key-worker:\n    reviews: [\n      { date: 2025-03-14 }\n    ]\n"),
            "policies:\n  key-worker:\n    reviews: [\n      { date: 2025-03-14 },\n      { date: 2026-11-23, by: Siân Evans, version: \"4\", note: \"Annual review, no changes\" }\n    ]\n"
        );
        assert_eq!(
            edit("policies:\n  key-worker:\n    reviews: []\n"),
            "policies:\n  key-worker:\n    reviews: [{ date: 2026-11-23, by: Siân Evans, version: \"4\", note: \"Annual review, no changes\" }]\n"
        );
    }

    #[test]
    fn creates_what_is_missing() {
        let entry = "{ date: 2026-11-23, by: Siân Evans, version: \"4\", note: \"Annual review, no changes\" }";
        assert_eq!(
            edit("name: X\nfields:\n    fax: \"1\"\n# end\n"),
            format!(
                "name: X\nfields:\n    fax: \"1\"\npolicies:\n    key-worker:\n        reviews:\n            - {entry}\n# end\n"
            )
        );
        assert_eq!(
            edit("name: X"),
            format!("name: X\npolicies:\n  key-worker:\n    reviews:\n      - {entry}\n")
        );
        assert_eq!(
            edit("policies:\n  medication:\n    exclude: true\nfields: {}\n"),
            format!(
                "policies:\n  medication:\n    exclude: true\n  key-worker:\n    reviews:\n      - {entry}\nfields: {{}}\n"
            )
        );
        assert_eq!(
            edit("policies: {}  # none yet\n"),
            format!("policies:  # none yet\n  key-worker:\n    reviews:\n      - {entry}\n")
        );
        assert_eq!(
            edit("policies:\n  key-worker:\n    review_cycle: 6 months\n"),
            format!(
                "policies:\n  key-worker:\n    review_cycle: 6 months\n    reviews:\n      - {entry}\n"
            )
        );
        assert_eq!(
            edit("policies:\n  key-worker:\n    reviews: ~\n"),
            format!("policies:\n  key-worker:\n    reviews:\n      - {entry}\n")
        );
        assert_eq!(
            edit("policies:\n  key-worker: { review_cycle: 6 months }\n"),
            format!("policies:\n  key-worker: {{ review_cycle: 6 months, reviews: [{entry}] }}\n")
        );
        assert_eq!(
            edit("policies: { medication: { exclude: true } }\n"),
            format!(
                "policies: {{ medication: {{ exclude: true }}, key-worker: {{ reviews: [{entry}] }} }}\n"
            )
        );
    }

    #[test]
    fn a_byte_order_mark_is_not_indentation() {
        let after = edit("\u{feff}name: X\n");
        assert_eq!(
            after,
            "\u{feff}name: X\npolicies:\n  key-worker:\n    reviews:\n      - { date: 2026-11-23, by: Siân Evans, version: \"4\", note: \"Annual review, no changes\" }\n"
        );
    }

    #[test]
    fn new_lists_follow_the_files_other_lists() {
        let before = "policies:\n  other:\n    reviews:\n    -  date: 2025-01-01\n  key-worker:\n    exclude: false\n";
        assert_eq!(
            edit(before),
            "policies:\n  other:\n    reviews:\n    -  date: 2025-01-01\n  key-worker:\n    exclude: false\n    reviews:\n    -  date: 2026-11-23\n       by: Siân Evans\n       version: \"4\"\n       note: \"Annual review, no changes\"\n"
        );
    }

    #[test]
    fn keeps_crlf_and_block_scalars() {
        let before = "policies:\r\n  key-worker:\r\n    reviews:\r\n      - date: 2025-01-01\r\n        note: |\r\n          Long\r\n          text\r\n\r\nfields: {}\r\n";
        let after = edit(before);
        assert_eq!(
            after,
            "policies:\r\n  key-worker:\r\n    reviews:\r\n      - date: 2025-01-01\r\n        note: |\r\n          Long\r\n          text\r\n      - date: 2026-11-23\r\n        by: Siân Evans\r\n        version: \"4\"\r\n        note: \"Annual review, no changes\"\r\n\r\nfields: {}\r\n"
        );
    }

    #[test]
    fn refuses_shapes_it_cannot_extend() {
        let r = review("2026-11-23");
        let err = append_review(
            "policies:\n  key-worker:\n    reviews: yes\n",
            "key-worker",
            &r,
        )
        .unwrap_err();
        assert_eq!(
            err,
            EditError::Shape {
                what: "`reviews` is not a list".into(),
                line: 3
            }
        );
        assert!(matches!(
            append_review("- a\n", "key-worker", &r),
            Err(EditError::Shape { .. })
        ));
        assert!(matches!(
            append_review("a: [\n", "key-worker", &r),
            Err(EditError::Parse(_))
        ));
    }

    #[test]
    fn verify_catches_a_changed_value() {
        let r = review("2026-11-23");
        let before = "name: X\npolicies: {}\n";
        let good = append_review(before, "key-worker", &r).unwrap();
        assert!(verify(before, &good, "key-worker", &r).is_ok());
        let bad = good.replace("name: X", "name: Y");
        assert!(matches!(
            verify(before, &bad, "key-worker", &r),
            Err(EditError::Mismatch(_))
        ));
        let retyped = good.replace("\"4\"", "4");
        assert!(verify(before, &retyped, "key-worker", &r).is_err());
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        /// Values that stress quoting: YAML indicators, look-alike numbers
        /// and booleans, quotes, Welsh letters, and arbitrary text.
        fn value() -> impl Strategy<Value = String> {
            prop_oneof![
                Just("Annual review: no changes".to_string()),
                Just("yes".to_string()),
                Just("1.10".to_string()),
                Just("- first".to_string()),
                Just("#4 done".to_string()),
                Just("O'Brien \"Jr\"".to_string()),
                Just("Siân Ŵyn-Jones".to_string()),
                Just("[draft], {v2}".to_string()),
                Just("~".to_string()),
                Just("a\\b".to_string()),
                "[ -~]{1,30}",
                "\\PC{1,20}",
            ]
        }

        fn entry_text(style: u8, n: usize) -> String {
            match style % 3 {
                0 => format!("{{ date: 2025-0{n}-01, by: A }}"),
                1 => format!("{{date: 2025-0{n}-01}}"),
                _ => format!("{{ date: '2025-0{n}-01', note: \"x, y\" }}"),
            }
        }

        /// A profile built from random choices of layout.
        fn profile() -> impl Strategy<Value = String> {
            (
                any::<bool>(),      // CRLF
                prop_oneof![Just(2usize), Just(4)], // indentation step
                0u8..8,             // policies layout
                0u8..9,             // reviews layout
                1usize..4,          // existing entries
                0u8..3,             // entry style
                any::<bool>(),      // a block after policies
                any::<bool>(),      // trailing comment
                any::<bool>(),      // final newline
            )
                .prop_map(|(crlf, step, policies, reviews, n, style, after, comment, final_nl)| {
                    let i = |k: usize| " ".repeat(step * k);
                    let entries: Vec<String> = (1..=n).map(|k| entry_text(style, k)).collect();
                    let reviews_text = match reviews {
                        0 => format!("{}reviews:\n{}", i(2), entries.iter().map(|e| format!("{}- {e}  # c\n", i(3))).collect::<String>()),
                        1 => format!("{}reviews:\n{}", i(2), entries.iter().map(|e| format!("{}- {e}\n\n", i(2))).collect::<String>()),
                        2 => format!("{}reviews:\n{}", i(2), (1..=n).map(|k| format!("{}- date: 2025-0{k}-01\n{}  by: \"B\"\n", i(3), i(3))).collect::<String>()),
                        3 => format!("{}reviews: [{}]  # c\n", i(2), entries.join(", ")),
                        4 => format!("{}reviews: [\n{}{}]\n", i(2), entries.iter().map(|e| format!("{}{e},  # c\n", i(3))).collect::<String>(), i(2)),
                        5 => format!("{}reviews: [\n{}\n{}]\n", i(2), entries.iter().map(|e| format!("{}{e}", i(3))).collect::<Vec<_>>().join(",\n"), i(2)),
                        6 => format!("{}reviews: []\n", i(2)),
                        7 => format!("{}reviews:   # none yet\n", i(2)),
                        _ => format!("{}review_cycle: 6 months\n", i(2)),
                    };
                    let policies_text = match policies {
                        0 => String::new(),
                        1 => "policies: {}\n".to_string(),
                        2 => "policies:\n".to_string(),
                        3 => format!("policies:\n{}medication:\n{}exclude: true\n", i(1), i(2)),
                        4 => format!("policies:\n{}key-worker: {{ review_cycle: 6 months }}\n", i(1)),
                        5 => format!("policies:\n{}key-worker:\n", i(1)),
                        6 => "policies: { medication: { exclude: true } }\n".to_string(),
                        _ => format!("policies:\n{}# the key worker policy\n{}key-worker:\n{reviews_text}{}medication: {{ exclude: true }}\n", i(1), i(1), i(1)),
                    };
                    let mut text = format!("# profile\nname: \"Home\"\nregistered_manager:\n{}first_name: Carys\n{}last_name: Evans\n{policies_text}", i(1), i(1));
                    if after {
                        text.push_str(&format!("fields:\n{}fax: \"1\"\n", i(1)));
                    }
                    if comment {
                        text.push_str("# end\n");
                    }
                    if !final_nl {
                        text.pop();
                    }
                    if crlf {
                        text = text.replace('\n', "\r\n");
                    }
                    text
                })
        }

        /// `line` is `old` with at most one piece of text inserted.
        fn grown_from(line: &str, old: &str) -> bool {
            let prefix: usize = line
                .chars()
                .zip(old.chars())
                .take_while(|(a, b)| a == b)
                .map(|(a, _)| a.len_utf8())
                .sum();
            line.len() >= old.len() && line.ends_with(&old[prefix..])
        }

        proptest! {
            #[test]
            fn every_layout_gets_exactly_the_new_entry(text in profile(), note in value(), by in value()) {
                let r = NewReview {
                    date: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
                    by: Some(by),
                    approved_by: None,
                    version: Some("2".into()),
                    note: Some(note),
                };
                let after = append_review(&text, "key-worker", &r);
                prop_assert!(after.is_ok(), "{:?}\n{}", after, text);
                let after = after.unwrap();
                let checked = verify(&text, &after, "key-worker", &r);
                prop_assert!(checked.is_ok(), "{:?}\n--- before\n{}\n--- after\n{}", checked, text, after);
                // Every line of the original is still there, in order, except
                // a `reviews:`/`policies:` line whose empty value was replaced.
                let mut rest = after.lines();
                for line in text.lines() {
                    if line.contains("{}") || line.contains("[]") || line.trim_end().ends_with(':') || line.contains("none yet") {
                        continue;
                    }
                    prop_assert!(rest.any(|l| grown_from(l, line)), "lost line {:?}\n{}", line, after);
                }
            }
        }
    }
}
