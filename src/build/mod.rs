//! The build engine behind `policygen build`: decide which outputs are
//! stale by hashing their inputs, render only those — in parallel, staging
//! each file beside its target as it is made so memory stays bounded — and
//! commit the lot only when every document rendered. Shards (`--shard K/N`)
//! build a deterministic slice; `--check` does everything but write.

pub mod folder;
pub mod output;
pub mod pipeline;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::GENERATOR;
use crate::build::folder::Session;
use crate::build::output::{Content, Entry, Manifest, Planned};
use crate::build::pipeline::{Checked, Selection};
use crate::diagnostic::Diagnostic;
use crate::render::{self, Format, Renderer};
use crate::report::{calendar, dashboard};
use crate::resolve::Assignment;
use crate::review::schedule;

/// One slice of a sharded build: `K/N`, 1 ≤ K ≤ N.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || format!("`--shard {text}` must be K/N with 1 ≤ K ≤ N, e.g. `--shard 2/4`");
        let (k, n) = text.split_once('/').ok_or_else(bad)?;
        let (index, count): (usize, usize) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// Whether the `position`-th (0-based) of all assignments, in their sorted
    /// order, belongs to this shard: round robin, so shards stay balanced
    /// and together cover everything exactly once.
    pub fn owns(&self, position: usize) -> bool {
        position % self.count == self.index - 1
    }

    /// The manifest a shard writes instead of `manifest.json`.
    pub fn manifest_name(&self) -> String {
        format!("manifest.shard-{}-of-{}.json", self.index, self.count)
    }
}

