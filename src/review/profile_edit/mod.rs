//! Edits an organisation profile as text, for `policygen review` and
//! `policygen ack`: appends entries to a list under a policy
//! (`policies.<id>.reviews`, `policies.<id>.acknowledgements`), creating
//! `policies:`, the policy and the list when absent, and leaves every other
//! byte of the file as the provider wrote it — comments, key order, quoting,
//! blank lines.
//!
//! The file is parsed into a small tree of nodes that remember where they sit
//! in the text (from the YAML parser's event spans); the edit is a splice at
//! the right place, written in the style of the list it extends. [`verify`]
//! then re-reads both texts and checks that the only change in meaning is the
//! new entries. Pure: text in, text out.

mod approve;
mod context;
mod insert;
mod quote;
#[cfg(test)]
mod tests;
mod tree;

use chrono::NaiveDate;
use serde_json::{Map, Value};

pub use approve::{add_approval, verify_approval};
use context::{Context, apply};
pub use quote::scalar;
use tree::{Kind, lookup, parse};

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

/// One entry to append to a list under a policy: the list's key and the
/// entry's keys and values in the order they are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// `reviews` or `acknowledgements`.
    pub list: &'static str,
    pub fields: Vec<(&'static str, String)>,
}

impl NewReview {
    /// The review as an entry of `reviews:`.
    pub fn entry(&self) -> Entry {
        Entry {
            list: "reviews",
            fields: self.fields(),
        }
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
                "write `policies:` and each policy as mappings, and `reviews:` and `acknowledgements:` as lists, as in the examples in the README"
            }
            EditError::Mismatch(_) => {
                "this is a bug in policygen; please report it with the profile attached, and add the entry by hand meanwhile"
            }
        }
    }
}

/// Appends `review` to `policies.<policy>.reviews` of the profile `text`.
pub fn append_review(text: &str, policy: &str, review: &NewReview) -> Result<String, EditError> {
    append(text, policy, &review.entry())
}

/// Appends `entries`, in order, to their lists under `policies.<policy>`.
pub fn append_all(text: &str, policy: &str, entries: &[Entry]) -> Result<String, EditError> {
    entries
        .iter()
        .try_fold(text.to_string(), |text, entry| append(&text, policy, entry))
}

/// Appends `entry` to its list under `policies.<policy>` of the profile `text`.
pub fn append(text: &str, policy: &str, entry: &Entry) -> Result<String, EditError> {
    let root = parse(text)?;
    let ctx = Context::new(text, &root, entry.list);
    let Kind::Map { flow, entries } = &root.kind else {
        return Err(ctx.shape(&root, "the profile is not a mapping of `key: value` lines"));
    };
    if *flow {
        return Err(ctx.shape(&root, "the profile is written as one `{ … }` mapping"));
    }
    let splices = match lookup(entries, "policies") {
        None => {
            let body = ctx.policy_lines(policy, entry, ctx.col(root.start) + ctx.step);
            let lines = format!(
                "{}policies:{}{body}",
                " ".repeat(ctx.col(root.start)),
                ctx.nl
            );
            vec![ctx.after_line(root.end, &lines)]
        }
        Some((key, value)) => ctx.add_to_policies(key, value, policy, entry)?,
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
    verify_all(before, after, policy, &[review.entry()])
}

/// Checks that `after` means exactly `before` plus `entries` at the ends of
/// their lists: every other value the same, nothing lost or retyped.
pub fn verify_all(
    before: &str,
    after: &str,
    policy: &str,
    entries: &[Entry],
) -> Result<(), EditError> {
    let read = |text: &str| {
        serde_saphyr::from_str::<Value>(text).map_err(|e| EditError::Parse(e.to_string()))
    };
    let mut expected = read(before)?;
    let actual = read(after).map_err(|e| EditError::Mismatch(e.to_string()))?;
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
    for entry in entries {
        slot(&mut expected, "policies", Value::Object(Map::new()))?;
        let policies = &mut expected["policies"];
        slot(policies, policy, Value::Object(Map::new()))?;
        let record = &mut policies[policy];
        slot(record, entry.list, Value::Array(Vec::new()))?;
        let fields: Map<String, Value> = entry
            .fields
            .iter()
            .map(|(k, v)| (k.to_string(), Value::String(v.clone())))
            .collect();
        match &mut record[entry.list] {
            Value::Array(list) => list.push(Value::Object(fields)),
            _ => {
                return Err(EditError::Mismatch(format!(
                    "`{}` is not a list",
                    entry.list
                )));
            }
        }
    }
    if expected == actual {
        Ok(())
    } else {
        Err(EditError::Mismatch(
            "a value other than the new entries changed".into(),
        ))
    }
}
