//! Applies each variant's `extends` chain: the parent's title, metadata and
//! section tree, changed by the child's `add`, `replace` and `remove`.

use std::collections::BTreeMap;

use serde_saphyr::Spanned;

use crate::check;
use crate::diagnostic::{self, Diagnostic};
use crate::load::project::{FileId, Loaded, Project};
use crate::load::source::{self, Text};
use crate::model::policy::{RelatedSource, SectionSource, VariantSource};
use crate::resolve::{Located, Related, Section, Variant};

pub(super) fn resolve_variant(
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
