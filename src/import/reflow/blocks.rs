//! Markdown blocks being assembled (list items gather into one list, with
//! their numbers and nesting), wrapped to a fixed width without breaking a
//! placeholder or opening a block by accident.

use crate::document::placeholder;

/// Lines of a body are wrapped to this many characters where they can be.
const WIDTH: usize = 72;

/// Wraps Markdown inline text to [`WIDTH`], the first line starting at
/// column `first` and the others indented by `rest`. A line is never
/// broken inside a placeholder, nor before a word that would open a block
/// at the start of a line (`-`, `#`, `>`, `1.`…): such a word stays on the
/// line before.
pub(super) fn wrap(text: &str, first: usize, rest: usize) -> String {
    let protected: Vec<(usize, usize)> = placeholder::scan(text)
        .iter()
        .map(|p| (p.start, p.end))
        .collect();
    let mut words: Vec<&str> = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c == ' ' && !protected.iter().any(|&(s, e)| s < i && i < e) {
            if start < i {
                words.push(&text[start..i]);
            }
            start = i + 1;
        }
    }
    if start < text.len() {
        words.push(&text[start..]);
    }
    let opens_block = |word: &str| {
        word.starts_with(['-', '+', '*', '#', '>', '=', '|', '`', '~', '<'])
            || (word.starts_with(|c: char| c.is_ascii_digit())
                && word
                    .trim_start_matches(|c: char| c.is_ascii_digit())
                    .starts_with(['.', ')']))
    };
    let mut out = String::with_capacity(text.len() + 16);
    let mut column = first;
    for (k, word) in words.iter().enumerate() {
        let width = word.chars().count();
        if k > 0 {
            if column + 1 + width > WIDTH && !opens_block(word) {
                out.push('\n');
                out.push_str(&" ".repeat(rest));
                column = rest;
            } else {
                out.push(' ');
                column += 1;
            }
        }
        out.push_str(word);
        column += width;
    }
    out
}

/// Blocks of Markdown being assembled; list items gather into one list.
#[derive(Default)]
pub(super) struct Blocks {
    blocks: Vec<String>,
    /// The list being written: its lines, and per level the marker width and
    /// the next number (0 for a bulleted level).
    list: Vec<String>,
    levels: Vec<(usize, u32, bool)>,
}

impl Blocks {
    pub(super) fn push(&mut self, block: String) {
        self.end_list();
        if !block.trim().is_empty() {
            self.blocks.push(block);
        }
    }

    pub(super) fn item(&mut self, level: u8, ordered: bool, text: String) {
        let level = usize::from(level).min(self.levels.len());
        self.levels.truncate(level + 1);
        if self.levels.len() == level + 1 && self.levels[level].2 != ordered {
            self.levels.truncate(level);
        }
        if self.levels.len() == level {
            self.levels.push((0, 1, ordered));
        }
        let indent: usize = self.levels[..level].iter().map(|l| l.0).sum();
        let marker = if ordered {
            let n = self.levels[level].1;
            self.levels[level].1 += 1;
            format!("{n}.")
        } else {
            "-".to_string()
        };
        self.levels[level].0 = marker.len() + 1;
        let lead = format!("{}{marker} ", " ".repeat(indent));
        let wrapped = wrap(&text, lead.len(), indent + marker.len() + 1);
        self.list.push(format!("{lead}{wrapped}"));
    }

    /// A paragraph, wrapped.
    pub(super) fn paragraph(&mut self, text: String) {
        self.push(wrap(&text, 0, 0));
    }

    fn end_list(&mut self) {
        if !self.list.is_empty() {
            self.blocks.push(std::mem::take(&mut self.list).join("\n"));
        }
        self.levels.clear();
    }

    pub(super) fn finish(mut self) -> Vec<String> {
        self.end_list();
        self.blocks
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_never_opens_a_block_or_splits_a_placeholder() {
        let text = format!(
            "{} - 2 {{{{ term_people }}}} {} 1. x # y",
            "word ".repeat(13).trim(),
            "z".repeat(40)
        );
        let wrapped = wrap(&text, 0, 2);
        for line in wrapped.lines().skip(1) {
            let rest = line.trim_start();
            assert!(
                !rest.starts_with(['-', '#']) && !rest.starts_with("1."),
                "{wrapped}"
            );
        }
        assert!(wrapped.contains("{{ term_people }}"), "{wrapped}");
        assert!(
            wrapped
                .lines()
                .all(|l| l.chars().count() <= WIDTH || !l.contains(' ')),
            "{wrapped}"
        );
    }
}
