//! What documents say about their approval: the draft mark every format
//! shows while a document is not approved (a heading and the reason on the
//! first page, a running line for every page), and the closing block's
//! "Approved by". Renderers take these words from the document view model,
//! so every format says the same. Pure.

use chrono::NaiveDate;
use serde::Serialize;

use crate::control::state::{Approval, State};

/// The mark's heading.
pub const DRAFT: &str = "Draft — not yet approved";

/// The approval as the document view model carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApprovalView {
    /// `none`, `awaiting`, `changed` or `approved`.
    pub state: &'static str,
    /// Present while the document is a draft.
    pub draft: Option<DraftMark>,
    /// The closing block's "Approved by" value: who and when, or why nobody.
    pub summary: String,
    /// The approver's name from `approved_by`, or empty.
    pub approved_by: String,
    /// The approval date as documents show it, or empty.
    pub approved_on: String,
}

/// The draft mark of a document that is not approved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DraftMark {
    /// "Draft — not yet approved".
    pub title: String,
    /// Why, in one sentence: "The review of 2 March 2026 is awaiting approval."
    pub reason: String,
    /// One line for the top of every page: "DRAFT — not yet approved: …".
    pub running: String,
    /// The redline page beside the document (`key-worker.changes.html`),
    /// while changes await approval.
    pub changes_file: Option<String>,
    /// The link's words: "See what changed since version 3".
    pub changes_label: String,
}

/// The words for `approval`, dates formatted by `date`, for the document of
/// `policy` (whose redline page is `<policy>.changes.html`).
pub fn view(approval: &Approval, policy: &str, date: &dyn Fn(NaiveDate) -> String) -> ApprovalView {
    let approved_by = approval.approved_by.clone().unwrap_or_default();
    let approved_on = approval.approved_on.map(date).unwrap_or_default();
    let review = approval.review.map(date).unwrap_or_default();
    let version = &approval.version;
    let (reason, why, summary) = match approval.state {
        State::None => (
            "This policy has not been reviewed yet, so nobody has approved it.".to_string(),
            "never reviewed".to_string(),
            "Not yet approved".to_string(),
        ),
        State::Awaiting => (
            format!("The review of {review} is awaiting approval."),
            format!("review of {review} awaiting approval"),
            format!("Awaiting approval (review of {review})"),
        ),
        State::Changed => (
            format!(
                "The text has changed since version {version} was approved by {approved_by} on {approved_on}; the changes await approval."
            ),
            format!("changes since version {version} await approval"),
            format!(
                "{approved_by} on {approved_on}, for version {version} as it was then; the changes since await approval"
            ),
        ),
        State::Approved => (
            String::new(),
            String::new(),
            format!("{approved_by} on {approved_on}"),
        ),
    };
    let draft = approval.state.is_draft().then(|| DraftMark {
        title: DRAFT.to_string(),
        reason,
        running: format!("DRAFT — not yet approved: {why}"),
        changes_file: (approval.state == State::Changed).then(|| changes_file(policy)),
        changes_label: format!("See what changed since version {version}"),
    });
    ApprovalView {
        state: approval.state.as_str(),
        draft,
        summary,
        approved_by,
        approved_on,
    }
}

/// The redline page's file name beside the document: `key-worker.changes.html`.
pub fn changes_file(policy: &str) -> String {
    format!("{policy}.changes.html")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn approval(state: State) -> Approval {
        Approval {
            state,
            review: NaiveDate::from_ymd_opt(2026, 3, 2),
            version: "3".into(),
            approved_by: (state >= State::Changed).then(|| "Owain Price".into()),
            approved_on: (state >= State::Changed)
                .then(|| NaiveDate::from_ymd_opt(2026, 3, 14).unwrap()),
            tracked: true,
        }
    }

    fn words(state: State) -> ApprovalView {
        view(&approval(state), "key-worker", &|d| {
            d.format("%-d %B %Y").to_string()
        })
    }

    #[test]
    fn each_state_says_why() {
        let none = words(State::None);
        let mark = none.draft.unwrap();
        assert_eq!(mark.running, "DRAFT — not yet approved: never reviewed");
        assert_eq!(none.summary, "Not yet approved");
        let awaiting = words(State::Awaiting).draft.unwrap();
        assert_eq!(
            awaiting.reason,
            "The review of 2 March 2026 is awaiting approval."
        );
        assert_eq!(awaiting.changes_file, None);
        let changed = words(State::Changed);
        let mark = changed.draft.clone().unwrap();
        assert_eq!(
            mark.running,
            "DRAFT — not yet approved: changes since version 3 await approval"
        );
        assert_eq!(
            mark.changes_file.as_deref(),
            Some("key-worker.changes.html")
        );
        assert!(
            changed
                .summary
                .starts_with("Owain Price on 14 March 2026, for version 3")
        );
        let approved = words(State::Approved);
        assert_eq!(approved.draft, None);
        assert_eq!(approved.summary, "Owain Price on 14 March 2026");
    }
}
