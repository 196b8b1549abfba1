//! What changed between the approved text and the text a build makes now,
//! section by section (matched by section id, so a section keeps its place
//! however the numbering moves) and word by word within a section, with
//! the `similar` crate's patience diff. Short runs of unchanged words
//! between two changes are folded into the change, so a rewritten sentence
//! reads as the old sentence deleted and the new one inserted rather than a
//! comb of single words. Pure: two texts in, a list of changes out; the
//! redline page and `policygen changes` both show this one list.

use serde::Serialize;
use similar::{Algorithm, ChangeTag};

use crate::control::archive::{ApprovedText, ArchivedSection};

/// Whether a piece of text is in both texts, only the new one or only the old.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tag {
    Same,
    Inserted,
    Deleted,
}

/// A run of text with one tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Piece {
    pub tag: Tag,
    pub text: String,
}

/// How a section differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Added,
    Removed,
    Changed,
    /// Same words, another place in the document (or another level).
    Moved,
}

/// One section that differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionChange {
    pub kind: Kind,
    pub id: String,
    /// Its heading now (`4.1 Title`), or for a removed section as approved.
    pub heading: String,
    /// The approved heading, when the number or title differ.
    pub was: Option<String>,
    /// The title's words, when the title changed.
    pub title: Vec<Piece>,
    /// The body's words: all of it, unchanged words included, for context.
    pub body: Vec<Piece>,
    pub words_inserted: usize,
    pub words_deleted: usize,
}

/// How much changed, for the summary at the top.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub changed: usize,
    pub added: usize,
    pub removed: usize,
    pub moved: usize,
    pub words_inserted: usize,
    pub words_deleted: usize,
}

/// Every difference between an approved text and the text now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Changes {
    /// The document title's words, when it changed.
    pub title: Option<Vec<Piece>>,
    /// In the order of the text now; a removed section where it used to be.
    pub sections: Vec<SectionChange>,
    pub counts: Counts,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.title.is_none() && self.sections.is_empty()
    }
}

/// Compares the approved text with the text now.
pub fn compare(approved: &ApprovedText, now: &ApprovedText) -> Changes {
    let title = (approved.title != now.title).then(|| words(&approved.title, &now.title));
    let moved = moved_ids(approved, now);
    let mut sections = Vec::new();
    // Removed sections go after the section that preceded them when approved.
    let removed_after = |anchor: Option<&str>| {
        let mut out = Vec::new();
        let mut previous: Option<&str> = None;
        for old in &approved.sections {
            if now.sections.iter().any(|s| s.id == old.id) {
                previous = Some(&old.id);
            } else if previous == anchor {
                out.push(old);
            }
        }
        out
    };
    let push_removed = |sections: &mut Vec<SectionChange>, anchor: Option<&str>| {
        for old in removed_after(anchor) {
            sections.push(whole(Kind::Removed, old, Tag::Deleted));
        }
    };
    push_removed(&mut sections, None);
    for new in &now.sections {
        match approved.sections.iter().find(|s| s.id == new.id) {
            None => sections.push(whole(Kind::Added, new, Tag::Inserted)),
            Some(old) => {
                if let Some(change) = changed(old, new, moved.contains(&new.id.as_str())) {
                    sections.push(change);
                }
                push_removed(&mut sections, Some(&new.id));
            }
        }
    }
    let mut counts = Counts::default();
    for s in &sections {
        match s.kind {
            Kind::Added => counts.added += 1,
            Kind::Removed => counts.removed += 1,
            Kind::Changed => counts.changed += 1,
            Kind::Moved => counts.moved += 1,
        }
        counts.words_inserted += s.words_inserted;
        counts.words_deleted += s.words_deleted;
    }
    if let Some(title) = &title {
        counts.words_inserted += count(title, Tag::Inserted);
        counts.words_deleted += count(title, Tag::Deleted);
    }
    Changes {
        title,
        sections,
        counts,
    }
}

fn heading(s: &ArchivedSection) -> String {
    let dot = if s.level == 1 { "." } else { "" };
    format!("{}{dot} {}", s.number, s.title)
}

