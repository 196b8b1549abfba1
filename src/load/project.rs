//! `Project::load` reads every source of a policy library once — profiles,
//! jurisdictions, policy variants, templates and logos — into one value that
//! every command works from; `lib.rs` lists the other modules that touch the
//! disk. Problems are collected as diagnostics, never raised one at
//! a time, so `check` can report them all.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostic::{self, Diagnostic};
use crate::load::approved::{Approved, Archived};
use crate::load::assets::FontFiles;
use crate::load::confine::Confinement;
use crate::load::logo::{self, Logo};
use crate::load::reading::Reading;
use crate::load::source::{self, SourceFile};
use crate::load::templates::Templates;
use crate::model::jurisdiction::Jurisdiction;
use crate::model::organisation::{self, Organisation};
use crate::model::policy::{self, VariantSource};

/// Index of a file in [`Project::sources`].
pub use crate::diagnostic::FileId;

/// A parsed value and the file it came from.
#[derive(Debug, Clone)]
pub struct Loaded<T> {
    pub file: FileId,
    pub value: T,
}

/// Everything read from a project folder.
#[derive(Debug, Default)]
pub struct Project {
    pub root: PathBuf,
    /// Every source file read, indexed by [`FileId`].
    pub sources: Vec<SourceFile>,
    pub jurisdictions: BTreeMap<String, Loaded<Jurisdiction>>,
    pub organisations: BTreeMap<String, Loaded<Organisation>>,
    /// Policy id → variant id → source.
    pub policies: BTreeMap<String, BTreeMap<String, Loaded<VariantSource>>>,
    pub logos: BTreeMap<String, Logo>,
    /// Every logo file the profiles name, each once, in name order, and a
    /// digest of what reading them gave ([`logo::digest`]).
    pub logo_names: Vec<String>,
    pub logo_digest: [u8; 32],
    /// The approved texts under `approved/`.
    pub approved: Approved,
    pub templates: Templates,
    /// The PDF font family: the project's `assets/fonts/`, else the bundled one.
    pub fonts: FontFiles,
    /// Findings made while loading (unreadable or unparsable files, bad logos).
    pub diagnostics: Vec<Diagnostic>,
    /// Keeps every read inside the project folder.
    pub(super) confine: Confinement,
}

