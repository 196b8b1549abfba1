//! The text of a new organisation profile, for `policygen new`: every key of
//! SPEC §2 present, in order, each with a comment saying what it is, whether
//! it is required, and an example — the registration number's example taken
//! from the jurisdiction. Values the provider must supply are left empty so
//! that `policygen check` points at each one until it is filled in. Pure.

use crate::model::jurisdiction::Jurisdiction;
use crate::review::profile_edit::scalar;

/// What the scaffold is made from (already checked by the command).
pub struct ScaffoldInput<'a> {
    pub slug: &'a str,
    pub name: Option<&'a str>,
    pub jurisdiction_id: &'a str,
    pub jurisdiction: &'a Jurisdiction,
    pub service: &'a str,
}

/// The profile text.
///
/// Long because most of it is the profile itself: one commented template
/// with the jurisdiction's words filled in, kept whole so it reads as the
/// file a user gets.
pub fn profile(input: &ScaffoldInput) -> String {
    let j = input.jurisdiction;
    let slug = input.slug;
    let regulator = &j.regulator.short;
    let terms = j.services.get(input.service);
    let manager = terms.map_or("Registered Manager", |t| t.manager.as_str());
    let responsible = terms.map_or("Responsible Individual", |t| t.responsible.as_str());
    let services: Vec<&str> = j.services.keys().map(String::as_str).collect();
    let name = input.name.map(str::trim).filter(|n| !n.is_empty());
    let name_value = scalar(name.unwrap_or(""));
    let label = &j.registration.label;
    let example = &j.registration.example;
    let id = input.jurisdiction_id;
    let service = input.service;
    let country = &j.name;
    let regulator_name = &j.regulator.name;
    let service_list = services.join(", ");
    format!(
        r##"# Organisation profile for policygen (`organisations/{slug}.yaml`).
#
# Fill in each empty value, then run `policygen check --org {slug}`: it names
# every value still missing. Keys marked "Required" must have a value; leave an
# optional key empty to leave it out. Put text in "double quotes" when it
# contains a colon or a comma, or starts with a symbol. Lines starting with #
# are comments and may be deleted.

# Required. The organisation's name as registered with {regulator}.
# Example: Bryn Haven Care Home
name: {name_value}

# Required. The {label}, exactly as on the registration certificate.
# Example: "{example}"
registration_no: ""

# Required. The jurisdiction whose regulator registers the service: an id from
# jurisdictions/. Here: {country} ({regulator_name}).
jurisdiction: {id}

# Required. The kind of service, which decides the policy variants that apply.
# {regulator} regulates: {service_list}.
service: {service}

# Optional. A logo for the documents: a PNG or JPEG file, named relative to
# this file.
# Example: logos/{slug}.png
logo:

# Optional, but most policies name them (`policygen check` says when one does):
# the {manager}, named in each policy's closing block.
# Example: {{ first_name: Carys, last_name: Evans }}
registered_manager:

# Optional, as above: the {responsible}, who approves policies.
# Example: {{ first_name: Owain, last_name: Price }}
responsible_individual:

# Optional. The postal address, in quotes.
# Example: "1 High Street, Llandeilo, SA19 6AA"
address:

# Optional. The main telephone number, in quotes.
# Example: "01558 000000"
phone:

# Optional. The office email address.
# Example: office@{slug}.example
email:

# Optional. The website address.
# Example: https://{slug}.example
website:

# Optional. The colour of headings in the HTML and PDF documents, as #rrggbb.
# Example: {{ colour: "#1f5f8b" }}
brand:

# Optional. How often policies are reviewed: N days, weeks, months or years.
# A policy's own entry below overrides it; empty means each policy's own
# cycle, or 12 months.
# Example: 12 months
review_cycle:

# Optional. The staff who must read each policy and confirm they have, again
# whenever a new version is approved: a name (as they sign it) and a role.
# Add `left: DATE` when someone leaves rather than deleting them: they no
# longer count after that day, and what they read stays on record.
# `policygen reading` shows who has not yet read each policy.
# Example:
#   staff:
#     - {{ name: Carys Jones, role: Senior Care Worker }}
#     - {{ name: Tomos Rees, role: Care Worker, left: 2026-06-30 }}
staff: []

# Optional. What this organisation records about each policy, by policy id:
# its own review cycle, its review history (oldest first; `policygen review`
# adds entries), who has read which version (`policygen ack` adds entries),
# or `exclude: true` to never build that policy.
# Example:
#   policies:
#     key-worker:
#       review_cycle: 6 months
#       reviews:
#         - {{ date: 2026-03-14, by: Carys Evans, approved_by: Owain Price, version: "3", note: Annual review }}
#       acknowledgements:
#         - {{ name: Carys Jones, date: 2026-03-20, version: "3" }}
#     medication:
#       exclude: true
policies: {{}}

# Optional. Extra values for <<org_field_KEY>> placeholders in policy text.
# Example:
#   fields:
#     fax: "01558 000001"
fields: {{}}
"##
    )
}

