//! Recording that members of staff have read a policy (`policygen ack ORG
//! POLICY --staff NAME…`): every name checked against the roster and the
//! acknowledgements already recorded, `{ name, date, version }` entries for
//! the current approved version appended by `profile_edit`, and the edited
//! profile re-validated in memory. All or nothing: one refusal and nobody
//! is recorded, so a team meeting is recorded whole or not at all.
//! Pure: the caller writes the edited text (atomically) only when this
//! succeeds.

use chrono::NaiveDate;

use crate::check::OrgFacts;
use crate::check::staff::{self, Staff, name_key};
use crate::control::state::{self, Approval, State};
use crate::diagnostic::{Diagnostic, Location};
use crate::load::project::Project;
use crate::resolve::checked::{BuildContext, Checked};
use crate::review::profile_edit::{self, Entry};
use crate::review::reading::{self, Approved, Reading};
use crate::review::record::{Refused, profile_errors, revalidate, unknown_org};

/// Acknowledgements to record, as the command line gives them.
#[derive(Debug, Clone)]
pub struct Request {
    pub org: String,
    pub policy: String,
    /// The names as typed, in order.
    pub staff: Vec<String>,
    pub date: NaiveDate,
}

/// Acknowledgements ready to be written.
#[derive(Debug)]
pub struct Acknowledged {
    /// The profile's path in the library.
    pub path: String,
    /// The profile's text with the acknowledgements appended.
    pub text: String,
    /// The people recorded, as the roster names them, in the order given.
    pub names: Vec<String>,
    /// The version they read.
    pub version: String,
    /// Who has read it now, from the edited profile.
    pub reading: Reading,
}

/// Appends the acknowledgements to the profile in `project` (in memory) and
/// returns the edited text, or every reason it was refused.
pub fn acknowledge(
    project: &mut Project,
    request: &Request,
    context: BuildContext,
) -> Result<Acknowledged, Refused> {
    let today = context.today;
    let (org, policy) = (request.org.as_str(), request.policy.as_str());
    let Some(loaded) = project.organisations.get(org) else {
        return Err(unknown_org(project, org));
    };
    let file_id = loaded.file;
    let path = project.file(file_id).path.clone();
    if !project.policies.contains_key(policy) {
        let hint = project.unknown_policy_hint(policy);
        return Err(Refused::Request(vec![
            Diagnostic::error(format!("unknown policy `{policy}`")).with_hint(hint),
        ]));
    }
    let errors = profile_errors(project, file_id, today);
    if !errors.is_empty() {
        return Err(Refused::Profile(errors));
    }
    let (facts, approval) = built(project, org, policy, &path, context)?;
    let Some(approved) = Approved::of(&approval) else {
        return Err(Refused::Findings(vec![draft_refusal(
            &approval, org, policy, &path,
        )]));
    };

    let mut findings = date_findings(request.date, today, &approved, policy, &path);
    let people = people(project, &facts, request, &approved, &path, &mut findings);
    if !findings.is_empty() {
        return Err(Refused::Findings(findings));
    }
    let entries: Vec<Entry> = people
        .iter()
        .map(|person| Entry {
            list: "acknowledgements",
            fields: vec![
                ("name", person.name.clone()),
                ("date", request.date.to_string()),
                ("version", approved.version.clone()),
            ],
        })
        .collect();
    let before = project.file(file_id).text.clone();
    let text = profile_edit::append_all(&before, policy, &entries)
        .and_then(|after| {
            profile_edit::verify_all(&before, &after, policy, &entries).map(|()| after)
        })
        .map_err(|e| {
            let hint = e.hint();
            Refused::Findings(vec![
                Diagnostic::error(format!("cannot add the acknowledgements: {e}"))
                    .in_file(&path)
                    .with_hint(hint),
            ])
        })?;
    revalidate(project, org, file_id, &text, today)?;
    let (edited, approval) = built(project, org, policy, &path, context)?;
    Ok(Acknowledged {
        path,
        text,
        names: people.into_iter().map(|p| p.name).collect(),
        version: approved.version,
        reading: reading::reading(&edited, policy, &approval, today),
    })
}

/// Why a draft cannot be acknowledged: it has no approved version staff
/// could have read, and what to do about it.
fn draft_refusal(approval: &Approval, org: &str, policy: &str, path: &str) -> Diagnostic {
    let (message, hint) = match approval.state {
        State::None | State::Approved => (
            format!(
                "`{policy}` has no approved version for `{org}` yet, so there is nothing to acknowledge"
            ),
            format!(
                "staff read and sign an approved version: record the approval first, e.g. `policygen review {org} {policy} --approved-by NAME`"
            ),
        ),
        State::Awaiting => (
            format!(
                "`{policy}` for `{org}` is a draft: {}; there is no approved version to acknowledge yet",
                reading::draft_reason(approval).unwrap_or_default()
            ),
            format!(
                "staff read and sign an approved version: approve it first with `policygen approve {org} {policy} --by NAME`"
            ),
        ),
        State::Changed => (
            format!(
                "`{policy}` for `{org}` is a draft: {}; there is no approved version to acknowledge yet",
                reading::draft_reason(approval).unwrap_or_default()
            ),
            format!(
                "`policygen changes {org} {policy}` shows what changed; approve the new text as a version of its own (`policygen review {org} {policy} --approved-by NAME --version N`), then record who read it"
            ),
        ),
    };
    Diagnostic::error(message).in_file(path).with_hint(hint)
}

