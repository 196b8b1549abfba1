//! `policygen approve ORG POLICY --by NAME [--date D]` (SPEC §8): records
//! who approved the newest review, and when, in that review's entry of the
//! profile (nothing else in the file changes), and archives the approved
//! text under `approved/`. Also the archiving step `review --approved-by`
//! shares. The archive is written first and never replaced; the profile is
//! then replaced atomically, so an interrupted approval leaves at most an
//! archived text that a second approval finds already there.

use std::path::Path;

use chrono::NaiveDate;

use crate::build::pipeline;
use crate::control::archive::{self, ApprovedText, Written};
use crate::control::state::State;
use crate::diagnostic::Diagnostic;
use crate::load::project::Project;
use crate::render::Format;
use crate::resolve::checked::{BuildContext, Checked, Selection};
use crate::review::profile_edit;
use crate::review::profile_file::EditLock;
use crate::review::target::{self, Refusal, Target};

/// What `approve` was asked.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub org: &'a str,
    pub policy: &'a str,
    /// `--by`: who approves.
    pub by: &'a str,
    /// `--date`, as typed.
    pub date: Option<&'a str>,
}

/// What an approval did.
#[derive(Debug, Clone)]
pub struct Done {
    /// The profile, `organisations/<org>.yaml`.
    pub profile: String,
    /// False when the profile already named this approver (an approval
    /// recorded before policygen kept approved texts): only the text was
    /// archived.
    pub profile_changed: bool,
    pub review: NaiveDate,
    pub version: String,
    pub on: NaiveDate,
    /// `approved/<org>/<policy>/v<version>.md`.
    pub archive: String,
    pub written: Written,
}

/// Approves the newest review of `request.policy` for `request.org`.
///
/// Long because the refusals come first and in order (empty name, bad date,
/// unknown org or policy, no document, no review, a date before the review,
/// already approved), each with its own message, all before anything is
/// written; then the archive, then the profile.
pub fn approve(root: &Path, request: &Request, context: BuildContext) -> Result<Done, Refusal> {
    let today = context.today;
    let by = request.by.trim();
    if by.is_empty() {
        return Err(Refusal::usage(
            Diagnostic::error("`--by` is empty")
                .with_hint("name who approves, e.g. `--by \"Owain Price\"`"),
        ));
    }
    let on = target::day(request.date, today, "approval")?;
    let (org, policy) = (request.org, request.policy);
    // Held until the profile is written: edits of the profiles queue.
    let lock = EditLock::acquire(root).map_err(Refusal::finding)?;
    let mut project = Project::load(root);
    let target = target::find(
        &project,
        org,
        policy,
        today,
        "an approval is recorded only in a profile that validates",
    )?;
    let checked = Checked::new(&project, context);
    let Some(assignment) = checked.resolved.assignment(org, policy).cloned() else {
        return Err(Refusal::finding(
            Diagnostic::error(format!(
                "no document of `{policy}` is built for `{org}`, so there is no text to approve"
            ))
            .in_file(&target.path)
            .with_hint("run `policygen list` to see which variant each organisation gets"),
        ));
    };
    let document = checked.document(&assignment).map_err(Refusal::findings)?;
    let approval = &document.control;
    let Some(review) = approval.review else {
        return Err(Refusal::finding(
            Diagnostic::error(format!("no review of `{policy}` is recorded for `{org}` to approve"))
                .in_file(&target.path)
                .with_hint(format!(
                    "record the review first: `policygen review {org} {policy} --by NAME`; or approve in one step with `--approved-by`"
                )),
        ));
    };
    let location = target::review_location(&project, org, policy, review);
    if on < review {
        return Err(Refusal::usage(
            Diagnostic::error(format!(
                "the approval date {on} is before the review it approves ({review})"
            ))
            .in_file(&target.path)
            .at(location)
            .with_hint("a review is approved on or after the day it took place"),
        ));
    }
    let legacy = match (&approval.approved_by, approval.tracked) {
        (None, _) => false,
        (Some(who), false) if who.eq_ignore_ascii_case(by) => true,
        (Some(who), _) => {
            return Err(already_approved(
                org,
                policy,
                &target,
                location,
                who,
                approval.approved_on.unwrap_or(review),
                approval.state,
                &approval.version,
            ));
        }
    };
    let version = approval.version.clone();
    let recorded_on = approval.approved_on.unwrap_or(review);
    drop(document);
    drop(checked);

    let profile_changed = !legacy;
    if profile_changed {
        let before = project.file(target.file).text.clone();
        let edited = profile_edit::add_approval(&before, policy, by, on)
            .and_then(|after| {
                profile_edit::verify_approval(&before, &after, policy, by, on).map(|()| after)
            })
            .map_err(|e| {
                Refusal::finding(
                    Diagnostic::error(format!("cannot add the approval: {e}"))
                        .in_file(&target.path)
                        .with_hint(e.hint()),
                )
            })?;
        target::replace(&mut project, org, &target, &edited, today)?;
    }
    let checked = Checked::new(&project, context);
    // What the next build would say: a name the PDF font cannot show, say.
    let selection = Selection {
        orgs: vec![org.to_string()],
        policies: vec![policy.to_string()],
    };
    if let Err(errors) = pipeline::render(&checked, &selection, Format::AVAILABLE) {
        return Err(Refusal::findings(errors));
    }
    let (archive, written) = store(root, &checked, org, policy, &target)?;
    if profile_changed {
        lock.write(root, &target.path, &project.file(target.file).text)
            .map_err(Refusal::finding)?;
    }
    drop(lock);
    Ok(Done {
        profile: target.path,
        profile_changed,
        review,
        version,
        on: if legacy { recorded_on } else { on },
        archive,
        written,
    })
}

