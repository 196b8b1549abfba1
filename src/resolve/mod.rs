//! Resolves the policy library: each variant's `extends` chain into one
//! complete variant (title, metadata and section tree), and each
//! (organisation × policy) to the one variant that applies to it.

use std::collections::{BTreeMap, BTreeSet};

use pulldown_cmark::{Event, Parser, Tag};
use serde_saphyr::Spanned;

use crate::check::{self, Validated};
use crate::diagnostic::{self, Diagnostic, Location};
use crate::document::placeholder;
use crate::load::project::{FileId, Loaded, Project};
use crate::load::source::{self, Text};
use crate::model::jurisdiction::SERVICES;
use crate::model::policy::{RelatedSource, SectionSource, VariantSource, When};
use crate::review::Cycle;

/// A piece of source text and where it was written, for placeholder errors.
#[derive(Debug, Clone)]
pub struct Located {
    pub text: String,
    pub file: FileId,
    /// Byte offset of the YAML scalar holding the text.
    pub offset: usize,
    pub line: usize,
    pub column: usize,
}

impl Located {
    /// Where the scalar starts, underlined to its length (quotes included).
    pub fn location(&self, file: &source::SourceFile) -> Option<Location> {
        let mut location = file.location_of(self.line, self.column, self.text.chars().count())?;
        let first = location.line_text.chars().nth(location.column - 1);
        if matches!(first, Some('"' | '\'')) {
            location.width += 2;
        }
        Some(location)
    }

    /// Where a part of the text (at byte `start`, reading `literal`) is in
    /// the file; the scalar's start when the part cannot be found (an
    /// escaped or folded scalar).
    pub fn location_of_part(
        &self,
        file: &source::SourceFile,
        start: usize,
        literal: &str,
    ) -> Option<Location> {
        let occurrence = self
            .text
            .get(..start)
            .map_or(0, |before| before.matches(literal).count());
        file.find_after(self.offset, literal, occurrence)
            .or_else(|| file.location_of(self.line, self.column, 1))
    }

    fn new(spanned: &Spanned<String>, file: FileId) -> Located {
        Located {
            text: spanned.value.clone(),
            file,
            offset: source::byte_offset(spanned).unwrap_or(0),
            line: spanned.referenced.line() as usize,
            column: spanned.referenced.column() as usize,
        }
    }
}

/// A section after inheritance.
#[derive(Debug, Clone)]
pub struct Section {
    pub id: String,
    /// Where the id is written, for findings about the section.
    pub id_at: Located,
    pub title: Located,
    pub body: Option<Located>,
    pub when: Option<When>,
    pub children: Vec<Section>,
}

/// A related policy as the variant lists it.
#[derive(Debug, Clone)]
pub struct Related {
    pub id: String,
    pub title: Option<String>,
    pub code: Option<String>,
}

/// A variant with its `extends` chain applied.
#[derive(Debug, Clone)]
pub struct Variant {
    pub policy: String,
    pub id: String,
    pub file: FileId,
    /// This variant's file and those it extends, nearest first.
    pub chain: Vec<FileId>,
    pub title: Located,
    pub code: String,
    pub version: String,
    pub jurisdictions: Vec<String>,
    pub services: Vec<String>,
    pub cycle: Option<Cycle>,
    pub triggers: Vec<Located>,
    pub related: Vec<Related>,
    pub sections: Vec<Section>,
}

impl Variant {
    pub fn applies(&self, jurisdiction: &str, service: &str) -> bool {
        self.jurisdictions.iter().any(|j| j == jurisdiction)
            && self.services.iter().any(|s| s == service)
    }
}

/// One document to produce: an organisation, a policy and its variant.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Assignment {
    pub org: String,
    pub policy: String,
    pub variant: String,
}

/// The resolved library.
#[derive(Debug, Default)]
pub struct Resolved {
    /// Policy id → variant id → variant.
    pub variants: BTreeMap<String, BTreeMap<String, Variant>>,
    /// Every (organisation × policy) to build, sorted.
    pub assignments: Vec<Assignment>,
}

