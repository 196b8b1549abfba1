//! The XML writer every DOCX part is written with: quick-xml's writer, which
//! escapes every attribute value and text it is given, plus the one rule
//! quick-xml leaves to its caller — characters XML 1.0 cannot hold (control
//! characters such as U+0001) are dropped, so no profile value can make a
//! part that Word refuses to open.

use std::borrow::Cow;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

/// WordprocessingML, the `w:` namespace.
pub const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
/// Relationships from a part, the `r:` namespace.
pub const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
/// Relationship types, `…/relationships/<kind>`.
pub const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
/// Drawings placed in text, the `wp:` namespace.
pub const WP: &str = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing";
/// DrawingML, the `a:` namespace.
pub const A: &str = "http://schemas.openxmlformats.org/drawingml/2006/main";
/// Pictures, the `pic:` namespace.
pub const PIC: &str = "http://schemas.openxmlformats.org/drawingml/2006/picture";

/// One XML part being written.
pub struct Xml {
    writer: Writer<Vec<u8>>,
}

impl Xml {
    /// A part with its XML declaration.
    pub fn new() -> Xml {
        let mut xml = Xml {
            writer: Writer::new(Vec::with_capacity(16 * 1024)),
        };
        xml.write(Event::Decl(BytesDecl::new(
            "1.0",
            Some("UTF-8"),
            Some("yes"),
        )));
        xml.writer.get_mut().extend_from_slice(b"\r\n");
        xml
    }

    /// `<name attr="value" …>`.
    pub fn open(&mut self, name: &str, attributes: &[(&str, &str)]) {
        let start = start(name, attributes);
        self.write(Event::Start(start));
    }

    /// `</name>`.
    pub fn close(&mut self, name: &str) {
        self.write(Event::End(BytesEnd::new(name)));
    }

    /// `<name attr="value" …/>`.
    pub fn empty(&mut self, name: &str, attributes: &[(&str, &str)]) {
        let start = start(name, attributes);
        self.write(Event::Empty(start));
    }

    /// Escaped character data.
    pub fn text(&mut self, text: &str) {
        let text = clean(text);
        self.write(Event::Text(BytesText::new(&text)));
    }

    /// `<name attr="value" …>text</name>`.
    pub fn leaf(&mut self, name: &str, attributes: &[(&str, &str)], text: &str) {
        self.open(name, attributes);
        self.text(text);
        self.close(name);
    }

    /// The bytes of the part.
    pub fn finish(self) -> Vec<u8> {
        self.writer.into_inner()
    }

    fn write(&mut self, event: Event) {
        // Writing into a Vec cannot fail: the only error quick-xml's writer
        // reports is one from the underlying io::Write.
        let _ = self.writer.write_event(event);
    }
}

impl Default for Xml {
    fn default() -> Xml {
        Xml::new()
    }
}

fn start<'a>(name: &'a str, attributes: &[(&str, &str)]) -> BytesStart<'a> {
    let mut start = BytesStart::new(name);
    for (key, value) in attributes {
        let value = clean(value);
        start.push_attribute((*key, value.as_ref()));
    }
    start
}

/// Whether XML 1.0 can hold `c` (its `Char` production; Rust strings hold
/// no surrogates).
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
        || c >= '\u{10000}'
}

/// `text` without the characters XML cannot hold.
pub fn clean(text: &str) -> Cow<'_, str> {
    if text.chars().all(allowed) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().filter(|&c| allowed(c)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(build: impl FnOnce(&mut Xml)) -> String {
        let mut xml = Xml::new();
        build(&mut xml);
        let text = String::from_utf8(xml.finish()).unwrap();
        text.split_once("\r\n").unwrap().1.to_string()
    }

    #[test]
    fn values_and_text_are_escaped() {
        let out = written(|x| {
            x.leaf(
                "w:t",
                &[("w:val", "\"a\" & <b> 'c'")],
                "<script>alert(1)</script> & ]]>",
            )
        });
        assert_eq!(
            out,
            "<w:t w:val=\"&quot;a&quot; &amp; &lt;b&gt; &apos;c&apos;\">&lt;script&gt;alert(1)&lt;/script&gt; &amp; ]]&gt;</w:t>"
        );
    }

    #[test]
    fn characters_xml_cannot_hold_are_dropped() {
        let out = written(|x| x.leaf("w:t", &[("a", "x\u{1}y")], "a\u{0}b\u{B}c\u{FFFF}d\tŵ😀"));
        assert_eq!(out, "<w:t a=\"xy\">abcd\tŵ😀</w:t>");
    }

    #[test]
    fn the_declaration_is_standalone_utf8() {
        let text = String::from_utf8(Xml::new().finish()).unwrap();
        assert_eq!(
            text,
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"
        );
    }
}
