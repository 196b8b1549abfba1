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
    pub approved_by: String,
    pub version: String,
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DatesView {
    pub last_update: String,
    pub next_review: String,
    pub build: String,
    pub current_year: String,
    pub status: String,
    /// ISO dates, for machines.
    pub last_update_iso: String,
    pub next_review_iso: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClosingView {
    pub responsible_person: String,
    pub responsible_role: String,
    pub reviewed_on: String,
    pub next_review: String,
    pub approved_by: String,
    pub copyright: String,
}