impl Resolved {
    pub fn variant(&self, policy: &str, variant: &str) -> Option<&Variant> {
        self.variants.get(policy)?.get(variant)
    }

    /// Every assignment of one organisation (the list is sorted by organisation).
    pub fn assignments_of(&self, org: &str) -> &[Assignment] {
        let start = self.assignments.partition_point(|a| a.org.as_str() < org);
        let end = self.assignments.partition_point(|a| a.org.as_str() <= org);
        &self.assignments[start..end]
    }

    /// The assignment of `policy` to `org`, found by binary search: the
    /// assignments are sorted by organisation, then policy, and each pair
    /// appears at most once.
    pub fn assignment(&self, org: &str, policy: &str) -> Option<&Assignment> {
        self.assignments
            .binary_search_by(|a| (a.org.as_str(), a.policy.as_str()).cmp(&(org, policy)))
            .ok()
            .map(|i| &self.assignments[i])
    }
}

/// Resolves every variant, then assigns variants to the validated organisations.
pub fn resolve(project: &Project, validated: &Validated) -> (Resolved, Vec<Diagnostic>) {
    let mut findings = Vec::new();
    let mut resolved = Resolved::default();
    for (policy_id, variants) in &project.policies {
        let mut done: BTreeMap<String, Option<Variant>> = BTreeMap::new();
        for variant_id in variants.keys() {
            let mut stack = Vec::new();
            resolve_variant(
                project,
                policy_id,
                variants,
                variant_id,
                &mut done,
                &mut stack,
                &mut findings,
            );
        }
        let ok: BTreeMap<String, Variant> = done
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k, v)))
            .collect();
        for variant in ok.values() {
            check_variant(project, variant, &mut findings);
        }
        resolved.variants.insert(policy_id.clone(), ok);
    }
    for (policy_id, variants) in &project.policies {
        // Ids become output file names and link targets: keep them plain.
        if !check::is_slug(policy_id) {
            findings.push(
                Diagnostic::error(format!("policy folder name `{policy_id}` is not a valid policy id"))
                    .in_file(format!("policies/{policy_id}"))
                    .with_hint("rename the folder using lowercase letters, digits and hyphens, e.g. `policies/key-worker`"),
            );
        }
        for (variant_id, loaded) in variants {
            if !check::is_slug(variant_id) {
                findings.push(
                    Diagnostic::error(format!("variant file name `{variant_id}` is not a valid variant id"))
                        .in_file(&project.file(loaded.file).path)
                        .with_hint("rename the file using lowercase letters, digits and hyphens, e.g. `ciw-care-home.yaml`"),
                );
            }
            check_applies_to(project, policy_id, variant_id, loaded, &mut findings);
            check_source(project, loaded, &mut findings);
        }
    }
    assign(project, validated, &mut resolved, &mut findings);
    check_unused_placeholders(project, &resolved, &mut findings);
    (resolved, findings)
}

