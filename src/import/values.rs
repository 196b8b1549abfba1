//! Values put back as placeholders. A document that was filled in (a
//! policygen build, or a provider's own Word file) shows the organisation's
//! name and the review dates as text where the templates fill placeholders.
//! Left as text, a date would go stale: the next build would say "due by 2
//! October 2026" in a body while the register moved on. So each occurrence
//! of a value the boilerplate showed (the name line at the top, the dates
//! of the reference table or closing block) becomes its placeholder in the
//! section bodies, and the report counts them.

use crate::import::boilerplate::Shown;
use crate::import::outline::Section;

/// One value put back: how many times, the text, the placeholder written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    pub count: usize,
    pub text: String,
    pub placeholder: &'static str,
}

/// Replaces the shown values in every body, the longest first (a name
/// holding a date is unlikely, but the longer text wins where two overlap);
/// returns what was put back, in the order of `shown`'s fields.
pub fn restore(shown: &Shown, sections: &mut [Section]) -> Vec<Restored> {
    let mut wanted: Vec<(&str, &'static str)> = [
        (&shown.name, "{{org_field_name}}"),
        (&shown.next_review, "{{next_review_date}}"),
        (&shown.last_reviewed, "{{last_update_date}}"),
    ]
    .into_iter()
    .filter_map(|(value, placeholder)| Some((value.as_deref()?, placeholder)))
    .filter(|(value, _)| value.chars().count() >= 3)
    .collect();
    // The same date as last and next review cannot be told apart: neither.
    if shown.next_review.is_some() && shown.next_review == shown.last_reviewed {
        wanted.retain(|(_, p)| *p == "{{org_field_name}}");
    }
    let mut order: Vec<usize> = (0..wanted.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(wanted[i].0.len()));
    let mut counts = vec![0; wanted.len()];
    for section in sections.iter_mut() {
        for &i in &order {
            let (text, placeholder) = wanted[i];
            let (body, n) = replace(&section.body, text, placeholder);
            section.body = body;
            counts[i] += n;
        }
    }
    wanted
        .iter()
        .zip(counts)
        .filter(|(_, n)| *n > 0)
        .map(|((text, placeholder), count)| Restored {
            count,
            text: (*text).to_string(),
            placeholder,
        })
        .collect()
}

/// Every whole-word occurrence of `text` in `body` replaced by
/// `placeholder`, the words of `text` matching across any white space (a
/// body wraps its lines, so a name may be split over two); and how many.
fn replace(body: &str, text: &str, placeholder: &str) -> (String, usize) {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() {
        return (body.to_string(), 0);
    }
    let mut out = String::with_capacity(body.len());
    let mut count = 0;
    let mut at = 0;
    while at < body.len() {
        if let Some(end) = match_at(body, at, &words) {
            out.push_str(placeholder);
            count += 1;
            at = end;
            continue;
        }
        let Some(c) = body[at..].chars().next() else {
            break;
        };
        out.push(c);
        at += c.len_utf8();
    }
    (out, count)
}

/// Where a match of `words` starting at byte `at` ends, if one does and
/// it is whole words (no letter or digit just before or after it).
fn match_at(body: &str, at: usize, words: &[&str]) -> Option<usize> {
    let joined = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    if joined(body[..at].chars().next_back()) {
        return None;
    }
    let mut end = at;
    for (k, word) in words.iter().enumerate() {
        if k > 0 {
            let gap = body[end..]
                .find(|c: char| !c.is_whitespace())
                .unwrap_or(body.len() - end);
            if gap == 0 {
                return None;
            }
            end += gap;
        }
        if !body[end..].starts_with(word) {
            return None;
        }
        end += word.len();
    }
    (!joined(body[end..].chars().next())).then_some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_words_across_wrapped_lines() {
        let body = "This policy explains how Cornerstone\n  Homecare Ltd works. Cornerstone Homecare Ltdx is not it,\nnor Cornerstone Homecare.";
        assert_eq!(
            replace(body, "Cornerstone Homecare Ltd", "{{org_field_name}}"),
            (
                "This policy explains how {{org_field_name}} works. Cornerstone Homecare Ltdx is not it,\nnor Cornerstone Homecare.".to_string(),
                1
            )
        );
        assert_eq!(
            replace(
                "due by 2 October 2026, not 12 October 2026.",
                "2 October 2026",
                "{{next_review_date}}"
            ),
            (
                "due by {{next_review_date}}, not 12 October 2026.".to_string(),
                1
            )
        );
    }

    #[test]
    fn the_same_date_twice_is_left_as_text() {
        let shown = Shown {
            name: None,
            last_reviewed: Some("1 May 2026".into()),
            next_review: Some("1 May 2026".into()),
        };
        let mut sections = vec![Section {
            index: 0,
            number: None,
            title: "T".into(),
            id: "t".into(),
            depth: 1,
            body_lines: Vec::new(),
            folded: Vec::new(),
            body: "Reviewed by 1 May 2026.".into(),
        }];
        assert!(restore(&shown, &mut sections).is_empty());
        assert_eq!(sections[0].body, "Reviewed by 1 May 2026.");
    }
}
