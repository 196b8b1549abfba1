//! The shapes of a numbered heading: `1. Purpose`, `4.1. Building Trust`,
//! `4.1 Title`, `1.0 Objectives`. Whether a line of that shape really is a
//! heading (and not item 2 of a numbered list) is `outline`'s decision.

/// A heading number as written, and as a path in the section tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number {
    /// `[4, 1]` for `4.1.`; `[1]` for `1.0` (a trailing `.0` marks a top-level
    /// section in documents numbered `1.0`, `1.1`, `2.0`).
    pub parts: Vec<u32>,
    /// The number as the input writes it: `4.1.`, `1.0`.
    pub written: String,
}

/// Splits a line into its heading number and title, when it has the shape
/// of a numbered heading with a title-like text after the number.
pub fn split(line: &str) -> Option<(Number, String)> {
    let trimmed = line.trim_start();
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    let number_end = trimmed
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(trimmed.len());
    let written = &trimmed[..number_end];
    let rest = &trimmed[number_end..];
    if written.is_empty() || !rest.starts_with([' ', '\t']) {
        return None;
    }
    let parts = parse_parts(written)?;
    let title = tidy_title(rest);
    if !title_like(&title) {
        return None;
    }
    // "1 Purpose" without a dot is a heading only when the rest is short:
    // "2 members of staff will…" is a sentence, and "14 Orchard Rise,
    // Malvern" an address.
    if !written.contains('.') && (title.split_whitespace().count() > 6 || title.contains(',')) {
        return None;
    }
    Some((
        Number {
            parts,
            written: written.to_string(),
        },
        title,
    ))
}

fn parse_parts(written: &str) -> Option<Vec<u32>> {
    let body = written.strip_suffix('.').unwrap_or(written);
    if body.is_empty() || body.starts_with('.') || body.contains("..") {
        return None;
    }
    let mut parts = Vec::new();
    for piece in body.split('.') {
        if piece.len() > 3 {
            return None;
        }
        parts.push(piece.parse::<u32>().ok()?);
    }
    if parts.len() > 5 || parts[0] == 0 {
        return None;
    }
    while parts.len() > 1 && parts.last() == Some(&0) {
        parts.pop();
    }
    if parts.contains(&0) {
        return None;
    }
    Some(parts)
}

/// A title without stray spaces or a trailing colon.
pub fn tidy_title(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    text.trim_end_matches(':').trim_end().to_string()
}

/// Whether text reads as a heading's title rather than a sentence: short, no
/// full stop or comma at the end, and starting with a capital (or a digit,
/// a quote or a placeholder).
pub fn title_like(title: &str) -> bool {
    let words = title.split_whitespace().count();
    let Some(first) = title.chars().next() else {
        return false;
    };
    let starts_well = first.is_uppercase()
        || first.is_ascii_digit()
        || matches!(first, '“' | '‘' | '"' | '\'' | '(')
        || title.starts_with("{{")
        || title.starts_with("<<");
    starts_well
        && (1..=14).contains(&words)
        && title.chars().count() <= 100
        && !title.ends_with(['.', ',', ';', '!'])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(line: &str) -> Option<(Vec<u32>, String)> {
        split(line).map(|(n, t)| (n.parts, t))
    }

    #[test]
    fn numbered_shapes() {
        assert_eq!(parts("1. Purpose"), Some((vec![1], "Purpose".into())));
        assert_eq!(
            parts("4.1. Building a Relationship of Trust"),
            Some((vec![4, 1], "Building a Relationship of Trust".into()))
        );
        assert_eq!(parts("4.1 Title"), Some((vec![4, 1], "Title".into())));
        assert_eq!(
            parts("1.0 Objectives"),
            Some((vec![1], "Objectives".into()))
        );
        assert_eq!(parts("2.0   Scope:"), Some((vec![2], "Scope".into())));
        assert_eq!(
            parts("3.2.1 Night staff"),
            Some((vec![3, 2, 1], "Night staff".into()))
        );
        assert_eq!(parts("2 Scope"), Some((vec![2], "Scope".into())));
        assert_eq!(
            parts("5. About {{org_field_name}}"),
            Some((vec![5], "About {{org_field_name}}".into()))
        );
    }

    #[test]
    fn sentences_and_list_items_are_not_headings() {
        assert_eq!(parts("1. Speak to the manager."), None);
        assert_eq!(parts("2. the person's GP"), None);
        assert_eq!(parts("2 members of staff will be on shift at night"), None);
        assert_eq!(parts("2016 was the year"), None);
        assert_eq!(parts("14 Orchard Rise, Malvern, WR14 0ZZ"), None);
        assert_eq!(parts("1.2.3.4.5.6 Deep"), None);
        assert_eq!(parts("0. Zero"), None);
        assert_eq!(parts("1..2 Odd"), None);
        assert_eq!(parts("12:30 Lunch"), None);
        assert_eq!(parts("        1. Indented item"), None);
        assert_eq!(parts("1."), None);
    }
}