/// Checks what a variant file names: `when` jurisdictions and services, and
/// related policies the library does not ship.
fn check_source(project: &Project, loaded: &Loaded<VariantSource>, findings: &mut Vec<Diagnostic>) {
    let file = project.file(loaded.file);
    let source = &loaded.value;
    let mut whens: Vec<&When> = Vec::new();
    fn collect<'a>(sections: &'a [SectionSource], out: &mut Vec<&'a When>) {
        for s in sections {
            out.extend(&s.when);
            collect(&s.sections, out);
        }
    }
    collect(source.sections.as_deref().unwrap_or_default(), &mut whens);
    for op in &source.add {
        collect(std::slice::from_ref(&op.section), &mut whens);
    }
    for op in &source.replace {
        whens.extend(&op.when);
        collect(op.sections.as_deref().unwrap_or_default(), &mut whens);
    }
    for when in whens {
        for j in &when.jurisdictions {
            if !project.jurisdictions.contains_key(&j.value)
                && !project.has_file("jurisdictions", &j.value)
            {
                let known: Vec<&str> = project.jurisdictions.keys().map(String::as_str).collect();
                findings.push(
                    file.error(
                        format!("unknown jurisdiction `{}` in `when`", j.value),
                        file.location_of_span(j, j.value.chars().count()),
                    )
                    .with_hint(
                        diagnostic::did_you_mean(&j.value, known.iter().copied()).unwrap_or_else(
                            || format!("jurisdictions in this library: {}", known.join(", ")),
                        ),
                    ),
                );
            }
        }
        for s in &when.services {
            if !SERVICES.contains(&s.value.as_str()) {
                findings.push(
                    file.error(
                        format!("unknown service `{}` in `when`", s.value),
                        file.location_of_span(s, s.value.chars().count()),
                    )
                    .with_hint(
                        diagnostic::did_you_mean(&s.value, SERVICES.iter().copied())
                            .unwrap_or_else(|| format!("services are: {}", SERVICES.join(", "))),
                    ),
                );
            }
        }
    }
    for related in source.related.iter().flatten() {
        let id = &related.id;
        if related.title.is_none() && !project.policies.contains_key(&id.value) {
            findings.push(
                file.error(
                    format!("related policy `{}` is not in this library", id.value),
                    file.location_of_span(id, id.value.chars().count()),
                )
                .with_hint(project.policy_hint(&id.value).unwrap_or_else(|| {
                    format!(
                        "give its title and code so documents can name it: `{{ id: {}, title: …, code: … }}`",
                        id.value
                    )
                })),
            );
        }
    }
}

/// Variants that no organisation uses are not rendered, so their
/// placeholders are checked here against the names every document fills.
fn check_unused_placeholders(
    project: &Project,
    resolved: &Resolved,
    findings: &mut Vec<Diagnostic>,
) {
    let used: BTreeSet<(&str, &str)> = resolved
        .assignments
        .iter()
        .map(|a| (a.policy.as_str(), a.variant.as_str()))
        .collect();
    // A section inherited by several unused variants is reported once.
    let mut seen = BTreeSet::new();
    for (policy_id, variants) in &resolved.variants {
        for (variant_id, variant) in variants {
            if used.contains(&(policy_id.as_str(), variant_id.as_str())) {
                continue;
            }
            let mut texts: Vec<&Located> = vec![&variant.title];
            texts.extend(&variant.triggers);
            fn walk<'a>(sections: &'a [Section], out: &mut Vec<&'a Located>) {
                for s in sections {
                    out.push(&s.title);
                    out.extend(&s.body);
                    walk(&s.children, out);
                }
            }
            walk(&variant.sections, &mut texts);
            for located in texts {
                let file = project.file(located.file);
                for (placeholder, problem) in placeholder::check_names(&located.text) {
                    let location = located.location_of_part(
                        file,
                        placeholder.start,
                        placeholder.literal(&located.text),
                    );
                    let (message, hint) = problem.describe(&placeholder.name, "");
                    let finding = file.error(message, location).with_hint(hint);
                    if seen.insert(finding.render(false)) {
                        findings.push(finding);
                    }
                }
            }
        }
    }
}

