//! `Project::load` reads every source of a policy library once — profiles,
//! jurisdictions, policy variants, templates and logos — into one value that
//! every command works from. This and `output` are the only modules that touch
//! the filesystem. Problems are collected as diagnostics, never raised one at
//! a time, so `check` can report them all.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::assets::FontFiles;
use crate::diagnostic::{self, Diagnostic};
use crate::jurisdiction::Jurisdiction;
use crate::organisation::{self, Organisation};
use crate::policy::{self, VariantSource};
use crate::source::{self, SourceFile};
use crate::templates::Templates;

/// Index of a file in [`Project::sources`].
pub type FileId = usize;

/// A parsed value and the file it came from.
#[derive(Debug, Clone)]
pub struct Loaded<T> {
    pub file: FileId,
    pub value: T,
}

/// An organisation's logo, read and checked at load time.
#[derive(Debug, Clone)]
pub struct Logo {
    pub bytes: Vec<u8>,
    pub kind: ImageKind,
    /// The file name the Markdown output copies it to: `logo.png`.
    pub file_name: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Png,
    Jpeg,
}

impl ImageKind {
    pub fn mime(self) -> &'static str {
        match self {
            ImageKind::Png => "image/png",
            ImageKind::Jpeg => "image/jpeg",
        }
    }

    fn sniff(bytes: &[u8]) -> Option<ImageKind> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(ImageKind::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(ImageKind::Jpeg)
        } else {
            None
        }
    }
}

/// Logos larger than this are refused.
pub const MAX_LOGO_BYTES: u64 = 5 * 1024 * 1024;

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
    pub templates: Templates,
    /// The PDF font family: the project's `assets/fonts/`, else the bundled one.
    pub fonts: FontFiles,
    /// Findings made while loading (unreadable or unparsable files, bad logos).
    pub diagnostics: Vec<Diagnostic>,
}

