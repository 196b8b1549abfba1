//! The front door of an import: which kind of document the bytes are, and
//! the refusals that name the file — binary data, UTF-16 or other non-UTF-8
//! text, an empty file, a format that cannot be read (PDF, old `.doc`, HTML).

use crate::diagnostic::Diagnostic;
use crate::import::{Line, docx, markdown, text};

/// Inputs larger than this are refused (a long policy is a few hundred KB).
pub const MAX_INPUT_BYTES: usize = 20 * 1024 * 1024;

/// The kinds of document an import reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Markdown,
    Docx,
}

impl Kind {
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Text => "plain text",
            Kind::Markdown => "Markdown",
            Kind::Docx => "Word document",
        }
    }
}

/// Decodes `bytes` and reads them with the reader for their kind: a Word
/// file by its zip signature, Markdown by its extension, else plain text.
pub fn read(path: &str, bytes: &[u8]) -> Result<(Kind, Vec<Line>), Diagnostic> {
    let refuse = |message: &str, hint: &str| {
        Err(Diagnostic::error(message.to_string())
            .in_file(path)
            .with_hint(hint.to_string()))
    };
    if bytes.len() > MAX_INPUT_BYTES {
        return refuse(
            &format!(
                "the file is too large to import ({:.1} MB; the limit is {} MB)",
                bytes.len() as f64 / (1024.0 * 1024.0),
                MAX_INPUT_BYTES / (1024 * 1024)
            ),
            "import one policy document at a time",
        );
    }
    let lower = path.to_ascii_lowercase();
    if bytes.starts_with(b"PK\x03\x04") {
        return Ok((Kind::Docx, docx::read(path, bytes)?));
    }
    if lower.ends_with(".docx") {
        return refuse(
            "the file is named .docx but is not a Word document",
            "open it in Word or LibreOffice and save it again as a Word document (.docx)",
        );
    }
    if bytes.starts_with(b"%PDF") {
        return refuse(
            "PDF files cannot be imported",
            "open the PDF, copy its text into a plain-text file (.txt) and import that; or import the Word file it was made from",
        );
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return refuse(
            "this is an old-style Word document (.doc), which cannot be imported",
            "open it in Word or LibreOffice and save it as a Word document (.docx), then import that",
        );
    }
    if is_utf16(bytes) {
        return refuse(
            "the file is saved as UTF-16, not UTF-8",
            "save it again choosing the encoding “UTF-8” (in Notepad: File › Save as › Encoding), then import it",
        );
    }
    if bytes.iter().take(64 * 1024).any(|&b| b == 0) {
        return refuse(
            "the file holds binary data, not text",
            "import a Word document (.docx), a Markdown file (.md) or a plain-text file (.txt)",
        );
    }
    let text = crate::load::project::decode(bytes, path)?;
    if text.trim().is_empty() {
        return refuse(
            "the file is empty",
            "import the policy document itself: a Word document, a Markdown file or a plain-text file",
        );
    }
    let head = text.trim_start().get(..200).unwrap_or(text.trim_start());
    let head = head.to_ascii_lowercase();
    if lower.ends_with(".html")
        || lower.ends_with(".htm")
        || head.starts_with("<!doctype html")
        || head.starts_with("<html")
    {
        return refuse(
            "web pages (HTML) cannot be imported",
            "in the browser, select the policy's text, copy it into a plain-text file (.txt) and import that",
        );
    }
    if lower.ends_with(".md") || lower.ends_with(".markdown") {
        Ok((Kind::Markdown, markdown::read(&text)))
    } else {
        Ok((Kind::Text, text::read(&text)))
    }
}

/// UTF-16 with a byte-order mark, or without one: text whose every other
/// byte is zero.
fn is_utf16(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return true;
    }
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 4 {
        return false;
    }
    let zeros_at = |parity: usize| {
        sample
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let half = sample.len() / 2;
    let (even, odd) = (zeros_at(0), zeros_at(1));
    (odd * 10 >= half * 9 && even * 10 < half) || (even * 10 >= half * 9 && odd * 10 < half)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(path: &str, bytes: &[u8]) -> String {
        read(path, bytes).unwrap_err().render(false)
    }

    #[test]
    fn refusals_name_the_file() {
        let utf16: Vec<u8> = "1. Purpose\n"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert!(error("a.txt", &utf16).contains("UTF-16"));
        let mut bom = vec![0xFF, 0xFE];
        bom.extend(&utf16);
        assert!(error("a.txt", &bom).contains("UTF-16"));
        assert!(error("a.txt", b"\x01\x02\x00\x03binary").contains("binary data"));
        assert!(error("a.txt", b" \n\n ").contains("empty"));
        assert!(error("a.txt", b"").contains("empty"));
        assert!(error("a.txt", b"%PDF-1.7\n").contains("PDF"));
        assert!(error("a.docx", b"hello").contains("not a Word document"));
        assert!(error("a.txt", b"caf\xe9").contains("not UTF-8"));
        assert!(error("a.txt", b"<!DOCTYPE html><p>x").contains("HTML"));
        assert!(error("old/a.txt", b"").contains("--> old/a.txt"));
    }

    #[test]
    fn kinds() {
        assert_eq!(read("a.md", b"# T\n").unwrap().0, Kind::Markdown);
        assert_eq!(read("a.txt", b"\xEF\xBB\xBF1. T\n").unwrap().0, Kind::Text);
        let (_, lines) = read("a.txt", b"\xEF\xBB\xBF1. T\n").unwrap();
        assert_eq!(lines[0].raw, "1. T");
    }
}