/// A document to render, in the formats whose outputs are stale, each with
/// its input key.
type Work<'a> = (&'a Assignment, Vec<(&'a dyn Renderer, String)>);

/// What to build.
#[derive(Debug, Clone)]
pub struct Options {
    pub formats: Vec<Format>,
    pub selection: Selection,
    pub out_dir: PathBuf,
    pub shard: Option<Shard>,
    /// Write nothing; report what a build would change.
    pub check_only: bool,
    /// Show a progress bar on stderr.
    pub progress: bool,
}

/// What a build did (or, with `check_only`, would do).
#[derive(Debug, Default)]
pub struct Summary {
    /// Documents (organisation × policy) in this build.
    pub documents: usize,
    /// Documents rendered because an input changed.
    pub rendered: usize,
    pub report: output::Report,
    /// With `check_only`: outputs that are missing, differ or would be deleted.
    pub stale: Vec<String>,
}

/// Runs a build of a checked project (which must have no errors).
pub fn build(checked: &Checked, options: &Options) -> Result<Summary, Vec<Diagnostic>> {
    let out_dir = &options.out_dir;
    let all = checked.select(&Selection::default());
    let jobs: Vec<&Assignment> = all
        .iter()
        .enumerate()
        .filter(|(i, a)| {
            options.shard.is_none_or(|s| s.owns(*i))
                && options.selection.includes(&a.org, &a.policy)
        })
        .map(|(_, a)| *a)
        .collect();

    let renderers = render::renderers(&options.formats, checked.project)?;
    // The folder is locked before the manifest is read, so what it says
    // stays true until this build commits.
    let (session, _reading) = if options.check_only {
        (
            None,
            folder::lock_for_reading(out_dir).map_err(|e| vec![e])?,
        )
    } else {
        (Some(Session::open(out_dir).map_err(|e| vec![e])?), None)
    };
    let since = manifest_time(out_dir);
    let mut previous = Manifest::read(out_dir);
    if options.shard.is_none() {
        // Outputs built by shards count as this folder's own.
        for shard_manifest in shard_manifests(out_dir) {
            previous.outputs.extend(shard_manifest.1.outputs);
        }
    }
    let previous_by_path: BTreeMap<&str, &Entry> = previous
        .outputs
        .iter()
        .map(|e| (e.path.as_str(), e))
        .collect();

    let keys = InputKeys::new(checked);
    // With --check every output is read back; a build trusts the ones
    // untouched since the manifest was written.
    let since = if options.check_only { None } else { since };

    // Which (job, format) pairs need rendering.
    let mut files: BTreeMap<String, Planned> = BTreeMap::new();
    let mut todo: Vec<Work> = Vec::new();
    let mut stale: Vec<String> = Vec::new();
    for job in &jobs {
        let mut formats = Vec::new();
        for renderer in &renderers {
            let format = renderer.format();
            let key = keys.key(checked, job, format);
            let path = render::output_path(&job.org, &job.policy, format);
            match previous_by_path.get(path.as_str()) {
                Some(old)
                    if old.input.as_deref() == Some(key.as_str())
                        && output::intact(out_dir, old, since) =>
                {
                    files.insert(
                        path,
                        Planned {
                            content: Content::UpToDate,
                            entry: (*old).clone(),
                        },
                    );
                }
                _ => formats.push((renderer.as_ref(), key)),
            }
        }
        if !formats.is_empty() {
            todo.push((job, formats));
        }
    }

    let bar = progress_bar(options.progress, todo.len());
    let findings = Mutex::new(Vec::new());
    let staged: Vec<(String, Planned)> = todo
        .par_iter()
        .flat_map_iter(|(job, formats)| {
            let result = render_job(checked, job, formats, out_dir, session.as_ref());
            bar.inc(1);
            match result {
                Ok(files) => files,
                Err(errors) => {
                    if let Ok(mut all) = findings.lock() {
                        all.extend(errors);
                    }
                    Vec::new()
                }
            }
        })
        .collect();
    bar.finish_and_clear();
    let rendered = todo.len();
    files.extend(staged);

    let mut findings = findings.into_inner().unwrap_or_default();
    let mut extra = Vec::new();
    if findings.is_empty() && options.shard.is_none() {
        let site = SiteInputs {
            keys: &keys,
            previous: &previous,
            session: session.as_ref(),
            since,
        };
        match site_files(checked, options, &site, &mut files) {
            Ok(site) => extra = site,
            Err(error) => findings.push(error),
        }
    }
    if !findings.is_empty() {
        if let Some(session) = session {
            output::discard(session, &files);
        }
        pipeline::dedupe(&mut findings);
        return Err(findings);
    }

    let in_scope = |entry: &Entry| in_scope(entry, options, &all);
    let manifest = Manifest {
        generator: GENERATOR.to_string(),
        build_date: checked.context.today.to_string(),
        outputs: Vec::new(),
    };
    let manifest_name = options
        .shard
        .map_or(output::MANIFEST.to_string(), |s| s.manifest_name());

    let Some(session) = session else {
        for (path, planned) in &files {
            if matches!(planned.content, Content::Staged(_)) {
                stale.push(path.clone());
            }
        }
        for old in &previous.outputs {
            if !files.contains_key(&old.path) && in_scope(old) && out_dir.join(&old.path).is_file()
            {
                stale.push(format!("{} (would be deleted)", old.path));
            }
        }
        for (path, bytes) in &extra {
            if !output::same_bytes(&out_dir.join(path), bytes) {
                stale.push(path.clone());
            }
        }
        stale.sort();
        stale.dedup();
        return Ok(Summary {
            documents: jobs.len(),
            rendered,
            report: output::Report::default(),
            stale,
        });
    };

    let report = output::commit(
        session,
        files,
        &previous,
        &in_scope,
        (&manifest_name, manifest),
        &extra,
    )
    .map_err(|e| vec![e])?;
    if options.shard.is_none() {
        for (path, _) in shard_manifests(out_dir) {
            let _ = std::fs::remove_file(path);
        }
    }
    Ok(Summary {
        documents: jobs.len(),
        rendered,
        report,
        stale,
    })
}

/// Stages `bytes` for `path`; without a session (`--check`) stages nothing
/// and only says whether the file would change (`Staged` with an empty path).
fn place(
    out_dir: &Path,
    session: Option<&Session>,
    path: &str,
    bytes: &[u8],
) -> Result<Content, Diagnostic> {
    if let Some(session) = session {
        return output::stage(session, path, bytes);
    }
    Ok(if output::same_bytes(&out_dir.join(path), bytes) {
        Content::Unchanged
    } else {
        Content::Staged(PathBuf::new())
    })
}

/// Renders one document in the given formats and stages its files. With
/// `check_only`, nothing is staged: an output whose bytes differ from the
/// file on disk is marked `Staged` with an empty path, meaning "would write".
fn render_job(
    checked: &Checked,
    job: &Assignment,
    formats: &[(&dyn Renderer, String)],
    out_dir: &Path,
    session: Option<&Session>,
) -> Result<Vec<(String, Planned)>, Vec<Diagnostic>> {
    let document = checked.document(job)?;
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for (renderer, key) in formats {
        let artifacts = match renderer.render(&document) {
            Ok(artifacts) => artifacts,
            Err(error) => {
                errors.push(error);
                continue;
            }
        };
        for (i, artifact) in artifacts.into_iter().enumerate() {
            let primary = i == 0;
            let content = match place(out_dir, session, &artifact.path, &artifact.bytes) {
                Ok(content) => content,
                Err(error) => {
                    errors.push(error);
                    continue;
                }
            };
            let entry = Entry {
                path: artifact.path.clone(),
                sha256: output::sha256(&artifact.bytes),
                org: job.org.clone(),
                policy: Some(job.policy.clone()),
                variant: Some(job.variant.clone()),
                format: renderer.format().extension().to_string(),
                last_review: primary
                    .then(|| document.schedule.last_review.map(|d| d.to_string()))
                    .flatten(),
                next_review: primary.then(|| document.schedule.next_review.to_string()),
                status: primary.then(|| document.status.as_str().to_string()),
                input: Some(key.clone()),
                size: Some(artifact.bytes.len() as u64),
            };
            files.push((artifact.path, Planned { content, entry }));
        }
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        // Nothing of a failed document is kept.
        for (_, planned) in &files {
            if let Content::Staged(temp) = &planned.content
                && !temp.as_os_str().is_empty()
            {
                let _ = std::fs::remove_file(temp);
            }
        }
        Err(errors)
    }
}

/// Whether an entry of the previous manifest is this build's to keep or delete.
fn in_scope(entry: &Entry, options: &Options, all: &[&Assignment]) -> bool {
    let org_selected =
        options.selection.orgs.is_empty() || options.selection.orgs.contains(&entry.org);
    let format_selected = options
        .formats
        .iter()
        .any(|f| f.extension() == entry.format)
        || (entry.format.is_empty() && org_selected);
    match &entry.policy {
        Some(policy) => {
            let selected = options.selection.includes(&entry.org, policy) && format_selected;
            let in_shard = options.shard.is_none_or(|shard| {
                all.iter()
                    .position(|a| a.org == entry.org && &a.policy == policy)
                    .is_none_or(|i| shard.owns(i))
            });
            selected && in_shard
        }
        // Organisation-level files (dashboards, logo copies) belong to full builds.
        None => options.shard.is_none() && org_selected && format_selected,
    }
}

/// The site-level files: the calendar always; with HTML the dashboards;
/// with Markdown each organisation's logo copy. Dashboards and the calendar
/// cover the whole library even when `--org`/`--policy` narrow the build (the
/// schedule needs no rendering). Organisation-level files join `files` so the
/// manifest lists them and they go with their organisation; the site
/// dashboard and the calendar are returned as extra files.
fn site_files(
    checked: &Checked,
    options: &Options,
    site: &SiteInputs,
    files: &mut BTreeMap<String, Planned>,
) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
    let SiteInputs {
        keys,
        previous,
        session,
        since,
    } = *site;
    let out_dir = &options.out_dir;
    let selection = &options.selection;
    let in_org_scope = |org: &String| selection.orgs.is_empty() || selection.orgs.contains(org);
    let previous_by_path: BTreeMap<&str, &Entry> = previous
        .outputs
        .iter()
        .map(|e| (e.path.as_str(), e))
        .collect();
    // An organisation-level file whose inputs are unchanged since the build
    // that wrote it is neither made again nor read back.
    // Keeps such a file as it is (and says so) when it is up to date.
    let keep = |files: &mut BTreeMap<String, Planned>, path: &str, key: &str| {
        let old = previous_by_path
            .get(path)
            .filter(|old| old.input.as_deref() == Some(key) && output::intact(out_dir, old, since));
        if let Some(old) = old {
            let entry = (*old).clone();
            files.insert(
                path.to_string(),
                Planned {
                    content: Content::UpToDate,
                    entry,
                },
            );
        }
        old.is_some()
    };
    let mut org_files: Vec<OrgFile> = Vec::new();

    let rows = schedule::rows(checked, &Selection::default(), checked.context.due_within);
    let mut extra = vec![(
        dashboard::CALENDAR.to_string(),
        calendar::ics(&rows, checked.context.today).into_bytes(),
    )];
    if options.formats.contains(&Format::Html) {
        // Everything in the output folder once this build is written: its
        // own files and the previous build's files outside its scope.
        let all = checked.select(&Selection::default());
        let available: BTreeSet<String> = files
            .keys()
            .cloned()
            .chain(
                previous
                    .outputs
                    .iter()
                    .filter(|e| !in_scope(e, options, &all))
                    .map(|e| e.path.clone()),
            )
            .collect();
        let mut stale_pages = BTreeSet::new();
        let mut page_keys = BTreeMap::new();
        for org in checked
            .validated
            .organisations
            .keys()
            .filter(|o| in_org_scope(o))
        {
            let key = keys.dashboard_key(checked, org, &available);
            let path = dashboard::org_index(org);
            if !keep(files, &path, &key) {
                stale_pages.insert(org.clone());
                page_keys.insert(org.clone(), key);
            }
        }
        let mut on_page = |org: String, bytes: Vec<u8>| {
            let key = page_keys.remove(&org).unwrap_or_default();
            let file = (dashboard::org_index(&org), org, bytes, "html", key);
            place_org_file(options, session, files, file)
        };
        let dashboards = dashboard::dashboards(
            checked,
            &rows,
            &available,
            &stale_pages,
            &checked.project.templates,
            &mut on_page,
        )?;
        extra.push((dashboard::INDEX.to_string(), dashboards.site));
    }

    // After the dashboards, whose links cover documents only.
    if options.formats.contains(&Format::Md) {
        for (org, logo) in &checked.project.logos {
            if in_org_scope(org) && checked.validated.organisations.contains_key(org) {
                let path = format!("{org}/{}", logo.file_name);
                let key = output::sha256(&logo.bytes);
                if !keep(files, &path, &key) {
                    org_files.push((path, org.clone(), logo.bytes.clone(), "md", key));
                }
            }
        }
    }

    for file in org_files {
        place_org_file(options, session, files, file)?;
    }
    Ok(extra)
}

