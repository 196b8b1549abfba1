//! The approval state of one (organisation × policy), SPEC §8: `none` (never
//! reviewed), `awaiting` (the newest review has no approver), `changed`
//! (approved, but the text a build makes now is not the approved text) and
//! `approved`. Pure: the review history, the text now and the archived
//! approved text in, a state out.

use std::fmt;

use chrono::NaiveDate;
use serde::Serialize;

use crate::check::Review;
use crate::control::archive::ApprovedText;
use crate::diagnostic::Diagnostic;
use crate::resolve::Assignment;
use crate::resolve::checked::{Checked, Selection};

/// The four approval states, in the order drafts are listed: the least
/// settled first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    None,
    Awaiting,
    Changed,
    Approved,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::None => "none",
            State::Awaiting => "awaiting",
            State::Changed => "changed",
            State::Approved => "approved",
        }
    }

    /// Every state but `approved` is a draft, not in force.
    pub fn is_draft(self) -> bool {
        self != State::Approved
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The approval of one document and what it rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approval {
    pub state: State,
    /// The newest review's date, when one is recorded.
    pub review: Option<NaiveDate>,
    /// The version the document shows.
    pub version: String,
    /// From the newest review's `approved_by`, never guessed.
    pub approved_by: Option<String>,
    pub approved_on: Option<NaiveDate>,
    /// False for an approval with no archived text (recorded by hand, or
    /// before policygen kept approved texts): its changes cannot be tracked.
    pub tracked: bool,
}

/// Decides the state of a document from its review history (oldest first),
/// the version it shows, and the approved text archived for that version
/// with its text now, if one is archived.
pub fn decide(
    reviews: &[Review],
    version: &str,
    archived: Option<(&ApprovedText, &ApprovedText)>,
) -> Approval {
    let newest = reviews.iter().max_by_key(|r| r.date);
    let mut approval = Approval {
        state: State::None,
        review: newest.map(|r| r.date),
        version: version.to_string(),
        approved_by: None,
        approved_on: None,
        tracked: false,
    };
    let Some(newest) = newest else {
        return approval;
    };
    let Some(approver) = &newest.approved_by else {
        approval.state = State::Awaiting;
        return approval;
    };
    approval.approved_by = Some(approver.clone());
    approval.approved_on = Some(newest.approved_on);
    approval.tracked = archived.is_some();
    approval.state = match archived {
        Some((approved, now)) if !approved.same_as(now) => State::Changed,
        _ => State::Approved,
    };
    approval
}

/// The approval of one assignment. Builds its text only when an approved
/// text is archived for the version it shows (the comparison needs it), so
/// a schedule of thousands of organisations without archives stays cheap.
pub fn of(checked: &Checked, assignment: &Assignment) -> Approval {
    let reviews = checked
        .validated
        .organisations
        .get(&assignment.org)
        .and_then(|f| f.policies.get(&assignment.policy))
        .map_or(&[][..], |p| p.reviews.as_slice());
    let newest = reviews.iter().max_by_key(|r| r.date);
    let version = newest.and_then(|r| r.version.clone()).unwrap_or_else(|| {
        checked
            .resolved
            .variant(&assignment.policy, &assignment.variant)
            .map_or(String::new(), |v| v.version.clone())
    });
    let archived = checked
        .project
        .approved_text(&assignment.org, &assignment.policy, &version);
    if archived.is_some()
        && newest.is_some_and(|r| r.approved_by.is_some())
        && let Ok(document) = checked.document(assignment)
    {
        return document.control;
    }
    decide(reviews, &version, None)
}

/// The one warning `check` gives about approvals it cannot track: those
/// recorded with no archived approved text (by hand, or before policygen
/// kept approved texts), counted by organisation, the first few named.
pub fn untracked_warning(checked: &Checked, selection: &Selection) -> Option<Diagnostic> {
    let mut orgs: Vec<&str> = checked
        .select(selection)
        .into_iter()
        .filter(|a| {
            let approval = of(checked, a);
            approval.state == State::Approved && !approval.tracked
        })
        .map(|a| a.org.as_str())
        .collect();
    orgs.dedup();
    let shown = 3;
    let mut names = orgs
        .iter()
        .take(shown)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    match orgs.len() {
        0 => return None,
        n if n > shown => names.push_str(&format!(" and {} more", n - shown)),
        _ => {}
    }
    let (count, has) = match orgs.len() {
        1 => ("1 organisation".to_string(), "has"),
        n => (format!("{n} organisations"), "have"),
    };
    Some(
        Diagnostic::warning(format!(
            "{count} ({names}) {has} approved policies with no approved text in approved/, so changes to them cannot be tracked until their next approval"
        ))
        .with_hint("they were approved before policygen kept approved texts (or by editing the profile); to track one from now on, run `policygen approve ORG POLICY --by NAME` naming the approver its newest review records"),
    )
}

/// The approval a document's changes are shown against: the newest
/// approved review whose version has an archived text, with that text.
#[derive(Debug, Clone, Copy)]
pub struct Baseline<'a> {
    pub version: &'a str,
    pub approved_by: &'a str,
    pub approved_on: NaiveDate,
    pub text: &'a ApprovedText,
}

