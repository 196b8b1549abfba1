//! The review dashboards: `out/index.html`, one table of every
//! (organisation × policy) in the library, worst first, in status groups
//! (overdue, due, current) that the counts at the top link to, with a small
//! inline filter script; and `out/<org>/index.html`, one organisation's
//! details and policies (see `org_page`). Both are built from the review
//! schedule and link to whichever outputs of each document exist.
//! Pure: the schedule and the list of outputs in, page bytes out.

use std::collections::BTreeSet;

use base64::Engine;
use serde::Serialize;
use sha2::{Digest, Sha256};
use tera::Context;

use crate::GENERATOR;
use crate::control::mark;
use crate::control::state::State;
use crate::diagnostic::Diagnostic;
use crate::load::source::thousands;
use crate::load::templates::{Origin, Templates};
use crate::model::jurisdiction::service_label;
use crate::render::html::{self, DEFAULT_BRAND};
use crate::render::{self, Format, tera_error_text};
use crate::report::due;
use crate::report::org_page;
use crate::report::publish::Publish;
use crate::report::site_table;
use crate::resolve::checked::Checked;
use crate::review::reading::{self, Reading, Standing};
use crate::review::schedule::Row;
use crate::review::{self, Status};

/// The site dashboard's template.
pub const TEMPLATE: &str = "dashboard.html";
/// The filter script inlined into the site dashboard, the one page with a script.
pub const SCRIPT: &str = "dashboard.js";
/// The site dashboard's path in the output folder.
pub const INDEX: &str = "index.html";
/// The calendar's path in the output folder (and in each organisation's folder).
pub const CALENDAR: &str = "reviews.ics";
/// The schedule for spreadsheets, in the output folder.
pub const SCHEDULE_CSV: &str = "schedule.csv";

/// The path of an organisation's dashboard in the output folder.
pub fn org_index(org: &str) -> String {
    format!("{org}/index.html")
}

/// The path of an organisation's calendar in the output folder.
pub fn org_calendar(org: &str) -> String {
    format!("{org}/{CALENDAR}")
}

/// The rendered dashboards.
#[derive(Debug, Clone)]
pub struct Dashboards {
    /// `index.html`, when it was wanted.
    pub site: Option<Vec<u8>>,
}

/// How many rows have each status.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Totals {
    pub overdue: usize,
    pub due: usize,
    pub current: usize,
    pub all: usize,
    /// Policies not approved (SPEC §8).
    pub drafts: usize,
}

/// A count as the templates see it: the number, and as text ("1,000").
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Count {
    n: usize,
    text: String,
}

impl From<usize> for Count {
    fn from(n: usize) -> Count {
        Count {
            n,
            text: thousands(n as u64),
        }
    }
}

/// `Totals` for a template.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Counts {
    overdue: Count,
    due: Count,
    current: Count,
    all: Count,
    drafts: Count,
}

impl From<Totals> for Counts {
    fn from(t: Totals) -> Counts {
        Counts {
            overdue: t.overdue.into(),
            due: t.due.into(),
            current: t.current.into(),
            all: t.all.into(),
            drafts: t.drafts.into(),
        }
    }
}

impl Totals {
    pub fn of<'r>(rows: impl IntoIterator<Item = &'r Row>) -> Totals {
        let mut totals = Totals::default();
        for row in rows {
            match row.status {
                Status::Overdue => totals.overdue += 1,
                Status::Due => totals.due += 1,
                Status::Current => totals.current += 1,
            }
            totals.all += 1;
            if row.control.state.is_draft() {
                totals.drafts += 1;
            }
        }
        totals
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Link {
    label: &'static str,
    href: String,
}

/// One (organisation × policy) as both dashboards show it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RowView {
    org_name: String,
    /// The organisation's dashboard, from the site dashboard.
    org_href: String,
    /// "CIW care home".
    service: String,
    manager: Option<String>,
    title: String,
    code: String,
    /// The HTML document, when it exists.
    href: Option<String>,
    /// The other formats built (PDF, Markdown).
    formats: Vec<Link>,
    /// The PDF, when it exists (the site dashboard links only the web page
    /// and the PDF, to stay small; the organisation's page links every format).
    pdf: Option<String>,
    when: String,
    /// `none`, `awaiting`, `changed` or `approved`.
    approval: &'static str,
    /// Whether the document is a draft, not in force (every state but approved).
    draft: bool,
    /// The approval in words: "Approved", "Draft: awaiting approval".
    approval_label: String,
    /// The redline page, while changes await approval and it exists.
    changes_href: Option<String>,
    last_review: String,
    next_review: String,
    cycle: String,
    /// Who has read the approved version, in words: "Read by 2 of 6",
    /// "Nothing to read yet" (a draft), "No staff listed".
    read_label: String,
    /// The class that colours those words: `unread-by-staff` (someone
    /// outstanding), `read-by-all`, or empty (a draft, no staff listed): a
    /// thousand rows of the site table pay for every byte.
    read_class: &'static str,
    /// Who has not read it, in the roster's order (none while a draft: there
    /// is nothing to read); the organisation's page names them.
    outstanding: Vec<String>,
}

