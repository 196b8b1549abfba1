//! Applies each variant's `extends` chain: the parent's title, metadata and
//! section tree, changed by the child's `add`, `replace` and `remove`.

use std::collections::BTreeMap;

use serde_saphyr::Spanned;

use crate::check;
use crate::diagnostic::{self, Diagnostic};
use crate::load::project::{FileId, Loaded, Project};
use crate::load::source::{self, Text};
use crate::model::policy::{AddOp, RelatedSource, ReplaceOp, SectionSource, VariantSource};
use crate::resolve::{Located, Related, Section, Variant};
use crate::review::Cycle;

/// What resolving one policy's variants carries from variant to variant:
/// the results so far (each variant is resolved once, however many extend
/// it), the `extends` chain being followed (to find loops) and the findings.
pub(super) struct Chains<'a> {
    pub project: &'a Project,
    pub policy_id: &'a str,
    pub variants: &'a BTreeMap<String, Loaded<VariantSource>>,
    pub done: &'a mut BTreeMap<String, Option<Variant>>,
    pub stack: &'a mut Vec<String>,
    pub findings: &'a mut Vec<Diagnostic>,
}

impl Chains<'_> {
    /// The variant `variant_id` with its `extends` chain applied, or `None`
    /// when it (or a variant it builds on) has errors, which are reported.
    pub(super) fn resolve(&mut self, variant_id: &str) -> Option<Variant> {
        if let Some(result) = self.done.get(variant_id) {
            return result.clone();
        }
        let loaded = self.variants.get(variant_id)?;
        let file = self.project.file(loaded.file);
        let source = &loaded.value;
        self.stack.push(variant_id.to_string());
        let before = self.findings.len();
        let base = self.base(file, source, variant_id);
        self.stack.pop();
        if source.extends.is_some() && base.is_none() {
            self.done.insert(variant_id.to_string(), None);
            return None;
        }
        let findings = &mut *self.findings;
        let mut sections = starting_sections(file, loaded, base.as_ref(), findings);
        apply_edits(file, loaded, base.is_some(), &mut sections, findings);
        let fields = Fields::new(file, loaded, base.as_ref(), findings);
        let failed = findings[before..].iter().any(Diagnostic::is_error);
        let variant =
            (!failed).then(|| fields.into_variant(self.policy_id, variant_id, loaded, sections));
        self.done.insert(variant_id.to_string(), variant.clone());
        variant
    }

    /// The resolved variant `source` extends, if it names one that resolves;
    /// reports a loop, an unknown name or a parent with errors.
    fn base(
        &mut self,
        file: &source::SourceFile,
        source: &VariantSource,
        variant_id: &str,
    ) -> Option<Variant> {
        let parent = source.extends.as_ref()?;
        let at = || file.location_of_span(parent, parent.value.chars().count());
        if self.stack.contains(&parent.value) {
            let error = file.error(
                format!(
                    "`extends` forms a loop: {} → {}",
                    self.stack.join(" → "),
                    parent.value
                ),
                at(),
            );
            self.findings.push(
                error.with_hint("a variant cannot extend itself, directly or through others"),
            );
            return None;
        }
        if !self.variants.contains_key(&parent.value) {
            let policy_id = self.policy_id;
            let names = self.variants.keys().map(String::as_str);
            let hint = diagnostic::did_you_mean(&parent.value, names).unwrap_or_else(|| {
                format!(
                    "variants of `{policy_id}`: {}",
                    self.variants.keys().cloned().collect::<Vec<_>>().join(", ")
                )
            });
            let error = file.error(
                format!(
                    "`extends` names unknown variant `{}` of policy `{policy_id}`",
                    parent.value
                ),
                at(),
            );
            self.findings.push(error.with_hint(hint));
            return None;
        }
        let base = self.resolve(&parent.value);
        // In a loop, the loop itself is the one finding worth reading.
        if base.is_none() && !extends_back_to(self.variants, &parent.value, variant_id) {
            let error = file.error(
                format!(
                    "cannot build on variant `{}`, which has errors",
                    parent.value
                ),
                at(),
            );
            self.findings
                .push(error.with_hint("fix the errors reported for that variant first"));
        }
        base
    }
}

/// The section tree before `add`, `replace` and `remove`: the parent's, or
/// the variant's own `sections`.
fn starting_sections(
    file: &source::SourceFile,
    loaded: &Loaded<VariantSource>,
    base: Option<&Variant>,
    findings: &mut Vec<Diagnostic>,
) -> Vec<Section> {
    match (base, &loaded.value.sections) {
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
        (None, Some(list)) => list.iter().map(|s| section(s, loaded.file)).collect(),
        (None, None) => {
            findings.push(
                file.error("the variant has no `sections`", None)
                    .with_hint("add a `sections:` list"),
            );
            Vec::new()
        }
    }
}

