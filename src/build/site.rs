//! The site-level files of a full build: the calendars and the schedule
//! for spreadsheets always; with HTML the dashboards; with Markdown each
//! organisation's logo copy.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use crate::build::Options;
use crate::build::output::{self, Entry, Held, Manifest, Name, Sum};
use crate::build::plan::Plan;
use crate::build::render::{Output, Sink, State};
use crate::build::reports;
use crate::diagnostic::Diagnostic;
use crate::render::Format;
use crate::report::dashboard;
use crate::resolve::checked::{Checked, Selection};
use crate::review::schedule;

/// The outputs of a build by path, as the render phase collects them.
type Files<'p, P> = BTreeMap<String, Output<'p, P>>;

/// The site-level files: the calendars and `schedule.csv` always; with
/// HTML the dashboards; with Markdown each organisation's logo copy.
/// Dashboards, the site calendar and the schedule
/// cover the whole library even when `--org`/`--policy` narrow the build (the
/// schedule needs no rendering). Organisation-level files join `files` so the
/// manifest lists them and they go with their organisation (its calendar
/// among them); the site dashboard, the site calendar and the schedule are
/// returned apart ([`Site`]), made only when their shared key changed.
///
/// Long because each organisation-level file (dashboard, calendar,
/// Markdown index) follows the same steps — kept as it is when its input key
/// is unchanged, else rendered and staged — with closures shared over the
/// previous manifest; pulling them apart would pass that state to each.
pub fn site_files<'p, S: Sink>(
    checked: &Checked,
    options: &Options,
    plan: &Plan<'p>,
    sink: &S,
    files: &mut Files<'p, S::Placed>,
) -> Result<Site, Diagnostic> {
    let keys = &plan.keys;
    let previous: &'p Manifest = plan.previous;
    let out_dir = &options.out_dir;
    let selection = &options.selection;
    let in_org_scope = |org: &String| selection.orgs.is_empty() || selection.orgs.contains(org);
    let previous_by_path: BTreeMap<&str, &'p Entry> = previous
        .outputs
        .iter()
        .map(|e| (e.path.as_str(), e))
        .collect();
    // An organisation-level file whose inputs are unchanged since the build
    // that wrote it is neither made again nor read back.
    // Keeps such a file as it is (and says so) when it is up to date.
    // The previous entry of such a file, when it is up to date.
    let up_to_date = |path: &str, key: &str| {
        previous_by_path.get(path).copied().filter(|old| {
            old.made_from(key) && output::intact(out_dir, old, plan.since, &plan.folders)
        })
    };
    // Keeps such a file as it is (and says so) when it is up to date.
    let keep = |files: &mut Files<'p, S::Placed>, path: &str, key: &str| {
        let old = up_to_date(path, key);
        let kept = old.is_some();
        if let Some(old) = old {
            let entry = Held::Previous(old);
            let state = State::UpToDate;
            files.insert(path.to_string(), Output { state, entry });
        }
        kept
    };
    let mut org_files: Vec<OrgFile> = Vec::new();

    // Everything in the output folder once this build is written: its
    // own files and the previous build's files outside its scope.
    let available: BTreeSet<String> = files
        .keys()
        .cloned()
        .chain(
            previous
                .outputs
                .iter()
                .filter(|e| !plan.in_scope(e, options))
                .map(|e| e.path.clone()),
        )
        .collect();
    let rows = schedule::rows(checked, &Selection::default(), checked.context.due_within);
    // The site-level files share one key; each is kept as it is while the
    // key is unchanged and the file intact, else made.
    let site_key = keys.site_key(checked, &available, &options.publish);
    let site_kept = |path: &str| {
        previous.site.iter().find(|old| {
            old.path == path
                && old.made_from(&site_key)
                && output::intact(out_dir, old, plan.since, &plan.folders)
        })
    };
    let mut site = Site::default();
    let kept_reports: Vec<&Entry> = [dashboard::CALENDAR, dashboard::SCHEDULE_CSV]
        .into_iter()
        .filter_map(site_kept)
        .collect();
    if kept_reports.len() == 2 {
        site.entries.extend(kept_reports.into_iter().cloned());
    } else {
        for (path, bytes) in reports::site_reports(checked, options, &rows, &available) {
            site.add(path, bytes, &site_key);
        }
    }
    let orgs: Vec<&String> = checked
        .validated
        .organisations
        .keys()
        .filter(|o| in_org_scope(o))
        .collect();
    let mut rows_of: BTreeMap<&str, Vec<&schedule::Row>> = BTreeMap::new();
    for row in &rows {
        rows_of.entry(row.org.as_str()).or_default().push(row);
    }
    // Each organisation's calendar: keyed, and made only when its key
    // changed, in parallel.
    let calendars: Vec<Result<&'p Entry, OrgFile>> = orgs
        .par_iter()
        .map(|org| {
            let mine = rows_of.get(org.as_str()).map_or(&[][..], Vec::as_slice);
            let key = reports::org_calendar_key(checked, options, mine, &available, org);
            let path = dashboard::org_calendar(org);
            up_to_date(&path, &key).ok_or_else(|| {
                let mine: Vec<schedule::Row> = mine.iter().map(|r| (*r).clone()).collect();
                let bytes = reports::org_calendar(checked, options, &mine, &available, org);
                (path, (*org).clone(), bytes, "", key)
            })
        })
        .collect();
    for calendar in calendars {
        match calendar {
            Ok(old) => {
                let entry = Held::Previous(old);
                let state = State::UpToDate;
                files.insert(old.path.clone(), Output { state, entry });
            }
            Err(file) => org_files.push(file),
        }
    }
    if options.formats.contains(&Format::Html) {
        // The dashboards' keys and checks, in parallel.
        let pages: Vec<(&String, String, Option<&'p Entry>)> = orgs
            .par_iter()
            .map(|org| {
                let key = keys.dashboard_key(checked, org, &available, &options.publish);
                let kept = up_to_date(&dashboard::org_index(org), &key);
                (*org, key, kept)
            })
            .collect();
        let mut stale_pages = BTreeSet::new();
        let mut page_keys = BTreeMap::new();
        for (org, key, kept) in pages {
            match kept {
                Some(old) => {
                    let entry = Held::Previous(old);
                    let state = State::UpToDate;
                    files.insert(old.path.clone(), Output { state, entry });
                }
                None => {
                    stale_pages.insert(org.clone());
                    page_keys.insert(org.clone(), key);
                }
            }
        }
        let mut on_page = |org: String, bytes: Vec<u8>| {
            let key = page_keys.remove(&org).unwrap_or_default();
            let file = (dashboard::org_index(&org), org, bytes, "html", key);
            place_org_file(sink, files, file)
        };
        let index_kept = site_kept(dashboard::INDEX);
        let dashboards = dashboard::dashboards(
            checked,
            &rows,
            &available,
            &stale_pages,
            index_kept.is_none(),
            &options.publish,
            &mut on_page,
        )?;
        site.entries.extend(index_kept.cloned());
        if let Some(bytes) = dashboards.site {
            site.add(dashboard::INDEX.to_string(), bytes, &site_key);
        }
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
        place_org_file(sink, files, file)?;
    }
    // A site file this build does not make (the site dashboard, in a build
    // without HTML) stays as it is, and so does its entry.
    for old in &previous.site {
        if !site.entries.iter().any(|e| e.path == old.path) {
            site.entries.push(old.clone());
        }
    }
    site.entries.sort();
    Ok(site)
}

