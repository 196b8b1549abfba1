//! Placeholders in policy text: finding `<<name>>` and `{{name}}`, and
//! filling them from a table of values. Values are inserted through an
//! escaping function, so they are always literal text in the output.

use std::collections::BTreeMap;

/// One placeholder occurrence in a piece of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    /// Byte range of the whole placeholder, delimiters included.
    pub start: usize,
    pub end: usize,
    pub name: String,
}

impl Placeholder {
    pub fn literal<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }
}

/// Finds every placeholder in `text`, in order. `<<name>>` and `{{name}}`
/// (spaces inside the braces allowed) with names of letters, digits and `_`.
pub fn scan(text: &str) -> Vec<Placeholder> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i + 1 < bytes.len() {
        let close = match (bytes[i], bytes[i + 1]) {
            (b'<', b'<') => b'>',
            (b'{', b'{') => b'}',
            _ => {
                i += 1;
                continue;
            }
        };
        let mut j = i + 2;
        while j < bytes.len() && bytes[j] == b' ' && close == b'}' {
            j += 1;
        }
        let name_start = j;
        while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_') {
            j += 1;
        }
        let name_end = j;
        while j < bytes.len() && bytes[j] == b' ' && close == b'}' {
            j += 1;
        }
        let named = name_end > name_start && !bytes[name_start].is_ascii_digit();
        if named && j + 1 < bytes.len() && bytes[j] == close && bytes[j + 1] == close {
            found.push(Placeholder {
                start: i,
                end: j + 2,
                name: text[name_start..name_end].to_string(),
            });
            i = j + 2;
        } else {
            i += 1;
        }
    }
    found
}

/// What a placeholder name stands for in one document.
#[derive(Debug, Clone, Default)]
pub struct Values {
    /// Inline values: plain text, escaped on insertion.
    pub text: BTreeMap<String, String>,
    /// Block values: Markdown produced by policygen itself, inserted as is,
    /// allowed only on a line of their own (`<<review_triggers>>`).
    pub blocks: BTreeMap<String, String>,
    /// Names that exist but have no value for this organisation, with why.
    pub missing: BTreeMap<String, String>,
}

/// Why a placeholder could not be filled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// No such placeholder; the hint suggests a close name.
    Unknown { hint: Option<String> },
    /// A known placeholder the profile gives no value for.
    Missing { hint: String },
    /// A block placeholder used inside a sentence.
    NotOnOwnLine,
}

impl Values {
    /// The value of `name`, trying the `_cap` form (first letter capitalised).
    pub fn lookup(&self, name: &str) -> Result<String, Problem> {
        if let Some(value) = self.text.get(name) {
            return Ok(value.clone());
        }
        if let Some(base) = name.strip_suffix("_cap")
            && let Some(value) = self.text.get(base)
        {
            return Ok(capitalise(value));
        }
        let base = name.strip_suffix("_cap").unwrap_or(name);
        if let Some(why) = self.missing.get(base) {
            return Err(Problem::Missing { hint: why.clone() });
        }
        if let Some(field) = base.strip_prefix("org_field_") {
            return Err(Problem::Missing {
                hint: format!(
                    "the profile has no value `{field}`; add it to the profile, or under `fields:` as `{field}: …`"
                ),
            });
        }
        let names = self
            .text
            .keys()
            .chain(self.blocks.keys())
            .map(String::as_str);
        Err(Problem::Unknown {
            hint: crate::diagnostic::did_you_mean(name, names),
        })
    }

    /// Fills every placeholder of `text`. Inline values pass through `escape`.
    /// Returns the filled text, or every placeholder that failed.
    pub fn fill(
        &self,
        text: &str,
        escape: fn(&str) -> String,
    ) -> Result<String, Vec<(Placeholder, Problem)>> {
        let mut out = String::with_capacity(text.len() + 64);
        let mut problems = Vec::new();
        let mut last = 0;
        for placeholder in scan(text) {
            out.push_str(&text[last..placeholder.start]);
            last = placeholder.end;
            if let Some(block) = self.blocks.get(&placeholder.name) {
                if alone_on_line(text, &placeholder) {
                    out.push_str(block);
                } else {
                    problems.push((placeholder, Problem::NotOnOwnLine));
                }
                continue;
            }
            match self.lookup(&placeholder.name) {
                Ok(value) => out.push_str(&escape(&value)),
                Err(problem) => problems.push((placeholder, problem)),
            }
        }
        out.push_str(&text[last..]);
        if problems.is_empty() {
            Ok(out)
        } else {
            Err(problems)
        }
    }
}

impl Problem {
    /// The finding's message and hint for placeholder `name`, in a document
    /// for organisation `org`.
    pub fn describe(&self, name: &str, org: &str) -> (String, String) {
        match self {
            Problem::Unknown { hint } => (
                format!("unknown placeholder `{name}`"),
                hint.clone().unwrap_or_else(|| {
                    "see the placeholder table in the README for the names you can use".into()
                }),
            ),
            Problem::Missing { hint } => (
                format!("placeholder `{name}` has no value for organisation `{org}`"),
                format!("{hint} (organisations/{org}.yaml)"),
            ),
            Problem::NotOnOwnLine => (
                format!("placeholder `{name}` must stand on a line of its own"),
                "it expands to a list; put it on its own line between paragraphs".into(),
            ),
        }
    }
}