/// Applies the variant's `remove`, then `replace`, then `add` to the
/// inherited sections, reporting every section id that names nothing.
fn apply_edits(
    file: &source::SourceFile,
    loaded: &Loaded<VariantSource>,
    extends: bool,
    sections: &mut Vec<Section>,
    findings: &mut Vec<Diagnostic>,
) {
    let source = &loaded.value;
    if !extends
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
        if !remove_section(sections, &id.value) {
            findings.push(unknown_section(file, id, sections));
        }
    }
    for op in &source.replace {
        match find_section(sections, &op.id.value) {
            Some(target) => replace(target, op, loaded.file),
            None => findings.push(unknown_section(file, &op.id, sections)),
        }
    }
    for op in &source.add {
        add(file, op, loaded.file, sections, findings);
    }
}

fn replace(target: &mut Section, op: &ReplaceOp, fid: FileId) {
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

/// Places one added section after, before or into the section it names
/// (at the end when it names none).
fn add(
    file: &source::SourceFile,
    op: &AddOp,
    fid: FileId,
    sections: &mut Vec<Section>,
    findings: &mut Vec<Diagnostic>,
) {
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
        return;
    }
    let placed = match (&op.after, &op.before, &op.into) {
        (Some(a), _, _) => insert_near(sections, &a.value, new, 1).map_err(|_| a),
        (_, Some(b), _) => insert_near(sections, &b.value, new, 0).map_err(|_| b),
        (_, _, Some(i)) => match find_section(sections, &i.value) {
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
        findings.push(unknown_section(file, anchor, sections));
    }
}

/// A variant's own values, each inherited from the parent when absent.
struct Fields {
    title: Option<Located>,
    code: String,
    version: String,
    cycle: Option<Cycle>,
    triggers: Vec<Located>,
    related: Vec<Related>,
    chain: Vec<FileId>,
}

impl Fields {
    fn new(
        file: &source::SourceFile,
        loaded: &Loaded<VariantSource>,
        base: Option<&Variant>,
        findings: &mut Vec<Diagnostic>,
    ) -> Fields {
        let (source, fid) = (&loaded.value, loaded.file);
        let text = |t: &Option<Spanned<Text>>| t.as_ref().map(|t| t.value.0.trim().to_string());
        let mut required = |value: Option<String>, key: &str| -> String {
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
            .or_else(|| base.map(|b| b.title.clone()));
        if title.is_none() {
            required(None, "title");
        }
        let code = required(
            text(&source.code).or_else(|| base.map(|b| b.code.clone())),
            "code",
        );
        let version = required(
            text(&source.version).or_else(|| base.map(|b| b.version.clone())),
            "version",
        );
        let cycle = match &source.review_cycle {
            Some(c) => check::parse_cycle(file, c, findings),
            None => base.and_then(|b| b.cycle),
        };
        let triggers = match &source.review_triggers {
            Some(list) => list.iter().map(|t| Located::new(t, fid)).collect(),
            None => base.map(|b| b.triggers.clone()).unwrap_or_default(),
        };
        let related = match &source.related {
            Some(list) => list.iter().map(related).collect(),
            None => base.map(|b| b.related.clone()).unwrap_or_default(),
        };
        let mut chain = vec![fid];
        if let Some(base) = base {
            chain.extend(&base.chain);
        }
        Fields {
            title,
            code,
            version,
            cycle,
            triggers,
            related,
            chain,
        }
    }

    fn into_variant(
        self,
        policy_id: &str,
        variant_id: &str,
        loaded: &Loaded<VariantSource>,
        sections: Vec<Section>,
    ) -> Variant {
        let fid = loaded.file;
        let applies = &loaded.value.applies_to;
        Variant {
            policy: policy_id.to_string(),
            id: variant_id.to_string(),
            file: fid,
            chain: self.chain,
            title: self.title.unwrap_or(Located {
                text: String::new(),
                file: fid,
                offset: 0,
                line: 0,
                column: 0,
            }),
            code: self.code,
            version: self.version,
            jurisdictions: applies
                .jurisdictions
                .iter()
                .map(|j| j.value.clone())
                .collect(),
            services: applies.services.iter().map(|s| s.value.clone()).collect(),
            cycle: self.cycle,
            triggers: self.triggers,
            related: self.related,
            sections,
        }
    }
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