/// A section present in only one of the texts.
fn whole(kind: Kind, s: &ArchivedSection, tag: Tag) -> SectionChange {
    let body = if s.body.is_empty() {
        Vec::new()
    } else {
        vec![Piece {
            tag,
            text: s.body.clone(),
        }]
    };
    let words = s.body.split_whitespace().count() + s.title.split_whitespace().count();
    SectionChange {
        kind,
        id: s.id.clone(),
        heading: heading(s),
        was: None,
        title: Vec::new(),
        words_inserted: if tag == Tag::Inserted { words } else { 0 },
        words_deleted: if tag == Tag::Deleted { words } else { 0 },
        body,
    }
}

/// A section in both texts, when it differs.
fn changed(old: &ArchivedSection, new: &ArchivedSection, moved: bool) -> Option<SectionChange> {
    let title_changed = old.title != new.title;
    let body_changed = old.body != new.body;
    let moved = moved || old.level != new.level;
    if !title_changed && !body_changed && !moved {
        return None;
    }
    let title = if title_changed {
        words(&old.title, &new.title)
    } else {
        Vec::new()
    };
    let body = words(&old.body, &new.body);
    let kind = if title_changed || body_changed {
        Kind::Changed
    } else {
        Kind::Moved
    };
    Some(SectionChange {
        kind,
        id: new.id.clone(),
        heading: heading(new),
        was: (heading(old) != heading(new)).then(|| heading(old)),
        words_inserted: count(&title, Tag::Inserted) + count(&body, Tag::Inserted),
        words_deleted: count(&title, Tag::Deleted) + count(&body, Tag::Deleted),
        title,
        body,
    })
}

/// Ids of sections in both texts whose order relative to the others changed.
fn moved_ids<'a>(approved: &'a ApprovedText, now: &ApprovedText) -> Vec<&'a str> {
    let common = |from: &'a ApprovedText, other: &ApprovedText| -> Vec<&'a str> {
        from.sections
            .iter()
            .filter(|s| other.sections.iter().any(|o| o.id == s.id))
            .map(|s| s.id.as_str())
            .collect()
    };
    let old = common(approved, now);
    let new: Vec<&str> = now
        .sections
        .iter()
        .filter(|s| old.contains(&s.id.as_str()))
        .map(|s| s.id.as_str())
        .collect();
    let mut moved = Vec::new();
    for op in similar::capture_diff_slices(Algorithm::Patience, &old, &new) {
        if op.tag() != similar::DiffTag::Equal {
            moved.extend(old[op.old_range()].iter().copied());
        }
    }
    moved
}

/// The word diff of two texts, unchanged text included.
pub fn words(old: &str, new: &str) -> Vec<Piece> {
    let raw = similar::utils::diff_words(Algorithm::Patience, old, new);
    let mut pieces: Vec<Piece> = Vec::new();
    for (tag, text) in raw {
        let tag = match tag {
            ChangeTag::Equal => Tag::Same,
            ChangeTag::Insert => Tag::Inserted,
            ChangeTag::Delete => Tag::Deleted,
        };
        push(&mut pieces, tag, text);
    }
    fold_short_runs(pieces)
}

fn push(pieces: &mut Vec<Piece>, tag: Tag, text: &str) {
    if text.is_empty() {
        return;
    }
    match pieces.last_mut() {
        Some(last) if last.tag == tag => last.text.push_str(text),
        _ => pieces.push(Piece {
            tag,
            text: text.to_string(),
        }),
    }
}