fn resolve_variant(
    project: &Project,
    policy_id: &str,
    variants: &BTreeMap<String, Loaded<VariantSource>>,
    variant_id: &str,
    done: &mut BTreeMap<String, Option<Variant>>,
    stack: &mut Vec<String>,
    findings: &mut Vec<Diagnostic>,
) -> Option<Variant> {
    if let Some(result) = done.get(variant_id) {
        return result.clone();
    }
    let loaded = variants.get(variant_id)?;
    let file = project.file(loaded.file);
    let source = &loaded.value;
    stack.push(variant_id.to_string());
    let before = findings.len();

    let base = match &source.extends {
        None => None,
        Some(parent) if stack.contains(&parent.value) => {
            findings.push(
                file.error(
                    format!(
                        "`extends` forms a loop: {} → {}",
                        stack.join(" → "),
                        parent.value
                    ),
                    file.location_of_span(parent, parent.value.chars().count()),
                )
                .with_hint("a variant cannot extend itself, directly or through others"),
            );
            None
        }
        Some(parent) if !variants.contains_key(&parent.value) => {
            findings.push(
                file.error(
                    format!(
                        "`extends` names unknown variant `{}` of policy `{policy_id}`",
                        parent.value
                    ),
                    file.location_of_span(parent, parent.value.chars().count()),
                )
                .with_hint(
                    diagnostic::did_you_mean(&parent.value, variants.keys().map(String::as_str))
                        .unwrap_or_else(|| {
                            format!(
                                "variants of `{policy_id}`: {}",
                                variants.keys().cloned().collect::<Vec<_>>().join(", ")
                            )
                        }),
                ),
            );
            None
        }
        Some(parent) => {
            let base = resolve_variant(
                project,
                policy_id,
                variants,
                &parent.value,
                done,
                stack,
                findings,
            );
            // In a loop, the loop itself is the one finding worth reading.
            if base.is_none() && !extends_back_to(variants, &parent.value, variant_id) {
                findings.push(
                    file.error(
                        format!(
                            "cannot build on variant `{}`, which has errors",
                            parent.value
                        ),
                        file.location_of_span(parent, parent.value.chars().count()),
                    )
                    .with_hint("fix the errors reported for that variant first"),
                );
            }
            base
        }
    };
    stack.pop();
    if source.extends.is_some() && base.is_none() {
        done.insert(variant_id.to_string(), None);
        return None;
    }

    let fid = loaded.file;
    let text = |t: &Option<Spanned<Text>>| t.as_ref().map(|t| t.value.0.trim().to_string());
    let mut sections = match (&base, &source.sections) {
        (Some(_), Some(_)) => {
            findings.push(
                file.error(
                    "a variant that `extends` another cannot list `sections`",
                    file.find_key("sections"),
                )
                .with_hint("change inherited sections with `add`, `replace` and `remove`"),
            );
            Vec::new()
        }
        (Some(base), None) => base.sections.clone(),
        (None, Some(list)) => list.iter().map(|s| section(s, fid)).collect(),
        (None, None) => {
            findings.push(
                file.error("the variant has no `sections`", None)
                    .with_hint("add a `sections:` list"),
            );
            Vec::new()
        }
    };
    if base.is_none()
        && (!source.add.is_empty() || !source.replace.is_empty() || !source.remove.is_empty())
    {
        let key = ["add", "replace", "remove"]
            .into_iter()
            .find_map(|k| file.find_key(k));
        findings.push(
            file.error("`add`, `replace` and `remove` need `extends`", key)
                .with_hint("name the variant to build on with `extends: <variant>`, or write the sections out in `sections`"),
        );
    }
    for id in &source.remove {
        if !remove_section(&mut sections, &id.value) {
            findings.push(unknown_section(file, id, &sections));
        }
    }
    for op in &source.replace {
        match find_section(&mut sections, &op.id.value) {
            Some(target) => {
                if let Some(title) = &op.title {
                    target.title = Located::new(title, fid);
                }
                if let Some(body) = &op.body {
                    target.body = Some(Located::new(body, fid));
                }
                if let Some(when) = &op.when {
                    target.when = Some(when.clone());
                }
                if let Some(children) = &op.sections {
                    target.children = children.iter().map(|s| section(s, fid)).collect();
                }
            }
            None => findings.push(unknown_section(file, &op.id, &sections)),
        }
    }
    for op in &source.add {
        let new = section(&op.section, fid);
        let anchors = [&op.after, &op.before, &op.into]
            .iter()
            .filter(|a| a.is_some())
            .count();
        if anchors > 1 {
            findings.push(
                file.error(
                    format!(
                        "section `{}` is placed with more than one of `after`, `before`, `into`",
                        new.id
                    ),
                    file.location_of_span(&op.section.id, new.id.chars().count()),
                )
                .with_hint("use exactly one of them"),
            );
            continue;
        }
        let placed = match (&op.after, &op.before, &op.into) {
            (Some(a), _, _) => insert_near(&mut sections, &a.value, new, 1).map_err(|_| a),
            (_, Some(b), _) => insert_near(&mut sections, &b.value, new, 0).map_err(|_| b),
            (_, _, Some(i)) => match find_section(&mut sections, &i.value) {
                Some(parent) => {
                    parent.children.push(new);
                    Ok(())
                }
                None => Err(i),
            },
            _ => {
                sections.push(new);
                Ok(())
            }
        };
        if let Err(anchor) = placed {
            findings.push(unknown_section(file, anchor, &sections));
        }
    }

    let required = |value: Option<String>, key: &str, findings: &mut Vec<Diagnostic>| -> String {
        value.unwrap_or_else(|| {
            findings.push(
                file.error(format!("missing required key `{key}`"), None)
                    .with_hint(format!("add `{key}: …` at the top level of the variant")),
            );
            String::new()
        })
    };
    let title = source
        .title
        .as_ref()
        .map(|t| Located::new(t, fid))
        .or_else(|| base.as_ref().map(|b| b.title.clone()));
    if title.is_none() {
        required(None, "title", findings);
    }
    let code = required(
        text(&source.code).or_else(|| base.as_ref().map(|b| b.code.clone())),
        "code",
        findings,
    );
    let version = required(
        text(&source.version).or_else(|| base.as_ref().map(|b| b.version.clone())),
        "version",
        findings,
    );
    let cycle = match &source.review_cycle {
        Some(c) => check::parse_cycle(file, c, findings),
        None => base.as_ref().and_then(|b| b.cycle),
    };
    let triggers = match &source.review_triggers {
        Some(list) => list.iter().map(|t| Located::new(t, fid)).collect(),
        None => base
            .as_ref()
            .map(|b| b.triggers.clone())
            .unwrap_or_default(),
    };
    let related = match &source.related {
        Some(list) => list.iter().map(related).collect(),
        None => base.as_ref().map(|b| b.related.clone()).unwrap_or_default(),
    };
    let mut chain = vec![fid];
    if let Some(base) = &base {
        chain.extend(&base.chain);
    }

    let failed = findings[before..].iter().any(Diagnostic::is_error);
    let variant = (!failed).then(|| Variant {
        policy: policy_id.to_string(),
        id: variant_id.to_string(),
        file: fid,
        chain,
        title: title.unwrap_or(Located {
            text: String::new(),
            file: fid,
            offset: 0,
            line: 0,
            column: 0,
        }),
        code,
        version,
        jurisdictions: source
            .applies_to
            .jurisdictions
            .iter()
            .map(|j| j.value.clone())
            .collect(),
        services: source
            .applies_to
            .services
            .iter()
            .map(|s| s.value.clone())
            .collect(),
        cycle,
        triggers,
        related,
        sections,
    });
    done.insert(variant_id.to_string(), variant.clone());
    variant
}

