//! The tree: the profile's YAML as nodes that remember their byte span, built
//! from the parser's events.

use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle, StructureStyle};

use super::EditError;

#[derive(Debug)]
pub(super) struct Node {
    pub(super) kind: Kind,
    /// Byte offset where the node starts (for a block sequence: its first `-`).
    pub(super) start: usize,
    /// Byte offset just after the node's last content (for flow collections,
    /// after the closing bracket); trailing comments and blank lines excluded.
    pub(super) end: usize,
}

#[derive(Debug)]
pub(super) enum Kind {
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
    pub(super) fn is_null(&self) -> bool {
        matches!(self.kind, Kind::Scalar { null: true, .. })
    }
}

pub(super) fn lookup<'a>(entries: &'a [(Node, Node)], key: &str) -> Option<(&'a Node, &'a Node)> {
    entries
        .iter()
        .find(|(k, _)| matches!(&k.kind, Kind::Scalar { value, .. } if value == key))
        .map(|(k, v)| (k, v))
}

pub(super) fn parse(text: &str) -> Result<Node, EditError> {
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

pub(super) type Events<'a> = [(Event<'a>, std::ops::Range<usize>)];

pub(super) fn node(text: &str, events: &Events, at: &mut usize) -> Result<Node, EditError> {
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
pub(super) fn dash_of(text: &str, item: &Node) -> usize {
    let before = text[..item.start].trim_end_matches([' ', '\t', '\r', '\n']);
    if before.ends_with('-') {
        before.len() - 1
    } else {
        item.start
    }
}

pub(super) fn is_empty_flow(node: &Node) -> bool {
    match &node.kind {
        Kind::Map {
            flow: true,
            entries,
        } => entries.is_empty(),
        Kind::Seq { flow: true, items } => items.is_empty(),
        _ => false,
    }
}
