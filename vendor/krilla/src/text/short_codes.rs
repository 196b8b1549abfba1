//! Short glyph codes for CID fonts (policygen, see vendor/README.md).
//!
//! With `Identity-H` every glyph drawn is two bytes in the content stream,
//! and for the low CIDs a text font uses, the first is `0x00`: a literal
//! string writes it as the escape `\000`. With these codes the first 92
//! CIDs — in a font whose glyphs are numbered in glyph-id order, the
//! letters, digits and punctuation of ordinary text — are one printable
//! byte each, and every CID can still be written in two bytes:
//!
//! - `0x20`–`0x7E` except `(`, `)` and `\`, which a literal string would
//!   escape: CIDs 1 to 92, one byte;
//! - `0x8000`–`0xFFFF`: CIDs 0 to 32767, two bytes (first byte `0x80`
//!   and up).
//!
//! The embedded encoding CMap says so, and the ToUnicode CMap uses the same
//! codes. A font with more than 32768 glyphs keeps `Identity-H`.

use pdf_writer::Name;

/// Glyph counts up to this can use short codes.
pub(crate) const MAX_GLYPHS: u16 = 0x8000;
/// The CMap's name, also its `/CMapName`.
pub(crate) const CMAP_NAME: Name = Name(b"Krilla-Short-H");
/// The CIDs with a one-byte code: 1 to this.
const ONE_BYTE: u16 = 92;
/// The one-byte codes: (first code, last code, first CID), in order.
const ONE_BYTE_RANGES: [(u8, u8, u16); 3] = [(0x20, 0x27, 1), (0x2A, 0x5B, 9), (0x5D, 0x7E, 59)];

/// Appends the code of `cid`.
#[inline]
pub(crate) fn encode(cid: u16, out: &mut Vec<u8>) {
    if (1..=ONE_BYTE).contains(&cid) {
        // Past `(` and `)`, then past `\`.
        let mut code = cid as u8 + 0x1F;
        if code >= b'(' {
            code += 2;
        }
        if code >= b'\\' {
            code += 1;
        }
        out.push(code);
    } else {
        out.push(0x80 | (cid >> 8) as u8);
        out.push((cid & 0xff) as u8);
    }
}

/// Appends the code of `cid` in hexadecimal, as a CMap writes it.
fn encode_hex(cid: u16, out: &mut Vec<u8>) {
    let mut code = Vec::with_capacity(2);
    encode(cid, &mut code);
    for byte in code {
        out.extend_from_slice(format!("{byte:02X}").as_bytes());
    }
}

fn header(out: &mut Vec<u8>, name: &[u8], cmap_type: u8) {
    out.extend_from_slice(b"%!PS-Adobe-3.0 Resource-CMap\n");
    out.extend_from_slice(b"%%DocumentNeededResources: procset CIDInit\n");
    out.extend_from_slice(b"%%IncludeResource: procset CIDInit\n");
    out.extend_from_slice(b"%%BeginResource: CMap ");
    out.extend_from_slice(name);
    out.extend_from_slice(b"\n%%EndComments\n");
    out.extend_from_slice(b"/CIDInit /ProcSet findresource begin\n");
    out.extend_from_slice(b"12 dict begin\nbegincmap\n");
    out.extend_from_slice(b"/CIDSystemInfo 3 dict dup begin\n");
    out.extend_from_slice(b"    /Registry (Adobe) def\n");
    out.extend_from_slice(b"    /Ordering (Identity) def\n");
    out.extend_from_slice(b"    /Supplement 0 def\nend def\n");
    out.extend_from_slice(b"/CMapName /");
    out.extend_from_slice(name);
    out.extend_from_slice(b" def\n/CMapVersion 1 def\n");
    out.extend_from_slice(format!("/CMapType {cmap_type} def\n/WMode 0 def\n").as_bytes());
    out.extend_from_slice(b"2 begincodespacerange\n<00> <7F>\n<8000> <FFFF>\nendcodespacerange\n");
}

fn footer(out: &mut Vec<u8>) {
    out.extend_from_slice(b"endcmap\n");
    out.extend_from_slice(b"CMapName currentdict /CMap defineresource pop\n");
    out.extend_from_slice(b"end\nend\n%%EndResource\n%%EOF");
}

