//! What an imported document holds that the templates already render, and
//! is dropped: at the top the logo, the organisation's name, the
//! registration number, the title, the reference and version; at the end the
//! closing block (responsible person, review dates, copyright); anywhere, a
//! review-history or contents section. Web-page debris after the closing
//! block (comment forms, "Page last modified") is dropped with a warning;
//! other text before the first heading cannot be placed and is reported.

use crate::document::placeholder;
use crate::import::outline::Found;
use crate::import::{Line, Style};

/// What becomes of each input line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Keep,
    Dropped(Dropped),
    /// Web-page debris after the closing block.
    Debris,
    /// Text before the first heading that is not boilerplate.
    Unplaced,
}

/// Boilerplate the templates render, by what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dropped {
    Logo,
    Name,
    Registration,
    Contacts,
    Title,
    Reference,
    Version,
    Draft,
    ReferenceTable,
    DocumentControl,
    Closing,
    TemplateSection,
}

impl Dropped {
    pub fn describe(self) -> &'static str {
        match self {
            Dropped::Logo => "the logo",
            Dropped::Name => "the organisation's name",
            Dropped::Registration => "the registration number",
            Dropped::Contacts => "the address and contacts",
            Dropped::Title => "the title",
            Dropped::Reference => "the reference code",
            Dropped::Version => "the version",
            Dropped::Draft => "a draft mark",
            Dropped::ReferenceTable => "the reference table",
            Dropped::DocumentControl => "document control details",
            Dropped::Closing => "the closing block",
            Dropped::TemplateSection => "a section the templates make",
        }
    }
}

/// Labels that open a line of the closing block (compared lowercased).
const CLOSING: &[&str] = &[
    "responsible person",
    "responsible manager",
    "reviewed on",
    "reviewed by",
    "last reviewed",
    "date reviewed",
    "date of review",
    "last updated",
    "last update",
    "next review",
    "date of next review",
    "review date",
    "approved by",
    "approved on",
    "date approved",
    "signed",
    "signature",
    "copyright",
    "©",
];

/// Lines that only a web page has around a policy's text.
const DEBRIS: &[&str] = &[
    "leave a reply",
    "leave a comment",
    "cancel reply",
    "post comment",
    "your email address will not be published",
    "required fields are marked",
    "page last modified",
    "page last updated",
    "share this:",
    "like this:",
    "log in to reply",
    "log in to leave a comment",
    "back to top",
    "was this page helpful",
    "skip to content",
    "subscribe to our newsletter",
    "this site uses akismet",
    "save my name, email, and website",
];

/// Sections the templates make themselves (compared lowercased).
const TEMPLATE_SECTIONS: &[&str] = &[
    "review history",
    "document history",
    "version history",
    "revision history",
    "change history",
    "staff acknowledgements",
    "staff acknowledgement",
    "staff acknowledgement sheet",
    "acknowledgement sheet",
    "contents",
    "table of contents",
    "document control",
];

/// A line's text without Markdown emphasis, heading marks or a trailing
/// hard-break backslash, lowercased.
fn plain(line: &Line) -> String {
    let text = line.raw.trim();
    let text = text.trim_start_matches('#').trim();
    let text = text.trim_end_matches('\\').trim();
    text.trim_matches(|c| c == '*' || c == '_')
        .replace("**", "")
        .trim()
        .to_lowercase()
}

fn is_closing(text: &str) -> bool {
    CLOSING.iter().any(|label| text.starts_with(label))
        || (text.contains('©') && text.chars().count() < 200)
}

fn is_copyright(text: &str) -> bool {
    text.starts_with("copyright")
        || text.starts_with('©')
        || (text.contains('©') && text.contains("rights reserved"))
}

fn is_debris(text: &str) -> bool {
    DEBRIS.iter().any(|marker| text.starts_with(marker))
        || text.contains("your email address will not be published")
        || text.contains("required fields are marked")
}

fn only_placeholder(text: &str, name: &str) -> bool {
    let found = placeholder::scan(text);
    found.len() == 1 && found[0].name == name && text.trim() == found[0].literal(text)
}

