//! Cross-file validation of the loaded project: organisations against their
//! jurisdiction (service, registration number), review cycles and review
//! histories, and jurisdictions against themselves. Produces the checked,
//! typed facts later stages rely on, and a finding for every problem.

pub mod colour;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use regex_lite::Regex;

use crate::diagnostic::{self, Diagnostic};
use crate::load::project::{FileId, Project};
use crate::load::source::SourceFile;
use crate::model::jurisdiction::SERVICES;
use crate::model::organisation::Organisation;
use crate::review::{self, Cycle};

/// One recorded review, checked.
#[derive(Debug, Clone)]
pub struct Review {
    pub date: NaiveDate,
    pub by: Option<String>,
    pub approved_by: Option<String>,
    /// When it was approved: `approved_on`, else the review's own date.
    pub approved_on: NaiveDate,
    pub version: Option<String>,
    pub note: Option<String>,
}

/// What an organisation records about one policy, checked.
#[derive(Debug, Clone, Default)]
pub struct PolicyFacts {
    pub cycle: Option<Cycle>,
    pub reviews: Vec<Review>,
    pub exclude: bool,
}

impl PolicyFacts {
    pub fn last_review(&self) -> Option<NaiveDate> {
        self.reviews.iter().map(|r| r.date).max()
    }
}

/// An organisation whose profile passed validation well enough to build.
#[derive(Debug, Clone)]
pub struct OrgFacts {
    pub slug: String,
    pub file: FileId,
    pub jurisdiction: String,
    pub service: String,
    pub cycle: Option<Cycle>,
    pub policies: BTreeMap<String, PolicyFacts>,
    /// `#rrggbb` brand colour, when set.
    pub brand_colour: Option<String>,
}

/// The result of validation.
#[derive(Debug, Default)]
pub struct Validated {
    /// Organisations with no errors, by slug.
    pub organisations: BTreeMap<String, OrgFacts>,
    /// Each jurisdiction's registration-number pattern, compiled.
    pub patterns: BTreeMap<String, Regex>,
}

/// Validates jurisdictions and organisations.
pub fn validate(project: &Project, today: NaiveDate) -> (Validated, Vec<Diagnostic>) {
    let mut validated = Validated::default();
    let mut findings = Vec::new();

    for (id, loaded) in &project.jurisdictions {
        let file = project.file(loaded.file);
        if !is_slug(id) {
            findings.push(
                Diagnostic::error(format!("jurisdiction file name `{id}` is not a valid id"))
                    .in_file(&file.path)
                    .with_hint("rename the file using lowercase letters, digits and hyphens, e.g. `cqc.yaml`; profiles name it by that id"),
            );
        }
        let j = &loaded.value;
        let pattern = &j.registration.pattern;
        match Regex::new(&format!("^(?:{})$", pattern.value)) {
            Ok(regex) => {
                if !regex.is_match(&j.registration.example) {
                    findings.push(
                        file.error(
                            format!(
                                "registration example `{}` does not match the pattern",
                                j.registration.example
                            ),
                            file.find_key("example"),
                        )
                        .with_hint("make `registration.example` a valid registration number"),
                    );
                }
                validated.patterns.insert(id.clone(), regex);
            }
            Err(e) => findings.push(
                file.error(
                    format!("registration pattern is not a valid regular expression: {e}"),
                    file.location_of_span(pattern, pattern.value.chars().count()),
                )
                .with_hint(
                    "write the pattern as a regular expression, e.g. `SIN-[0-9]{8}-[A-Z]{4}`",
                ),
            ),
        }
        for service in j.services.keys() {
            if !SERVICES.contains(&service.as_str()) {
                findings.push(
                    file.error(
                        format!("unknown service `{service}`"),
                        file.find_key(service),
                    )
                    .with_hint_opt(diagnostic::did_you_mean(service, SERVICES.iter().copied()))
                    .with_hint(format!("services are: {}", SERVICES.join(", "))),
                );
            }
        }
        if j.languages.is_empty() {
            findings.push(
                file.error("`languages` is empty", file.find_key("languages"))
                    .with_hint("list at least one language, e.g. `languages: [en]`"),
            );
        }
    }

    for (slug, loaded) in &project.organisations {
        let file = project.file(loaded.file);
        let before = findings.len();
        let facts = check_organisation(
            project,
            &validated,
            slug,
            loaded.file,
            &loaded.value,
            today,
            &mut findings,
        );
        let has_error = findings[before..].iter().any(Diagnostic::is_error);
        if let (Some(facts), false) = (facts, has_error) {
            validated.organisations.insert(slug.clone(), facts);
        }
        let _ = file;
    }
    (validated, findings)
}