/// The rows of one status, under a heading row the counts link to.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Group {
    /// `overdue`, `due`, `current`: the CSS class, the anchor and the filter's key.
    status: &'static str,
    /// "Overdue".
    label: &'static str,
    /// "644 reviews".
    count: String,
    rows: Vec<RowView>,
}

/// The rows in status groups, worst first; empty groups are left out.
/// Within a group drafts come first, so what is not in force stands out;
/// the sort is stable, so each part keeps the most urgent first.
pub(crate) fn groups(rows: Vec<(Status, RowView)>) -> Vec<Group> {
    let mut groups: Vec<Group> = [Status::Overdue, Status::Due, Status::Current]
        .into_iter()
        .map(|status| heading(status, 0))
        .collect();
    for (status, row) in rows {
        groups[group_index(status)].rows.push(row);
    }
    groups.retain(|g| !g.rows.is_empty());
    for group in &mut groups {
        group.rows.sort_by_key(|r| !r.draft);
        group.count = review_count(group.rows.len());
    }
    groups
}

/// The same groups as [`groups`], as indices into `rows`, each with its
/// heading (and no rows): for the site table made in pieces.
pub(crate) fn planned_groups(rows: &[Row]) -> Vec<site_table::Planned> {
    let mut indices: [Vec<usize>; 3] = Default::default();
    for (i, row) in rows.iter().enumerate() {
        indices[group_index(row.status)].push(i);
    }
    [Status::Overdue, Status::Due, Status::Current]
        .into_iter()
        .zip(indices)
        .filter(|(_, rows)| !rows.is_empty())
        .map(|(status, mut group)| {
            group.sort_by_key(|&i| !rows[i].control.state.is_draft());
            site_table::Planned {
                heading: heading(status, group.len()),
                rows: group,
            }
        })
        .collect()
}

fn group_index(status: Status) -> usize {
    match status {
        Status::Overdue => 0,
        Status::Due => 1,
        Status::Current => 2,
    }
}

/// A group's heading for `n` rows ("644 reviews"), with no rows yet.
fn heading(status: Status, n: usize) -> Group {
    Group {
        status: status.as_str(),
        label: status_label(status),
        count: review_count(n),
        rows: Vec::new(),
    }
}

/// "644 reviews", "1 review".
fn review_count(n: usize) -> String {
    let plural = if n == 1 { "" } else { "s" };
    format!("{} review{plural}", thousands(n as u64))
}

fn status_label(status: Status) -> &'static str {
    match status {
        Status::Overdue => "Overdue",
        Status::Due => "Due",
        Status::Current => "Current",
    }
}

#[derive(Debug, Clone, Serialize)]
struct Unchecked {
    name: String,
    path: String,
}

#[derive(Debug, Clone, Serialize)]
struct Idle {
    name: String,
    href: String,
}

#[derive(Debug, Clone, Serialize)]
struct SiteView<'a> {
    title: &'static str,
    build_date: String,
    due_within: u32,
    totals: Counts,
    /// How many organisations the table covers, as text.
    org_count: String,
    /// Whether any PDF is built, so the table has a PDF column.
    pdf_column: bool,
    /// The table's number of columns, for its group heading rows.
    columns: usize,
    groups: Vec<Group>,
    /// Organisations no policy applies to yet, by name.
    idle: Vec<Idle>,
    unchecked: Vec<Unchecked>,
    calendar: &'static str,
    schedule_csv: &'static str,
    /// The calendar's published address, to subscribe to.
    subscribe: Option<String>,
    brand: &'static str,
    css: &'a str,
    script: &'a str,
    /// The Content-Security-Policy: the page may run its own script only.
    csp: String,
    generator: &'static str,
}

/// What both kinds of dashboard need.
pub(crate) struct Shared<'a> {
    pub checked: &'a Checked<'a>,
    pub available: &'a BTreeSet<String>,
    pub publish: &'a Publish,
    pub css: String,
    pub date: &'a dyn Fn(chrono::NaiveDate) -> String,
}