/// The organisation's checked facts and the approval of its document of
/// `policy`; a refusal when no document of that policy is built for it.
fn built(
    project: &Project,
    org: &str,
    policy: &str,
    path: &str,
    context: BuildContext,
) -> Result<(OrgFacts, Approval), Refused> {
    let checked = Checked::new(project, context);
    let facts = checked.validated.organisations.get(org).cloned();
    let assignment = checked.resolved.assignment(org, policy);
    match (facts, assignment) {
        (Some(facts), Some(assignment)) => Ok((facts, state::of(&checked, assignment))),
        (None, _) => Err(Refused::Findings(vec![
            Diagnostic::error(format!(
                "`{org}` cannot be built until the errors `policygen check` reports are fixed"
            ))
            .in_file(path)
            .with_hint("run `policygen check` to see them"),
        ])),
        (Some(_), None) => Err(Refused::Findings(vec![Diagnostic::error(format!(
            "no document of `{policy}` is built for `{org}`, so its staff have nothing to read"
        ))
        .in_file(path)
        .with_hint("the policy is excluded in the profile, or no variant covers the service; run `policygen list` to see which variant each organisation gets")])),
    }
}

/// A date after the build date, or before the version was approved.
fn date_findings(
    date: NaiveDate,
    today: NaiveDate,
    approved: &Approved,
    policy: &str,
    path: &str,
) -> Vec<Diagnostic> {
    if date > today {
        vec![
            Diagnostic::error(format!(
                "the acknowledgement date {date} is after the build date {today}"
            ))
            .in_file(path)
            .with_hint("record it once the policy has been read: pass the day with --date"),
        ]
    } else if date < approved.on {
        vec![
            Diagnostic::error(format!(
                "version {} of `{policy}` was approved on {}, after {date}",
                approved.version, approved.on
            ))
            .in_file(path)
            .with_hint(format!(
                "only the approved version can be acknowledged: pass the day it was read, on or after {}, with --date",
                approved.on
            )),
        ]
    } else {
        Vec::new()
    }
}

/// The roster entries `--staff` names, in the order given; a finding for
/// each name not on the roster, given twice, gone by the date, or that has
/// already acknowledged this version.
fn people(
    project: &Project,
    facts: &OrgFacts,
    request: &Request,
    approved: &Approved,
    path: &str,
    findings: &mut Vec<Diagnostic>,
) -> Vec<Staff> {
    let (org, policy, date) = (&request.org, request.policy.as_str(), request.date);
    let mut people: Vec<Staff> = Vec::new();
    for typed in &request.staff {
        let Some(person) = staff::find(&facts.staff, typed) else {
            let hint = staff::did_you_mean(typed, &facts.staff).unwrap_or_else(|| {
                if facts.staff.is_empty() {
                    format!("`{path}` has no `staff:` list yet: add each member of staff there first, e.g. `- {{ name: Carys Jones, role: Senior Care Worker }}`")
                } else {
                    format!("add them to `staff:` in `{path}` first")
                }
            });
            findings.push(
                Diagnostic::error(format!(
                    "`{}` is not on the staff list of `{org}`",
                    typed.trim()
                ))
                .in_file(path)
                .at(project.file(facts.file).find_key("staff"))
                .with_hint(hint),
            );
            continue;
        };
        if people.iter().any(|p| p.name == person.name) {
            findings.push(
                Diagnostic::error(format!("{} is named more than once", person.name))
                    .in_file(path)
                    .with_hint("give each person one `--staff`"),
            );
            continue;
        }
        if let Some(left) = person.left
            && left < date
        {
            findings.push(
                Diagnostic::error(format!("{} left on {left}, before {date}", person.name))
                    .in_file(path)
                    .with_hint("only people on the staff on the day can acknowledge a policy; check --date and their `left:` date"),
            );
            continue;
        }
        let earlier = facts
            .policies
            .get(policy)
            .into_iter()
            .flat_map(|r| &r.acknowledgements)
            .find(|a| a.name == person.name && a.version == approved.version);
        if let Some(earlier) = earlier {
            findings.push(
                Diagnostic::error(format!(
                    "{} already acknowledged version {} of `{policy}` on {}",
                    person.name, approved.version, earlier.date
                ))
                .in_file(path)
                .at(ack_location(
                    project,
                    org,
                    policy,
                    &person.name,
                    &approved.version,
                ))
                .with_hint("an acknowledgement is recorded once per version; leave them out"),
            );
            continue;
        }
        people.push(person.clone());
    }
    people
}

/// Where the profile records `name`'s acknowledgement of `version`.
fn ack_location(
    project: &Project,
    org: &str,
    policy: &str,
    name: &str,
    version: &str,
) -> Option<Location> {
    let loaded = project.organisations.get(org)?;
    let file = project.file(loaded.file);
    let entry = loaded
        .value
        .policies
        .get(policy)?
        .acknowledgements
        .iter()
        .find(|a| {
            name_key(&a.name.value.0) == name_key(name) && a.version.value.0.trim() == version
        })?;
    file.location_of_span(&entry.name, entry.name.value.0.chars().count())
}
