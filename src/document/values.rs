//! The placeholder table of one document (SPEC §4): every name a policy text
//! may use, filled from the profile, the jurisdiction, the variant and the
//! review dates.

use chrono::{Datelike, NaiveDate};

use crate::check::OrgFacts;
use crate::document::placeholder::Values;
use crate::document::{LOGO_URL, POLICY_URL_PREFIX, RelatedView, escape};
use crate::load::logo::Logo;
use crate::model::jurisdiction::Jurisdiction;
use crate::model::organisation::Organisation;
use crate::resolve::Variant;
use crate::review::Schedule;

pub(super) struct ValueInputs<'a> {
    pub org: &'a Organisation,
    pub facts: &'a OrgFacts,
    pub jurisdiction: &'a Jurisdiction,
    pub variant: &'a Variant,
    pub version: &'a str,
    pub schedule: &'a Schedule,
    pub today: NaiveDate,
    pub date: &'a dyn Fn(NaiveDate) -> String,
    pub logo: Option<&'a Logo>,
    pub related: &'a [RelatedView],
}

/// The placeholder table of one document (SPEC §4).
pub(super) fn values(input: ValueInputs) -> Values {
    let mut v = Values::default();
    profile_values(&mut v, input.org, input.facts);
    // A profile's own `fields` never replace the names above.
    let mut fields = std::collections::BTreeMap::new();
    for (key, value) in &input.org.fields {
        value.flatten_into(&format!("org_field_{key}"), &mut fields);
    }
    for (name, value) in fields {
        v.text.entry(name).or_insert(value);
    }
    policy_values(&mut v, &input);
    logo_value(&mut v, input.org, input.logo);
    v.blocks
        .insert("related_policies".into(), related_list(input.related));
    v
}

/// `org_field_*` from the profile; a value the profile leaves out is
/// recorded as missing with the key to add.
fn profile_values(v: &mut Values, org: &Organisation, facts: &OrgFacts) {
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
}

/// The dates, the policy, the regulator, the legislation and the service's
/// terms.
fn policy_values(v: &mut Values, input: &ValueInputs) {
    let ValueInputs {
        facts,
        jurisdiction,
        variant,
        version,
        schedule,
        today,
        date,
        ..
    } = *input;
    v.text
        .insert("last_update_date".into(), last_update_date(schedule, date));
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
}

fn logo_value(v: &mut Values, org: &Organisation, logo: Option<&Logo>) {
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
}

/// `<<related_policies>>`: a list, each entry linked when its document is
/// built for the same organisation.
fn related_list(related: &[RelatedView]) -> String {
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
        .join("\n")
}

/// `<<last_update_date>>`: the newest review's date, or the words "not yet
/// reviewed" (SPEC §4: never a date that no review has).
fn last_update_date(schedule: &Schedule, date: &dyn Fn(NaiveDate) -> String) -> String {
    schedule
        .last_review
        .map_or_else(|| super::NOT_YET_REVIEWED.to_lowercase(), date)
}