/// The dashboards for every organisation of the project. `rows` is the
/// schedule of the whole library; `available` holds every output path that
/// exists once the build is written, so links never point at nothing.
/// `pages_for` names the organisations whose own dashboard is wanted; each
/// is handed to `on_page` (slug, bytes) as soon as it is made, so a library
/// of thousands of organisations never holds all their pages at once. The
/// site dashboard is made only when `site_wanted`.
pub fn dashboards(
    checked: &Checked,
    rows: &[Row],
    available: &BTreeSet<String>,
    pages_for: &BTreeSet<String>,
    site_wanted: bool,
    publish: &Publish,
    on_page: &mut dyn FnMut(String, Vec<u8>) -> Result<(), Diagnostic>,
) -> Result<Dashboards, Diagnostic> {
    let templates = &checked.project.templates;
    let date = |d| review::format_date(d, review::DEFAULT_DATE_FORMAT, "en");
    let shared = Shared {
        checked,
        available,
        publish,
        css: html::stylesheet(templates),
        date: &date,
    };
    org_page::pages(&shared, rows, pages_for, on_page)?;
    let site = if site_wanted {
        Some(site(&shared, rows, templates)?)
    } else {
        None
    };
    Ok(Dashboards { site })
}

fn site(shared: &Shared, rows: &[Row], templates: &Templates) -> Result<Vec<u8>, Diagnostic> {
    let checked = shared.checked;
    let with_rows: BTreeSet<&str> = rows.iter().map(|r| r.org.as_str()).collect();
    let mut idle: Vec<Idle> = checked
        .validated
        .organisations
        .keys()
        .filter(|slug| !with_rows.contains(slug.as_str()))
        .filter_map(|slug| {
            let loaded = checked.project.organisations.get(slug)?;
            Some(Idle {
                name: loaded.value.name.value.trim().to_string(),
                href: org_index(slug),
            })
        })
        .collect();
    idle.sort_by(|a, b| (&a.name, &a.href).cmp(&(&b.name, &b.href)));
    let unchecked: Vec<Unchecked> = checked
        .project
        .organisations
        .iter()
        .filter(|(slug, _)| !checked.validated.organisations.contains_key(*slug))
        .map(|(_, loaded)| Unchecked {
            name: loaded.value.name.value.trim().to_string(),
            path: checked.project.file(loaded.file).path.clone(),
        })
        .collect();

    let script = html::tidy(&templates.text(SCRIPT).replace("</", "<\\/"));
    let digest = Sha256::digest(script.as_bytes());
    let csp = format!(
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    );
    let totals = Totals::of(rows);
    let pdf_column = rows.iter().any(|r| {
        let pdf = render::output_path(&r.org, &r.policy, Format::Pdf);
        shared.available.contains(&pdf)
    });
    let planned = planned_groups(rows);
    let mut view = SiteView {
        title: "Policy reviews",
        build_date: (shared.date)(checked.context.today),
        due_within: checked.context.due_within,
        org_count: thousands(with_rows.len() as u64),
        totals: totals.into(),
        pdf_column,
        columns: if pdf_column { 9 } else { 8 },
        groups: planned.iter().map(|g| g.heading.clone()).collect(),
        idle,
        unchecked,
        calendar: CALENDAR,
        schedule_csv: SCHEDULE_CSV,
        subscribe: shared.publish.absolute(CALENDAR),
        brand: DEFAULT_BRAND,
        css: &shared.css,
        script: &script,
        csp,
        generator: GENERATOR,
    };
    // The built-in template is made a few hundred rows at a time
    // (`site_table`); a project's own gets every row in its context.
    let built_in = templates
        .by_name
        .get(TEMPLATE)
        .is_some_and(|t| t.origin == Origin::Bundled);
    if built_in {
        let text = templates.text(TEMPLATE);
        if let Some(bytes) = site_table::render(shared, rows, &planned, &view, text) {
            return Ok(bytes);
        }
    }
    view.groups = groups(
        rows.iter()
            .map(|r| (r.status, row_view(shared, r)))
            .collect(),
    );
    render(templates, TEMPLATE, &view, INDEX)
}

/// Renders a dashboard template with `view`; `what` names the page in errors.
pub(crate) fn render(
    templates: &Templates,
    template: &str,
    view: &impl Serialize,
    what: &str,
) -> Result<Vec<u8>, Diagnostic> {
    let (tera, template_path) = html::compile(templates, template)?;
    render_with(&tera, &template_path, template, view, what)
}