/// Archives the approved text of `org`'s `policy` in `checked`, whose
/// profile records the approval: refused when the version already has a
/// different approved text. Returns the archive's path and what was done.
pub fn store(
    root: &Path,
    checked: &Checked,
    org: &str,
    policy: &str,
    target: &Target,
) -> Result<(String, Written), Refusal> {
    let assignment = checked.resolved.assignment(org, policy).ok_or_else(|| {
        Refusal::finding(Diagnostic::error(format!(
            "internal: {org}/{policy} is not built"
        )))
    })?;
    let document = checked.document(assignment).map_err(Refusal::findings)?;
    let control = &document.control;
    let (Some(by), Some(on)) = (&control.approved_by, control.approved_on) else {
        return Err(Refusal::finding(Diagnostic::error(format!(
            "internal: {org}/{policy} has no approval to archive"
        ))));
    };
    let path = archive::path(org, policy, &control.version).map_err(|why| {
        Refusal::finding(Diagnostic::error(why).in_file(&target.path).with_hint(
            "give the review a version made of letters, digits and dots, e.g. `--version 4`",
        ))
    })?;
    let text = ApprovedText::of(&document.policy.title, &document.sections);
    // The profile is named but no line: the review in question may be one
    // not yet written to it.
    let clash = || {
        Refusal::finding(
            Diagnostic::error(format!(
                "version {} of `{policy}` for `{org}` was approved with another text, which {path} holds; the text now differs from it",
                control.version
            ))
            .in_file(&target.path)
            .with_hint(format!(
                "a changed text needs a version of its own: record its review with a new `--version`; `policygen changes {org} {policy}` shows what changed"
            )),
        )
    };
    if let Some(existing) = checked.project.approved_text(org, policy, &control.version)
        && !existing.text.same_as(&text)
    {
        return Err(clash());
    }
    let file = text.to_file(&archive::Approval {
        org,
        policy,
        variant: &document.variant_id,
        version: &control.version,
        approved_by: by,
        approved_on: on,
    });
    match archive::write(root, &path, &text, &file) {
        Ok(written) => Ok((path, written)),
        Err(archive::WriteError::Clash) => Err(clash()),
        Err(archive::WriteError::Refused(finding)) => Err(Refusal::finding(finding)),
        Err(archive::WriteError::Io(e)) => Err(Refusal::finding(
            Diagnostic::error(format!("cannot write `{path}`: {e}"))
                .with_hint("check that the library folder is writable and the disk is not full"),
        )),
    }
}

#[allow(clippy::too_many_arguments)]
fn already_approved(
    org: &str,
    policy: &str,
    target: &Target,
    location: Option<crate::diagnostic::Location>,
    who: &str,
    on: NaiveDate,
    state: State,
    version: &str,
) -> Refusal {
    let hint = match state {
        State::Changed => format!(
            "the text has changed since; see how with `policygen changes {org} {policy}`, then record a review of the new text with a new version (`policygen review {org} {policy} --by NAME --version …`) and approve that"
        ),
        _ if state == State::Approved => {
            "nothing to do: every format already shows the approval".to_string()
        }
        _ => String::new(),
    };
    Refusal::usage(
        Diagnostic::error(format!(
            "the newest review of `{policy}` for `{org}` (version {version}) is already approved, by {who} on {on}"
        ))
        .in_file(&target.path)
        .at(location)
        .with_hint(hint),
    )
}
