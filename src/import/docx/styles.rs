//! Word's styles and list numbering (`word/styles.xml`,
//! `word/numbering.xml`), and what they make of a paragraph: a heading at
//! a level, the title, a list item, plain text.

use std::collections::BTreeMap;

use quick_xml::Reader;
use quick_xml::events::Event;

use super::walk::Paragraph;
use super::{attr, local};
use crate::import::Style;

/// What a paragraph style says, following `basedOn`.
#[derive(Debug, Clone, Default)]
pub(super) struct StyleDef {
    name: String,
    based_on: Option<String>,
    outline: Option<u8>,
    num_id: Option<String>,
}

pub(super) type Styles = BTreeMap<String, StyleDef>;
/// `numId` → level → whether the list is numbered (not bulleted).
pub(super) type Numbering = BTreeMap<String, BTreeMap<u8, bool>>;

pub(super) fn read_styles(xml: &str) -> Styles {
    let mut styles = Styles::new();
    let mut reader = Reader::from_str(xml);
    let mut current: Option<(String, StyleDef)> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match local(e.name().as_ref()) {
                "style" => {
                    let id = attr(&e, "styleId").unwrap_or_default();
                    current = Some((id, StyleDef::default()));
                }
                "name" => {
                    if let Some((_, s)) = current.as_mut() {
                        s.name = attr(&e, "val").unwrap_or_default();
                    }
                }
                "basedOn" => {
                    if let Some((_, s)) = current.as_mut() {
                        s.based_on = attr(&e, "val");
                    }
                }
                "outlineLvl" => {
                    if let Some((_, s)) = current.as_mut() {
                        s.outline = attr(&e, "val").and_then(|v| v.parse().ok());
                    }
                }
                "numId" => {
                    if let Some((_, s)) = current.as_mut() {
                        s.num_id = attr(&e, "val");
                    }
                }
                _ => {}
            },
            Ok(Event::End(e)) if local(e.name().as_ref()) == "style" => {
                if let Some((id, s)) = current.take() {
                    styles.insert(id, s);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    styles
}

pub(super) fn read_numbering(xml: &str) -> Numbering {
    // abstractNumId → level → numbered; numId → abstractNumId.
    let mut abstracts: BTreeMap<String, BTreeMap<u8, bool>> = BTreeMap::new();
    let mut nums: BTreeMap<String, String> = BTreeMap::new();
    let mut reader = Reader::from_str(xml);
    let (mut abstract_id, mut level, mut num_id) = (None::<String>, 0u8, None::<String>);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match local(e.name().as_ref()) {
                "abstractNum" => abstract_id = attr(&e, "abstractNumId"),
                "lvl" => level = attr(&e, "ilvl").and_then(|v| v.parse().ok()).unwrap_or(0),
                "numFmt" => {
                    if let Some(id) = &abstract_id {
                        let format = attr(&e, "val").unwrap_or_default();
                        abstracts
                            .entry(id.clone())
                            .or_default()
                            .insert(level, format != "bullet" && format != "none");
                    }
                }
                "num" => num_id = attr(&e, "numId"),
                "abstractNumId" => {
                    if let (Some(num), Some(target)) = (&num_id, attr(&e, "val")) {
                        nums.insert(num.clone(), target);
                    }
                }
                _ => {}
            },
            Ok(Event::End(e)) => match local(e.name().as_ref()) {
                "abstractNum" => abstract_id = None,
                "num" => num_id = None,
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    nums.into_iter()
        .filter_map(|(num, target)| Some((num, abstracts.get(&target)?.clone())))
        .collect()
}

pub(super) fn style_name(styles: &Styles, id: Option<&str>) -> String {
    id.and_then(|id| styles.get(id))
        .map(|s| s.name.to_ascii_lowercase())
        .or_else(|| id.map(str::to_ascii_lowercase))
        .unwrap_or_default()
        .replace(' ', "")
}

/// What Word's markup makes of a paragraph: its own outline level and list
/// numbering first, then its style's, following `basedOn` a few steps.
pub(super) fn paragraph_style(p: &Paragraph, styles: &Styles, numbering: &Numbering) -> Style {
    let mut outline = p.outline;
    let mut num = p.num.clone().filter(|(id, _)| !id.is_empty() && id != "0");
    let mut id = p.style.clone();
    let mut names = Vec::new();
    for _ in 0..8 {
        let Some(style) = id.as_deref().and_then(|i| styles.get(i)) else {
            if let Some(i) = &id {
                names.push(i.to_ascii_lowercase().replace(' ', ""));
            }
            break;
        };
        names.push(style.name.to_ascii_lowercase().replace(' ', ""));
        outline = outline.or(style.outline);
        if num.is_none() {
            num = style.num_id.clone().filter(|n| n != "0").map(|n| (n, 0));
        }
        id = style.based_on.clone();
    }
    let first = names.first().map(String::as_str).unwrap_or_default();
    if first == "title" {
        return Style::Title;
    }
    if let Some(level) = outline.filter(|&l| l < 9) {
        return Style::Heading(level + 1);
    }
    for name in &names {
        if let Some(n) = name
            .strip_prefix("heading")
            .and_then(|n| n.parse::<u8>().ok())
        {
            return Style::Heading(n);
        }
    }
    if let Some((num_id, level)) = num {
        let ordered = numbering
            .get(&num_id)
            .and_then(|levels| levels.get(&level))
            .copied()
            .unwrap_or(first.contains("number"));
        return Style::Item { level, ordered };
    }
    if first.starts_with("listbullet") || first.starts_with("listnumber") {
        return Style::Item {
            level: 0,
            ordered: first.starts_with("listnumber"),
        };
    }
    Style::Plain
}
