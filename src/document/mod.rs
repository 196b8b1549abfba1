//! Builds one document — the view model every renderer consumes — from a
//! resolved variant, an organisation and the build date: placeholders filled,
//! sections numbered, review dates computed, closing block assembled.
//! Pure: values in, a `Document` or findings out.

pub mod escape;
pub mod placeholder;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::check::{OrgFacts, Validated};
use crate::diagnostic::Diagnostic;
use crate::document::placeholder::{Placeholder, Problem, Values};
use crate::load::project::{Logo, Project};
use crate::model::jurisdiction::Jurisdiction;
use crate::model::organisation::Organisation;
use crate::resolve::{Assignment, Located, Resolved, Section, Variant};
use crate::review::{self, Schedule, Status};

/// Link target standing for the organisation's logo; each renderer maps it.
pub const LOGO_URL: &str = "policygen:logo";
/// Link target prefix standing for another policy of the same organisation.
pub const POLICY_URL_PREFIX: &str = "policygen:policy/";

/// Options that shape documents but are not part of the library.
#[derive(Debug, Clone, Copy)]
pub struct BuildContext {
    pub today: NaiveDate,
    /// Days ahead within which a review counts as due.
    pub due_within: u32,
}

/// Everything a renderer needs for one (organisation × policy).
#[derive(Debug, Clone, Serialize)]
pub struct Document<'p> {
    pub org_slug: String,
    pub policy_id: String,
    pub variant_id: String,
    /// BCP 47 language tag of the document: `en-GB`.
    pub lang: String,
    pub org: OrgView,
    pub policy: PolicyView,
    pub regulator: RegulatorView,
    /// Sections in reading order, flattened with their level.
    pub sections: Vec<SectionView>,
    pub related: Vec<RelatedView>,
    /// True when the variant has its own related-policies section (id
    /// `related-policies`, or a section using `<<related_policies>>`), so
    /// templates do not add the list again.
    pub related_in_body: bool,
    pub reviews: Vec<ReviewView>,
    pub dates: DatesView,
    pub closing: ClosingView,
    #[serde(skip)]
    pub logo: Option<&'p Logo>,
    #[serde(skip)]
    pub schedule: Schedule,
    #[serde(skip)]
    pub status: Status,
}

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

