//! The staff roster and the acknowledgements recorded against it (SPEC §9):
//! every name present and said once, roles given, dates real; every
//! acknowledgement naming someone on the roster and a version. Produces the
//! checked roster and acknowledgements the reading status is computed from.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::check::Review;
use crate::diagnostic::{self, Diagnostic, Location};
use crate::load::source::{SourceFile, Text};
use crate::model::organisation::{AckEntry, StaffMember};
use crate::review;
use serde_saphyr::Spanned;

/// One member of staff, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staff {
    pub name: String,
    pub role: String,
    /// The last day they worked here: after it they no longer count.
    pub left: Option<NaiveDate>,
}

impl Staff {
    /// Whether the person is on the staff on `day`.
    pub fn counts_on(&self, day: NaiveDate) -> bool {
        self.left.is_none_or(|left| day <= left)
    }
}

/// One acknowledgement, checked: `name` is the roster's spelling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acknowledgement {
    pub name: String,
    pub date: NaiveDate,
    pub version: String,
}

/// How names are compared: case, and spaces between words, do not matter
/// (`carys  jones` is `Carys Jones`).
pub fn name_key(name: &str) -> String {
    name.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The roster entry a typed name means, if any.
pub fn find<'a>(roster: &'a [Staff], name: &str) -> Option<&'a Staff> {
    let key = name_key(name);
    roster.iter().find(|s| name_key(&s.name) == key)
}

/// "did you mean `Carys Jones`?" for a name not on the roster: a close
/// spelling, or a roster name with the typed text as one of its words (a
/// first name alone).
pub fn did_you_mean(name: &str, roster: &[Staff]) -> Option<String> {
    let key = name_key(name);
    let keys: Vec<String> = roster.iter().map(|s| name_key(&s.name)).collect();
    let close = diagnostic::suggest(&key, keys.iter().map(String::as_str));
    let mut matches: Vec<&str> = match close {
        Some(best) => roster
            .iter()
            .zip(&keys)
            .filter(|(_, k)| k.as_str() == best)
            .map(|(s, _)| s.name.as_str())
            .collect(),
        None => roster
            .iter()
            .zip(&keys)
            .filter(|(_, k)| !key.is_empty() && k.split(' ').any(|word| word == key))
            .map(|(s, _)| s.name.as_str())
            .collect(),
    };
    matches.sort_unstable();
    matches.dedup();
    let names: Vec<String> = matches.iter().map(|n| format!("`{n}`")).collect();
    match names.split_last() {
        None => None,
        Some((last, [])) => Some(format!("did you mean {last}?")),
        Some((last, rest)) => Some(format!("did you mean {} or {last}?", rest.join(", "))),
    }
}

/// Checks `staff:`; returns the roster, in the profile's order.
pub fn roster(
    file: &SourceFile,
    staff: &[StaffMember],
    findings: &mut Vec<Diagnostic>,
) -> Vec<Staff> {
    let mut roster: Vec<Staff> = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for member in staff {
        let name = member.name.value.0.trim();
        let location = at(file, &member.name);
        if name.is_empty() {
            findings.push(
                file.error("a member of staff has an empty `name`", location)
                    .with_hint("give the person's name as they sign it, e.g. `name: Carys Jones`"),
            );
            continue;
        }
        if let Some(line) = seen.get(&name_key(name)) {
            findings.push(
                file.error(format!("`{name}` is on the staff list twice"), location)
                    .with_hint(format!(
                        "each person is listed once (first on line {line}); two people with the same name need telling apart, e.g. `Carys Jones (nights)`"
                    )),
            );
            continue;
        }
        if let Some(location) = &location {
            seen.insert(name_key(name), location.line);
        }
        let role = member.role.value.0.trim();
        if role.is_empty() {
            findings.push(
                file.error(
                    format!("`{name}` has an empty `role`"),
                    at(file, &member.role),
                )
                .with_hint("give the job title, e.g. `role: Senior Care Worker`"),
            );
        }
        let left = member.left.as_ref().and_then(|left| {
            date(
                file,
                left,
                findings,
                "the day the person left, e.g. `left: 2026-06-30`",
            )
        });
        roster.push(Staff {
            name: name.to_string(),
            role: role.to_string(),
            left,
        });
    }
    roster
}

