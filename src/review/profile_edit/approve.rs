//! Adds an approval to the newest review of a policy, for `policygen
//! approve`: `approved_by` and `approved_on` join that entry, right after
//! its `by` (or its `date`), written as the entry is written (inside its
//! `{ … }`, or as lines of its own), and nothing else in the file changes.

use chrono::NaiveDate;
use serde_json::Value;

use super::context::{Context, Splice, apply};
use super::tree::{Kind, Node, lookup, parse};
use super::{EditError, scalar};

/// Adds `approved_by: who` and `approved_on: on` to the last entry of
/// `policies.<policy>.reviews` in the profile `text`.
pub fn add_approval(
    text: &str,
    policy: &str,
    who: &str,
    on: NaiveDate,
) -> Result<String, EditError> {
    let root = parse(text)?;
    let ctx = Context::new(text, &root, "reviews");
    let newest = newest_review(&ctx, &root, policy)?;
    let Kind::Map { flow, entries } = &newest.kind else {
        return Err(ctx.shape(
            newest,
            "the newest review is not a `date: …, by: …` mapping",
        ));
    };
    if ["approved_by", "approved_on"]
        .iter()
        .any(|key| lookup(entries, key).is_some())
    {
        return Err(ctx.shape(
            newest,
            "the newest review already has an `approved_by` or `approved_on` key",
        ));
    }
    let Some((key, value)) = lookup(entries, "by")
        .or_else(|| lookup(entries, "date"))
        .or_else(|| entries.last().map(|(k, v)| (k, v)))
    else {
        return Err(ctx.shape(newest, "the newest review is empty"));
    };
    let fields = [
        ("approved_by", scalar(who)),
        ("approved_on", on.to_string()),
    ];
    let splice = if *flow {
        let end = value.end.max(key.end);
        Splice {
            start: end,
            end,
            with: fields.iter().map(|(k, v)| format!(", {k}: {v}")).collect(),
        }
    } else {
        let pad = " ".repeat(ctx.col(key.start));
        let lines: String = fields
            .iter()
            .map(|(k, v)| format!("{pad}{k}: {v}{}", ctx.nl))
            .collect();
        ctx.after_line(value.end.max(key.end), &lines)
    };
    Ok(apply(text, vec![splice]))
}

/// The last entry of `policies.<policy>.reviews`.
fn newest_review<'n>(ctx: &Context, root: &'n Node, policy: &str) -> Result<&'n Node, EditError> {
    let missing = || EditError::Shape {
        what: format!("the profile records no review of `{policy}`"),
        line: 1,
    };
    let map = |node: &'n Node| match &node.kind {
        Kind::Map { entries, .. } => Some(entries),
        _ => None,
    };
    let policies = map(root)
        .and_then(|e| lookup(e, "policies"))
        .ok_or_else(missing)?
        .1;
    let record = map(policies)
        .and_then(|e| lookup(e, policy))
        .ok_or_else(missing)?
        .1;
    let reviews = map(record)
        .and_then(|e| lookup(e, "reviews"))
        .ok_or_else(missing)?
        .1;
    match &reviews.kind {
        Kind::Seq { items, .. } => items.last().ok_or_else(missing),
        _ => Err(ctx.shape(reviews, "`reviews` is not a list")),
    }
}

/// Checks that `after` means exactly `before` with the approval added to
/// the newest review of `policy`.
pub fn verify_approval(
    before: &str,
    after: &str,
    policy: &str,
    who: &str,
    on: NaiveDate,
) -> Result<(), EditError> {
    let read = |text: &str| {
        serde_saphyr::from_str::<Value>(text).map_err(|e| EditError::Mismatch(e.to_string()))
    };
    let mut expected = read(before)?;
    let actual = read(after)?;
    let Some(Value::Object(newest)) = expected
        .pointer_mut(&format!(
            "/policies/{}/reviews",
            policy.replace('~', "~0").replace('/', "~1")
        ))
        .and_then(|reviews| reviews.as_array_mut())
        .and_then(|list| list.last_mut())
    else {
        return Err(EditError::Mismatch(
            "the newest review is not a mapping".into(),
        ));
    };
    newest.insert("approved_by".into(), Value::String(who.to_string()));
    newest.insert("approved_on".into(), Value::String(on.to_string()));
    if expected == actual {
        Ok(())
    } else {
        Err(EditError::Mismatch(
            "a value other than the approval changed".into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn approve(before: &str) -> String {
        let on = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let after = add_approval(before, "key-worker", "Owain Price", on).unwrap();
        verify_approval(before, &after, "key-worker", "Owain Price", on).unwrap();
        after
    }

    #[test]
    fn joins_a_flow_entry_after_its_reviewer() {
        let before = "policies:\n  key-worker:\n    reviews:\n      - { date: 2025-03-14, by: A, approved_by: B }\n      - { date: 2026-11-20, by: Siân O'Brien, version: \"4\" }  # newest\n";
        assert_eq!(
            approve(before),
            "policies:\n  key-worker:\n    reviews:\n      - { date: 2025-03-14, by: A, approved_by: B }\n      - { date: 2026-11-20, by: Siân O'Brien, approved_by: Owain Price, approved_on: 2026-11-23, version: \"4\" }  # newest\n"
        );
    }

    #[test]
    fn joins_a_block_entry_as_lines() {
        let before = "policies:\n  key-worker:\n    reviews:\n      - date: 2026-11-20\n        by: A  # who\n        note: x\nfields: {}\n";
        assert_eq!(
            approve(before),
            "policies:\n  key-worker:\n    reviews:\n      - date: 2026-11-20\n        by: A  # who\n        approved_by: Owain Price\n        approved_on: 2026-11-23\n        note: x\nfields: {}\n"
        );
        // No reviewer: after the date; in a one-line flow list too.
        assert_eq!(
            approve("policies:\n  key-worker:\n    reviews: [{date: 2026-11-20}]\n"),
            "policies:\n  key-worker:\n    reviews: [{date: 2026-11-20, approved_by: Owain Price, approved_on: 2026-11-23}]\n"
        );
    }

    #[test]
    fn refuses_what_it_cannot_edit() {
        let on = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        for text in [
            "name: x\n",
            "policies:\n  key-worker:\n    reviews: []\n",
            "policies:\n  key-worker:\n    reviews:\n      - { date: 2026-11-20, approved_on: 2026-11-21 }\n",
        ] {
            assert!(add_approval(text, "key-worker", "O", on).is_err(), "{text}");
        }
    }
}
