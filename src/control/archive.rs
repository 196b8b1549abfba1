//! The approved text of a policy: the document's title and sections,
//! placeholders filled, as Markdown, kept under
//! `approved/<org>/<policy-id>/v<version>.md` (SPEC §8). What a build makes
//! now is compared with it to tell `approved` from `changed`, and the
//! redline shows the difference.
//!
//! An archive starts with YAML front matter saying what it is (who approved
//! which version, when), then `# Title`, then each section as a
//! `<!-- section: id -->` marker and its numbered heading and body. The
//! marker carries the section's id, so a section keeps its identity when
//! others are added before it and its number changes. Pure apart from
//! [`write`], which puts a new archive on disk without ever replacing one.

use std::path::Path;

use chrono::NaiveDate;

use crate::document::SectionView;
use crate::review::profile_edit::scalar;

/// The library folder holding approved texts.
pub const FOLDER: &str = "approved";

const MARKER_OPEN: &str = "<!-- section: ";
const MARKER_CLOSE: &str = " -->";

/// One section of an approved text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchivedSection {
    pub id: String,
    /// `4` or `4.1`, as numbered when approved.
    pub number: String,
    /// 1 for top-level sections.
    pub level: usize,
    pub title: String,
    /// CommonMark, trailing spaces and surrounding blank lines trimmed.
    pub body: String,
}

/// The title and sections of one document, as approved or as built now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovedText {
    pub title: String,
    pub sections: Vec<ArchivedSection>,
}

/// Who approved which version, when: the archive's front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approval<'a> {
    pub org: &'a str,
    pub policy: &'a str,
    pub variant: &'a str,
    pub version: &'a str,
    pub approved_by: &'a str,
    pub approved_on: NaiveDate,
}

impl ApprovedText {
    /// The text of a document's title and sections.
    pub fn of(title: &str, sections: &[SectionView]) -> ApprovedText {
        ApprovedText {
            title: title.trim().to_string(),
            sections: sections
                .iter()
                .map(|s| ArchivedSection {
                    id: s.id.clone(),
                    number: s.number.clone(),
                    level: s.level,
                    title: s.title.trim().to_string(),
                    body: normalise(&s.body),
                })
                .collect(),
        }
    }

    /// The archive file: front matter, then [`ApprovedText::body`].
    pub fn to_file(&self, approval: &Approval) -> String {
        let mut out = String::from("---\n");
        out.push_str(&format!(
            "# The text of version {} of `{}` as approved for `{}`,\n\
             # written by `policygen approve`. Keep it as it is: later builds\n\
             # compare the policy with it to show what changed since then.\n",
            approval.version, approval.policy, approval.org
        ));
        for (key, value) in [
            ("organisation", approval.org.to_string()),
            ("policy", approval.policy.to_string()),
            ("variant", approval.variant.to_string()),
            ("version", approval.version.to_string()),
            ("approved_by", approval.approved_by.to_string()),
            ("approved_on", approval.approved_on.to_string()),
        ] {
            out.push_str(&format!("{key}: {}\n", scalar(&value)));
        }
        out.push_str("---\n\n");
        out.push_str(&self.body());
        out
    }

    /// The Markdown of the title and sections, without front matter.
    pub fn body(&self) -> String {
        let mut out = format!("# {}\n", self.title);
        for s in &self.sections {
            let hashes = "#".repeat((s.level + 1).min(6));
            let dot = if s.level == 1 { "." } else { "" };
            out.push_str(&format!(
                "\n{MARKER_OPEN}{}{MARKER_CLOSE}\n{hashes} {}{dot} {}\n",
                s.id, s.number, s.title
            ));
            if !s.body.is_empty() {
                out.push('\n');
                out.push_str(&s.body);
                out.push('\n');
            }
        }
        out
    }

