//! Who has read what (SPEC §9): for one (organisation × policy), the current
//! approved version staff must read and, for each person on the roster on
//! the build date, the day they acknowledged that version. Acknowledgements
//! of any other version do not count, so approving a new version makes
//! everyone outstanding again. A policy whose approval state (SPEC §8) is
//! not `approved` (never reviewed, awaiting approval, or changed since its
//! approval) is a draft: there is no current approved version to read.
//! Shared by the document's acknowledgement sheet, `reading`, `ack` and the
//! dashboards. Pure.

use chrono::NaiveDate;
use serde::Serialize;

use crate::check::OrgFacts;
use crate::check::staff::{Staff, name_key};
use crate::control::state::{self, Approval, State};
use crate::resolve::checked::{Checked, Selection};

/// The version staff must read: the approved version the document is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approved {
    pub version: String,
    /// The day it was approved (`approved_on`).
    pub on: NaiveDate,
}

impl Approved {
    /// The version to read while `approval` is `approved`; `None` while
    /// the document is a draft.
    pub fn of(approval: &Approval) -> Option<Approved> {
        if approval.state != State::Approved {
            return None;
        }
        Some(Approved {
            version: approval.version.clone(),
            on: approval.approved_on.or(approval.review)?,
        })
    }
}

/// Why a draft has nothing to read yet, in words for a terminal: "never
/// reviewed", "version 3 awaits approval (review of 2026-10-01)", "changes
/// since version 2 await approval". `None` once approved.
pub fn draft_reason(approval: &Approval) -> Option<String> {
    let version = &approval.version;
    match approval.state {
        State::Approved => None,
        State::None => Some("never reviewed, so never approved".to_string()),
        State::Awaiting => Some(match approval.review {
            Some(review) => format!("version {version} awaits approval (review of {review})"),
            None => format!("version {version} awaits approval"),
        }),
        State::Changed => Some(format!("changes since version {version} await approval")),
    }
}

/// One person who must read the policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reader {
    pub name: String,
    pub role: String,
    /// When they acknowledged the approved version; `None` while outstanding.
    pub read_on: Option<NaiveDate>,
}

/// The reading status of one (organisation × policy).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    /// The document's approval state.
    pub state: State,
    /// `None` while the document is a draft: there is nothing to read yet.
    pub approved: Option<Approved>,
    /// Why there is nothing to read yet, while a draft.
    pub draft_reason: Option<String>,
    /// Everyone on the roster on the build date, in the roster's order.
    pub readers: Vec<Reader>,
}

impl Reading {
    /// How many have acknowledged the approved version.
    pub fn read(&self) -> usize {
        self.readers.iter().filter(|r| r.read_on.is_some()).count()
    }

    /// Who has not, in the roster's order (everyone while a draft).
    pub fn outstanding(&self) -> impl Iterator<Item = &Reader> {
        self.readers.iter().filter(|r| r.read_on.is_none())
    }

    /// Where the policy stands with its staff.
    pub fn standing(&self) -> Standing {
        match (&self.approved, self.readers.is_empty()) {
            (None, _) => Standing::Unapproved,
            (Some(_), true) => Standing::NoStaff,
            (Some(_), false) if self.read() < self.readers.len() => Standing::Unread,
            (Some(_), false) => Standing::Read,
        }
    }

    /// "read by 3 of 5", or "not yet approved" while there is nothing to read.
    pub fn summary(&self) -> String {
        match &self.approved {
            None => "not yet approved".to_string(),
            Some(_) if self.readers.is_empty() => "no staff listed".to_string(),
            Some(_) => format!("read by {} of {}", self.read(), self.readers.len()),
        }
    }
}

/// The reading status of `policy` for `org` on `today`, the document's
/// approval being `approval`.
pub fn reading(org: &OrgFacts, policy: &str, approval: &Approval, today: NaiveDate) -> Reading {
    let record = org.policies.get(policy);
    let approved = Approved::of(approval);
    let acknowledgements = record.map_or(&[][..], |r| r.acknowledgements.as_slice());
    let readers = org
        .staff
        .iter()
        .filter(|s| s.counts_on(today))
        .map(|s: &Staff| Reader {
            name: s.name.clone(),
            role: s.role.clone(),
            read_on: approved.as_ref().and_then(|a| {
                acknowledgements
                    .iter()
                    .filter(|ack| {
                        ack.version == a.version && name_key(&ack.name) == name_key(&s.name)
                    })
                    .map(|ack| ack.date)
                    .min()
            }),
        })
        .collect();
    Reading {
        state: approval.state,
        approved,
        draft_reason: draft_reason(approval),
        readers,
    }
}