/// Whether following `extends` from `start` reaches `target`.
fn extends_back_to(
    variants: &BTreeMap<String, Loaded<VariantSource>>,
    start: &str,
    target: &str,
) -> bool {
    let mut current = start;
    for _ in 0..=variants.len() {
        if current == target {
            return true;
        }
        match variants.get(current).and_then(|v| v.value.extends.as_ref()) {
            Some(parent) => current = &parent.value,
            None => return false,
        }
    }
    false
}

fn section(source: &SectionSource, file: FileId) -> Section {
    Section {
        id: source.id.value.clone(),
        id_at: Located::new(&source.id, file),
        title: Located::new(&source.title, file),
        body: source.body.as_ref().map(|b| Located::new(b, file)),
        when: source.when.clone(),
        children: source.sections.iter().map(|s| section(s, file)).collect(),
    }
}

fn related(source: &RelatedSource) -> Related {
    Related {
        id: source.id.value.clone(),
        title: source.title.clone(),
        code: source.code.clone(),
    }
}

fn find_section<'a>(sections: &'a mut [Section], id: &str) -> Option<&'a mut Section> {
    for section in sections {
        if section.id == id {
            return Some(section);
        }
        if let Some(found) = find_section(&mut section.children, id) {
            return Some(found);
        }
    }
    None
}

fn remove_section(sections: &mut Vec<Section>, id: &str) -> bool {
    if let Some(i) = sections.iter().position(|s| s.id == id) {
        sections.remove(i);
        return true;
    }
    sections
        .iter_mut()
        .any(|s| remove_section(&mut s.children, id))
}