impl Project {
    /// Reads the project at `root`. Never fails outright: problems become
    /// diagnostics, and a file that cannot be parsed is left out.
    pub fn load(root: &Path) -> Project {
        let mut project = Project {
            root: root.to_path_buf(),
            ..Project::default()
        };
        if !root.is_dir() {
            project.diagnostics.push(
                Diagnostic::error(format!("project folder `{}` does not exist", root.display()))
                    .with_hint("pass the folder holding organisations/, policies/ and jurisdictions/ with --root"),
            );
            return project;
        }
        for (id, file) in project.read_folder("jurisdictions") {
            if let Some(value) = project.parse::<Jurisdiction>(file, &[]) {
                project.jurisdictions.insert(id, Loaded { file, value });
            }
        }
        for (slug, file) in project.read_folder("organisations") {
            if let Some(value) = project.parse::<Organisation>(file, organisation::KEYS) {
                project.organisations.insert(slug, Loaded { file, value });
            }
        }
        for policy_id in project.subfolders("policies") {
            let folder = format!("policies/{policy_id}");
            let mut variants = BTreeMap::new();
            for (variant, file) in project.read_folder(&folder) {
                if let Some(value) = project.parse::<VariantSource>(file, policy::KEYS) {
                    variants.insert(variant, Loaded { file, value });
                }
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
        let (templates, template_diagnostics) = Templates::load(&root.join("templates"));
        project.templates = templates;
        project.diagnostics.extend(template_diagnostics);
        let (fonts, font_diagnostics) = FontFiles::load(&root.join("assets").join("fonts"));
        project.fonts = fonts;
        project.diagnostics.extend(font_diagnostics);
        project
    }

    fn require_some(&self, folder: &str, empty: bool) -> Option<Diagnostic> {
        empty.then(|| {
            Diagnostic::error(format!("no {folder} found in `{}`", self.root.join(folder).display()))
                .with_hint(format!("a policy library needs `{folder}/`; run policygen from the library's folder or pass --root"))
        })
    }

    /// The source file behind a [`FileId`].
    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.sources[id]
    }

    /// Reads every `*.yaml` file of a folder, sorted by name; returns the file
    /// stems and ids. A missing folder is simply empty.
    fn read_folder(&mut self, folder: &str) -> Vec<(String, FileId)> {
        let dir = self.root.join(folder);
        let Ok(entries) = fs::read_dir(&dir) else {
            return Vec::new();
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .collect();
        paths.sort();
        let mut found = Vec::new();
        for path in paths {
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            let relative = format!("{folder}/{name}");
            let stem = match name
                .strip_suffix(".yaml")
                .or_else(|| name.strip_suffix(".yml"))
            {
                Some(stem) => stem.to_string(),
                None => continue,
            };
            match read_text(&path) {
                Ok(text) => {
                    self.sources.push(SourceFile::new(relative, text));
                    found.push((stem, self.sources.len() - 1));
                }
                Err(message) => self
                    .diagnostics
                    .push(Diagnostic::error(message).in_file(relative)),
            }
        }
        found
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
        let mut logos = BTreeMap::new();
        let mut findings = Vec::new();
        for (slug, org) in &self.organisations {
            let Some(logo) = &org.value.logo else {
                continue;
            };
            let file = &self.sources[org.file];
            let location = file.location_of_span(logo, logo.value.chars().count());
            match read_logo(&root, Path::new("organisations"), &logo.value) {
                Ok(read) => {
                    logos.insert(slug.clone(), read);
                }
                Err((message, hint)) => {
                    findings.push(file.error(message, location).with_hint(hint))
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
}

/// Reads a UTF-8 text file, refusing very large ones before reading them.
fn read_text(path: &Path) -> Result<String, String> {
    let metadata =
        fs::metadata(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    if metadata.len() > source::MAX_SOURCE_BYTES as u64 {
        return Err(format!(
            "file is too large ({} bytes; the limit is {} bytes)",
            metadata.len(),
            source::MAX_SOURCE_BYTES
        ));
    }
    let bytes = fs::read(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    String::from_utf8(bytes)
        .map_err(|_| "file is not valid UTF-8 text; save it as UTF-8".to_string())
}

/// Reads a logo named relative to `base` (inside `root`), refusing paths that
/// leave the project, including through symbolic links.
fn read_logo(root: &Path, base: &Path, name: &str) -> Result<Logo, (String, String)> {
    let confine_hint = "put the logo inside the project folder and name it relative to the profile, e.g. `logos/home.png`";
    let relative = Path::new(name);
    if name.trim().is_empty()
        || relative.is_absolute()
        || name.starts_with('/')
        || name.starts_with('\\')
    {
        return Err((
            format!("logo path `{name}` must be relative to the profile"),
            confine_hint.into(),
        ));
    }
    let candidate = root.join(base).join(relative);
    let resolved = candidate.canonicalize().map_err(|_| {
        (
            format!("logo `{name}` does not exist"),
            format!(
                "expected the file at `{}`; check the spelling, or remove `logo:`",
                base.join(relative).display()
            ),
        )
    })?;
    if !resolved.starts_with(root) {
        return Err((
            format!("logo path `{name}` leaves the project folder"),
            confine_hint.into(),
        ));
    }
    let metadata = fs::metadata(&resolved).map_err(|e| {
        (
            format!("cannot read logo `{name}`: {e}"),
            confine_hint.into(),
        )
    })?;
    if !metadata.is_file() {
        return Err((
            format!("logo `{name}` is not a file"),
            "name a PNG or JPEG image file".into(),
        ));
    }
    if metadata.len() > MAX_LOGO_BYTES {
        return Err((
            format!(
                "logo `{name}` is too large ({} bytes; the limit is {MAX_LOGO_BYTES})",
                metadata.len()
            ),
            "save a smaller image; a logo needs no more than a few hundred kilobytes".into(),
        ));
    }
    let bytes = fs::read(&resolved).map_err(|e| {
        (
            format!("cannot read logo `{name}`: {e}"),
            confine_hint.into(),
        )
    })?;
    let kind = ImageKind::sniff(&bytes).ok_or_else(|| {
        (
            format!("logo `{name}` is not a PNG or JPEG image"),
            "convert the logo to PNG or JPEG".to_string(),
        )
    })?;
    let file_name = match kind {
        ImageKind::Png => "logo.png",
        ImageKind::Jpeg => "logo.jpg",
    };
    Ok(Logo {
        bytes,
        kind,
        file_name,
    })
}
