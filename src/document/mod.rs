//! Builds one document — the view model every renderer consumes — from a
//! resolved variant, an organisation and the build date: placeholders filled,
//! sections numbered, review dates computed, closing block and staff
//! acknowledgement sheet assembled.
//! Pure: values in, a `Document` or findings out.

pub mod escape;
pub mod placeholder;
mod sections;
pub mod sheet;
mod values;
mod view;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::check::{OrgFacts, Review, Validated};
use crate::control::archive::ApprovedText;
use crate::control::mark::{self, ApprovalView};
use crate::control::state::{self, Approval};
use crate::diagnostic::Diagnostic;
use crate::document::placeholder::Values;
use crate::document::sections::{fill, number_sections, triggers};
use crate::document::values::{ValueInputs, values};
use crate::load::logo::Logo;
use crate::load::project::{Loaded, Project};
use crate::load::source::SourceFile;
use crate::model::jurisdiction::Jurisdiction;
use crate::model::organisation::Organisation;
use crate::resolve::checked::{BuildContext, Checked};
use crate::resolve::{Assignment, Resolved, Variant};
use crate::review::{self, Schedule, Status, reading, schedule};

pub use view::*;

/// Link target standing for the organisation's logo; each renderer maps it.
pub const LOGO_URL: &str = "policygen:logo";
/// Link target prefix standing for another policy of the same organisation.
pub const POLICY_URL_PREFIX: &str = "policygen:policy/";

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
    /// The approval state and, while not approved, the draft mark.
    pub approval: ApprovalView,
    #[serde(skip)]
    pub control: Approval,
    /// The approved text this document is compared with, when archived.
    #[serde(skip)]
    pub approved_text: Option<&'p ApprovedText>,
    /// The organisation's profile, as it is saved.
    #[serde(skip)]
    pub profile: &'p SourceFile,
    /// The variant's own file (not those it extends).
    #[serde(skip)]
    pub variant_file: &'p SourceFile,
    /// The staff acknowledgement sheet that ends the document.
    pub sheet: sheet::SheetView,
    #[serde(skip)]
    pub logo: Option<&'p Logo>,
    #[serde(skip)]
    pub schedule: Schedule,
    #[serde(skip)]
    pub status: Status,
}

impl<'p> Checked<'p> {
    /// The document of one assignment.
    pub fn document(&self, assignment: &Assignment) -> Result<Document<'p>, Vec<Diagnostic>> {
        build(
            self.project,
            &self.validated,
            &self.resolved,
            assignment,
            &self.context,
        )
    }
}

/// The notice for a document whose review is overdue or due; none while current.
fn review_notice(
    status: Status,
    schedule: &Schedule,
    today: NaiveDate,
    date: &dyn Fn(NaiveDate) -> String,
) -> Option<ReviewNotice> {
    let days = schedule.days_left(today);
    let count = |n: i64| {
        if n == 1 {
            "1 day".to_string()
        } else {
            format!("{n} days")
        }
    };
    let next = date(schedule.next_review);
    let made = date(today);
    let (heading, text) = match status {
        Status::Current => return None,
        Status::Overdue => (
            "Review overdue",
            format!(
                "this policy was due for review on {next}, {} before this copy was made on {made}.",
                count(-days)
            ),
        ),
        Status::Due if days == 0 => (
            "Review due",
            format!("this policy is due for review today, {next}, the day this copy was made."),
        ),
        Status::Due => (
            "Review due",
            format!(
                "this policy is due for review on {next}, {} after this copy was made on {made}.",
                count(days)
            ),
        ),
    };
    Some(ReviewNotice {
        heading: heading.to_string(),
        text,
    })
}

/// Builds the document of one assignment, or the findings that prevent it.
///
/// Its steps are named functions (`lookup`, `values`, `body`, `state::decide`,
/// `reading`, the views); what stays long is the one `Document` literal
/// that gathers their results field by field.
pub fn build<'p>(
    project: &'p Project,
    validated: &Validated,
    resolved: &Resolved,
    assignment: &Assignment,
    context: &BuildContext,
) -> Result<Document<'p>, Vec<Diagnostic>> {
    let (loaded, facts, variant, jurisdiction) = lookup(project, validated, resolved, assignment)?;
    let org = &loaded.value;
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
    let schedule = schedule::schedule(facts, &assignment.policy, Some(variant), context.today);
    let status = schedule.status(context.today, context.due_within);
    let newest = record.reviews.iter().max_by_key(|r| r.date);
    let version = newest
        .and_then(|r| r.version.clone())
        .unwrap_or_else(|| variant.version.clone());
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
    let body = body(project, variant, facts, values, assignment)?;

    let approved_text = project
        .approved_text(&assignment.org, &assignment.policy, &version)
        .map(|a| &a.text);
    let now = ApprovedText::of(&body.title, &body.sections);
    let control = state::decide(
        &record.reviews,
        &version,
        approved_text.map(|approved| (approved, &now)),
    );
    let approval = mark::view(&control, &assignment.policy, &date);
    let reviewed_on = schedule
        .last_review
        .map_or_else(|| NOT_YET_REVIEWED.to_string(), date);
    // Staff sign only an approved version: a draft's sheet says so.
    let reading = reading::reading(facts, &assignment.policy, &control, context.today);
    let signable = reading.approved.is_some();
    let sheet = sheet::sheet(&reading, &version, signable, &date);
    let name = org.name.value.trim().to_string();
    let manager_role = jurisdiction
        .services
        .get(&facts.service)
        .map_or("Registered Manager", |t| t.manager.as_str())
        .to_string();

    Ok(Document {
        profile: project.file(loaded.file),
        variant_file: project.file(variant.file),
        org_slug: assignment.org.clone(),
        policy_id: assignment.policy.clone(),
        variant_id: assignment.variant.clone(),
        lang: if language == "cy" {
            "cy".into()
        } else {
            "en-GB".into()
        },
        org: org_view(org, facts, jurisdiction, logo, &name),
        policy: PolicyView {
            title: body.title,
            code: variant.code.clone(),
            version,
            review_cycle: schedule.cycle.to_string(),
        },
        regulator: RegulatorView {
            name: jurisdiction.regulator.name.clone(),
            short: jurisdiction.regulator.short.clone(),
        },
        sections: body.sections,
        related,
        related_in_body: body.related_in_body,
        reviews: review_views(&record.reviews, &control, &date),
        dates: dates_view(&schedule, status, context.today, &reviewed_on, &date),
        closing: ClosingView {
            responsible_person: org
                .registered_manager
                .as_ref()
                .map(|p| p.full())
                .unwrap_or_default(),
            responsible_role: manager_role,
            reviewed_on,
            next_review: date(schedule.next_review),
            approved_by: approval.approved_by.clone(),
            approval: approval.summary.clone(),
            copyright: format!(
                "Copyright © {} – {name}. All rights reserved.",
                context.today.year()
            ),
        },
        approval,
        control,
        approved_text,
        sheet,
        logo,
        schedule,
        status,
    })
}