/// Inserts `new` next to section `id` (`offset` 0: before, 1: after).
fn insert_near(
    sections: &mut Vec<Section>,
    id: &str,
    new: Section,
    offset: usize,
) -> Result<(), Section> {
    if let Some(i) = sections.iter().position(|s| s.id == id) {
        sections.insert(i + offset, new);
        return Ok(());
    }
    let mut new = new;
    for section in sections.iter_mut() {
        match insert_near(&mut section.children, id, new, offset) {
            Ok(()) => return Ok(()),
            Err(back) => new = back,
        }
    }
    Err(new)
}

fn all_ids(sections: &[Section], out: &mut Vec<String>) {
    for s in sections {
        out.push(s.id.clone());
        all_ids(&s.children, out);
    }
}

fn unknown_section(
    file: &source::SourceFile,
    id: &Spanned<String>,
    sections: &[Section],
) -> Diagnostic {
    let mut ids = Vec::new();
    all_ids(sections, &mut ids);
    file.error(
        format!(
            "no section `{}` to change in the inherited variant",
            id.value
        ),
        file.location_of_span(id, id.value.chars().count()),
    )
    .with_hint(
        diagnostic::did_you_mean(&id.value, ids.iter().map(String::as_str))
            .unwrap_or_else(|| format!("section ids: {}", ids.join(", "))),
    )
}

/// Checks a resolved variant's sections: ids unique and well formed, bodies
/// free of headings and raw HTML, nesting at most three levels.
fn check_variant(project: &Project, variant: &Variant, findings: &mut Vec<Diagnostic>) {
    let mut seen = BTreeSet::new();
    check_sections(project, &variant.sections, 1, &mut seen, findings);
}

fn check_sections(
    project: &Project,
    sections: &[Section],
    depth: usize,
    seen: &mut BTreeSet<String>,
    findings: &mut Vec<Diagnostic>,
) {
    for s in sections {
        let file = project.file(s.id_at.file);
        let id_location = s.id_at.location(file);
        if !check::is_slug(&s.id) {
            findings.push(
                file.error(
                    format!("section id `{}` is not valid", s.id),
                    id_location.clone(),
                )
                .with_hint("use lowercase letters, digits and hyphens, e.g. `building-trust`"),
            );
        }
        if !seen.insert(s.id.clone()) {
            findings.push(
                file.error(
                    format!("section id `{}` is used twice", s.id),
                    id_location.clone(),
                )
                .with_hint("give each section its own id"),
            );
        }
        if depth > 3 {
            findings.push(
                file.error(format!("section `{}` is nested more than three levels deep", s.id), id_location)
                    .with_hint("documents number sections to three levels (4.1.2); move this section up a level"),
            );
        }
        if let Some(body) = &s.body {
            check_body(project, body, findings);
        }
        check_sections(project, &s.children, depth + 1, seen, findings);
    }
}

fn check_body(project: &Project, body: &Located, findings: &mut Vec<Diagnostic>) {
    let file = project.file(body.file);
    for (event, range) in
        Parser::new_ext(&body.text, crate::render::markdown_options()).into_offset_iter()
    {
        let (problem, hint) = match event {
            Event::Start(Tag::Heading { .. }) => (
                "a section body cannot contain a heading",
                "make it a child section under `sections:` so it is numbered and listed",
            ),
            Event::Html(_) | Event::InlineHtml(_) => (
                "a section body cannot contain raw HTML",
                "write it as Markdown; for a literal `<`, write `\\<`",
            ),
            _ => continue,
        };
        let snippet = body.text[range.clone()]
            .lines()
            .next()
            .unwrap_or_default()
            .trim();
        let location = if snippet.is_empty() {
            None
        } else {
            file.find_after(body.offset, snippet, 0)
        };
        findings.push(file.error(problem, location).with_hint(hint));
    }
}