/// Builds the document of one assignment, or the findings that prevent it.
pub fn build<'p>(
    project: &'p Project,
    validated: &Validated,
    resolved: &Resolved,
    assignment: &Assignment,
    context: &BuildContext,
) -> Result<Document<'p>, Vec<Diagnostic>> {
    let (Some(loaded), Some(facts), Some(variant)) = (
        project.organisations.get(&assignment.org),
        validated.organisations.get(&assignment.org),
        resolved.variant(&assignment.policy, &assignment.variant),
    ) else {
        return Err(vec![Diagnostic::error(format!(
            "internal: {}/{} was assigned but not loaded",
            assignment.org, assignment.policy
        ))]);
    };
    let org = &loaded.value;
    let Some(jurisdiction) = project
        .jurisdictions
        .get(&facts.jurisdiction)
        .map(|j| &j.value)
    else {
        return Err(vec![Diagnostic::error(format!(
            "internal: jurisdiction {} missing",
            facts.jurisdiction
        ))]);
    };
    let language = jurisdiction
        .languages
        .first()
        .map_or("en", String::as_str)
        .to_string();
    let date_format = jurisdiction
        .date_format
        .as_deref()
        .unwrap_or(review::DEFAULT_DATE_FORMAT);
    let date = |d: NaiveDate| review::format_date(d, date_format, &language);

    let record = facts
        .policies
        .get(&assignment.policy)
        .cloned()
        .unwrap_or_default();
    let cycle = review::effective_cycle(record.cycle, facts.cycle, variant.cycle);
    let schedule = Schedule::new(record.last_review(), cycle, context.today);
    let status = schedule.status(context.today, context.due_within);
    let newest = record.reviews.iter().max_by_key(|r| r.date);
    let version = newest
        .and_then(|r| r.version.clone())
        .unwrap_or_else(|| variant.version.clone());

    let terms = jurisdiction.services.get(&facts.service);
    let manager = org.registered_manager.as_ref().map(|p| p.full());
    let responsible = org.responsible_individual.as_ref().map(|p| p.full());
    let logo = project.logos.get(&assignment.org);

    let related = related_views(project, resolved, variant, assignment);
    let values = values(ValueInputs {
        org,
        facts,
        jurisdiction,
        variant,
        version: &version,
        schedule: &schedule,
        today: context.today,
        date: &date,
        logo,
        related: &related,
    });

    let mut findings = Vec::new();
    let mut values = values;
    let trigger_list = triggers(project, variant, &values, assignment, &mut findings);
    values.blocks.insert("review_triggers".into(), trigger_list);
    let mut sections = Vec::new();
    let mut related_in_body = false;
    let title = fill(
        project,
        &variant.title,
        &values,
        placeholder::verbatim,
        assignment,
        &mut findings,
    );
    number_sections(
        project,
        &variant.sections,
        "",
        1,
        (&facts.jurisdiction, &facts.service),
        &values,
        assignment,
        &mut sections,
        &mut related_in_body,
        &mut findings,
    );
    if !findings.is_empty() {
        return Err(findings);
    }

    let name = org.name.value.trim().to_string();
    let reviews = record
        .reviews
        .iter()
        .map(|r| ReviewView {
            date: date(r.date),
            date_iso: r.date.to_string(),
            by: r.by.clone().unwrap_or_default(),
            approved_by: r.approved_by.clone().unwrap_or_default(),
            version: r.version.clone().unwrap_or_default(),
            note: r.note.clone().unwrap_or_default(),
        })
        .collect();
    let manager_role = terms
        .map_or("Registered Manager", |t| t.manager.as_str())
        .to_string();
    let responsible_role = terms.map_or("Responsible Individual", |t| t.responsible.as_str());
    let approved_by = match newest.and_then(|r| r.approved_by.clone()) {
        Some(who) => who,
        None => match &responsible {
            Some(who) => format!("{who}, {responsible_role}"),
            None => String::new(),
        },
    };

    Ok(Document {
        org_slug: assignment.org.clone(),
        policy_id: assignment.policy.clone(),
        variant_id: assignment.variant.clone(),
        lang: if language == "cy" {
            "cy".into()
        } else {
            "en-GB".into()
        },
        org: OrgView {
            name: name.clone(),
            registration_no: org.registration_no.value.0.trim().to_string(),
            registration_label: jurisdiction.registration.label.clone(),
            address: org.address.as_ref().map(|t| t.0.clone()),
            phone: org.phone.as_ref().map(|t| t.0.clone()),
            email: org.email.as_ref().map(|t| t.0.clone()),
            website: org.website.as_ref().map(|t| t.0.clone()),
            brand_colour: facts.brand_colour.clone(),
            logo_file: logo.map(|l| l.file_name.to_string()),
            logo_alt: format!("{name} logo"),
        },
        policy: PolicyView {
            title,
            code: variant.code.clone(),
            version,
            review_cycle: cycle.to_string(),
        },
        regulator: RegulatorView {
            name: jurisdiction.regulator.name.clone(),
            short: jurisdiction.regulator.short.clone(),
        },
        sections,
        related,
        related_in_body,
        reviews,
        dates: DatesView {
            last_update: date(schedule.last_update),
            next_review: date(schedule.next_review),
            build: date(context.today),
            current_year: context.today.year().to_string(),
            status: status.as_str().to_string(),
            last_update_iso: schedule.last_update.to_string(),
            next_review_iso: schedule.next_review.to_string(),
        },
        closing: ClosingView {
            responsible_person: manager.unwrap_or_default(),
            responsible_role: manager_role,
            reviewed_on: date(schedule.last_update),
            next_review: date(schedule.next_review),
            approved_by,
            copyright: format!(
                "Copyright © {} – {name}. All rights reserved.",
                context.today.year()
            ),
        },
        logo,
        schedule,
        status,
    })
}

fn related_views(
    project: &Project,
    resolved: &Resolved,
    variant: &Variant,
    assignment: &Assignment,
) -> Vec<RelatedView> {
    variant
        .related
        .iter()
        .map(|r| {
            let built = resolved.assignment(&assignment.org, &r.id);
            let shipped = built.and_then(|a| resolved.variant(&a.policy, &a.variant));
            RelatedView {
                id: r.id.clone(),
                title: r
                    .title
                    .clone()
                    .or_else(|| shipped.map(|v| v.title.text.clone()))
                    .unwrap_or_else(|| r.id.clone()),
                code: r.code.clone().or_else(|| shipped.map(|v| v.code.clone())),
                built: built.is_some() && project.policies.contains_key(&r.id),
            }
        })
        .collect()
}

struct ValueInputs<'a> {
    org: &'a Organisation,
    facts: &'a OrgFacts,
    jurisdiction: &'a Jurisdiction,
    variant: &'a Variant,
    version: &'a str,
    schedule: &'a Schedule,
    today: NaiveDate,
    date: &'a dyn Fn(NaiveDate) -> String,
    logo: Option<&'a Logo>,
    related: &'a [RelatedView],
}