/// The site-level files of a build.
#[derive(Debug, Default)]
pub struct Site {
    /// Those made this time, to be written: path and bytes.
    pub made: Vec<(String, Vec<u8>)>,
    /// The manifest's entries for all of them, made or kept.
    pub entries: Vec<Entry>,
}

impl Site {
    fn add(&mut self, path: String, bytes: Vec<u8>, key: &str) {
        self.entries.push(Entry {
            path: path.clone(),
            sha256: Sum::of(&bytes),
            org: Name::new(""),
            policy: None,
            variant: None,
            format: Name::new(""),
            last_review: None,
            next_review: None,
            status: None,
            approval: None,
            input: Sum::from_hex(key),
            size: Some(bytes.len() as u64),
        });
        self.made.push((path, bytes));
    }
}

/// An organisation-level file: path, organisation, bytes, format, input key.
type OrgFile<'a> = (String, String, Vec<u8>, &'a str, String);

/// Stages an organisation-level file and records its manifest entry.
fn place_org_file<S: Sink>(
    sink: &S,
    files: &mut Files<'_, S::Placed>,
    file: OrgFile,
) -> Result<(), Diagnostic> {
    let (path, org, bytes, format, key) = file;
    let state = State::Placed(sink.place(&path, &bytes)?);
    let entry = Entry {
        path: path.clone(),
        sha256: Sum::of(&bytes),
        org: Name::new(&org),
        policy: None,
        variant: None,
        format: Name::new(format),
        last_review: None,
        next_review: None,
        status: None,
        approval: None,
        input: Sum::from_hex(&key),
        size: Some(bytes.len() as u64),
    };
    let entry = Held::from(entry);
    files.insert(path, Output { state, entry });
    Ok(())
}
