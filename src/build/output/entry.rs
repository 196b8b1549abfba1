//! The manifest's entries, held compactly: a build of 10,000 organisations
//! holds some 65,000 of them, from the previous manifest and its own. The
//! names that repeat from entry to entry (organisation, policy, variant,
//! format, dates, states) are interned — one shared copy of each — and the
//! SHA-256 sums are kept as their 32 bytes. In `manifest.json` they are
//! the same strings as ever (SPEC §7).

use std::collections::HashSet;
use std::fmt;
use std::ops::Deref;
use std::sync::{Arc, LazyLock, Mutex};

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use sha2::{Digest, Sha256};

/// One output file in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Entry {
    pub path: String,
    pub sha256: Sum,
    pub org: Name,
    /// None for files shared by an organisation's documents (a logo copy).
    pub policy: Option<Name>,
    pub variant: Option<Name>,
    pub format: Name,
    pub last_review: Option<Name>,
    pub next_review: Option<Name>,
    pub status: Option<Name>,
    /// The document's approval state (SPEC §8): `none`, `awaiting`,
    /// `changed` or `approved`; on the document's own entries only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval: Option<Name>,
    /// Hash of every input that produced the file; a later build skips
    /// rendering it while this is unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<Sum>,
    /// The file's size in bytes, so a later build notices an edited output
    /// without reading it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
}

impl Entry {
    /// Whether the file was made from the inputs with this key (hex).
    pub fn made_from(&self, key: &str) -> bool {
        self.input.is_some() && self.input == Sum::from_hex(key)
    }
}

/// A manifest entry as a build holds it: the previous manifest's own when
/// the file stays as it is (not copied: at 10,000 organisations a no-op
/// build keeps 65,000), else made by this build.
#[derive(Debug, Clone)]
pub enum Held<'p> {
    Previous(&'p Entry),
    New(Box<Entry>),
}

impl Deref for Held<'_> {
    type Target = Entry;
    fn deref(&self) -> &Entry {
        match self {
            Held::Previous(entry) => entry,
            Held::New(entry) => entry,
        }
    }
}

impl From<Entry> for Held<'_> {
    fn from(entry: Entry) -> Self {
        Held::New(Box::new(entry))
    }
}

/// A SHA-256 sum, written as 64 lower-case hex digits. A manifest whose
/// sums are anything else is not one policygen wrote, and is read as empty.
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Sum(pub [u8; 32]);

impl Sum {
    /// The sum of some bytes.
    pub fn of(bytes: &[u8]) -> Sum {
        Sum(Sha256::digest(bytes).into())
    }

    /// Reads 64 lower-case hex digits (byte order is hex order, so sorting
    /// sums sorts their text).
    pub fn from_hex(text: &str) -> Option<Sum> {
        let digit = |c: u8| match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            _ => None,
        };
        let text = text.as_bytes();
        if text.len() != 64 {
            return None;
        }
        let mut sum = [0; 32];
        for (byte, pair) in sum.iter_mut().zip(text.chunks_exact(2)) {
            *byte = digit(pair[0])? << 4 | digit(pair[1])?;
        }
        Some(Sum(sum))
    }

    /// The 64 hex digits.
    pub fn to_hex(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Sum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut text = [0u8; 64];
        for (pair, b) in text.chunks_exact_mut(2).zip(self.0) {
            pair[0] = DIGITS[usize::from(b >> 4)];
            pair[1] = DIGITS[usize::from(b & 0xf)];
        }
        // Only ASCII digits were written.
        f.write_str(std::str::from_utf8(&text).unwrap_or_default())
    }
}

impl fmt::Debug for Sum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sum({self})")
    }
}

impl Serialize for Sum {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Sum {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Sum, D::Error> {
        struct Hex;
        impl Visitor<'_> for Hex {
            type Value = Sum;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("64 lower-case hex digits")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Sum, E> {
                Sum::from_hex(text)
                    .ok_or_else(|| E::invalid_value(de::Unexpected::Str(text), &self))
            }
        }
        deserializer.deserialize_str(Hex)
    }
}

/// A name that many entries share (an organisation, a policy, a format, a
/// date): one copy for the whole process, however many entries hold it.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Name(Arc<str>);

/// Every name interned so far. Names are few (organisations, policies,
/// variants, dates and a handful of states), so they are kept for the
/// life of the process.
static NAMES: LazyLock<Mutex<HashSet<Arc<str>>>> = LazyLock::new(Mutex::default);

impl Name {
    pub fn new(text: &str) -> Name {
        let Ok(mut names) = NAMES.lock() else {
            // Another thread panicked while interning: share nothing.
            return Name(Arc::from(text));
        };
        if let Some(name) = names.get(text) {
            return Name(name.clone());
        }
        let name: Arc<str> = Arc::from(text);
        names.insert(name.clone());
        Name(name)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Name {
    fn from(text: &str) -> Name {
        Name::new(text)
    }
}

impl From<&String> for Name {
    fn from(text: &String) -> Name {
        Name::new(text)
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl Serialize for Name {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Name {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Name, D::Error> {
        struct Text;
        impl Visitor<'_> for Text {
            type Value = Name;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Name, E> {
                Ok(Name::new(text))
            }
        }
        deserializer.deserialize_str(Text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_read_back_what_they_write() {
        let sum = Sum::of(b"policy");
        assert_eq!(Sum::from_hex(&sum.to_hex()), Some(sum));
        assert_eq!(
            Sum::of(b"").to_hex(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        for bad in ["", "E3B0", &"g".repeat(64), &"A".repeat(64)] {
            assert_eq!(Sum::from_hex(bad), None, "{bad}");
        }
    }

    #[test]
    fn names_are_shared() {
        let a = Name::new("bryn-haven");
        let b = Name::from(&"bryn-haven".to_string());
        assert!(Arc::ptr_eq(&a.0, &b.0));
        assert_eq!(a, "bryn-haven");
    }

    #[test]
    fn an_entry_is_written_as_before() {
        let json = r#"{"path":"a/p.md","sha256":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","org":"a","policy":"p","variant":null,"format":"md","last_review":null,"next_review":"2027-01-01","status":"current","size":3}"#;
        let entry: Entry = serde_json::from_str(json).unwrap();
        assert_eq!(serde_json::to_string(&entry).unwrap(), json);
    }
}