/// The last approved text of a policy for an organisation, if archived:
/// `archived(version)` looks a version's text up; a review that records no
/// version stands for `default_version` (the policy source's).
pub fn baseline<'a>(
    reviews: &'a [Review],
    default_version: &'a str,
    archived: impl Fn(&str) -> Option<&'a ApprovedText>,
) -> Option<Baseline<'a>> {
    let mut newest_first: Vec<&Review> = reviews.iter().collect();
    newest_first.sort_by_key(|r| std::cmp::Reverse(r.date));
    newest_first.into_iter().find_map(|r| {
        let version = r.version.as_deref().unwrap_or(default_version);
        Some(Baseline {
            version,
            approved_by: r.approved_by.as_deref()?,
            approved_on: r.approved_on,
            text: archived(version)?,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn review(date: &str, approved_by: Option<&str>) -> Review {
        let date = crate::review::parse_date(date).unwrap();
        Review {
            date,
            by: Some("A".into()),
            approved_by: approved_by.map(str::to_string),
            approved_on: date,
            version: Some("3".into()),
            note: None,
        }
    }

    fn text(body: &str) -> ApprovedText {
        ApprovedText::parse(&format!("# T\n\n<!-- section: a -->\n## 1. A\n\n{body}\n")).unwrap()
    }

    #[test]
    fn the_four_states() {
        let now = text("Words.");
        assert_eq!(decide(&[], "1", None).state, State::None);
        let approved = [review("2026-01-01", Some("Owain Price"))];
        let awaiting = [approved[0].clone(), review("2026-02-01", None)];
        assert_eq!(decide(&awaiting, "3", None).state, State::Awaiting);
        let same = decide(&approved, "3", Some((&text("Words."), &now)));
        assert_eq!((same.state, same.tracked), (State::Approved, true));
        assert_eq!(same.approved_by.as_deref(), Some("Owain Price"));
        let changed = decide(&approved, "3", Some((&text("Other words."), &now)));
        assert_eq!(changed.state, State::Changed);
        // Approved with no archived text: approved, but untracked.
        let legacy = decide(&approved, "3", None);
        assert_eq!((legacy.state, legacy.tracked), (State::Approved, false));
    }

    #[test]
    fn an_older_approval_does_not_approve_a_newer_review() {
        let reviews = [
            review("2026-01-01", Some("Owain Price")),
            review("2026-02-01", None),
        ];
        let approval = decide(&reviews, "3", Some((&text("x"), &text("x"))));
        assert_eq!(approval.state, State::Awaiting);
        assert_eq!(approval.approved_by, None);
    }
}
