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
    use crate::escape;

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
    fn block_values_need_their_own_line() {
        assert_eq!(
            values()
                .fill("Triggers:\n\n  <<review_triggers>>\n", verbatim)
                .unwrap(),
            "Triggers:\n\n  - one\n- two\n"
        );
    }
}
