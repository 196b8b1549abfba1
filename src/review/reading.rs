//! Who has read what (SPEC §9): for one (organisation × policy), the current
//! approved version staff must read and, for each person on the roster on
//! the build date, the day they acknowledged that version. Acknowledgements
//! of any other version do not count, so approving a new version makes
//! everyone outstanding again. Shared by the document's acknowledgement
//! sheet, `reading`, `ack` and the dashboards. Pure.

use chrono::NaiveDate;

use crate::check::staff::{Staff, name_key};
use crate::check::{OrgFacts, PolicyFacts, Review};

/// The version staff must read: the newest approved review's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approved {
    pub version: String,
    /// The day it was approved.
    pub on: NaiveDate,
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
    /// `None` while no version has been approved: there is nothing to read yet.
    pub approved: Option<Approved>,
    /// Everyone on the roster on the build date, in the roster's order.
    pub readers: Vec<Reader>,
}

impl Reading {
    /// How many have acknowledged the approved version.
    pub fn read(&self) -> usize {
        self.readers.iter().filter(|r| r.read_on.is_some()).count()
    }

    /// Who has not, in the roster's order (everyone while nothing is approved).
    pub fn outstanding(&self) -> impl Iterator<Item = &Reader> {
        self.readers.iter().filter(|r| r.read_on.is_none())
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

/// The newest review that records who approved it, if any. `default_version`
/// stands in when that review names no version (the document then shows the
/// policy source's version, and so does the sheet).
pub fn approved(record: Option<&PolicyFacts>, default_version: &str) -> Option<Approved> {
    let review: &Review = record?
        .reviews
        .iter()
        .rev()
        .find(|r| r.approved_by.is_some())?;
    Some(Approved {
        version: review
            .version
            .clone()
            .unwrap_or_else(|| default_version.to_string()),
        on: review.date,
    })
}

/// The reading status of `policy` for `org` on `today`.
pub fn reading(org: &OrgFacts, policy: &str, default_version: &str, today: NaiveDate) -> Reading {
    let record = org.policies.get(policy);
    let approved = approved(record, default_version);
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
    Reading { approved, readers }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::check::staff::Acknowledgement;

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

    #[test]
    fn only_the_approved_version_counts_and_leavers_drop_out() {
        let facts = org(vec![
            review("2025-03-14", "1", true),
            review("2026-03-14", "2", true),
        ]);
        let before_leaving = reading(&facts, "p", "9", d("2026-06-30"));
        assert_eq!(before_leaving.summary(), "read by 2 of 3");
        let r = reading(&facts, "p", "9", d("2026-11-23"));
        assert_eq!(
            r.approved,
            Some(Approved {
                version: "2".into(),
                on: d("2026-03-14")
            })
        );
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
        let r = reading(&facts, "p", "9", d("2026-11-23"));
        assert_eq!(r.summary(), "read by 0 of 2");
    }

    #[test]
    fn an_unapproved_review_leaves_the_last_approved_version_in_force() {
        let facts = org(vec![
            review("2025-03-14", "1", true),
            review("2026-03-14", "2", true),
            review("2026-10-01", "3", false),
        ]);
        assert_eq!(
            reading(&facts, "p", "9", d("2026-11-23")).summary(),
            "read by 1 of 2"
        );
        let draft = org(vec![review("2026-10-01", "1", false)]);
        let r = reading(&draft, "p", "9", d("2026-11-23"));
        assert_eq!(r.approved, None);
        assert_eq!(r.summary(), "not yet approved");
        assert_eq!(r.outstanding().count(), 2);
    }

    #[test]
    fn a_review_without_a_version_reads_as_the_sources() {
        let mut unversioned = review("2026-03-14", "x", true);
        unversioned.version = None;
        let facts = org(vec![unversioned]);
        let r = reading(&facts, "p", "2", d("2026-11-23"));
        assert_eq!(r.approved.map(|a| a.version).as_deref(), Some("2"));
    }
}
