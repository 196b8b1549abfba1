//! `Project::load` reads every source of a policy library once — profiles,
//! jurisdictions, policy variants, templates and logos — into one value that
//! every command works from; `lib.rs` lists the other modules that touch the
//! disk. Problems are collected as diagnostics, never raised one at
//! a time, so `check` can report them all.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostic::{self, Diagnostic};
use crate::load::approved::{self, Approved, Archived};
use crate::load::assets::FontFiles;
use crate::load::confine::Confinement;
use crate::load::logo::{Logo, read_logo};
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
    /// The approved texts under `approved/`.
    pub approved: Approved,
    pub templates: Templates,
    /// The PDF font family: the project's `assets/fonts/`, else the bundled one.
    pub fonts: FontFiles,
    /// Findings made while loading (unreadable or unparsable files, bad logos).
    pub diagnostics: Vec<Diagnostic>,
    /// Keeps every read inside the project folder.
    confine: Confinement,
}

/// Why `root` cannot be the project folder, if it cannot: it is missing, a
/// file, or unreadable.
fn root_problem(root: &Path) -> Option<Diagnostic> {
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
fn folders_that_are_files(root: &Path) -> Vec<Diagnostic> {
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
        let mut project = Project {
            root: root.to_path_buf(),
            ..Project::default()
        };
        if let Some(problem) = root_problem(root) {
            project.diagnostics.push(problem);
            return project;
        }
        project.confine = Confinement::new(root);
        project.diagnostics.extend(folders_that_are_files(root));
        let files = project.read_folder("jurisdictions");
        for (id, file, value) in project.parse_all::<Jurisdiction>(files, &[]) {
            project.jurisdictions.insert(id, Loaded { file, value });
        }
        let files = project.read_folder("organisations");
        for (slug, file, value) in project.parse_all::<Organisation>(files, organisation::KEYS) {
            project.organisations.insert(slug, Loaded { file, value });
        }
        project.misplaced_policies();
        for policy_id in project.subfolders("policies") {
            let folder = format!("policies/{policy_id}");
            let mut variants = BTreeMap::new();
            let files = project.read_folder(&folder);
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
            project.require_some("jurisdictions", project.jurisdictions.is_empty()),
            project.require_some("policies", project.policies.is_empty()),
        ]
        .into_iter()
        .flatten()
        {
            project.diagnostics.push(diagnostic);
        }
        project.load_logos();
        project.approved = approved::load(root, &mut project.sources, &mut project.diagnostics);
        let (templates, template_diagnostics) =
            Templates::load(&root.join("templates"), &project.confine);
        project.templates = templates;
        project.diagnostics.extend(template_diagnostics);
        let (fonts, font_diagnostics) =
            FontFiles::load(&root.join("assets").join("fonts"), &project.confine);
        project.fonts = fonts;
        project.diagnostics.extend(font_diagnostics);
        project
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

    fn require_some(&self, folder: &str, empty: bool) -> Option<Diagnostic> {
        // A folder that is a file has its own finding.
        let is_file = self.root.join(folder).is_file();
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

    /// Reads every `*.yaml` file of a folder, sorted by name; returns the file
    /// stems and ids. A missing folder is simply empty. A file that looks
    /// meant to be read but is not (`home.YAML`, `home.yaml.txt`) gets a
    /// warning, so nothing a user wrote is skipped without a word.
    fn read_folder(&mut self, folder: &str) -> Vec<(String, FileId)> {
        let dir = self.root.join(folder);
        let Ok(entries) = fs::read_dir(&dir) else {
            return Vec::new();
        };
        // The listing says which entries are regular files; only links are
        // followed (a stat each) to see whether they lead to one.
        let mut paths: Vec<(PathBuf, bool)> = entries
            .filter_map(|e| e.ok())
            .map(|e| {
                let regular = e.file_type().is_ok_and(|t| t.is_file());
                (e.path(), regular)
            })
            .collect::<Vec<_>>()
            .into_par_iter()
            .filter(|(p, regular)| *regular || p.is_file())
            .collect();
        paths.sort();
        let inside = self.confine.folder(&dir);
        // The file's path, its path from the root, its stem and its
        // organisation when it is a profile.
        let mut wanted = Vec::new();
        for (path, regular) in paths {
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                self.diagnostics.push(
                    Diagnostic::warning(format!(
                        "`{}` is not read: its name is not valid Unicode",
                        path.display()
                    ))
                    .with_hint("rename it using letters, digits and hyphens"),
                );
                continue;
            };
            let relative = format!("{folder}/{name}");
            let stem = match name
                .strip_suffix(".yaml")
                .or_else(|| name.strip_suffix(".yml"))
            {
                Some(stem) => stem.to_string(),
                None => {
                    if let Some(warning) = not_read(&relative, name) {
                        self.diagnostics.push(warning);
                    }
                    continue;
                }
            };
            // A profile's findings name its organisation, read or not.
            let org = (folder == "organisations").then(|| stem.clone());
            wanted.push((path, regular, relative, stem, org));
        }
        // Confined and read in parallel (a read per file, and a realpath
        // for a link), then added in name order.
        let read: Vec<Result<String, Diagnostic>> = wanted
            .par_iter()
            .map(|(path, regular, relative, _, org)| {
                self.confine
                    .check_listed(inside.as_deref(), *regular, path, relative)
                    .and_then(|()| read_text(path, relative))
                    .map_err(|finding| match org {
                        Some(org) => finding.for_org(org.clone()),
                        None => finding,
                    })
            })
            .collect();
        let mut found = Vec::new();
        for ((_, _, relative, stem, org), text) in wanted.into_iter().zip(read) {
            match text {
                Ok(text) => {
                    let id = self.add_source(SourceFile::new(relative, text), org);
                    found.push((stem, id));
                }
                Err(finding) => self.diagnostics.push(finding),
            }
        }
        found
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

    /// YAML files directly in `policies/` are never read: each policy is a
    /// folder of variants.
    fn misplaced_policies(&mut self) {
        let Ok(entries) = fs::read_dir(self.root.join("policies")) else {
            return;
        };
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_file())
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .filter(|n| n.ends_with(".yaml") || n.ends_with(".yml"))
            .collect();
        names.sort();
        for name in names {
            let stem = name.trim_end_matches(".yaml").trim_end_matches(".yml");
            self.diagnostics.push(
                Diagnostic::error(format!("`policies/{name}` is not in a policy folder"))
                    .in_file(format!("policies/{name}"))
                    .with_hint(format!(
                        "each policy is a folder of variants: move it to `policies/{stem}/<variant>.yaml`, e.g. `policies/{stem}/standard.yaml`"
                    )),
            );
        }
    }

    fn subfolders(&self, folder: &str) -> Vec<String> {
        let Ok(entries) = fs::read_dir(self.root.join(folder)) else {
            return Vec::new();
        };
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_dir())
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .collect();
        names.sort();
        names
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
        let Ok(root) = self.root.canonicalize() else {
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
        let read: BTreeMap<&str, Result<Logo, (String, String)>> = names
            .into_par_iter()
            .map(|name| (name, read_logo(&root, Path::new("organisations"), name)))
            .collect();
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

/// A warning for a file in a source folder that is not read, when its name
/// suggests it was meant to be.
fn not_read(relative: &str, name: &str) -> Option<Diagnostic> {
    let lower = name.to_ascii_lowercase();
    if name.starts_with('.') || !(lower.contains(".yaml") || lower.contains(".yml")) {
        return None;
    }
    let stem = &name[..lower.find(".y").unwrap_or(name.len())];
    Some(
        Diagnostic::warning(format!("`{relative}` is not read"))
            .in_file(relative)
            .with_hint(format!(
                "only files ending in `.yaml` (lowercase) are read; rename it to `{stem}.yaml` if it should be"
            )),
    )
}

/// Reads a UTF-8 text file, refusing very large ones before reading them.
/// A leading byte-order mark is dropped.
fn read_text(path: &Path, relative: &str) -> Result<String, Diagnostic> {
    let cannot = |e: std::io::Error| {
        Diagnostic::error(format!("cannot read the file: {e}"))
            .in_file(relative)
            .with_hint("check that the file exists and that you may read it")
    };
    // Opened once: its size from the open file, then read whole (through
    // `take`, which reads into the buffer sized here without asking the
    // file its size again, and stops a file growing past the limit).
    let file = fs::File::open(path).map_err(cannot)?;
    let size = file.metadata().map_err(cannot)?.len();
    let limit = source::MAX_SOURCE_BYTES as u64;
    if size > limit {
        return Err(source::too_large(relative, size));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0) + 1);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > limit {
        return Err(source::too_large(relative, bytes.len() as u64));
    }
    decode(&bytes, relative)
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
