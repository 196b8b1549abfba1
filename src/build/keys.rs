//! Input keys: a hash of every input behind an output, so an output whose
//! inputs are unchanged since the build that wrote it is neither rendered
//! nor rewritten (just's cache key, not file times).

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::GENERATOR;
use crate::build::output;
use crate::render::{self, Format};
use crate::report::publish::Publish;
use crate::resolve::Assignment;
use crate::resolve::checked::{Checked, Selection};

/// Hashes of the inputs behind each output, so an unchanged output is
/// neither rendered nor rewritten. A key covers: policygen's version, the
/// format, the build date and due window, the organisation's profile, its
/// jurisdiction, the variant and every variant it extends, the templates,
/// the logo, the titles of related policies built for the organisation, the
/// approved texts archived for the document, and for PDF and DOCX the font
/// files.
pub struct InputKeys {
    files: Vec<String>,
    templates: String,
    fonts: String,
    /// Each organisation's logo hash, by slug (hashed once, not per output).
    logos: BTreeMap<String, String>,
    /// The build date and due window, as keyed.
    today: String,
    within: String,
}

/// The hashes of an organisation's own inputs: its profile, its
/// jurisdiction's file and its logo.
struct OrgInputs<'k> {
    profile: Option<&'k str>,
    jurisdiction: Option<&'k str>,
    logo: Option<&'k str>,
}

impl InputKeys {
    fn org_inputs(&self, checked: &Checked, org: &str) -> OrgInputs<'_> {
        let project = checked.project;
        OrgInputs {
            profile: project
                .organisations
                .get(org)
                .map(|o| self.files[o.file].as_str()),
            jurisdiction: checked
                .validated
                .organisations
                .get(org)
                .and_then(|facts| project.jurisdictions.get(&facts.jurisdiction))
                .map(|j| self.files[j.file].as_str()),
            logo: self.logos.get(org).map(String::as_str),
        }
    }

    pub fn new(checked: &Checked) -> InputKeys {
        let project = checked.project;
        let files = project
            .sources
            .par_iter()
            .map(|f| output::sha256(f.text.as_bytes()))
            .collect();
        let mut templates = Sha256::new();
        for (name, template) in &project.templates.by_name {
            templates.update(name.as_bytes());
            templates.update([0]);
            templates.update(template.text.as_bytes());
            templates.update([0]);
        }
        let mut fonts = Sha256::new();
        for file in &project.fonts.files {
            fonts.update(file.bytes.as_slice());
            fonts.update([0]);
        }
        let logos = project
            .logos
            .par_iter()
            .map(|(slug, logo)| (slug.clone(), output::sha256(&logo.bytes)))
            .collect();
        InputKeys {
            files,
            templates: hex(&templates.finalize()),
            fonts: hex(&fonts.finalize()),
            logos,
            today: checked.context.today.to_string(),
            within: checked.context.due_within.to_string(),
        }
    }

    pub fn key(&self, checked: &Checked, job: &Assignment, format: Format) -> String {
        let project = checked.project;
        let mut h = Sha256::new();
        let mut put = |label: &str, value: &str| {
            h.update(label.as_bytes());
            h.update(b"=");
            h.update(value.as_bytes());
            h.update(b"\n");
        };
        put("generator", GENERATOR);
        put("format", format.extension());
        put("today", &self.today);
        put("within", &self.within);
        put("templates", &self.templates);
        // The PDF embeds the font files; the DOCX names their family.
        if matches!(format, Format::Pdf | Format::Docx) {
            put("fonts", &self.fonts);
        }
        let org = self.org_inputs(checked, &job.org);
        if let Some(profile) = org.profile {
            put("profile", profile);
        }
        if let Some(jurisdiction) = org.jurisdiction {
            put("jurisdiction", jurisdiction);
        }
        if let Some(variant) = checked.resolved.variant(&job.policy, &job.variant) {
            for file in &variant.chain {
                put("variant", &self.files[*file]);
            }
            for related in &variant.related {
                if let Some(other) = checked.resolved.assignment(&job.org, &related.id)
                    && let Some(v) = checked.resolved.variant(&other.policy, &other.variant)
                {
                    put(
                        "related",
                        &format!("{} {} {}", related.id, v.title.text, v.code),
                    );
                }
            }
        }
        if let Some(logo) = org.logo {
            put("logo", logo);
        }
        // The approval state, the draft mark and the redline page follow
        // from the archived approved texts.
        for (version, archived) in project.approved_texts(&job.org, &job.policy) {
            put(
                "approved",
                &format!("{version} {}", self.files[archived.file]),
            );
        }
        hex(&h.finalize())
    }
}

impl InputKeys {
    /// The key of an organisation's dashboard: its profile, jurisdiction and
    /// logo (an organisation may have no documents to cover them), its
    /// documents' keys (which cover its variants and the build date too) and
    /// the outputs it links to.
    pub fn dashboard_key(
        &self,
        checked: &Checked,
        org: &str,
        available: &BTreeSet<String>,
        publish: &Publish,
    ) -> String {
        let mut h = Sha256::new();
        h.update(GENERATOR.as_bytes());
        // The page gives its calendar's published address.
        if let Some(url) = &publish.site_url {
            h.update(url.as_str().as_bytes());
        }
        h.update(self.templates.as_bytes());
        h.update(checked.context.today.to_string().as_bytes());
        h.update(checked.context.due_within.to_string().as_bytes());
        let inputs = self.org_inputs(checked, org);
        for hash in [inputs.profile, inputs.jurisdiction, inputs.logo]
            .into_iter()
            .flatten()
        {
            h.update(hash.as_bytes());
        }
        for job in checked.resolved.assignments_of(org) {
            h.update(self.key(checked, job, Format::Html).as_bytes());
        }
        let prefix = format!("{org}/");
        for path in available
            .range(prefix.clone()..)
            .take_while(|p| p.starts_with(&prefix))
        {
            h.update(path.as_bytes());
            h.update([0]);
        }
        hex(&h.finalize())
    }
}

impl InputKeys {
    /// The key of the site-level files — the site dashboard, the site
    /// calendar and the schedule — which cover the whole library: policygen's
    /// version, the build date and window, the templates, the fonts, where
    /// the site is published, every source file (each profile with its
    /// reviews and staff acknowledgements, the jurisdictions, the variants,
    /// the approved texts), every logo, and which of every document's
    /// outputs the folder holds once this build is written.
    pub fn site_key(
        &self,
        checked: &Checked,
        available: &BTreeSet<String>,
        publish: &Publish,
    ) -> String {
        let mut h = Sha256::new();
        let mut put = |value: &str| {
            h.update(value.as_bytes());
            h.update([0]);
        };
        put(GENERATOR);
        put(&self.today);
        put(&self.within);
        put(&self.templates);
        put(&self.fonts);
        put(&format!("{publish:?}"));
        for (file, hash) in checked.project.sources.iter().zip(&self.files) {
            put(&file.path);
            put(hash);
        }
        for (org, hash) in &self.logos {
            put(org);
            put(hash);
        }
        // They link to a document's outputs in whichever formats the folder
        // holds (other files in it, the dashboards among them, do not count).
        for job in checked.select(&Selection::default()) {
            for format in Format::AVAILABLE {
                let path = render::output_path(&job.org, &job.policy, *format);
                if available.contains(&path) {
                    put(&path);
                }
            }
        }
        hex(&h.finalize())
    }
}

/// Lower-case hex of some bytes (a digest), without a `format!` per byte.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        text.push(DIGITS[usize::from(b >> 4)] as char);
        text.push(DIGITS[usize::from(b & 0xf)] as char);
    }
    text
}