/// The encoding CMap: codes to CIDs as above. The same for every font.
pub(crate) fn encoding_cmap() -> Vec<u8> {
    let mut out = Vec::with_capacity(4096);
    header(&mut out, CMAP_NAME.0, 1);
    // One range for the one-byte codes, then the two-byte codes a first
    // byte at a time (a range changes only in its last byte), at most 100
    // ranges a block.
    let mut ranges: Vec<String> = ONE_BYTE_RANGES
        .iter()
        .map(|(first, last, cid)| format!("<{first:02X}> <{last:02X}> {cid}\n"))
        .collect();
    for first in 0x80u16..=0xFF {
        let cid = (first - 0x80) << 8;
        ranges.push(format!("<{first:02X}00> <{first:02X}FF> {cid}\n"));
    }
    for block in ranges.chunks(100) {
        out.extend_from_slice(format!("{} begincidrange\n", block.len()).as_bytes());
        for range in block {
            out.extend_from_slice(range.as_bytes());
        }
        out.extend_from_slice(b"endcidrange\n");
    }
    footer(&mut out);
    out
}

/// A ToUnicode CMap over the short codes.
pub(crate) struct UnicodeCmap {
    out: Vec<u8>,
    pairs: Vec<u8>,
    count: usize,
}

impl UnicodeCmap {
    pub(crate) fn new() -> UnicodeCmap {
        let mut out = Vec::with_capacity(4096);
        header(&mut out, b"Custom", 2);
        UnicodeCmap {
            out,
            pairs: Vec::new(),
            count: 0,
        }
    }

    fn flush(&mut self) {
        if self.count > 0 {
            self.out
                .extend_from_slice(format!("{} beginbfchar\n", self.count).as_bytes());
            self.out.extend_from_slice(&self.pairs);
            self.out.extend_from_slice(b"endbfchar\n");
        }
        self.pairs.clear();
        self.count = 0;
    }

    pub(crate) fn finish(mut self) -> Vec<u8> {
        self.flush();
        footer(&mut self.out);
        self.out
    }
}

impl super::cid::CmapPairs<u16> for UnicodeCmap {
    fn pair_with_multiple(&mut self, cid: u16, codepoints: std::str::Chars<'_>) {
        self.pairs.push(b'<');
        encode_hex(cid, &mut self.pairs);
        self.pairs.extend_from_slice(b"> <");
        for c in codepoints {
            for part in c.encode_utf16(&mut [0; 2]) {
                self.pairs
                    .extend_from_slice(format!("{part:04X}").as_bytes());
            }
        }
        self.pairs.extend_from_slice(b">\n");
        self.count += 1;
        // At most 100 lines a block.
        if self.count >= 100 {
            self.flush();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn low_cids_take_one_printable_byte_and_the_rest_two() {
        // Each one-byte code is the CID the encoding CMap maps it to.
        for (first, last, cid) in ONE_BYTE_RANGES {
            for code in first..=last {
                let mut out = Vec::new();
                encode(cid + u16::from(code - first), &mut out);
                assert_eq!(out, [code]);
            }
        }
        let code = |cid| {
            let mut out = Vec::new();
            encode(cid, &mut out);
            out
        };
        assert_eq!(code(1), b" ");
        assert_eq!(code(8), b"'");
        assert_eq!(code(9), b"*");
        assert_eq!(code(58), b"[");
        assert_eq!(code(59), b"]");
        assert_eq!(code(92), b"~");
        assert_eq!(code(0), [0x80, 0x00]);
        assert_eq!(code(93), [0x80, 93]);
        assert_eq!(code(0x7FFF), [0xFF, 0xFF]);
    }

    #[test]
    fn the_encoding_cmap_covers_every_two_byte_code_in_ranges_of_256() {
        let text = String::from_utf8(encoding_cmap()).unwrap();
        assert!(text.contains("<20> <27> 1\n<2A> <5B> 9\n<5D> <7E> 59\n"));
        assert!(text.contains("<8000> <80FF> 0\n"));
        assert!(text.contains("<FF00> <FFFF> 32512\n"));
        assert_eq!(text.matches("begincidrange").count(), 2);
    }
}
