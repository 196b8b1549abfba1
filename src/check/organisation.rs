//! Checks of each organisation profile against its jurisdiction and the
//! library: name, jurisdiction, service, registration number, brand colour,
//! review cycles, the staff roster, and the recorded reviews and
//! acknowledgements of each policy. A profile that passes becomes the typed
//! facts later stages rely on.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::check::{
    MAX_NAME_CHARS, OrgFacts, PolicyFacts, Review, Validated, colour, is_slug, parse_cycle, staff,
};
use crate::diagnostic::{self, Diagnostic};
use crate::load::project::{FileId, Loaded, Project};
use crate::load::source::{SourceFile, Text};
use crate::model::jurisdiction::{Jurisdiction, SERVICES};
use crate::model::organisation::{Organisation, PolicyRecord};

/// Checks one profile, in the order its findings are listed; the facts are
/// `None` while the organisation's jurisdiction has errors of its own.
/// Errors in values documents merely quote (an empty `name` or registration
/// number) go to `quoted`: `check` still assembles the organisation's
/// documents with them, so a fresh scaffold shows what its policies need
/// in the same round.
#[allow(clippy::too_many_arguments)]
pub(super) fn check_organisation(
    project: &Project,
    validated: &Validated,
    slug: &str,
    file_id: FileId,
    org: &Organisation,
    today: NaiveDate,
    findings: &mut Vec<Diagnostic>,
    quoted: &mut Vec<Diagnostic>,
) -> Option<OrgFacts> {
    let file = project.file(file_id);
    check_name(file, slug, org, findings, quoted);
    let jurisdiction_id = org.jurisdiction.value.as_str();
    let (jurisdiction, blocked) = jurisdiction_of(project, file, org, findings);
    let service = org.service.value.as_str();
    check_service(file, org, jurisdiction, findings);
    check_registration(file, org, jurisdiction, validated, quoted);

    let cycle = org
        .review_cycle
        .as_ref()
        .and_then(|c| parse_cycle(file, c, findings));
    check_brand(file, org, findings);
    let roster = staff::roster(file, &org.staff, findings);
    let policies = policy_facts(project, file, org, &roster, today, findings);

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
        staff: roster,
        brand_colour: org
            .brand
            .as_ref()
            .and_then(|b| b.colour.as_ref())
            .map(|c| c.value.trim().to_ascii_lowercase()),
    })
}

/// The file name is a slug; the name is not too long, and given (`quoted`:
/// an empty name does not stop `check` assembling the documents).
fn check_name(
    file: &SourceFile,
    slug: &str,
    org: &Organisation,
    findings: &mut Vec<Diagnostic>,
    quoted: &mut Vec<Diagnostic>,
) {
    if !is_slug(slug) {
        findings.push(
            Diagnostic::error(format!("organisation file name `{slug}` is not a valid slug"))
                .in_source(file)
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
        quoted.push(
            file.error("`name` is empty", file.location_of_span(&org.name, 1))
                .with_hint("give the organisation's name as registered"),
        );
    }
}

/// The profile's jurisdiction, and whether it is known but blocked by errors
/// in its own file.
fn jurisdiction_of<'p>(
    project: &'p Project,
    file: &SourceFile,
    org: &Organisation,
    findings: &mut Vec<Diagnostic>,
) -> (Option<&'p Loaded<Jurisdiction>>, bool) {
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
    (jurisdiction, blocked)
}

/// The service is one the library knows and the jurisdiction regulates.
fn check_service(
    file: &SourceFile,
    org: &Organisation,
    jurisdiction: Option<&Loaded<Jurisdiction>>,
    findings: &mut Vec<Diagnostic>,
) {
    let jurisdiction_id = org.jurisdiction.value.as_str();
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
}

/// The registration number matches the jurisdiction's pattern.
fn check_registration(
    file: &SourceFile,
    org: &Organisation,
    jurisdiction: Option<&Loaded<Jurisdiction>>,
    validated: &Validated,
    findings: &mut Vec<Diagnostic>,
) {
    let jurisdiction_id = org.jurisdiction.value.as_str();
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
}

/// The brand colour is a hex colour, readable on the page.
fn check_brand(file: &SourceFile, org: &Organisation, findings: &mut Vec<Diagnostic>) {
    if let Some(colour) = org.brand.as_ref().and_then(|b| b.colour.as_ref())
        && colour::parse_hex_colour(&colour.value).is_none()
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
        findings.extend(colour::brand_warning(file, colour));
    }
}

/// What the profile records about each policy: the policy exists, its cycle
/// parses, its reviews are real dates, oldest first, none in the future.
fn policy_facts(
    project: &Project,
    file: &SourceFile,
    org: &Organisation,
    roster: &[staff::Staff],
    today: NaiveDate,
    findings: &mut Vec<Diagnostic>,
) -> BTreeMap<String, PolicyFacts> {
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
        let reviews = reviews(file, record, today, findings);
        let acknowledgements = staff::acknowledgements(
            file,
            &record.acknowledgements,
            roster,
            &reviews,
            today,
            findings,
        );
        policies.insert(
            policy_id.clone(),
            PolicyFacts {
                cycle,
                reviews,
                exclude: record.exclude,
                acknowledgements,
            },
        );
    }
    policies
}

/// The recorded reviews of one policy that are real dates.
fn reviews(
    file: &SourceFile,
    record: &PolicyRecord,
    today: NaiveDate,
    findings: &mut Vec<Diagnostic>,
) -> Vec<Review> {
    let mut reviews: Vec<Review> = Vec::new();
    for entry in &record.reviews {
        let text = entry.date.value.0.trim();
        let location = file.location_of_span(&entry.date, text.chars().count().max(1));
        let Some(date) = crate::review::parse_date(text) else {
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
            // SPEC §5: a review is recorded once it has happened.
            findings.push(
                Diagnostic::error(format!(
                    "review date {date} is after the build date {today}"
                ))
                .in_source(file)
                .at(location)
                .with_hint("record a review once it has happened, or pass the right --today"),
            );
        }
        let text = |t: &Option<Text>| {
            t.as_ref()
                .map(|t| t.0.trim().to_string())
                .filter(|t| !t.is_empty())
        };
        let version = entry.version.as_ref().map(|v| v.value.0.trim().to_string());
        if let (Some(version), Some(spanned)) = (&version, &entry.version)
            && !version.is_empty()
            && crate::control::archive::leads_elsewhere(version)
        {
            findings.push(
                file.error(
                    format!("version `{version}` would lead out of the folder of approved texts"),
                    file.location_of_span(spanned, version.chars().count()),
                )
                .with_hint(
                    "write the version without `/`, `\\` or a leading `.`, e.g. `3` or `2.1`",
                ),
            );
        }
        let approved_by = text(&entry.approved_by);
        let approved_on = approved_on(file, entry, date, approved_by.is_some(), today, findings);
        reviews.push(Review {
            date,
            by: text(&entry.by),
            approved_by,
            approved_on,
            version: version.filter(|v| !v.is_empty()),
            note: text(&entry.note),
        });
    }
    reviews
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
    let Some(on) = crate::review::parse_date(text) else {
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
