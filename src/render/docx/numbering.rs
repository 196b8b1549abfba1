//! `numbering.xml`: Word's own list numbering, so numbers and bullets are
//! real list formatting an editor can continue, not typed characters. One
//! outline numbers the section headings (`1.`, `1.1`, `1.1.1`, linked to
//! `Heading 1..3`); every list in a section body is an instance of the
//! bullet or the numbered definition, starting where its Markdown starts,
//! its nesting depth the list level.

use crate::render::docx::xml::{W, Xml};

/// The numbering instance of the section headings.
pub const HEADINGS: u32 = 1;

/// Indent of list level 0, and the step to each deeper level, in twips.
const LIST_INDENT: u32 = 360;
/// Levels Word can number (0 to 8).
pub const MAX_LEVEL: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    Bullet,
    /// Numbered from this value.
    Ordered(u64),
}

/// The list instances of one document, in the order they appear.
#[derive(Debug, Default)]
pub struct Lists {
    instances: Vec<(ListKind, usize)>,
}

impl Lists {
    /// A new instance for a list of `kind` at nesting `level`; its `numId`.
    pub fn add(&mut self, kind: ListKind, level: usize) -> u32 {
        self.instances.push((kind, level.min(MAX_LEVEL)));
        // 1 is the headings' instance; ids are small, a document has few lists.
        u32::try_from(self.instances.len()).map_or(u32::MAX, |n| n + HEADINGS)
    }
}

/// The left indent of the text of list level `level`, in twips.
pub fn text_indent(level: usize) -> u32 {
    LIST_INDENT * (level.min(MAX_LEVEL) as u32 + 1)
}

const BULLETS: [&str; 3] = ["•", "–", "▪"];

/// `numbering.xml` for the headings and `lists`, the bullets drawn in `font`.
pub fn numbering(lists: &Lists, font: &str) -> Vec<u8> {
    let mut x = Xml::new();
    x.open("w:numbering", &[("xmlns:w", W)]);

    x.open("w:abstractNum", &[("w:abstractNumId", "0")]);
    x.empty("w:multiLevelType", &[("w:val", "multilevel")]);
    for (level, (text, indent)) in [("%1.", "624"), ("%1.%2", "737"), ("%1.%2.%3", "907")]
        .into_iter()
        .enumerate()
    {
        let style = format!("Heading{}", level + 1);
        x.open("w:lvl", &[("w:ilvl", &level.to_string())]);
        x.empty("w:start", &[("w:val", "1")]);
        x.empty("w:numFmt", &[("w:val", "decimal")]);
        x.empty("w:pStyle", &[("w:val", &style)]);
        x.empty("w:lvlText", &[("w:val", text)]);
        x.empty("w:lvlJc", &[("w:val", "left")]);
        x.open("w:pPr", &[]);
        x.empty("w:ind", &[("w:left", indent), ("w:hanging", indent)]);
        x.close("w:pPr");
        x.close("w:lvl");
    }
    x.close("w:abstractNum");

    for (id, ordered) in [("1", false), ("2", true)] {
        x.open("w:abstractNum", &[("w:abstractNumId", id)]);
        x.empty("w:multiLevelType", &[("w:val", "hybridMultilevel")]);
        for level in 0..=MAX_LEVEL {
            let (format, text, hanging) = if ordered {
                ("decimal", format!("%{}.", level + 1), "360")
            } else {
                ("bullet", BULLETS[level % BULLETS.len()].to_string(), "270")
            };
            x.open("w:lvl", &[("w:ilvl", &level.to_string())]);
            x.empty("w:start", &[("w:val", "1")]);
            x.empty("w:numFmt", &[("w:val", format)]);
            x.empty("w:lvlText", &[("w:val", &text)]);
            x.empty("w:lvlJc", &[("w:val", "left")]);
            x.open("w:pPr", &[]);
            let left = text_indent(level).to_string();
            x.empty("w:ind", &[("w:left", &left), ("w:hanging", hanging)]);
            x.close("w:pPr");
            if !ordered {
                x.open("w:rPr", &[]);
                x.empty("w:rFonts", &[("w:ascii", font), ("w:hAnsi", font)]);
                x.close("w:rPr");
            }
            x.close("w:lvl");
        }
        x.close("w:abstractNum");
    }

    instance(&mut x, HEADINGS, "0", None);
    for (i, (kind, level)) in lists.instances.iter().enumerate() {
        let id = HEADINGS + 1 + i as u32;
        match kind {
            ListKind::Bullet => instance(&mut x, id, "1", None),
            // Every numbered list overrides its start, so it restarts rather
            // than continuing the previous list of the same definition.
            ListKind::Ordered(start) => instance(&mut x, id, "2", Some((*level, *start))),
        }
    }
    x.close("w:numbering");
    x.finish()
}

fn instance(x: &mut Xml, id: u32, abstract_id: &str, start: Option<(usize, u64)>) {
    x.open("w:num", &[("w:numId", &id.to_string())]);
    x.empty("w:abstractNumId", &[("w:val", abstract_id)]);
    if let Some((level, start)) = start {
        x.open("w:lvlOverride", &[("w:ilvl", &level.to_string())]);
        x.empty("w:startOverride", &[("w:val", &start.to_string())]);
        x.close("w:lvlOverride");
    }
    x.close("w:num");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_list_is_an_instance_and_numbered_lists_restart() {
        let mut lists = Lists::default();
        assert_eq!(lists.add(ListKind::Ordered(3), 0), 2);
        assert_eq!(lists.add(ListKind::Bullet, 1), 3);
        assert_eq!(lists.add(ListKind::Ordered(1), 20), 4);
        let xml = String::from_utf8(numbering(&lists, "Open Sans")).unwrap();
        assert!(xml.contains(
            "<w:num w:numId=\"2\"><w:abstractNumId w:val=\"2\"/><w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"3\"/></w:lvlOverride></w:num>"
        ));
        assert!(xml.contains("<w:num w:numId=\"3\"><w:abstractNumId w:val=\"1\"/></w:num>"));
        // Deeper than Word can go: the deepest level.
        assert!(xml.contains("<w:lvlOverride w:ilvl=\"8\"><w:startOverride w:val=\"1\"/>"));
        assert!(xml.contains("<w:pStyle w:val=\"Heading2\"/><w:lvlText w:val=\"%1.%2\"/>"));
    }
}