/// Decides what becomes of every line.
pub fn classify(
    lines: &[Line],
    found: &Found,
    labels: &[String],
    contacts: &[String],
) -> Vec<Mark> {
    let n = lines.len();
    let mut marks = vec![Mark::Keep; n];
    let first = found.headings.first().map_or(n, |h| h.index);
    if let Some(title) = found.title {
        marks[title] = Mark::Dropped(Dropped::Title);
    }
    let texts: Vec<String> = lines.iter().map(plain).collect();

    // The end: web debris or the copyright line stop the policy; the
    // closing block starts at its first label after the last heading.
    let stop = (first..n).find(|&i| is_debris(&texts[i]) || is_copyright(&texts[i]));
    let last_heading = found
        .headings
        .iter()
        .map(|h| h.index)
        .rfind(|&i| stop.is_none_or(|s| i < s));
    let closing = last_heading
        .and_then(|h| (h + 1..stop.unwrap_or(n)).find(|&i| is_closing(&texts[i])))
        .or(stop.filter(|&s| is_copyright(&texts[s])));
    if let Some(start) = closing {
        let end = match stop {
            Some(s) if is_copyright(&texts[s]) => s + 1,
            Some(s) => s,
            None => n,
        };
        for mark in marks.iter_mut().take(end).skip(start) {
            *mark = Mark::Dropped(Dropped::Closing);
        }
        // A rule or signature line just above the block belongs to it.
        if let Some(above) = (0..start).rev().find(|&i| !lines[i].blank())
            && texts[above]
                .chars()
                .all(|c| matches!(c, '-' | '_' | '*' | '=' | ' '))
            && texts[above].len() >= 3
        {
            marks[above] = Mark::Dropped(Dropped::Closing);
        }
        for mark in marks.iter_mut().skip(end) {
            *mark = Mark::Debris;
        }
    } else if let Some(s) = stop {
        for mark in marks.iter_mut().skip(s) {
            *mark = Mark::Debris;
        }
    }

    // Sections the templates make, heading and body, wherever they are
    // (the staff acknowledgement sheet follows the closing block).
    for (k, h) in found.headings.iter().enumerate() {
        if h.number.is_none() && TEMPLATE_SECTIONS.contains(&h.title.to_lowercase().as_str()) {
            let end = found.headings.get(k + 1).map_or(n, |next| next.index);
            for mark in marks.iter_mut().take(end).skip(h.index) {
                if matches!(*mark, Mark::Keep | Mark::Debris) {
                    *mark = Mark::Dropped(Dropped::TemplateSection);
                }
            }
        }
    }

    preamble(
        lines,
        &texts,
        first.min(n),
        found.title.is_some(),
        labels,
        contacts,
        &mut marks,
    );
    for (i, line) in lines.iter().enumerate() {
        if line.blank() && matches!(marks[i], Mark::Debris | Mark::Unplaced) {
            marks[i] = Mark::Keep;
        }
    }
    marks
}

/// Classifies the lines before the first heading; then, unless the markup
/// gave one, the title is the first remaining short line naming a policy,
/// else the first remaining short line.
fn preamble(
    lines: &[Line],
    texts: &[String],
    first: usize,
    has_title: bool,
    labels: &[String],
    contacts: &[String],
    marks: &mut [Mark],
) {
    let has_title = has_title || lines[..first].iter().any(|l| l.style == Style::Title);
    for i in 0..first {
        if marks[i] != Mark::Keep || lines[i].blank() {
            continue;
        }
        let (line, text) = (&lines[i], texts[i].as_str());
        let label = |prefixes: &[&str]| {
            prefixes.iter().any(|p| {
                text.strip_prefix(p).is_some_and(|rest| {
                    rest.trim_start().starts_with([':', '.', '-']) || rest.starts_with(' ')
                })
            })
        };
        let mark = if line.style == Style::Image
            || only_placeholder(&line.raw, "org_field_logo")
            || (text.starts_with("![") && text.ends_with(')'))
        {
            Dropped::Logo
        } else if only_placeholder(&line.raw, "org_field_name") {
            Dropped::Name
        } else if label(&[
            "registration number",
            "registration no",
            "reg. no",
            "reg no",
            "registration",
        ]) || labels.iter().any(|l| text.starts_with(&l.to_lowercase()))
            || placeholder::scan(&line.raw)
                .iter()
                .any(|p| p.name == "org_field_registration_no")
        {
            // The line above, when short, is the organisation's name.
            if let Some(above) = (0..i).rev().find(|&j| !lines[j].blank())
                && marks[above] == Mark::Unplaced
                && texts[above].split_whitespace().count() <= 10
                && !names_a_policy(&texts[above])
            {
                marks[above] = Mark::Dropped(Dropped::Name);
            }
            Dropped::Registration
        } else if is_contacts(&line.raw, contacts) {
            Dropped::Contacts
        } else if line.style == Style::Title {
            Dropped::Title
        } else if text.starts_with("draft") && text.contains("approved") {
            Dropped::Draft
        } else if matches!(line.style, Style::Row { .. }) || text.starts_with('|') {
            Dropped::ReferenceTable
        } else if label(&[
            "reference",
            "ref",
            "policy reference",
            "policy code",
            "document reference",
            "policy number",
            "code",
        ]) {
            Dropped::Reference
        } else if label(&["version", "policy version", "version number"]) {
            Dropped::Version
        } else if is_closing(text) {
            Dropped::DocumentControl
        } else {
            marks[i] = Mark::Unplaced;
            continue;
        };
        marks[i] = Mark::Dropped(mark);
    }
    if has_title {
        return;
    }
    let candidate = |policy: bool| {
        (0..first).find(|&i| {
            marks[i] == Mark::Unplaced
                && title_shaped(&texts[i])
                && (!policy || names_a_policy(&texts[i]))
        })
    };
    if let Some(title) = candidate(true).or_else(|| candidate(false)) {
        marks[title] = Mark::Dropped(Dropped::Title);
    }
}