/// An organisation-level file: path, organisation, bytes, format, input key.
type OrgFile<'a> = (String, String, Vec<u8>, &'a str, String);

/// Stages an organisation-level file and records its manifest entry.
fn place_org_file(
    options: &Options,
    session: Option<&Session>,
    files: &mut BTreeMap<String, Planned>,
    file: OrgFile,
) -> Result<(), Diagnostic> {
    let (path, org, bytes, format, key) = file;
    let content = place(&options.out_dir, session, &path, &bytes)?;
    let entry = Entry {
        path: path.clone(),
        sha256: output::sha256(&bytes),
        org,
        policy: None,
        variant: None,
        format: format.to_string(),
        last_review: None,
        next_review: None,
        status: None,
        input: Some(key),
        size: Some(bytes.len() as u64),
    };
    files.insert(path, Planned { content, entry });
    Ok(())
}

fn shard_manifests(out_dir: &Path) -> Vec<(PathBuf, Manifest)> {
    let Ok(entries) = std::fs::read_dir(out_dir) else {
        return Vec::new();
    };
    let mut found: Vec<(PathBuf, Manifest)> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("manifest.shard-") && n.ends_with(".json"))
        })
        .filter_map(|p| {
            let manifest = serde_json::from_slice(&std::fs::read(&p).ok()?).ok()?;
            Some((p, manifest))
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

/// When the manifests of the output folder were last written (the
/// earliest, when shards wrote their own): outputs untouched since then
/// are as the manifest describes them.
fn manifest_time(out_dir: &Path) -> Option<std::time::SystemTime> {
    let mut paths = vec![out_dir.join(output::MANIFEST)];
    paths.extend(shard_manifests(out_dir).into_iter().map(|(path, _)| path));
    paths
        .iter()
        .filter_map(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok())
        .min()
}

/// What the site files need besides the project and options.
#[derive(Clone, Copy)]
struct SiteInputs<'a> {
    keys: &'a InputKeys,
    previous: &'a Manifest,
    session: Option<&'a Session>,
    since: Option<std::time::SystemTime>,
}

fn progress_bar(show: bool, len: usize) -> ProgressBar {
    if !show || len < 2 {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} rendering {pos}/{len} documents {wide_bar} {eta}")
    {
        bar.set_style(style);
    }
    bar
}

/// Hashes of the inputs behind each output, so an unchanged output is
/// neither rendered nor rewritten. A key covers: policygen's version, the
/// format, the build date and due window, the organisation's profile, its
/// jurisdiction, the variant and every variant it extends, the templates,
/// the logo, the titles of related policies built for the organisation, and
/// for PDF the font files.
pub struct InputKeys {
    files: Vec<String>,
    templates: String,
    fonts: String,
}

impl InputKeys {
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
        InputKeys {
            files,
            templates: hex(&templates.finalize()),
            fonts: hex(&fonts.finalize()),
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
        put("today", &checked.context.today.to_string());
        put("within", &checked.context.due_within.to_string());
        put("templates", &self.templates);
        if format == Format::Pdf {
            put("fonts", &self.fonts);
        }
        if let Some(org) = project.organisations.get(&job.org) {
            put("profile", &self.files[org.file]);
        }
        if let Some(facts) = checked.validated.organisations.get(&job.org)
            && let Some(j) = project.jurisdictions.get(&facts.jurisdiction)
        {
            put("jurisdiction", &self.files[j.file]);
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
        if let Some(logo) = project.logos.get(&job.org) {
            put("logo", &output::sha256(&logo.bytes));
        }
        hex(&h.finalize())
    }
}

impl InputKeys {
    /// The key of an organisation's dashboard: its documents' keys (which
    /// cover its profile, variants and the build date) and the outputs it
    /// links to.
    pub fn dashboard_key(
        &self,
        checked: &Checked,
        org: &str,
        available: &BTreeSet<String>,
    ) -> String {
        let mut h = Sha256::new();
        h.update(GENERATOR.as_bytes());
        h.update(self.templates.as_bytes());
        h.update(checked.context.today.to_string().as_bytes());
        h.update(checked.context.due_within.to_string().as_bytes());
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

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_disjoint_and_cover_everything() {
        for count in 1..6 {
            let shards: Vec<Shard> = (1..=count).map(|index| Shard { index, count }).collect();
            for position in 0..50 {
                assert_eq!(shards.iter().filter(|s| s.owns(position)).count(), 1);
            }
        }
    }

    #[test]
    fn shard_syntax() {
        assert_eq!("2/4".parse::<Shard>(), Ok(Shard { index: 2, count: 4 }));
        for bad in ["0/4", "5/4", "2", "a/b", "1/0"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }
}