/// Why `root` cannot be the project folder, if it cannot: it is missing, a
/// file, or unreadable.
pub(super) fn root_problem(root: &Path) -> Option<Diagnostic> {
    const HINT: &str =
        "pass the folder holding organisations/, policies/ and jurisdictions/ with --root";
    let shown = root.display();
    match std::fs::metadata(root) {
        Ok(meta) if meta.is_dir() => None,
        Ok(_) => Some(
            Diagnostic::error(format!("`{shown}` is a file, not a project folder"))
                .with_hint(format!("{HINT}: the folder itself, not a file in it")),
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(
            Diagnostic::error(format!("project folder `{shown}` does not exist")).with_hint(HINT),
        ),
        Err(e) => Some(
            Diagnostic::error(format!("project folder `{shown}` cannot be read: {e}"))
                .with_hint("check the folder's permissions, or pass another folder with --root"),
        ),
    }
}

/// The library's folders that are files instead: each an error, so a
/// library whose `organisations` is a file is not read as having none.
pub(super) fn folders_that_are_files(root: &Path) -> Vec<Diagnostic> {
    [
        "jurisdictions",
        "organisations",
        "policies",
        "approved",
        "templates",
        "assets",
    ]
    .into_iter()
    .filter(|name| std::fs::symlink_metadata(root.join(name)).is_ok_and(|m| m.is_file()))
    .map(|name| {
        Diagnostic::error(format!("`{name}` is a file, not a folder"))
            .in_file(name)
            .with_hint(format!(
                "policygen reads the folder `{name}/`; rename or remove the file `{name}`"
            ))
    })
    .collect()
}

impl Project {
    /// Reads the project at `root`. Never fails outright: problems become
    /// diagnostics, and a file that cannot be parsed is left out.
    pub fn load(root: &Path) -> Project {
        Reading::read(root).parse()
    }

    /// Builds a project from files held in memory, keyed by their path
    /// relative to the root (`jurisdictions/cqc.yaml`,
    /// `organisations/home.yaml`, `policies/key-worker/standard.yaml`), each
    /// parsed exactly as `load` parses it from disk; bundled templates and no
    /// logos. Nothing here touches the filesystem, so tests and fuzz targets
    /// can build whole projects from values.
    pub fn from_sources<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Project {
        let mut project = Project {
            templates: Templates::bundled(),
            ..Project::default()
        };
        let mut files: Vec<(&str, &str)> = files.into_iter().collect();
        files.sort();
        let stem = |name: &str| {
            name.strip_suffix(".yaml")
                .or_else(|| name.strip_suffix(".yml"))
                .map(str::to_string)
        };
        for (path, text) in files {
            let parts: Vec<&str> = path.split('/').collect();
            let org = match parts.as_slice() {
                ["organisations", name] => stem(name),
                _ => None,
            };
            let file = project.add_source(SourceFile::new(path, text), org);
            match parts.as_slice() {
                ["jurisdictions", name] => {
                    if let (Some(id), Some(value)) =
                        (stem(name), project.parse::<Jurisdiction>(file, &[]))
                    {
                        project.jurisdictions.insert(id, Loaded { file, value });
                    }
                }
                ["organisations", name] => {
                    if let (Some(slug), Some(value)) = (
                        stem(name),
                        project.parse::<Organisation>(file, organisation::KEYS),
                    ) {
                        project.organisations.insert(slug, Loaded { file, value });
                    }
                }
                ["policies", policy_id, name] => {
                    if let (Some(variant), Some(value)) = (
                        stem(name),
                        project.parse::<VariantSource>(file, policy::KEYS),
                    ) {
                        project
                            .policies
                            .entry(policy_id.to_string())
                            .or_default()
                            .insert(variant, Loaded { file, value });
                    }
                }
                ["approved", org, policy, name] => {
                    let parsed = crate::control::archive::ApprovedText::parse(text);
                    if let (Some(version), Ok(text)) =
                        (crate::control::archive::version_of(name), parsed)
                    {
                        project
                            .approved
                            .entry(org.to_string())
                            .or_default()
                            .entry(policy.to_string())
                            .or_default()
                            .insert(version.to_string(), Archived { file, text });
                    }
                }
                _ => {}
            }
        }
        project
    }

    /// The approved text of `version` of `policy` for `org`, if archived.
    pub fn approved_text(&self, org: &str, policy: &str, version: &str) -> Option<&Archived> {
        self.approved.get(org)?.get(policy)?.get(version)
    }

    /// Every archived approved text of `policy` for `org`, by version.
    pub fn approved_texts(
        &self,
        org: &str,
        policy: &str,
    ) -> impl Iterator<Item = (&String, &Archived)> {
        self.approved
            .get(org)
            .and_then(|p| p.get(policy))
            .into_iter()
            .flatten()
    }

    /// `is_file`: whether `folder` is a file (read with the rest), which
    /// has its own finding.
    fn require_some(&self, folder: &str, empty: bool, is_file: bool) -> Option<Diagnostic> {
        (empty && !is_file).then(|| {
            Diagnostic::error(format!("no {folder} found in `{}`", self.root.join(folder).display()))
                .with_hint(format!("a policy library needs `{folder}/`; run policygen from the library's folder or pass --root"))
        })
    }

    /// Adds a source file (the profile of `org`, when it is one); returns its id.
    pub fn add_source(&mut self, file: SourceFile, org: Option<String>) -> FileId {
        let id = self.sources.len();
        self.sources.push(file.as_source(id, org));
        id
    }

    /// The source file behind a [`FileId`].
    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.sources[id]
    }

    /// Whether a file `folder/stem.yaml` (or `.yml`) exists, read or not.
    /// When its id is missing from the project, the reason (a parse error,
    /// an unreadable file) was already reported, and findings that only
    /// follow from it would be noise.
    pub fn has_file(&self, folder: &str, stem: &str) -> bool {
        let yaml = format!("{folder}/{stem}.yaml");
        let yml = format!("{folder}/{stem}.yml");
        self.sources.iter().any(|s| s.path == yaml || s.path == yml)
            || self
                .diagnostics
                .iter()
                .any(|d| d.path.as_deref().is_some_and(|p| p == yaml || p == yml))
    }

    /// Parses files in parallel (a library has thousands of profiles); the
    /// values and findings come back in the files' order.
    fn parse_all<T: serde::de::DeserializeOwned + Send>(
        &mut self,
        files: Vec<(String, FileId)>,
        keys: &[&str],
    ) -> Vec<(String, FileId, T)> {
        let parsed: Vec<_> = files
            .into_par_iter()
            .map(|(name, file)| {
                (
                    name,
                    file,
                    source::parse_yaml::<T>(&self.sources[file], keys),
                )
            })
            .collect();
        let mut values = Vec::new();
        for (name, file, result) in parsed {
            match result {
                Ok(value) => values.push((name, file, value)),
                Err(diagnostic) => self.diagnostics.push(diagnostic),
            }
        }
        values
    }

    fn parse<T: serde::de::DeserializeOwned>(&mut self, file: FileId, keys: &[&str]) -> Option<T> {
        match source::parse_yaml::<T>(&self.sources[file], keys) {
            Ok(value) => Some(value),
            Err(diagnostic) => {
                self.diagnostics.push(diagnostic);
                None
            }
        }
    }

    /// Reads each organisation's logo, confined to the project folder.
    fn load_logos(&mut self) {
        let Some(root) = self.confine.root().map(Path::to_path_buf) else {
            return;
        };
        // Each named file read once (homes of a group often share a logo),
        // in parallel; then given to each organisation naming it, and its
        // findings reported in organisation order.
        let names: BTreeSet<&str> = self
            .organisations
            .values()
            .filter_map(|org| org.value.logo.as_ref().map(|l| l.value.as_str()))
            .collect();
        let read = logo::read_all(&root, names.iter().copied());
        let mut logos = BTreeMap::new();
        let mut findings = Vec::new();
        for (slug, org) in &self.organisations {
            let Some(logo) = &org.value.logo else {
                continue;
            };
            match &read[logo.value.as_str()] {
                Ok(read) => {
                    logos.insert(slug.clone(), read.clone());
                }
                Err((message, hint)) => {
                    let file = &self.sources[org.file];
                    let location = file.location_of_span(logo, logo.value.chars().count());
                    findings.push(
                        file.error(message.clone(), location)
                            .with_hint(hint.clone()),
                    )
                }
            }
        }
        self.logo_names = names.into_iter().map(str::to_string).collect();
        self.logo_digest = logo::digest(&read);
        self.logos = logos;
        self.diagnostics.extend(findings);
    }

    /// Every organisation slug, for "did you mean" hints.
    pub fn organisation_slugs(&self) -> impl Iterator<Item = &str> {
        self.organisations.keys().map(String::as_str)
    }

    /// A "did you mean" hint for an unknown policy id.
    pub fn policy_hint(&self, id: &str) -> Option<String> {
        diagnostic::did_you_mean(id, self.policies.keys().map(String::as_str))
    }

    /// The hint for an unknown policy id: a close name, else every policy.
    pub fn unknown_policy_hint(&self, id: &str) -> String {
        self.policy_hint(id).unwrap_or_else(|| {
            let known: Vec<&str> = self.policies.keys().map(String::as_str).collect();
            format!("policies in this library: {}", known.join(", "))
        })
    }
}