/// The loaded profile, its validated facts, the variant and the
/// jurisdiction of one assignment (all present once checks passed).
fn lookup<'p, 'v>(
    project: &'p Project,
    validated: &'v Validated,
    resolved: &'v Resolved,
    assignment: &Assignment,
) -> Result<
    (
        &'p Loaded<Organisation>,
        &'v OrgFacts,
        &'v Variant,
        &'p Jurisdiction,
    ),
    Vec<Diagnostic>,
> {
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
    Ok((loaded, facts, variant, jurisdiction))
}

/// The title and numbered sections with every placeholder filled.
struct Body {
    title: String,
    sections: Vec<SectionView>,
    related_in_body: bool,
}

fn body(
    project: &Project,
    variant: &Variant,
    facts: &OrgFacts,
    mut values: Values,
    assignment: &Assignment,
) -> Result<Body, Vec<Diagnostic>> {
    let mut findings = Vec::new();
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
    Ok(Body {
        title,
        sections,
        related_in_body,
    })
}

fn org_view(
    org: &Organisation,
    facts: &OrgFacts,
    jurisdiction: &Jurisdiction,
    logo: Option<&Logo>,
    name: &str,
) -> OrgView {
    OrgView {
        name: name.to_string(),
        registration_no: org.registration_no.value.0.trim().to_string(),
        registration_label: jurisdiction.registration.label.clone(),
        address: org.address.as_ref().map(|t| t.0.clone()),
        phone: org.phone.as_ref().map(|t| t.0.clone()),
        email: org.email.as_ref().map(|t| t.0.clone()),
        website: org.website.as_ref().map(|t| t.0.clone()),
        brand_colour: facts.brand_colour.clone(),
        logo_file: logo.map(|l| l.file_name.to_string()),
        logo_alt: format!("{name} logo"),
    }
}

/// The review history as printed: who approved each review, and the newest
/// one "Awaiting approval" while it has no approver.
fn review_views(
    reviews: &[Review],
    control: &Approval,
    date: &dyn Fn(NaiveDate) -> String,
) -> Vec<ReviewView> {
    reviews
        .iter()
        .map(|r| ReviewView {
            date: date(r.date),
            date_iso: r.date.to_string(),
            by: r.by.clone().unwrap_or_default(),
            approved_by: r.approved_by.clone().unwrap_or_default(),
            approved: match &r.approved_by {
                Some(who) if r.approved_on != r.date => {
                    format!("{who} (approved {})", date(r.approved_on))
                }
                Some(who) => who.clone(),
                None if Some(r.date) == control.review => "Awaiting approval".to_string(),
                None => String::new(),
            },
            version: r.version.clone().unwrap_or_default(),
            note: r.note.clone().unwrap_or_default(),
        })
        .collect()
}

fn dates_view(
    schedule: &Schedule,
    status: Status,
    today: NaiveDate,
    reviewed_on: &str,
    date: &dyn Fn(NaiveDate) -> String,
) -> DatesView {
    DatesView {
        last_update: reviewed_on.to_string(),
        next_review: date(schedule.next_review),
        build: date(today),
        current_year: today.year().to_string(),
        status: status.as_str().to_string(),
        last_update_iso: schedule
            .last_review
            .map(|d| d.to_string())
            .unwrap_or_default(),
        next_review_iso: schedule.next_review.to_string(),
        notice: review_notice(status, schedule, today, date),
    }
}

/// What documents show where a review date would be when none is recorded.
pub const NOT_YET_REVIEWED: &str = "Not yet reviewed";

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

#[cfg(test)]
mod tests {
    use crate::document::placeholder::{BLOCK_NAMES, DOCUMENT_NAMES};
    use crate::load::project::Project;
    use crate::resolve::checked::Checked;

    use crate::resolve::checked::BuildContext;

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
