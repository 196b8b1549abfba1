//! The review schedule: for every (organisation × policy) that is built, its
//! last review, next review, days left and status against the build date.
//! Shared by `due`, the dashboards, the manifest and the calendar. Needs only
//! validation and resolution — nothing is rendered.

use chrono::NaiveDate;
use serde::Serialize;

use crate::check::OrgFacts;
use crate::control::state::{self, Approval};
use crate::resolve::Variant;
use crate::resolve::checked::{Checked, Selection};
use crate::review::{self, Schedule, Status};

/// The review schedule of one (organisation × policy), SPEC §5: the first
/// cycle set of the profile's per-policy cycle, the profile's own and the
/// variant's (`None` when no variant applies), dated from the newest review
/// the profile records.
pub fn schedule(
    org: &OrgFacts,
    policy: &str,
    variant: Option<&Variant>,
    today: NaiveDate,
) -> Schedule {
    let record = org.policies.get(policy);
    let cycle = review::effective_cycle(
        record.and_then(|r| r.cycle),
        org.cycle,
        variant.and_then(|v| v.cycle),
    );
    Schedule::new(record.and_then(|r| r.last_review()), cycle, today)
}

/// One row of the schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    pub org: String,
    pub org_name: String,
    /// The organisation's registration number, as in its profile.
    pub registration_no: String,
    /// The regulator's short name (`CIW`).
    pub regulator: String,
    /// The service id (`care-home`).
    pub service: String,
    /// The Registered Manager's name, when the profile gives one.
    pub registered_manager: Option<String>,
    pub policy: String,
    pub policy_title: String,
    pub policy_code: String,
    pub variant: String,
    #[serde(serialize_with = "iso_opt")]
    pub last_review: Option<NaiveDate>,
    #[serde(serialize_with = "iso")]
    pub next_review: NaiveDate,
    pub cycle: String,
    /// Days from the build date to the next review; negative when overdue.
    pub days_left: i64,
    pub status: Status,
    /// The approval state (SPEC §8): `none`, `awaiting`, `changed`, `approved`.
    #[serde(rename = "approval", serialize_with = "state_name")]
    pub control: Approval,
}

fn state_name<S: serde::Serializer>(approval: &Approval, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(approval.state.as_str())
}

fn iso<S: serde::Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&date.to_string())
}

fn iso_opt<S: serde::Serializer>(date: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
    match date {
        Some(date) => s.serialize_str(&date.to_string()),
        None => s.serialize_none(),
    }
}

/// The schedule of the selected assignments, worst first: overdue, then due,
/// then current; within a status the soonest next review first, ties broken
/// by organisation and policy id.
pub fn rows(checked: &Checked, selection: &Selection, within_days: u32) -> Vec<Row> {
    use rayon::prelude::*;
    let today = checked.context.today;
    let mut rows: Vec<Row> = checked
        .select(selection)
        .into_par_iter()
        .filter_map(|a| {
            let org = checked.validated.organisations.get(&a.org)?;
            let loaded = checked.project.organisations.get(&a.org)?;
            let variant = checked.resolved.variant(&a.policy, &a.variant)?;
            let regulator = checked
                .project
                .jurisdictions
                .get(&org.jurisdiction)
                .map(|j| j.value.regulator.short.clone())
                .unwrap_or_default();
            let schedule = schedule(org, &a.policy, Some(variant), today);
            Some(Row {
                org: a.org.clone(),
                org_name: loaded.value.name.value.trim().to_string(),
                registration_no: loaded.value.registration_no.value.0.trim().to_string(),
                regulator,
                service: org.service.clone(),
                registered_manager: loaded.value.registered_manager.as_ref().map(|p| p.full()),
                policy: a.policy.clone(),
                policy_title: variant.title.text.clone(),
                policy_code: variant.code.clone(),
                variant: a.variant.clone(),
                last_review: schedule.last_review,
                next_review: schedule.next_review,
                cycle: schedule.cycle.to_string(),
                days_left: schedule.days_left(today),
                status: schedule.status(today, within_days),
                control: state::of(checked, a),
            })
        })
        .collect();
    rows.sort_by(|a, b| {
        (a.status, a.next_review, &a.org, &a.policy).cmp(&(
            b.status,
            b.next_review,
            &b.org,
            &b.policy,
        ))
    });
    rows
}
