//! The organisation profile, `organisations/<slug>.yaml`, as written by the
//! provider (SPEC §2). Parsing only; cross-checks live in `validate`.

use std::collections::BTreeMap;

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_saphyr::Spanned;

use crate::load::source::Text;

/// Every key a profile may have at the top level, for "did you mean" hints.
pub const KEYS: &[&str] = &[
    "name",
    "registration_no",
    "jurisdiction",
    "service",
    "logo",
    "registered_manager",
    "responsible_individual",
    "address",
    "phone",
    "email",
    "website",
    "brand",
    "review_cycle",
    "staff",
    "policies",
    "fields",
];

/// An organisation profile.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    pub name: Spanned<String>,
    pub registration_no: Spanned<Text>,
    pub jurisdiction: Spanned<String>,
    pub service: Spanned<String>,
    pub logo: Option<Spanned<String>>,
    pub registered_manager: Option<PersonName>,
    pub responsible_individual: Option<PersonName>,
    pub address: Option<Text>,
    pub phone: Option<Text>,
    pub email: Option<Text>,
    pub website: Option<Text>,
    pub brand: Option<Brand>,
    pub review_cycle: Option<Spanned<String>>,
    /// The people who must read the organisation's policies (SPEC §9).
    #[serde(default)]
    pub staff: Vec<StaffMember>,
    #[serde(default)]
    pub policies: BTreeMap<String, PolicyRecord>,
    #[serde(default)]
    pub fields: BTreeMap<String, FieldValue>,
}

/// A person's name, as the registered manager or responsible individual.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonName {
    pub first_name: Text,
    pub last_name: Text,
}

impl PersonName {
    pub fn full(&self) -> String {
        format!("{} {}", self.first_name.0.trim(), self.last_name.0.trim())
    }
}

/// Branding used by the HTML and PDF outputs.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Brand {
    pub colour: Option<Spanned<String>>,
}

/// What the profile records about one policy.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyRecord {
    pub review_cycle: Option<Spanned<String>>,
    #[serde(default)]
    pub reviews: Vec<ReviewEntry>,
    #[serde(default)]
    pub exclude: bool,
    /// Who has read which version, oldest first (`policygen ack` adds them).
    #[serde(default)]
    pub acknowledgements: Vec<AckEntry>,
}

/// One member of staff on the roster.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaffMember {
    pub name: Spanned<Text>,
    pub role: Spanned<Text>,
    /// The last day the person worked here; after it they no longer count.
    pub left: Option<Spanned<Text>>,
}

/// A member of staff's confirmation that they have read one version.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AckEntry {
    pub name: Spanned<Text>,
    pub date: Spanned<Text>,
    pub version: Spanned<Text>,
}

/// One completed review, oldest first in the profile.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewEntry {
    pub date: Spanned<Text>,
    pub by: Option<Text>,
    pub approved_by: Option<Text>,
    /// The day of the approval, when it was not the day of the review.
    pub approved_on: Option<Spanned<Text>>,
    pub version: Option<Spanned<Text>>,
    pub note: Option<Text>,
}

/// A free-form value under `fields:`: text, or a nested mapping whose keys
/// join with `_` into placeholder names.
///
/// Deserialized by hand rather than `#[serde(untagged)]`, which buffers the
/// whole value before trying each form and can only say "did not match any
/// variant" when neither fits.
#[derive(Debug, Clone)]
pub enum FieldValue {
    Text(Text),
    Map(BTreeMap<String, FieldValue>),
}

impl<'de> Deserialize<'de> for FieldValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FieldVisitor;
        impl<'de> Visitor<'de> for FieldVisitor {
            type Value = FieldValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("text or a mapping of values")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<FieldValue, E> {
                Ok(FieldValue::Text(Text(v.to_string())))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<FieldValue, E> {
                Ok(FieldValue::Text(Text(v.to_string())))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<FieldValue, E> {
                Ok(FieldValue::Text(Text(v.to_string())))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<FieldValue, E> {
                Ok(FieldValue::Text(Text(v.to_string())))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<FieldValue, E> {
                Ok(FieldValue::Text(Text(v.to_string())))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<FieldValue, A::Error> {
                let mut values = BTreeMap::new();
                while let Some((key, value)) = map.next_entry::<Text, FieldValue>()? {
                    values.insert(key.0, value);
                }
                Ok(FieldValue::Map(values))
            }
        }
        deserializer.deserialize_any(FieldVisitor)
    }
}

impl FieldValue {
    /// Flattens nested values into `prefix_key` names.
    pub fn flatten_into(&self, prefix: &str, out: &mut BTreeMap<String, String>) {
        match self {
            FieldValue::Text(text) => {
                out.insert(prefix.to_string(), text.0.clone());
            }
            FieldValue::Map(map) => {
                for (key, value) in map {
                    value.flatten_into(&format!("{prefix}_{key}"), out);
                }
            }
        }
    }
}