/// The placeholder table of one document (SPEC §4).
fn values(input: ValueInputs) -> Values {
    let ValueInputs {
        org,
        facts,
        jurisdiction,
        variant,
        version,
        schedule,
        today,
        date,
        logo,
        related,
    } = input;
    let mut v = Values::default();
    let mut text = |name: &str, value: Option<String>, missing: &str| match value {
        Some(value) => {
            v.text.insert(name.to_string(), value);
        }
        None => {
            v.missing.insert(name.to_string(), missing.to_string());
        }
    };
    let t = |x: &Option<crate::load::source::Text>| x.as_ref().map(|t| t.0.trim().to_string());
    text(
        "org_field_name",
        Some(org.name.value.trim().to_string()),
        "",
    );
    text(
        "org_field_registration_no",
        Some(org.registration_no.value.0.trim().to_string()),
        "",
    );
    text(
        "org_field_jurisdiction",
        Some(facts.jurisdiction.clone()),
        "",
    );
    text("org_field_service", Some(facts.service.clone()), "");
    text(
        "org_field_address",
        t(&org.address),
        "add `address: …` to the profile",
    );
    text(
        "org_field_phone",
        t(&org.phone),
        "add `phone: …` to the profile",
    );
    text(
        "org_field_email",
        t(&org.email),
        "add `email: …` to the profile",
    );
    text(
        "org_field_website",
        t(&org.website),
        "add `website: …` to the profile",
    );
    text(
        "org_field_brand_colour",
        facts.brand_colour.clone(),
        "add `brand: { colour: \"#1f5f8b\" }` to the profile",
    );
    text(
        "org_field_review_cycle",
        org.review_cycle.as_ref().map(|c| c.value.clone()),
        "add `review_cycle: 12 months` to the profile",
    );
    for (key, person) in [
        ("registered_manager", &org.registered_manager),
        ("responsible_individual", &org.responsible_individual),
    ] {
        let hint = format!("add `{key}: {{ first_name: …, last_name: … }}` to the profile");
        text(
            &format!("org_field_{key}_first_name"),
            person.as_ref().map(|p| p.first_name.0.trim().to_string()),
            &hint,
        );
        text(
            &format!("org_field_{key}_last_name"),
            person.as_ref().map(|p| p.last_name.0.trim().to_string()),
            &hint,
        );
        text(
            &format!("org_field_{key}_name"),
            person.as_ref().map(|p| p.full()),
            &hint,
        );
    }
    let mut fields = std::collections::BTreeMap::new();
    for (key, value) in &org.fields {
        value.flatten_into(&format!("org_field_{key}"), &mut fields);
    }
    for (name, value) in fields {
        v.text.entry(name).or_insert(value);
    }
    v.text
        .insert("last_update_date".into(), date(schedule.last_update));
    v.text
        .insert("next_review_date".into(), date(schedule.next_review));
    v.text
        .insert("current_year".into(), today.year().to_string());
    v.text
        .insert("review_cycle".into(), schedule.cycle.to_string());
    v.text.insert("policy_code".into(), variant.code.clone());
    v.text.insert("policy_version".into(), version.to_string());
    v.text
        .insert("policy_title".into(), variant.title.text.clone());
    v.text
        .insert("regulator_name".into(), jurisdiction.regulator.name.clone());
    v.text.insert(
        "regulator_short".into(),
        jurisdiction.regulator.short.clone(),
    );
    let law = &jurisdiction.legislation;
    v.text
        .insert("legislation_act".into(), law.act.title.clone());
    v.text.insert(
        "legislation_act_short".into(),
        law.act
            .short
            .clone()
            .unwrap_or_else(|| law.act.title.clone()),
    );
    v.text.insert(
        "legislation_regulations".into(),
        law.regulations.title.clone(),
    );
    v.text.insert(
        "legislation_regulations_short".into(),
        law.regulations
            .short
            .clone()
            .unwrap_or_else(|| law.regulations.title.clone()),
    );
    if let Some(terms) = jurisdiction.services.get(&facts.service) {
        v.text.insert("term_person".into(), terms.person.clone());
        v.text.insert("term_people".into(), terms.people.clone());
        v.text.insert("term_manager".into(), terms.manager.clone());
        v.text
            .insert("term_responsible".into(), terms.responsible.clone());
    }
    match logo {
        Some(_) => {
            let alt = escape::markdown(&format!("{} logo", org.name.value.trim()));
            v.blocks
                .insert("org_field_logo".into(), format!("![{alt}]({LOGO_URL})"));
        }
        None => {
            v.missing.insert(
                "org_field_logo".into(),
                "add `logo: logos/<file>.png` to the profile".into(),
            );
        }
    }
    v.blocks.insert(
        "related_policies".into(),
        related
            .iter()
            .map(|r| {
                let title = escape::markdown(&r.title);
                let code = r
                    .code
                    .as_ref()
                    .map(|c| format!(" ({})", escape::markdown(c)))
                    .unwrap_or_default();
                if r.built {
                    format!("- [{title}]({POLICY_URL_PREFIX}{}){code}", r.id)
                } else {
                    format!("- {title}{code}")
                }
            })
            .collect::<Vec<_>>()
            .join("\n"),
    );
    v
}

