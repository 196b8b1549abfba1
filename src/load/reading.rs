//! The first half of [`Project::load`]: everything it reads from disk —
//! the folders listed, every source file's text (confined to the project),
//! the approved texts, templates and fonts, and what reading found —
//! before anything is parsed. [`Reading::parse`] is the second half. Kept
//! apart so that a build can tell from what was read alone that the
//! library is the one its last build read (`build::record`), without
//! parsing a thousand profiles. The logos are read while parsing, since
//! the profiles name them (`Project::load_logos`).

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::load::approved;
use crate::load::assets::{FontBytes, FontFiles};
use crate::load::confine::Confinement;
use crate::load::project::{FileId, Project, decode, folders_that_are_files, root_problem};
use crate::load::source::{self, SourceFile};
use crate::load::templates::Templates;

/// One source folder as read: its YAML files (stem and id, in name order)
/// and what reading it found.
#[derive(Debug, Default)]
pub(super) struct Folder {
    pub files: Vec<(String, FileId)>,
    pub diagnostics: Vec<Diagnostic>,
}

/// What [`Project::load`] reads before parsing: the project with its
/// sources, approved texts, templates and fonts (nothing parsed yet), and
/// each step's findings, which [`Reading::parse`] reports in the order
/// loading always has.
#[derive(Debug)]
pub struct Reading {
    pub(super) project: Project,
    /// The project folder is missing, a file or unreadable: nothing else was read.
    pub(super) root_problem: Option<Diagnostic>,
    pub(super) folders_that_are_files: Vec<Diagnostic>,
    pub(super) jurisdictions: Folder,
    pub(super) organisations: Folder,
    pub(super) misplaced_policies: Vec<Diagnostic>,
    /// Each policy folder (`policies/<id>`), by id in name order.
    pub(super) policies: Vec<(String, Folder)>,
    /// Whether `jurisdictions` and `policies` are files (followed through
    /// links), for the finding that a library needs them.
    pub(super) jurisdictions_is_file: bool,
    pub(super) policies_is_file: bool,
    pub(super) approved: Vec<Diagnostic>,
    pub(super) templates: Vec<Diagnostic>,
    pub(super) fonts: Vec<Diagnostic>,
}

impl Reading {
    /// Reads the project at `root` from disk; never fails outright.
    pub fn read(root: &Path) -> Reading {
        let mut reading = Reading {
            project: Project {
                root: root.to_path_buf(),
                ..Project::default()
            },
            root_problem: root_problem(root),
            folders_that_are_files: Vec::new(),
            jurisdictions: Folder::default(),
            organisations: Folder::default(),
            misplaced_policies: Vec::new(),
            policies: Vec::new(),
            jurisdictions_is_file: false,
            policies_is_file: false,
            approved: Vec::new(),
            templates: Vec::new(),
            fonts: Vec::new(),
        };
        if reading.root_problem.is_some() {
            return reading;
        }
        let project = &mut reading.project;
        project.confine = Confinement::new(root);
        reading.folders_that_are_files = folders_that_are_files(root);
        reading.jurisdictions = project.read_folder("jurisdictions");
        reading.organisations = project.read_folder("organisations");
        reading.misplaced_policies = project.misplaced_policies();
        for policy_id in project.subfolders("policies") {
            let folder = project.read_folder(&format!("policies/{policy_id}"));
            reading.policies.push((policy_id, folder));
        }
        reading.jurisdictions_is_file = root.join("jurisdictions").is_file();
        reading.policies_is_file = root.join("policies").is_file();
        project.approved = approved::load(root, &mut project.sources, &mut reading.approved);
        let (templates, template_diagnostics) =
            Templates::load(&root.join("templates"), &project.confine);
        project.templates = templates;
        reading.templates = template_diagnostics;
        let (fonts, font_diagnostics) =
            FontFiles::load(&root.join("assets").join("fonts"), &project.confine);
        project.fonts = fonts;
        reading.fonts = font_diagnostics;
        reading
    }