/// A slug suggested from text that is not one: `Bryn Haven` → `bryn-haven`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.trim().chars().flat_map(char::to_lowercase).map(fold) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

/// The base letter of common accented letters (Welsh and western European).
fn fold(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ŵ' => 'w',
        'ŷ' | 'ÿ' | 'ý' => 'y',
        'ç' => 'c',
        'ñ' => 'n',
        c => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::organisation::Organisation;

    fn ciw() -> Jurisdiction {
        serde_saphyr::from_str(include_str!("../../jurisdictions/ciw.yaml")).unwrap()
    }

    #[test]
    fn scaffold_parses_and_shows_the_registration_example() {
        let j = ciw();
        let text = profile(&ScaffoldInput {
            slug: "ty-gwyn",
            name: Some("Tŷ Gwyn: Care, Support"),
            jurisdiction_id: "ciw",
            jurisdiction: &j,
            service: "domiciliary",
        });
        assert!(text.contains("name: \"Tŷ Gwyn: Care, Support\"\n"));
        assert!(text.contains("# Example: \"SIN-00012345-ABCD\"\nregistration_no: \"\"\n"));
        assert!(text.contains("# CIW regulates: care-home, domiciliary, supported-living.\n"));
        let org: Organisation = serde_saphyr::from_str(&text).unwrap();
        assert_eq!(org.service.value, "domiciliary");
        assert!(org.registered_manager.is_none() && org.logo.is_none() && org.brand.is_none());
        assert!(org.policies.is_empty() && org.fields.is_empty() && org.staff.is_empty());
    }

    /// The commented example of `key`, uncommented.
    fn example(text: &str, key: &str) -> String {
        let head = format!("#   {key}:");
        let mut lines = text.lines().skip_while(|l| *l != head);
        let mut out = String::new();
        if let Some(first) = lines.next() {
            out.push_str(&format!("{}\n", &first[4..]));
        }
        for line in lines.take_while(|l| l.starts_with("#     ")) {
            out.push_str(&format!("{}\n", &line[4..]));
        }
        out
    }

    #[test]
    fn the_staff_and_policies_examples_are_valid() {
        let j = ciw();
        let text = profile(&ScaffoldInput {
            slug: "ty-gwyn",
            name: Some("Tŷ Gwyn"),
            jurisdiction_id: "ciw",
            jurisdiction: &j,
            service: "care-home",
        });
        let filled = text
            .replace("staff: []\n", &example(&text, "staff"))
            .replace("policies: {}\n", &example(&text, "policies"));
        let org: Organisation = serde_saphyr::from_str(&filled).unwrap();
        assert_eq!(org.staff.len(), 2);
        assert_eq!(org.staff[1].left.as_ref().unwrap().value.0, "2026-06-30");
        let key_worker = &org.policies["key-worker"];
        assert_eq!(key_worker.acknowledgements[0].name.value.0, "Carys Jones");
        assert_eq!(key_worker.reviews.len(), 1);
    }

    #[test]
    fn slugs_are_suggested() {
        assert_eq!(slugify("Bryn Haven"), "bryn-haven");
        assert_eq!(slugify("  Elm_Lodge 2 "), "elm-lodge-2");
        assert_eq!(slugify("Tŷ Gwyn"), "ty-gwyn");
        assert_eq!(slugify("Cymorth Cartref Môn"), "cymorth-cartref-mon");
    }
}
