//! The render phase: each planned document rendered in the formats whose
//! outputs are stale, in parallel, every file handed to a [`Sink`] as it is
//! made so memory stays bounded; then, for a full build, the site-level
//! files. A build stages the files for `commit`; `--check` only compares
//! them with the folder for `diff`.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::build::folder::Session;
use crate::build::output::{self, Content, Entry, Held, Name, Sum};
use crate::build::plan::{Plan, Work};
use crate::build::{Options, pipeline, site};
use crate::diagnostic::Diagnostic;
use crate::resolve::checked::Checked;

/// Where the render phase puts each file's bytes as they are made.
pub trait Sink: Sync {
    /// What placing one file leaves behind.
    type Placed: Send;
    fn place(&self, path: &str, bytes: &[u8]) -> Result<Self::Placed, Diagnostic>;
    /// Undoes [`Sink::place`] for a file that will not be kept.
    fn abandon(&self, placed: &Self::Placed);
}

/// A build's sink: each file staged beside its target in the output folder
/// (or found unchanged there), for `commit` to rename into place.
pub struct Stage<'a>(pub &'a Session);

impl Sink for Stage<'_> {
    type Placed = Content;

    fn place(&self, path: &str, bytes: &[u8]) -> Result<Content, Diagnostic> {
        output::stage(self.0, path, bytes)
    }

    fn abandon(&self, placed: &Content) {
        if let Content::Staged(temp) = placed {
            let _ = std::fs::remove_file(temp);
        }
    }
}

/// `--check`'s sink: nothing is written; each file is compared with the one
/// in the output folder.
pub struct Compare<'a>(pub &'a Path);

/// Whether a file's bytes differ from those in the output folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Differs(pub bool);

impl Sink for Compare<'_> {
    type Placed = Differs;

    fn place(&self, path: &str, bytes: &[u8]) -> Result<Differs, Diagnostic> {
        Ok(Differs(!output::same_bytes(&self.0.join(path), bytes)))
    }

    fn abandon(&self, _: &Differs) {}
}

/// One output of this build: kept as it is, or placed by the sink.
pub enum State<P> {
    /// Not rendered: its inputs are unchanged since the build that wrote it.
    UpToDate,
    Placed(P),
}

/// An output and the manifest entry describing it (the previous
/// manifest's, for an output kept as it is).
pub struct Output<'p, P> {
    pub state: State<P>,
    pub entry: Held<'p>,
}

/// Outputs of one or more documents, by path.
type Made<'p, P> = Vec<(String, Output<'p, P>)>;

/// What the render phase made.
pub struct Rendered<'p, P> {
    /// Every output the manifest lists, by path: documents and
    /// organisation-level files (dashboards, logo copies).
    pub files: BTreeMap<String, Output<'p, P>>,
    /// Site-level files made this time (the site dashboard, calendar and
    /// schedule; those whose inputs are unchanged are not made again).
    pub site: Vec<(String, Vec<u8>)>,
    /// The manifest's entries for every site-level file of this build.
    pub site_entries: Vec<Entry>,
    /// Documents rendered because an input changed.
    pub documents: usize,
}

/// Renders what `plan` found stale, handing every file to `sink`. On any
/// failure, every file placed so far is abandoned and all findings returned.
pub fn render<'p, S: Sink>(
    checked: &Checked,
    options: &Options,
    plan: &Plan<'p>,
    sink: &S,
) -> Result<Rendered<'p, S::Placed>, Vec<Diagnostic>> {
    let mut files: BTreeMap<String, Output<S::Placed>> = plan
        .up_to_date
        .iter()
        .map(|(path, entry)| {
            let entry = Held::Previous(entry);
            let state = State::UpToDate;
            (path.to_string(), Output { state, entry })
        })
        .collect();
    let (documents, mut findings) = render_documents(checked, options, plan, sink);
    files.extend(documents);
    let mut site = site::Site::default();
    if findings.is_empty() && options.shard.is_none() {
        match site::site_files(checked, options, plan, sink, &mut files) {
            Ok(made) => site = made,
            Err(error) => findings.push(error),
        }
    }
    if !findings.is_empty() {
        for file in files.values() {
            if let State::Placed(placed) = &file.state {
                sink.abandon(placed);
            }
        }
        pipeline::dedupe(&mut findings);
        return Err(findings);
    }
    Ok(Rendered {
        files,
        site: site.made,
        site_entries: site.entries,
        documents: plan.todo.len(),
    })
}

/// Renders every planned document in parallel; the files of those that
/// rendered, and the findings of those that did not.
fn render_documents<'p, S: Sink>(
    checked: &Checked,
    options: &Options,
    plan: &Plan,
    sink: &S,
) -> (Made<'p, S::Placed>, Vec<Diagnostic>) {
    let bar = progress_bar(options.progress, plan.todo.len());
    let findings = Mutex::new(Vec::new());
    let files: Made<S::Placed> = plan
        .todo
        .par_iter()
        .flat_map_iter(|work| {
            let result = render_job(checked, plan, work, sink);
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
    (files, findings.into_inner().unwrap_or_default())
}

/// Renders one document in its stale formats and places its files. Nothing
/// of a document that fails is kept.
fn render_job<'p, S: Sink>(
    checked: &Checked,
    plan: &Plan,
    work: &Work,
    sink: &S,
) -> Result<Made<'p, S::Placed>, Vec<Diagnostic>> {
    let job = work.job;
    let document = checked.document(job)?;
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for (index, key) in &work.formats {
        let renderer = &plan.renderers[*index];
        let artifacts = match crate::render::render_document(renderer.as_ref(), &document) {
            Ok(artifacts) => artifacts,
            Err(error) => {
                errors.push(error);
                continue;
            }
        };
        for (i, artifact) in artifacts.into_iter().enumerate() {
            let primary = i == 0;
            let placed = match sink.place(&artifact.path, &artifact.bytes) {
                Ok(placed) => placed,
                Err(error) => {
                    errors.push(error);
                    continue;
                }
            };
            let entry = Entry {
                path: artifact.path.clone(),
                sha256: Sum::of(&artifact.bytes),
                org: Name::new(&job.org),
                policy: Some(Name::new(&job.policy)),
                variant: Some(Name::new(&job.variant)),
                format: Name::new(renderer.format().extension()),
                last_review: primary
                    .then(|| {
                        document
                            .schedule
                            .last_review
                            .map(|d| Name::new(&d.to_string()))
                    })
                    .flatten(),
                next_review: primary.then(|| Name::new(&document.schedule.next_review.to_string())),
                status: primary.then(|| Name::new(document.status.as_str())),
                approval: primary.then(|| Name::new(document.control.state.as_str())),
                input: Sum::from_hex(key),
                size: Some(artifact.bytes.len() as u64),
            };
            let state = State::Placed(placed);
            let entry = Held::from(entry);
            files.push((artifact.path, Output { state, entry }));
        }
    }
    if errors.is_empty() {
        return Ok(files);
    }
    for (_, file) in &files {
        if let State::Placed(placed) = &file.state {
            sink.abandon(placed);
        }
    }
    Err(errors)
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