    /// The project folder resolved (None when it cannot be), where the
    /// logos are looked for.
    pub fn resolved_root(&self) -> Option<&Path> {
        self.project.confine.root()
    }

    /// Feeds everything read to `put`, labelled: every field, so that two
    /// readings fed the same are the same reading. (The approved texts are
    /// parsed from sources fed here; the bundled templates and fonts are
    /// part of the binary.) Not the project folder's path, given or
    /// resolved: what reading found there is fed, and nothing after
    /// loading looks at the path (`build::record` says why that matters).
    pub fn feed(&self, put: &mut dyn FnMut(&str, &[u8])) {
        let Reading {
            project,
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
        let Project {
            root: _,
            sources,
            jurisdictions: _,
            organisations: _,
            policies: _,
            logos: _,
            logo_names: _,
            logo_digest: _,
            approved: archived,
            templates: project_templates,
            fonts: project_fonts,
            diagnostics: _,
            confine: _,
        } = project;
        let debug = |put: &mut dyn FnMut(&str, &[u8]), label: &str, value: &dyn std::fmt::Debug| {
            put(label, format!("{value:?}").as_bytes());
        };
        for file in sources {
            let SourceFile {
                path,
                text,
                id,
                org,
            } = file;
            debug(put, "source", &(path, id, org));
            put("text", text.as_bytes());
        }
        for (org, policies) in archived {
            for (policy, versions) in policies {
                for (version, text) in versions {
                    debug(put, "approved", &(org, policy, version, text.file));
                }
            }
        }
        for (name, template) in &project_templates.by_name {
            debug(put, "template", &(name, &template.origin));
            put("template text", template.text.as_bytes());
        }
        put("font family", project_fonts.family.as_bytes());
        for file in &project_fonts.files {
            put("font", file.display_path.as_bytes());
            match &file.bytes {
                FontBytes::Bundled(_) => put("font bytes", b"bundled"),
                FontBytes::Project(bytes) => put("font bytes", bytes),
            }
        }
        debug(put, "root problem", root_problem);
        debug(put, "folders that are files", folders_that_are_files);
        for (label, folder) in [
            ("jurisdictions", jurisdictions),
            ("organisations", organisations),
        ] {
            debug(put, label, &(&folder.files, &folder.diagnostics));
        }
        debug(put, "misplaced policies", misplaced_policies);
        for (id, folder) in policies {
            debug(put, "policy", &(id, &folder.files, &folder.diagnostics));
        }
        debug(put, "are files", &(jurisdictions_is_file, policies_is_file));
        debug(put, "approved findings", approved);
        debug(put, "template findings", templates);
        debug(put, "font findings", fonts);
    }
}

impl Project {
    /// Reads every `*.yaml` file of a folder, sorted by name; returns the file
    /// stems and ids. A missing folder is simply empty. A file that looks
    /// meant to be read but is not (`home.YAML`, `home.yaml.txt`) gets a
    /// warning, so nothing a user wrote is skipped without a word.
    fn read_folder(&mut self, folder: &str) -> Folder {
        let mut diagnostics = Vec::new();
        let dir = self.root.join(folder);
        let Ok(entries) = fs::read_dir(&dir) else {
            return Folder::default();
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
                diagnostics.push(
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
                        diagnostics.push(warning);
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
                Err(finding) => diagnostics.push(finding),
            }
        }
        Folder {
            files: found,
            diagnostics,
        }
    }

    /// YAML files directly in `policies/` are never read: each policy is a
    /// folder of variants.
    fn misplaced_policies(&self) -> Vec<Diagnostic> {
        let mut diagnostics = Vec::new();
        let Ok(entries) = fs::read_dir(self.root.join("policies")) else {
            return diagnostics;
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
            diagnostics.push(
                Diagnostic::error(format!("`policies/{name}` is not in a policy folder"))
                    .in_file(format!("policies/{name}"))
                    .with_hint(format!(
                        "each policy is a folder of variants: move it to `policies/{stem}/<variant>.yaml`, e.g. `policies/{stem}/standard.yaml`"
                    )),
            );
        }
        diagnostics
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