/// As `render`, with the template compiled once for many pages.
pub(crate) fn render_with(
    tera: &tera::Tera,
    template_path: &str,
    template: &str,
    view: &impl Serialize,
    what: &str,
) -> Result<Vec<u8>, Diagnostic> {
    let context =
        Context::from_serialize(view).map_err(|e| Diagnostic::error(tera_error_text(&e)))?;
    tera.render(template, &context)
        .map(|text| html::tidy(&text).into_bytes())
        .map_err(|e| {
            Diagnostic::error(format!(
                "template failed for {what}: {}",
                tera_error_text(&e)
            ))
            .in_file(template_path)
        })
}

/// A schedule row as the dashboards show it, with site-relative links.
pub(crate) fn row_view(shared: &Shared, row: &Row) -> RowView {
    let path = |format: Format| render::output_path(&row.org, &row.policy, format);
    let formats: Vec<Link> = [
        (Format::Pdf, "PDF"),
        (Format::Docx, "Word"),
        (Format::Md, "Markdown"),
    ]
    .into_iter()
    .map(|(format, label)| (path(format), label))
    .filter(|(path, _)| shared.available.contains(path))
    .map(|(href, label)| Link { label, href })
    .collect();
    let html = path(Format::Html);
    let pdf = Some(path(Format::Pdf)).filter(|p| shared.available.contains(p));
    let days = row.days_left.unsigned_abs();
    let plural = if days == 1 { "" } else { "s" };
    // Read after the status word: "Overdue by 3 days", "Due in 17 days",
    // "Due today", "Current due in 282 days".
    let when = match row.status {
        Status::Overdue => format!("by {days} day{plural}"),
        Status::Due if days == 0 => "today".to_string(),
        Status::Due => format!("in {days} day{plural}"),
        Status::Current => format!("due in {days} day{plural}"),
    };
    let date = shared.date;
    let reading = shared
        .checked
        .validated
        .organisations
        .get(&row.org)
        .map(|facts| {
            reading::reading(
                facts,
                &row.policy,
                &row.control,
                shared.checked.context.today,
            )
        });
    let standing = reading
        .as_ref()
        .map_or(Standing::NoStaff, Reading::standing);
    RowView {
        org_name: row.org_name.clone(),
        org_href: org_index(&row.org),
        service: format!("{} {}", row.regulator, service_label(&row.service)),
        manager: row.registered_manager.clone(),
        title: row.policy_title.clone(),
        code: row.policy_code.clone(),
        href: shared.available.contains(&html).then_some(html),
        formats,
        pdf,
        when,
        approval: row.control.state.as_str(),
        draft: row.control.state.is_draft(),
        approval_label: match row.control.state {
            State::Approved => "Approved".to_string(),
            _ => format!("Draft: {}", due::approval_text(row)),
        },
        changes_href: Some(format!("{}/{}", row.org, mark::changes_file(&row.policy)))
            .filter(|p| row.control.state == State::Changed && shared.available.contains(p)),
        last_review: row.last_review.map_or("Not yet reviewed".to_string(), date),
        next_review: date(row.next_review),
        cycle: row.cycle.clone(),
        read_label: match (standing, &reading) {
            (Standing::Unapproved, _) => "Nothing to read yet".to_string(),
            (Standing::NoStaff, _) | (_, None) => "No staff listed".to_string(),
            (_, Some(r)) => format!("Read by {} of {}", r.read(), r.readers.len()),
        },
        read_class: match standing {
            Standing::Unread => "unread-by-staff",
            Standing::Read => "read-by-all",
            Standing::Unapproved | Standing::NoStaff => "",
        },
        outstanding: match (standing, &reading) {
            (Standing::Unread, Some(r)) => r.outstanding().map(|p| p.name.clone()).collect(),
            _ => Vec::new(),
        },
    }
}

impl RowView {
    /// The same row with links made relative to the organisation's folder.
    pub(crate) fn within_org(mut self, org: &str) -> RowView {
        let strip = |href: &str| {
            href.strip_prefix(&format!("{org}/"))
                .unwrap_or(href)
                .to_string()
        };
        self.href = self.href.as_deref().map(strip);
        self.pdf = self.pdf.as_deref().map(strip);
        self.changes_href = self.changes_href.as_deref().map(strip);
        for link in &mut self.formats {
            link.href = strip(&link.href);
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
    }
}