fn check_organisation(
    project: &Project,
    validated: &Validated,
    slug: &str,
    file_id: FileId,
    org: &Organisation,
    today: NaiveDate,
    findings: &mut Vec<Diagnostic>,
) -> Option<OrgFacts> {
    let file = project.file(file_id);
    if !is_slug(slug) {
        findings.push(
            Diagnostic::error(format!("organisation file name `{slug}` is not a valid slug"))
                .in_file(&file.path)
                .with_hint("rename the file using lowercase letters, digits and hyphens, e.g. `bryn-haven.yaml`"),
        );
    }
    let name_length = org.name.value.trim().chars().count();
    if name_length > MAX_NAME_CHARS {
        findings.push(
            file.error(
                format!("`name` is {name_length} characters long; the limit is {MAX_NAME_CHARS}"),
                file.location_of_span(&org.name, 1),
            )
            .with_hint("give the organisation's name as registered; longer text belongs in `address:` or under `fields:`"),
        );
    }
    if org.name.value.trim().is_empty() {
        findings.push(
            file.error("`name` is empty", file.location_of_span(&org.name, 1))
                .with_hint("give the organisation's name as registered"),
        );
    }

    let jurisdiction_id = org.jurisdiction.value.as_str();
    let jurisdiction = project.jurisdictions.get(jurisdiction_id);
    // A jurisdiction whose own file has errors is reported there; this
    // organisation waits for it to be fixed.
    let blocked = jurisdiction.is_none() && project.has_file("jurisdictions", jurisdiction_id);
    if jurisdiction.is_none() && !blocked {
        let known: Vec<&str> = project.jurisdictions.keys().map(String::as_str).collect();
        findings.push(
            file.error(
                format!("unknown jurisdiction `{jurisdiction_id}`"),
                file.location_of_span(&org.jurisdiction, jurisdiction_id.chars().count()),
            )
            .with_hint(
                diagnostic::did_you_mean(jurisdiction_id, known.iter().copied()).unwrap_or_else(
                    || format!("jurisdictions in this library: {}", known.join(", ")),
                ),
            ),
        );
    }

    let service = org.service.value.as_str();
    if !SERVICES.contains(&service) {
        findings.push(
            file.error(
                format!("unknown service `{service}`"),
                file.location_of_span(&org.service, service.chars().count()),
            )
            .with_hint(
                diagnostic::did_you_mean(service, SERVICES.iter().copied())
                    .unwrap_or_else(|| format!("services are: {}", SERVICES.join(", "))),
            ),
        );
    } else if let Some(j) = jurisdiction
        && !j.value.services.contains_key(service)
    {
        let regulated: Vec<&str> = j.value.services.keys().map(String::as_str).collect();
        findings.push(
            file.error(
                format!(
                    "{} does not regulate `{service}` services",
                    j.value.regulator.short
                ),
                file.location_of_span(&org.service, service.chars().count()),
            )
            .with_hint(format!(
                "`{jurisdiction_id}` services are: {}",
                regulated.join(", ")
            )),
        );
    }

    if let (Some(j), Some(regex)) = (jurisdiction, validated.patterns.get(jurisdiction_id)) {
        let number = org.registration_no.value.0.trim();
        if !regex.is_match(number) {
            let registration = &j.value.registration;
            findings.push(
                file.error(
                    if number.is_empty() {
                        format!(
                            "`registration_no` is empty: give the {}",
                            registration.label
                        )
                    } else {
                        format!(
                            "registration number `{number}` is not a valid {}",
                            registration.label
                        )
                    },
                    file.location_of_span(&org.registration_no, number.chars().count().max(1)),
                )
                .with_hint(format!(
                    "{} numbers look like `{}`",
                    registration.label, registration.example
                )),
            );
        }
    }

    let cycle = org
        .review_cycle
        .as_ref()
        .and_then(|c| parse_cycle(file, c, findings));

    if let Some(colour) = org.brand.as_ref().and_then(|b| b.colour.as_ref())
        && parse_hex_colour(&colour.value).is_none()
    {
        findings.push(
            file.error(
                format!("brand colour `{}` is not a hex colour", colour.value),
                file.location_of_span(colour, colour.value.chars().count()),
            )
            .with_hint("write it as `#rrggbb`, e.g. `#1f5f8b`"),
        );
    }
    if let Some(colour) = org.brand.as_ref().and_then(|b| b.colour.as_ref()) {
        findings.extend(crate::check::colour::brand_warning(file, colour));
    }

    let mut policies = BTreeMap::new();
    for (policy_id, record) in &org.policies {
        if !project.policies.contains_key(policy_id) {
            findings.push(
                file.error(
                    format!("unknown policy `{policy_id}`"),
                    file.find_key(policy_id),
                )
                .with_hint(project.unknown_policy_hint(policy_id)),
            );
        }
        let cycle = record
            .review_cycle
            .as_ref()
            .and_then(|c| parse_cycle(file, c, findings));
        let mut reviews: Vec<Review> = Vec::new();
        for entry in &record.reviews {
            let text = entry.date.value.0.trim();
            let location = file.location_of_span(&entry.date, text.chars().count().max(1));
            let Some(date) = review::parse_date(text) else {
                findings.push(
                    file.error(format!("review date `{text}` is not a real date"), location)
                        .with_hint("write dates as YYYY-MM-DD, e.g. `2026-03-14`, and check the day exists in that month"),
                );
                continue;
            };
            if let Some(previous) = reviews.last()
                && date < previous.date
            {
                findings.push(
                    file.error(
                        format!(
                            "review on {date} is listed after a later review ({})",
                            previous.date
                        ),
                        location.clone(),
                    )
                    .with_hint("list reviews oldest first; the newest review dates the document"),
                );
            }
            if date > today {
                findings.push(
                    Diagnostic::warning(format!(
                        "review date {date} is after the build date {today}"
                    ))
                    .in_file(&file.path)
                    .at(location)
                    .with_hint("record a review once it has happened, or pass the right --today"),
                );
            }
            let text = |t: &Option<crate::load::source::Text>| {
                t.as_ref()
                    .map(|t| t.0.trim().to_string())
                    .filter(|t| !t.is_empty())
            };
            let approved_by = text(&entry.approved_by);
            let approved_on =
                approved_on(file, entry, date, approved_by.is_some(), today, findings);
            reviews.push(Review {
                date,
                by: text(&entry.by),
                approved_by,
                approved_on,
                version: text(&entry.version),
                note: text(&entry.note),
            });
        }
        policies.insert(
            policy_id.clone(),
            PolicyFacts {
                cycle,
                reviews,
                exclude: record.exclude,
            },
        );
    }

    if blocked {
        return None;
    }
    Some(OrgFacts {
        slug: slug.to_string(),
        file: file_id,
        jurisdiction: jurisdiction_id.to_string(),
        service: service.to_string(),
        cycle,
        policies,
        brand_colour: org
            .brand
            .as_ref()
            .and_then(|b| b.colour.as_ref())
            .map(|c| c.value.trim().to_ascii_lowercase()),
    })
}

