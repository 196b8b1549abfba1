//! The view models inside a [`Document`](super::Document): what templates and
//! renderers see of the organisation, the policy, its sections and dates.

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct OrgView {
    pub name: String,
    pub registration_no: String,
    pub registration_label: String,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub brand_colour: Option<String>,
    /// File name of the logo next to the Markdown output, when there is one.
    pub logo_file: Option<String>,
    pub logo_alt: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PolicyView {
    pub title: String,
    pub code: String,
    pub version: String,
    pub review_cycle: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RegulatorView {
    pub name: String,
    pub short: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionView {
    /// `4` or `4.1` or `4.1.2`.
    pub number: String,
    /// 1 for top-level sections, up to 3.
    pub level: usize,
    /// Anchor for links: `section-4-1`.
    pub anchor: String,
    pub id: String,
    /// Plain text.
    pub title: String,
    /// CommonMark, placeholders filled with escaped values.
    pub body: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RelatedView {
    pub id: String,
    pub title: String,
    pub code: Option<String>,
    /// Built for this organisation, so it can be linked.
    pub built: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReviewView {
    pub date: String,
    /// The date as ISO 8601, for machines.
    pub date_iso: String,
    pub by: String,
    /// The name in `approved_by`, or empty.
    pub approved_by: String,
    /// What the history's "Approved by" column shows: the approver, with
    /// the day when it was not the review's; "Awaiting approval" for the
    /// newest review when it has none; else empty.
    pub approved: String,
    pub version: String,
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DatesView {
    /// The newest review's date, or "Not yet reviewed".
    pub last_update: String,
    pub next_review: String,
    pub build: String,
    pub current_year: String,
    pub status: String,
    /// ISO dates, for machines; `last_update_iso` is empty when never reviewed.
    pub last_update_iso: String,
    pub next_review_iso: String,
    /// What the HTML page says near its top while a review is overdue or due.
    pub notice: Option<ReviewNotice>,
}

/// "Review overdue: …" or "Review due: …", in words (not colour alone).
#[derive(Debug, Clone, Serialize)]
pub struct ReviewNotice {
    /// `Review overdue` or `Review due`.
    pub heading: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClosingView {
    pub responsible_person: String,
    pub responsible_role: String,
    /// The newest review's date, or "Not yet reviewed".
    pub reviewed_on: String,
    pub next_review: String,
    /// The approver's name from `approved_by`, or empty: never a guess.
    pub approved_by: String,
    /// The "Approved by" line: who and when, or why nobody has.
    pub approval: String,
    pub copyright: String,
}