/// Where a policy stands with its staff, worst first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Standing {
    /// The document is a draft (approval state `none`, `awaiting` or
    /// `changed`): there is no approved version to read yet.
    Unapproved,
    /// Someone on the roster has not read the approved version.
    Unread,
    /// Everyone on the roster has read it.
    Read,
    /// The profile lists no staff.
    NoStaff,
}

impl Standing {
    pub fn as_str(self) -> &'static str {
        match self {
            Standing::Unapproved => "unapproved",
            Standing::Unread => "unread",
            Standing::Read => "read",
            Standing::NoStaff => "no-staff",
        }
    }
}

/// One (organisation × policy) of `policygen reading`; the field names are
/// its JSON output's, documented in the README.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    pub org: String,
    pub org_name: String,
    pub policy: String,
    pub policy_title: String,
    pub status: Standing,
    /// The approval state, as `due` reports it.
    pub approval: State,
    /// Why a draft has nothing to read yet, in words; null once approved.
    pub draft_reason: Option<String>,
    /// The approved version staff must read; null while none is approved.
    pub version: Option<String>,
    #[serde(serialize_with = "iso_opt")]
    pub approved_on: Option<NaiveDate>,
    /// How many on the roster on the build date.
    pub staff: usize,
    /// How many of them have read the approved version.
    pub read: usize,
    /// Who has not, in the roster's order (everyone while unapproved).
    pub outstanding: Vec<String>,
}

fn iso_opt<S: serde::Serializer>(date: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
    match date {
        Some(date) => s.serialize_str(&date.to_string()),
        None => s.serialize_none(),
    }
}

impl Row {
    fn new(org: &OrgFacts, org_name: &str, policy: &str, title: &str, reading: &Reading) -> Row {
        let status = reading.standing();
        Row {
            org: org.slug.clone(),
            org_name: org_name.to_string(),
            policy: policy.to_string(),
            policy_title: title.to_string(),
            status,
            approval: reading.state,
            draft_reason: reading.draft_reason.clone(),
            version: reading.approved.as_ref().map(|a| a.version.clone()),
            approved_on: reading.approved.as_ref().map(|a| a.on),
            staff: reading.readers.len(),
            read: reading.read(),
            outstanding: reading.outstanding().map(|r| r.name.clone()).collect(),
        }
    }
}