fn check_applies_to(
    project: &Project,
    policy_id: &str,
    variant_id: &str,
    loaded: &Loaded<VariantSource>,
    findings: &mut Vec<Diagnostic>,
) {
    let file = project.file(loaded.file);
    let applies = &loaded.value.applies_to;
    for j in &applies.jurisdictions {
        if !project.jurisdictions.contains_key(&j.value)
            && !project.has_file("jurisdictions", &j.value)
        {
            findings.push(
                file.error(
                    format!("unknown jurisdiction `{}`", j.value),
                    file.location_of_span(j, j.value.chars().count()),
                )
                .with_hint_opt(diagnostic::did_you_mean(
                    &j.value,
                    project.jurisdictions.keys().map(String::as_str),
                )),
            );
        }
    }
    for s in &applies.services {
        if !SERVICES.contains(&s.value.as_str()) {
            findings.push(
                file.error(
                    format!("unknown service `{}`", s.value),
                    file.location_of_span(s, s.value.chars().count()),
                )
                .with_hint(
                    diagnostic::did_you_mean(&s.value, SERVICES.iter().copied())
                        .unwrap_or_else(|| format!("services are: {}", SERVICES.join(", "))),
                ),
            );
        }
    }
    if applies.jurisdictions.is_empty() || applies.services.is_empty() {
        findings.push(
            file.error(
                format!("variant `{policy_id}/{variant_id}` applies to no organisation"),
                file.find_key("applies_to"),
            )
            .with_hint("list at least one jurisdiction and one service under `applies_to`"),
        );
    }
}

/// Picks the one applicable variant of each policy for each organisation.
///
/// A policy none of whose variants covers the organisation's service does not
/// apply to it and is skipped; one that covers the service but has no variant
/// for the organisation's jurisdiction, or has several, is an error.
fn assign(
    project: &Project,
    validated: &Validated,
    resolved: &mut Resolved,
    findings: &mut Vec<Diagnostic>,
) {
    let mut assignments = Vec::new();
    for (slug, org) in &validated.organisations {
        let file = project.file(org.file);
        for (policy_id, variants) in &project.policies {
            if org.policies.get(policy_id).is_some_and(|p| p.exclude) {
                continue;
            }
            let sources = variants.iter();
            let covers_service = sources.clone().any(|(_, v)| {
                v.value
                    .applies_to
                    .services
                    .iter()
                    .any(|s| s.value == org.service)
            });
            let candidates: Vec<&str> = sources
                .filter(|(_, v)| {
                    v.value
                        .applies_to
                        .services
                        .iter()
                        .any(|s| s.value == org.service)
                        && v.value
                            .applies_to
                            .jurisdictions
                            .iter()
                            .any(|j| j.value == org.jurisdiction)
                })
                .map(|(id, _)| id.as_str())
                .collect();
            match candidates.as_slice() {
                [] if !covers_service => {}
                [] => findings.push(
                    Diagnostic::error(format!(
                        "no variant of policy `{policy_id}` applies to organisation `{slug}` ({} {})",
                        org.jurisdiction, org.service
                    ))
                    .in_file(&file.path)
                    .with_hint(format!(
                        "candidates for `{}` services: {}; add `{}` to one variant's `applies_to.jurisdictions`, or set `policies: {{ {policy_id}: {{ exclude: true }} }}` in the profile",
                        org.service,
                        variants
                            .iter()
                            .filter(|(_, v)| v.value.applies_to.services.iter().any(|s| s.value == org.service))
                            .map(|(id, _)| id.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                        org.jurisdiction
                    )),
                ),
                [variant] => {
                    if resolved.variant(policy_id, variant).is_some() {
                        assignments.push(Assignment {
                            org: slug.clone(),
                            policy: policy_id.clone(),
                            variant: variant.to_string(),
                        });
                    }
                }
                several => findings.push(
                    Diagnostic::error(format!(
                        "{} variants of policy `{policy_id}` apply to organisation `{slug}`: {}",
                        several.len(),
                        several.join(", ")
                    ))
                    .in_file(&file.path)
                    .with_hint("narrow the variants' `applies_to` so exactly one matches this jurisdiction and service"),
                ),
            }
        }
    }
    assignments.sort();
    resolved.assignments = assignments;
}