    /// Reads an archive written by [`ApprovedText::to_file`]. Lenient about
    /// line endings and trailing spaces (a checkout on Windows may change
    /// them); `Err` says what is missing.
    pub fn parse(text: &str) -> Result<ApprovedText, String> {
        let text: String = text
            .lines()
            .map(|l| format!("{}\n", l.trim_end()))
            .collect();
        let body = strip_front_matter(&text);
        let mut lines = body.lines().peekable();
        let mut title = None;
        // Everything before the first section marker: the title.
        while let Some(line) = lines.peek() {
            if marker_id(line).is_some() {
                break;
            }
            if let Some(rest) = line.strip_prefix("# ")
                && title.is_none()
            {
                title = Some(rest.trim().to_string());
            }
            lines.next();
        }
        let title = title.ok_or("it has no `# Title` line")?;
        let mut sections = Vec::new();
        while let Some(line) = lines.next() {
            let Some(id) = marker_id(line) else {
                continue;
            };
            let heading = lines
                .next()
                .ok_or_else(|| format!("section `{id}` has no heading"))?;
            let hashes = heading.chars().take_while(|c| *c == '#').count();
            let rest = heading[hashes..].trim();
            if hashes < 2 || rest.is_empty() {
                return Err(format!(
                    "section `{id}` has no `## N. Title` heading after its marker"
                ));
            }
            let (number, title) = rest.split_once(' ').unwrap_or((rest, ""));
            let mut body = String::new();
            while let Some(line) = lines.peek() {
                if marker_id(line).is_some() {
                    break;
                }
                body.push_str(line);
                body.push('\n');
                lines.next();
            }
            sections.push(ArchivedSection {
                id: id.to_string(),
                number: number.trim_end_matches('.').to_string(),
                level: hashes - 1,
                title: title.trim().to_string(),
                body: normalise(&body),
            });
        }
        Ok(ApprovedText { title, sections })
    }

    /// Whether two texts say the same: titles and sections, in order, with
    /// the same ids, levels, titles and bodies (numbers follow from those).
    pub fn same_as(&self, other: &ApprovedText) -> bool {
        self.title == other.title
            && self.sections.len() == other.sections.len()
            && self.sections.iter().zip(&other.sections).all(|(a, b)| {
                a.id == b.id && a.level == b.level && a.title == b.title && a.body == b.body
            })
    }
}

/// `approved/<org>/<policy>/v<version>.md`, or why the version cannot name
/// a file.
pub fn path(org: &str, policy: &str, version: &str) -> Result<String, String> {
    if names_a_file(version) {
        Ok(format!("{FOLDER}/{org}/{policy}/v{version}.md"))
    } else {
        Err(format!(
            "version `{version}` cannot name the approved text's file: use letters, digits, `.`, `-` and `_` (e.g. `3` or `2.1`)"
        ))
    }
}

/// Whether a version can name an archive file (`v<version>.md`): letters,
/// digits, `.`, `-` and `_`, not starting with `.`, so no version reaches
/// outside its folder (`../../x`). See also [`leads_elsewhere`].
pub fn names_a_file(version: &str) -> bool {
    !version.is_empty()
        && version.len() <= 40
        && !version.starts_with('.')
        && version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

/// Whether a version reads as a path (`../../x`, `a/b`): `check` refuses
/// those in any review, while other versions a file cannot be named after
/// (`1 | 2`) are refused only when approved.
pub fn leads_elsewhere(version: &str) -> bool {
    version.contains(['/', '\\']) || version.starts_with('.')
}

/// The version an archive file name stands for: `v3.md` → `3`.
pub fn version_of(file_name: &str) -> Option<&str> {
    file_name
        .strip_prefix('v')?
        .strip_suffix(".md")
        .filter(|v| !v.is_empty())
}

/// What [`write`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    Created,
    /// The file was there already with this same text.
    AlreadyThere,
}

/// Writes a new archive atomically. An existing file is never replaced: if
/// it holds the same text (front matter aside) nothing is done; if it holds
/// another, `Err(Clash)` with the text that is there.
pub fn write(
    root: &Path,
    relative: &str,
    text: &ApprovedText,
    file: &str,
) -> Result<Written, WriteError> {
    let target = crate::load::confine::writable(root, relative).map_err(WriteError::Refused)?;
    match crate::build::atomic::write_new(&target, file.as_bytes()) {
        Ok(()) => Ok(Written::Created),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let there = std::fs::read_to_string(&target).map_err(WriteError::Io)?;
            match ApprovedText::parse(&there) {
                Ok(existing) if existing.same_as(text) => Ok(Written::AlreadyThere),
                _ => Err(WriteError::Clash),
            }
        }
        Err(e) => Err(WriteError::Io(e)),
    }
}