impl Reading {
    /// Parses what was read into the project — jurisdictions, profiles and
    /// policy variants, in parallel — reads the logos the profiles name,
    /// and reports every step's findings in the order they arose.
    pub fn parse(self) -> Project {
        let Reading {
            mut project,
            root_problem,
            folders_that_are_files,
            jurisdictions,
            organisations,
            misplaced_policies,
            policies,
            jurisdictions_is_file,
            policies_is_file,
            approved,
            templates,
            fonts,
        } = self;
        if let Some(problem) = root_problem {
            project.diagnostics.push(problem);
            return project;
        }
        project.diagnostics.extend(folders_that_are_files);
        project.diagnostics.extend(jurisdictions.diagnostics);
        for (id, file, value) in project.parse_all::<Jurisdiction>(jurisdictions.files, &[]) {
            project.jurisdictions.insert(id, Loaded { file, value });
        }
        project.diagnostics.extend(organisations.diagnostics);
        let files = organisations.files;
        for (slug, file, value) in project.parse_all::<Organisation>(files, organisation::KEYS) {
            project.organisations.insert(slug, Loaded { file, value });
        }
        project.diagnostics.extend(misplaced_policies);
        for (policy_id, read) in policies {
            let folder = format!("policies/{policy_id}");
            let mut variants = BTreeMap::new();
            project.diagnostics.extend(read.diagnostics);
            let files = read.files;
            if files.is_empty()
                && !project.diagnostics.iter().any(|d| {
                    d.path
                        .as_deref()
                        .is_some_and(|p| p.starts_with(&format!("{folder}/")))
                })
            {
                project.diagnostics.push(
                    Diagnostic::warning(format!("policy folder `{folder}` has no variants"))
                        .in_file(&folder)
                        .with_hint(format!(
                            "add a variant as `{folder}/<variant>.yaml`, or remove the folder"
                        )),
                );
            }
            for (variant, file, value) in project.parse_all::<VariantSource>(files, policy::KEYS) {
                variants.insert(variant, Loaded { file, value });
            }
            project.policies.insert(policy_id, variants);
        }
        for diagnostic in [
            project.require_some(
                "jurisdictions",
                project.jurisdictions.is_empty(),
                jurisdictions_is_file,
            ),
            project.require_some("policies", project.policies.is_empty(), policies_is_file),
        ]
        .into_iter()
        .flatten()
        {
            project.diagnostics.push(diagnostic);
        }
        project.load_logos();
        project.diagnostics.extend(approved);
        project.diagnostics.extend(templates);
        project.diagnostics.extend(fonts);
        project
    }
}

/// Decodes a source file's bytes as UTF-8, explaining what is wrong when
/// they are not.
pub fn decode(bytes: &[u8], relative: &str) -> Result<String, Diagnostic> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Diagnostic::error("the file is saved as UTF-16, not UTF-8")
            .in_file(relative)
            .with_hint("save it again choosing the encoding “UTF-8” (in Notepad: File › Save as › Encoding)"));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(e) => {
            // Show the line as best we can, the bad byte replaced.
            let lossy = String::from_utf8_lossy(bytes);
            let file = SourceFile::new(relative, lossy.clone());
            let valid = &bytes[..e.valid_up_to()];
            let at = String::from_utf8_lossy(valid).len();
            let byte = bytes[e.valid_up_to()];
            Err(file
                .error(
                    format!("the file is not UTF-8 text (byte 0x{byte:02X} cannot be read)"),
                    Some(file.location_at(at, 1)),
                )
                .with_hint("save the file again choosing the encoding “UTF-8”; it was probably saved as Windows-1252 or Latin-1"))
        }
    }
}