/// Who has read each selected (organisation × policy) that is built, worst
/// first: drafts (the least settled first, as `due` lists them), then the
/// most people outstanding, then read by all, then no staff listed; ties
/// broken by organisation and policy id.
pub fn rows(checked: &Checked, selection: &Selection) -> Vec<Row> {
    let today = checked.context.today;
    let mut rows: Vec<Row> = checked
        .select(selection)
        .into_iter()
        .filter_map(|a| {
            let org = checked.validated.organisations.get(&a.org)?;
            let loaded = checked.project.organisations.get(&a.org)?;
            let variant = checked.resolved.variant(&a.policy, &a.variant)?;
            let reading = reading(org, &a.policy, &state::of(checked, a), today);
            Some(Row::new(
                org,
                loaded.value.name.value.trim(),
                &a.policy,
                &variant.title.text,
                &reading,
            ))
        })
        .collect();
    rows.sort_by(|a, b| {
        (
            a.status,
            a.approval,
            std::cmp::Reverse(a.outstanding.len()),
            &a.org,
            &a.policy,
        )
            .cmp(&(
                b.status,
                b.approval,
                std::cmp::Reverse(b.outstanding.len()),
                &b.org,
                &b.policy,
            ))
    });
    rows
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::check::staff::Acknowledgement;
    use crate::check::{PolicyFacts, Review};

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn review(date: &str, version: &str, approved: bool) -> Review {
        Review {
            date: d(date),
            by: Some("Ann Lee".into()),
            approved_by: approved.then(|| "Owain Price".into()),
            approved_on: d(date),
            version: Some(version.into()),
            note: None,
        }
    }

    fn ack(name: &str, date: &str, version: &str) -> Acknowledgement {
        Acknowledgement {
            name: name.into(),
            date: d(date),
            version: version.into(),
        }
    }

    fn org(reviews: Vec<Review>) -> OrgFacts {
        let staff = |name: &str, left: Option<&str>| Staff {
            name: name.into(),
            role: "Care Worker".into(),
            left: left.map(d),
        };
        OrgFacts {
            slug: "home".into(),
            file: 0,
            jurisdiction: "cqc".into(),
            service: "care-home".into(),
            cycle: None,
            policies: BTreeMap::from([(
                "p".to_string(),
                PolicyFacts {
                    reviews,
                    acknowledgements: vec![
                        ack("Old Reader", "2025-04-01", "1"),
                        ack("New Reader", "2026-04-01", "2"),
                        ack("Leaver", "2026-04-02", "2"),
                    ],
                    ..PolicyFacts::default()
                },
            )]),
            staff: vec![
                staff("Old Reader", None),
                staff("New Reader", None),
                staff("Leaver", Some("2026-06-30")),
            ],
            brand_colour: None,
        }
    }

    /// The reading of policy `p` on `today`, its approval decided from its
    /// reviews as a document would (no archived text); a review naming no
    /// version stands for `default_version`.
    fn at(facts: &OrgFacts, default_version: &str, today: &str) -> Reading {
        let reviews = &facts.policies["p"].reviews;
        let version = reviews
            .iter()
            .max_by_key(|r| r.date)
            .and_then(|r| r.version.clone())
            .unwrap_or_else(|| default_version.to_string());
        let approval = state::decide(reviews, &version, None);
        reading(facts, "p", &approval, d(today))
    }

    #[test]
    fn only_the_approved_version_counts_and_leavers_drop_out() {
        let facts = org(vec![
            review("2025-03-14", "1", true),
            review("2026-03-14", "2", true),
        ]);
        assert_eq!(at(&facts, "9", "2026-06-30").summary(), "read by 2 of 3");
        let r = at(&facts, "9", "2026-11-23");
        assert_eq!(
            r.approved,
            Some(Approved {
                version: "2".into(),
                on: d("2026-03-14")
            })
        );
        assert_eq!(r.draft_reason, None);
        assert_eq!(r.summary(), "read by 1 of 2");
        let outstanding: Vec<&str> = r.outstanding().map(|p| p.name.as_str()).collect();
        assert_eq!(outstanding, ["Old Reader"]);
        assert_eq!(r.readers[1].read_on, Some(d("2026-04-01")));
    }

    #[test]
    fn approving_a_new_version_resets_the_count() {
        let facts = org(vec![
            review("2025-03-14", "1", true),
            review("2026-03-14", "2", true),
            review("2026-10-01", "3", true),
        ]);
        assert_eq!(at(&facts, "9", "2026-11-23").summary(), "read by 0 of 2");
    }

    #[test]
    fn the_approval_date_is_approved_on_not_the_review_date() {
        let mut late = review("2026-03-14", "2", true);
        late.approved_on = d("2026-03-20");
        let r = at(&org(vec![late]), "9", "2026-11-23");
        assert_eq!(r.approved.map(|a| a.on), Some(d("2026-03-20")));
    }

    #[test]
    fn a_review_awaiting_approval_leaves_nothing_to_read() {
        // Version 2 was approved, but the newest review awaits approval:
        // the document is a draft, so nobody can read an approved version.
        let facts = org(vec![
            review("2025-03-14", "1", true),
            review("2026-03-14", "2", true),
            review("2026-10-01", "3", false),
        ]);
        let r = at(&facts, "9", "2026-11-23");
        assert_eq!((r.state, r.approved.as_ref()), (State::Awaiting, None));
        assert_eq!(r.summary(), "not yet approved");
        assert_eq!(
            r.draft_reason.as_deref(),
            Some("version 3 awaits approval (review of 2026-10-01)")
        );
        assert_eq!(r.outstanding().count(), 2);
        assert!(r.readers.iter().all(|p| p.read_on.is_none()));
    }

    #[test]
    fn a_draft_says_why_in_words() {
        let never = at(&org(Vec::new()), "1", "2026-11-23");
        assert_eq!(never.state, State::None);
        assert_eq!(
            never.draft_reason.as_deref(),
            Some("never reviewed, so never approved")
        );
        let changed = Approval {
            state: State::Changed,
            review: Some(d("2026-03-14")),
            version: "2".into(),
            approved_by: Some("Owain Price".into()),
            approved_on: Some(d("2026-03-14")),
            tracked: true,
        };
        let facts = org(vec![review("2026-03-14", "2", true)]);
        let r = reading(&facts, "p", &changed, d("2026-11-23"));
        assert_eq!(r.approved, None);
        assert_eq!(
            r.draft_reason.as_deref(),
            Some("changes since version 2 await approval")
        );
        // New Reader and the leaver read version 2, but it is not what the
        // document says now.
        assert_eq!(r.read(), 0);
    }

    #[test]
    fn a_review_without_a_version_reads_as_the_sources() {
        let mut unversioned = review("2026-03-14", "x", true);
        unversioned.version = None;
        let r = at(&org(vec![unversioned]), "2", "2026-11-23");
        assert_eq!(r.approved.map(|a| a.version).as_deref(), Some("2"));
    }
}