/// Checks one policy's `acknowledgements:` against the roster and against
/// its `reviews` (an acknowledgement cannot predate the approval of the
/// version it names, when a review records that approval).
pub fn acknowledgements(
    file: &SourceFile,
    entries: &[AckEntry],
    roster: &[Staff],
    reviews: &[Review],
    today: NaiveDate,
    findings: &mut Vec<Diagnostic>,
) -> Vec<Acknowledgement> {
    let mut checked: Vec<Acknowledgement> = Vec::new();
    for entry in entries {
        let typed = entry.name.value.0.trim();
        let Some(person) = find(roster, typed) else {
            let hint = did_you_mean(typed, roster).unwrap_or_else(|| {
                "everyone who acknowledges a policy is on the profile's `staff:` list; keep people who have left there with `left: DATE`, so what they read stays on record".to_string()
            });
            let message = if typed.is_empty() {
                "an acknowledgement has an empty `name`".to_string()
            } else {
                format!("`{typed}` acknowledged a policy but is not on the staff list")
            };
            findings.push(file.error(message, at(file, &entry.name)).with_hint(hint));
            continue;
        };
        let version = entry.version.value.0.trim();
        if version.is_empty() {
            findings.push(
                file.error(
                    format!("{}'s acknowledgement has an empty `version`", person.name),
                    at(file, &entry.version),
                )
                .with_hint("name the version that was read, e.g. `version: \"3\"`"),
            );
            continue;
        }
        let Some(day) = date(
            file,
            &entry.date,
            findings,
            "the day it was read, e.g. `date: 2026-03-14`",
        ) else {
            continue;
        };
        if day > today {
            // As for a review (SPEC §5): a typo such as 2036 must not pass.
            findings.push(
                file.error(
                    format!("acknowledgement date {day} is after the build date {today}"),
                    at(file, &entry.date),
                )
                .with_hint("record an acknowledgement once the person has read the policy, or pass the right --today"),
            );
        }
        let approved_on = reviews
            .iter()
            .filter(|r| r.approved_by.is_some() && r.version.as_deref() == Some(version))
            .map(|r| r.approved_on)
            .min();
        if let Some(approved_on) = approved_on
            && day < approved_on
        {
            findings.push(
                file.error(
                    format!(
                        "{} acknowledged version {version} on {day}, before it was approved on {approved_on}",
                        person.name
                    ),
                    at(file, &entry.date),
                )
                .with_hint("staff read an approved version: check the date, and the version they read"),
            );
        }
        if checked
            .iter()
            .any(|a| a.name == person.name && a.version == version)
        {
            findings.push(
                Diagnostic::warning(format!(
                    "{} acknowledged version {version} more than once",
                    person.name
                ))
                .in_source(file)
                .at(at(file, &entry.name))
                .with_hint("the first acknowledgement is the one shown; delete the repeat"),
            );
            continue;
        }
        checked.push(Acknowledgement {
            name: person.name.clone(),
            date: day,
            version: version.to_string(),
        });
    }
    checked
}

fn at(file: &SourceFile, value: &Spanned<Text>) -> Option<Location> {
    file.location_of_span(value, value.value.0.chars().count().max(1))
}

fn date(
    file: &SourceFile,
    value: &Spanned<Text>,
    findings: &mut Vec<Diagnostic>,
    example: &str,
) -> Option<NaiveDate> {
    let text = value.value.0.trim();
    let parsed = review::parse_date(text);
    if parsed.is_none() {
        findings.push(
            file.error(format!("`{text}` is not a real date"), at(file, value))
                .with_hint(format!(
                    "write {example} (YYYY-MM-DD), and check the day exists in that month"
                )),
        );
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staff(name: &str) -> Staff {
        Staff {
            name: name.into(),
            role: "Care Worker".into(),
            left: None,
        }
    }

    #[test]
    fn names_match_whatever_the_case_and_spacing() {
        let roster = [staff("Carys Jones"), staff("Dafydd ap Siôn")];
        assert_eq!(
            find(&roster, " carys   JONES ").map(|s| s.name.as_str()),
            Some("Carys Jones")
        );
        assert_eq!(find(&roster, "Carys"), None);
    }

    #[test]
    fn suggestions_for_typos_and_first_names() {
        let roster = [
            staff("Carys Jones"),
            staff("Carys Evans"),
            staff("Tomos Rees"),
        ];
        assert_eq!(
            did_you_mean("Carys Jnoes", &roster).as_deref(),
            Some("did you mean `Carys Jones`?")
        );
        assert_eq!(
            did_you_mean("carys", &roster).as_deref(),
            Some("did you mean `Carys Evans` or `Carys Jones`?")
        );
        assert_eq!(
            did_you_mean("Rees", &roster).as_deref(),
            Some("did you mean `Tomos Rees`?")
        );
        assert_eq!(did_you_mean("Zed Zebedee", &roster), None);
    }

    #[test]
    fn people_count_until_the_day_they_leave() {
        let mut s = staff("A");
        s.left = NaiveDate::from_ymd_opt(2026, 6, 30);
        assert!(s.counts_on(NaiveDate::from_ymd_opt(2026, 6, 30).unwrap()));
        assert!(!s.counts_on(NaiveDate::from_ymd_opt(2026, 7, 1).unwrap()));
        assert!(staff("B").counts_on(NaiveDate::MAX));
    }
}