/// The checked `approved_on` of a review dated `date`: not before the
/// review, not without an approver; a date after the build date is a
/// warning, as for the review itself. Defaults to the review's date.
fn approved_on(
    file: &SourceFile,
    entry: &crate::model::organisation::ReviewEntry,
    date: NaiveDate,
    approved: bool,
    today: NaiveDate,
    findings: &mut Vec<Diagnostic>,
) -> NaiveDate {
    let Some(spanned) = &entry.approved_on else {
        return date;
    };
    let text = spanned.value.0.trim();
    let location = file.location_of_span(spanned, text.chars().count().max(1));
    let Some(on) = review::parse_date(text) else {
        findings.push(
            file.error(format!("approval date `{text}` is not a real date"), location)
                .with_hint("write dates as YYYY-MM-DD, e.g. `2026-03-14`, and check the day exists in that month"),
        );
        return date;
    };
    if !approved {
        findings.push(
            file.error("`approved_on` is given but `approved_by` is not", location)
                .with_hint("name who approved the review with `approved_by: …`, or record the approval with `policygen approve`"),
        );
    } else if on < date {
        findings.push(
            file.error(
                format!("the approval on {on} is before the review it approves ({date})"),
                location,
            )
            .with_hint("a review is approved on or after the day it took place"),
        );
    } else if on > today {
        findings.push(
            Diagnostic::warning(format!(
                "approval date {on} is after the build date {today}"
            ))
            .in_file(&file.path)
            .at(location)
            .with_hint("record an approval once it has happened, or pass the right --today"),
        );
    }
    on
}