/// Every placeholder a document fills apart from `org_field_*`, whose names
/// depend on the profile. Used to check variants no organisation uses yet;
/// `document` fills exactly these (a test there keeps the two in step).
pub const DOCUMENT_NAMES: &[&str] = &[
    "current_year",
    "last_update_date",
    "legislation_act",
    "legislation_act_short",
    "legislation_regulations",
    "legislation_regulations_short",
    "next_review_date",
    "policy_code",
    "policy_title",
    "policy_version",
    "regulator_name",
    "regulator_short",
    "review_cycle",
    "term_manager",
    "term_people",
    "term_person",
    "term_responsible",
];

/// Placeholders that expand to a block and stand on a line of their own.
pub const BLOCK_NAMES: &[&str] = &["org_field_logo", "related_policies", "review_triggers"];

/// Checks `text` against the names every document fills: unknown names and
/// block placeholders inside a sentence. `org_field_*` names pass, since
/// whether they have a value depends on the organisation.
pub fn check_names(text: &str) -> Vec<(Placeholder, Problem)> {
    let mut values = Values::default();
    for name in DOCUMENT_NAMES {
        values.text.insert(name.to_string(), String::new());
    }
    for name in BLOCK_NAMES {
        values.blocks.insert(name.to_string(), String::new());
    }
    match values.fill(text, verbatim) {
        Ok(_) => Vec::new(),
        Err(problems) => problems
            .into_iter()
            .filter(|(_, problem)| !matches!(problem, Problem::Missing { .. }))
            .collect(),
    }
}

/// Leaves text exactly as it is: for values inserted into plain text.
pub fn verbatim(text: &str) -> String {
    text.to_string()
}

fn alone_on_line(text: &str, p: &Placeholder) -> bool {
    let line_start = text[..p.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[p.end..].find('\n').map_or(text.len(), |i| p.end + i);
    text[line_start..p.start].trim().is_empty() && text[p.end..line_end].trim().is_empty()
}

fn capitalise(value: &str) -> String {
    let mut chars = value.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::escape;

    fn values() -> Values {
        let mut v = Values::default();
        v.text.insert(
            "org_field_name".into(),
            "O'Brien & <b>Sons</b> [x](y) {{ z }}".into(),
        );
        v.text.insert("term_people".into(), "residents".into());
        v.blocks
            .insert("review_triggers".into(), "- one\n- two".into());
        v.missing.insert(
            "org_field_phone".into(),
            "add `phone:` to the profile".into(),
        );
        v
    }

    #[test]
    fn scans_both_forms() {
        let found = scan("a <<org_field_name>> b {{ term_people }} c {{x y}} <<1a>> <<>>");
        let names: Vec<_> = found.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["org_field_name", "term_people"]);
        assert_eq!(
            found[1].literal("a <<org_field_name>> b {{ term_people }} c"),
            "{{ term_people }}"
        );
    }

    #[test]
    fn fills_and_escapes_values_once() {
        let filled = values()
            .fill(
                "Run by <<org_field_name>> for {{term_people_cap}}.",
                escape::markdown,
            )
            .unwrap();
        assert_eq!(
            filled,
            "Run by O'Brien \\& \\<b\\>Sons\\</b\\> \\[x\\](y) \\{\\{ z \\}\\} for Residents."
        );
        // A value that looks like a placeholder is not filled again.
        let mut v = values();
        v.text
            .insert("org_field_name".into(), "<<term_people>>".into());
        assert_eq!(
            v.fill("<<org_field_name>>", verbatim).unwrap(),
            "<<term_people>>"
        );
    }

    #[test]
    fn reports_every_problem() {
        let err = values()
            .fill(
                "<<term_peple>> <<org_field_phone>> <<org_field_fax>> x <<review_triggers>>",
                verbatim,
            )
            .unwrap_err();
        assert_eq!(err.len(), 4);
        assert_eq!(
            err[0].1,
            Problem::Unknown {
                hint: Some("did you mean `term_people`?".into())
            }
        );
        assert!(matches!(err[1].1, Problem::Missing { .. }));
        assert!(matches!(&err[2].1, Problem::Missing { hint } if hint.contains("fields:")));
        assert_eq!(err[3].1, Problem::NotOnOwnLine);
    }

    #[test]
    fn names_are_checked_without_an_organisation() {
        let problems = check_names(
            "<<org_field_anything>> <<term_people_cap>> {{ polcy_title }}\nSee <<review_triggers>> here.",
        );
        assert_eq!(problems.len(), 2);
        assert_eq!(problems[0].0.name, "polcy_title");
        assert_eq!(
            problems[0].1,
            Problem::Unknown {
                hint: Some("did you mean `policy_title`?".into())
            }
        );
        assert_eq!(problems[1].1, Problem::NotOnOwnLine);
    }

    #[test]
    fn block_values_need_their_own_line() {
        assert_eq!(
            values()
                .fill("Triggers:\n\n  <<review_triggers>>\n", verbatim)
                .unwrap(),
            "Triggers:\n\n  - one\n- two\n"
        );
    }
}