/// Why an archive could not be written.
#[derive(Debug)]
pub enum WriteError {
    /// The version already has a different approved text.
    Clash,
    /// The path leads out of the library (a link, a file for a folder).
    Refused(crate::diagnostic::Diagnostic),
    Io(std::io::Error),
}

fn marker_id(line: &str) -> Option<&str> {
    line.trim_end()
        .strip_prefix(MARKER_OPEN)?
        .strip_suffix(MARKER_CLOSE)
        .filter(|id| !id.is_empty() && !id.contains(' '))
}

fn strip_front_matter(text: &str) -> &str {
    let Some(rest) = text.strip_prefix("---\n") else {
        return text;
    };
    match rest.find("\n---\n") {
        Some(end) => &rest[end + 5..],
        None => text,
    }
}

/// Trailing spaces off every line, blank lines off both ends.
fn normalise(body: &str) -> String {
    let lines: Vec<&str> = body.lines().map(str::trim_end).collect();
    let start = lines
        .iter()
        .position(|l| !l.is_empty())
        .unwrap_or(lines.len());
    let end = lines
        .iter()
        .rposition(|l| !l.is_empty())
        .map_or(start, |i| i + 1);
    lines[start..end].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(id: &str, number: &str, level: usize, title: &str, body: &str) -> SectionView {
        SectionView {
            number: number.into(),
            level,
            anchor: format!("section-{}", number.replace('.', "-")),
            id: id.into(),
            title: title.into(),
            body: body.into(),
        }
    }

    fn sample() -> ApprovedText {
        ApprovedText::of(
            "Key Worker Policy",
            &[
                section("purpose", "1", 1, "Purpose", "Why.\n\n- a\n- b  \n"),
                section("scope", "1.1", 2, "Scope", "Who: everyone.\n"),
                section("empty", "2", 1, "Empty", ""),
            ],
        )
    }

    #[test]
    fn an_archive_reads_back_as_written() {
        let text = sample();
        let approval = Approval {
            org: "bryn-haven",
            policy: "key-worker",
            variant: "ciw-care-home",
            version: "3",
            approved_by: "Owain Price",
            approved_on: NaiveDate::from_ymd_opt(2026, 3, 14).unwrap(),
        };
        let file = text.to_file(&approval);
        assert!(file.starts_with("---\n# The text of version 3"), "{file}");
        assert!(file.contains("\nversion: \"3\"\napproved_by: Owain Price\napproved_on: 2026-03-14\n---\n\n# Key Worker Policy\n"), "{file}");
        assert!(
            file.contains("<!-- section: scope -->\n### 1.1 Scope\n\nWho: everyone.\n"),
            "{file}"
        );
        let back = ApprovedText::parse(&file).unwrap();
        assert_eq!(back, text);
        assert!(back.same_as(&text));
        // Windows line endings and trailing spaces do not make a change.
        let crlf = file.replace('\n', "  \r\n");
        assert!(ApprovedText::parse(&crlf).unwrap().same_as(&text));
    }

    #[test]
    fn renumbering_alone_is_no_change_but_a_word_is() {
        let text = sample();
        let mut other = text.clone();
        other.sections[2].number = "3".into();
        assert!(text.same_as(&other));
        other.sections[0].body = "Why not.".into();
        assert!(!text.same_as(&other));
    }

    #[test]
    fn file_names_from_versions() {
        assert_eq!(path("a", "p", "3").unwrap(), "approved/a/p/v3.md");
        assert_eq!(
            path("a", "p", "2.1-draft").unwrap(),
            "approved/a/p/v2.1-draft.md"
        );
        for bad in ["", "../x", ".hidden", "2/3", "v 3", "3\n"] {
            assert!(path("a", "p", bad).is_err(), "{bad:?}");
        }
        assert_eq!(version_of("v3.md"), Some("3"));
        assert_eq!(version_of("v.md"), None);
        assert_eq!(version_of("notes.md"), None);
    }

    #[test]
    fn a_text_without_a_title_is_refused() {
        assert!(ApprovedText::parse("just words\n").is_err());
        assert!(ApprovedText::parse("# T\n<!-- section: a -->\n").is_err());
    }
}