/// The longest organisation name accepted: registered names are at most 160
/// characters, and the name heads every page of every document (a name of
/// thousands of characters made PDF layout take seconds; found by fuzzing).
pub const MAX_NAME_CHARS: usize = 200;

/// Parses a cycle, recording a finding when it is malformed.
pub fn parse_cycle(
    file: &SourceFile,
    text: &serde_saphyr::Spanned<String>,
    findings: &mut Vec<Diagnostic>,
) -> Option<Cycle> {
    match text.value.parse::<Cycle>() {
        Ok(cycle) => Some(cycle),
        Err(e) => {
            findings.push(
                file.error(
                    e.to_string(),
                    file.location_of_span(text, text.value.chars().count()),
                )
                .with_hint(e.hint()),
            );
            None
        }
    }
}

/// Lowercase letters, digits and single hyphens: `bryn-haven`.
pub fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !text.starts_with('-')
        && !text.ends_with('-')
        && !text.contains("--")
}

/// `#rgb` or `#rrggbb` as red, green, blue.
pub fn parse_hex_colour(text: &str) -> Option<(u8, u8, u8)> {
    let hex = text.trim().strip_prefix('#')?;
    let digit = |i: usize, len: usize| u8::from_str_radix(hex.get(i..i + len)?, 16).ok();
    match hex.len() {
        6 => Some((digit(0, 2)?, digit(2, 2)?, digit(4, 2)?)),
        3 => Some((digit(0, 1)? * 17, digit(1, 1)? * 17, digit(2, 1)? * 17)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(is_slug("bryn-haven"));
        assert!(is_slug("home-2"));
        for bad in ["Bryn", "a_b", "-a", "a-", "a--b", ""] {
            assert!(!is_slug(bad), "{bad}");
        }
    }

    #[test]
    fn colours() {
        assert_eq!(parse_hex_colour("#1f5f8b"), Some((0x1f, 0x5f, 0x8b)));
        assert_eq!(parse_hex_colour("#fff"), Some((255, 255, 255)));
        assert_eq!(parse_hex_colour("blue"), None);
        assert_eq!(parse_hex_colour("#12345"), None);
    }
}