#[allow(clippy::too_many_arguments)]
fn number_sections(
    project: &Project,
    sections: &[Section],
    prefix: &str,
    level: usize,
    org: (&str, &str),
    values: &Values,
    assignment: &Assignment,
    out: &mut Vec<SectionView>,
    related_in_body: &mut bool,
    findings: &mut Vec<Diagnostic>,
) {
    let mut n = 0;
    for section in sections {
        if section
            .when
            .as_ref()
            .is_some_and(|w| !w.matches(org.0, org.1))
        {
            continue;
        }
        n += 1;
        if section.id == "related-policies" {
            *related_in_body = true;
        }
        let number = if prefix.is_empty() {
            n.to_string()
        } else {
            format!("{prefix}.{n}")
        };
        let title = fill(
            project,
            &section.title,
            values,
            placeholder::verbatim,
            assignment,
            findings,
        );
        let body = match &section.body {
            Some(body) => {
                if placeholder::scan(&body.text)
                    .iter()
                    .any(|p| p.name == "related_policies")
                {
                    *related_in_body = true;
                }
                fill(
                    project,
                    body,
                    values,
                    escape::markdown,
                    assignment,
                    findings,
                )
            }
            None => String::new(),
        };
        out.push(SectionView {
            anchor: format!("section-{}", number.replace('.', "-")),
            number: number.clone(),
            level,
            id: section.id.clone(),
            title,
            body,
        });
        number_sections(
            project,
            &section.children,
            &number,
            level + 1,
            org,
            values,
            assignment,
            out,
            related_in_body,
            findings,
        );
    }
}

/// The review triggers as a Markdown list, their placeholders filled.
fn triggers(
    project: &Project,
    variant: &Variant,
    values: &Values,
    assignment: &Assignment,
    findings: &mut Vec<Diagnostic>,
) -> String {
    variant
        .triggers
        .iter()
        .map(|t| {
            format!(
                "- {}",
                fill(project, t, values, escape::markdown, assignment, findings).trim()
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Fills the placeholders of one piece of source text, recording a finding
/// (at the placeholder's line and column) for each that fails.
fn fill(
    project: &Project,
    located: &Located,
    values: &Values,
    escape: fn(&str) -> String,
    assignment: &Assignment,
    findings: &mut Vec<Diagnostic>,
) -> String {
    match values.fill(&located.text, escape) {
        Ok(text) => text,
        Err(problems) => {
            for (placeholder, problem) in problems {
                findings.push(placeholder_finding(
                    project,
                    located,
                    &placeholder,
                    problem,
                    assignment,
                ));
            }
            String::new()
        }
    }
}

fn placeholder_finding(
    project: &Project,
    located: &Located,
    placeholder: &Placeholder,
    problem: Problem,
    assignment: &Assignment,
) -> Diagnostic {
    let file = project.file(located.file);
    let location =
        located.location_of_part(file, placeholder.start, placeholder.literal(&located.text));
    let (message, hint) = problem.describe(&placeholder.name, &assignment.org);
    file.error(message, location).with_hint(hint)
}

#[cfg(test)]
mod tests {
    use crate::build::pipeline::Checked;
    use crate::document::placeholder::{BLOCK_NAMES, DOCUMENT_NAMES};
    use crate::load::project::Project;

    use super::BuildContext;

    /// Every name `placeholder::DOCUMENT_NAMES` promises is filled in a real
    /// document, so checking unused variants against that list is sound.
    #[test]
    fn every_document_name_is_filled() {
        let body: String = DOCUMENT_NAMES
            .iter()
            .map(|name| format!("<<{name}>> {{{{ {name}_cap }}}}\n"))
            .chain(BLOCK_NAMES.iter().map(|name| format!("\n<<{name}>>\n\n")))
            .collect();
        let policy = format!(
            "title: T\ncode: C\nversion: '1'\napplies_to: {{ jurisdictions: [cqc], services: [care-home] }}\nreview_triggers: [a change]\nsections:\n  - id: all\n    title: All\n    body: {body:?}\n"
        );
        let project = Project::from_sources([
            (
                "jurisdictions/cqc.yaml",
                include_str!("../../jurisdictions/cqc.yaml"),
            ),
            (
                "organisations/home.yaml",
                "name: Home\nregistration_no: '1-123456789'\njurisdiction: cqc\nservice: care-home\n",
            ),
            ("policies/p/v.yaml", policy.as_str()),
        ]);
        let context = BuildContext {
            today: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            due_within: 30,
        };
        let checked = Checked::new(&project, context);
        // Only `org_field_logo` may lack a value: this home has no logo.
        let assignment = &checked.resolved.assignments[0];
        let errors = checked.document(assignment).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert!(errors[0].message.contains("org_field_logo"), "{errors:#?}");
    }
}