/// Whether a line above the first heading is the organisation's address or
/// contact details, which the templates render from the profile: a line
/// holding a profile's address, phone, email or website, or only those
/// placeholders, or an email address, a web address or a UK postcode.
fn is_contacts(raw: &str, contacts: &[String]) -> bool {
    let lower = raw.to_lowercase();
    if contacts
        .iter()
        .any(|c| c.chars().count() >= 5 && lower.contains(&c.to_lowercase()))
    {
        return true;
    }
    let found = placeholder::scan(raw);
    if !found.is_empty()
        && found.iter().all(|p| {
            [
                "org_field_address",
                "org_field_phone",
                "org_field_email",
                "org_field_website",
            ]
            .contains(&p.name.as_str())
        })
    {
        return true;
    }
    if raw.split_whitespace().count() > 16 {
        return false;
    }
    raw.split_whitespace().any(|w| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        (w.contains('@') && w.rsplit('@').next().is_some_and(|d| d.contains('.')))
            || w.starts_with("www.")
            || w.starts_with("http")
    }) || ends_with_postcode(raw)
}

/// A UK postcode at the end of a line: `LE3 0ZZ`, `SA19 6AA`, `EC1A 1BB`.
fn ends_with_postcode(raw: &str) -> bool {
    let words: Vec<&str> = raw
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let [.., outward, inward] = words.as_slice() else {
        return false;
    };
    let (o, i): (Vec<char>, Vec<char>) = (outward.chars().collect(), inward.chars().collect());
    let outward_ok = (2..=4).contains(&o.len())
        && o[0].is_ascii_uppercase()
        && o.iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && o.iter().any(char::is_ascii_digit);
    let inward_ok = i.len() == 3
        && i[0].is_ascii_digit()
        && i[1].is_ascii_uppercase()
        && i[2].is_ascii_uppercase();
    outward_ok && inward_ok
}

fn title_shaped(text: &str) -> bool {
    let words = text.split_whitespace().count();
    (1..=15).contains(&words) && !text.ends_with(['.', ',', ';'])
}

fn names_a_policy(text: &str) -> bool {
    ["policy", "procedure", "protocol", "guidance"]
        .iter()
        .any(|w| text.contains(w))
}

mod listing;
mod metadata;

pub use listing::report;
pub use metadata::{Meta, Shown, metadata};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{Kind, outline, text};

    fn marks(source: &str) -> Vec<Mark> {
        let lines = text::read(source);
        let found = outline::find(Kind::Text, &lines);
        classify(
            &lines,
            &found,
            &["CQC location ID".to_string()],
            &["01632 960000".to_string()],
        )
    }

    #[test]
    fn top_and_closing_block() {
        use Dropped::*;
        let m = marks(
            "{{org_field_logo}}\nAshgrove House\nRegistration Number: {{org_field_registration_no}}\nKey Worker Policy\nA stray line.\n1. Purpose\nText.\nResponsible Person: {{org_field_registered_manager_first_name}}\nNext Review Date: {{next_review_date}}\nCopyright © {{current_year}} – {{org_field_name}}. All rights reserved.\nLeave a Reply\nName *\n",
        );
        assert_eq!(
            m,
            [
                Mark::Dropped(Logo),
                Mark::Dropped(Name),
                Mark::Dropped(Registration),
                Mark::Dropped(Title),
                Mark::Unplaced,
                Mark::Keep,
                Mark::Keep,
                Mark::Dropped(Closing),
                Mark::Dropped(Closing),
                Mark::Dropped(Closing),
                Mark::Debris,
                Mark::Debris,
            ]
        );
    }
}