/// Joins changes separated only by an unchanged run no longer than the
/// changes on either side of it (diff-match-patch's semantic clean-up), and
/// never across a paragraph break, into one deletion followed by one
/// insertion.
fn fold_short_runs(pieces: Vec<Piece>) -> Vec<Piece> {
    let len = |text: &str| text.chars().count();
    // The size of the change starting at `i`: its longer side.
    let change_after = |i: usize| {
        let (mut old, mut new) = (0, 0);
        for piece in pieces[i..].iter().take_while(|p| p.tag != Tag::Same) {
            match piece.tag {
                Tag::Deleted => old += len(&piece.text),
                _ => new += len(&piece.text),
            }
        }
        old.max(new)
    };
    let mut out: Vec<Piece> = Vec::new();
    // The change being gathered: its old side and its new side.
    let mut pending: Option<(String, String)> = None;
    // A change of white space alone (a line wrapped elsewhere) is no change
    // a reader sees: it is shown as the text now.
    let flush = |out: &mut Vec<Piece>, pending: &mut Option<(String, String)>| {
        if let Some((old, new)) = pending.take() {
            if old.trim().is_empty() && new.trim().is_empty() {
                push(out, Tag::Same, &new);
            } else {
                push(out, Tag::Deleted, &old);
                push(out, Tag::Inserted, &new);
            }
        }
    };
    for (i, piece) in pieces.iter().enumerate() {
        match piece.tag {
            Tag::Same => {
                let before = pending.as_ref().map_or(0, |(o, n)| len(o).max(len(n)));
                let after = change_after(i + 1);
                let short = len(&piece.text);
                let fold = before > 0
                    && after > 0
                    && short <= before.min(after)
                    && !piece.text.contains("\n\n");
                match (&mut pending, fold) {
                    (Some((old, new)), true) => {
                        old.push_str(&piece.text);
                        new.push_str(&piece.text);
                    }
                    _ => {
                        flush(&mut out, &mut pending);
                        push(&mut out, Tag::Same, &piece.text);
                    }
                }
            }
            Tag::Deleted => pending.get_or_insert_default().0.push_str(&piece.text),
            Tag::Inserted => pending.get_or_insert_default().1.push_str(&piece.text),
        }
    }
    flush(&mut out, &mut pending);
    out
}

fn count(pieces: &[Piece], tag: Tag) -> usize {
    pieces
        .iter()
        .filter(|p| p.tag == tag)
        .map(|p| p.text.split_whitespace().count())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(id: &str, number: &str, title: &str, body: &str) -> ArchivedSection {
        ArchivedSection {
            id: id.into(),
            number: number.into(),
            level: 1,
            title: title.into(),
            body: body.into(),
        }
    }

    fn text(sections: Vec<ArchivedSection>) -> ApprovedText {
        ApprovedText {
            title: "Key Worker Policy".into(),
            sections,
        }
    }

    fn shown(pieces: &[Piece]) -> String {
        pieces
            .iter()
            .map(|p| match p.tag {
                Tag::Same => p.text.clone(),
                Tag::Inserted => format!("{{+{}+}}", p.text),
                Tag::Deleted => format!("[-{}-]", p.text),
            })
            .collect()
    }

    #[test]
    fn a_rewritten_sentence_is_one_deletion_and_one_insertion() {
        let pieces = words(
            "Staff meet weekly. The key worker visits the home each month. Records are kept.",
            "Staff meet weekly. The manager reads the plan with the person each week. Records are kept.",
        );
        assert_eq!(
            shown(&pieces),
            "Staff meet weekly. The [-key worker visits the home each month.-]{+manager reads the plan with the person each week.+} Records are kept."
        );
    }

    #[test]
    fn one_word_changed() {
        let pieces = words(
            "They meet weekly.\n\nAlways.",
            "They meet fortnightly.\n\nAlways.",
        );
        assert_eq!(
            shown(&pieces),
            "They meet [-weekly.-]{+fortnightly.+}\n\nAlways."
        );
    }

    #[test]
    fn sections_added_removed_changed_and_moved() {
        let approved = text(vec![
            section("a", "1", "Purpose", "Why we do it."),
            section("b", "2", "Scope", "Everyone."),
            section("c", "3", "Gone", "Old words here."),
            section("d", "4", "Last", "End."),
        ]);
        let now = text(vec![
            section("d", "1", "Last", "End."),
            section("a", "2", "Purpose", "Why we do it now."),
            section("b", "3", "Scope", "Everyone."),
            section("e", "4", "New", "Fresh words."),
        ]);
        let changes = compare(&approved, &now);
        let kinds: Vec<(Kind, &str)> = changes
            .sections
            .iter()
            .map(|s| (s.kind, s.id.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                (Kind::Moved, "d"),
                (Kind::Changed, "a"),
                (Kind::Removed, "c"),
                (Kind::Added, "e"),
            ]
        );
        assert_eq!(changes.sections[1].was.as_deref(), Some("1. Purpose"));
        let c = changes.counts;
        assert_eq!((c.changed, c.added, c.removed, c.moved), (1, 1, 1, 1));
        // `it.` became `it now.`: the tokens carry their punctuation.
        assert_eq!((c.words_inserted, c.words_deleted), (2 + 3, 1 + 4));
        assert!(compare(&now, &now).is_empty());
    }
}
