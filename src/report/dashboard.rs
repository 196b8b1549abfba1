//! The review dashboards: `out/index.html`, every organisation with its
//! policies and their review status, and `out/<org>/index.html`, one
//! organisation's policies. Both are built from the review schedule (worst
//! first) and link to whichever outputs of each document exist.
//! Pure: the schedule and the list of outputs in, page bytes out.

use std::collections::BTreeSet;

use serde::Serialize;
use tera::Context;

use crate::GENERATOR;
use crate::check::colour;
use crate::control::mark;
use crate::control::state::State;
use crate::diagnostic::Diagnostic;
use crate::load::templates::Templates;
use crate::render::html::{self, DEFAULT_BRAND};
use crate::render::{self, Format, tera_error_text};
use crate::report::due;
use crate::resolve::checked::Checked;
use crate::review::schedule::Row;
use crate::review::{self, Status};

pub const TEMPLATE: &str = "dashboard.html";
/// The site dashboard's path in the output folder.
pub const INDEX: &str = "index.html";
/// The calendar's path in the output folder.
pub const CALENDAR: &str = "reviews.ics";

/// The path of an organisation's dashboard in the output folder.
pub fn org_index(org: &str) -> String {
    format!("{org}/index.html")
}

/// The rendered dashboards.
#[derive(Debug, Clone)]
pub struct Dashboards {
    /// `index.html`.
    pub site: Vec<u8>,
}

#[derive(Debug, Clone, Default, Serialize)]
struct Totals {
    overdue: usize,
    due: usize,
    current: usize,
    /// Policies not approved (SPEC §8).
    drafts: usize,
}

impl Totals {
    fn add(&mut self, row: &Row) {
        match row.status {
            Status::Overdue => self.overdue += 1,
            Status::Due => self.due += 1,
            Status::Current => self.current += 1,
        }
        if row.control.state.is_draft() {
            self.drafts += 1;
        }
    }
}

#[derive(Debug, Clone, Serialize)]
struct Link {
    label: &'static str,
    href: String,
}

#[derive(Debug, Clone, Serialize)]
struct RowView {
    title: String,
    code: String,
    /// The HTML document, when it exists.
    href: Option<String>,
    formats: Vec<Link>,
    status: &'static str,
    status_label: &'static str,
    when: String,
    /// `none`, `awaiting`, `changed` or `approved`.
    approval: &'static str,
    /// The approval in words: "Approved", "Draft: awaiting approval".
    approval_label: String,
    /// The redline page, while changes await approval and it exists.
    changes_href: Option<String>,
    last_review: String,
    next_review: String,
    cycle: String,
}

#[derive(Debug, Clone, Serialize)]
struct OrgView {
    slug: String,
    name: String,
    /// The organisation's dashboard, from the site dashboard.
    href: String,
    totals: Totals,
    rows: Vec<RowView>,
}

#[derive(Debug, Clone, Serialize)]
struct Unchecked {
    name: String,
    path: String,
}

#[derive(Debug, Clone, Serialize)]
struct PageView<'a> {
    site: bool,
    title: String,
    /// Link back to the site dashboard from an organisation's.
    home: Option<&'static str>,
    calendar: &'static str,
    build_date: String,
    due_within: u32,
    totals: Totals,
    organisations: Vec<OrgView>,
    /// On the site dashboard: organisations no policy applies to yet.
    idle: Vec<OrgView>,
    unchecked: Vec<Unchecked>,
    brand: String,
    css: &'a str,
    generator: &'static str,
}

/// The dashboards for every organisation of the project. `rows` is the
/// schedule of the whole library; `available` holds every output path that
/// exists once the build is written, so links never point at nothing.
/// `pages_for` names the organisations whose own dashboard is wanted; each
/// is handed to `on_page` (slug, bytes) as soon as it is made, so a library
/// of thousands of organisations never holds all their pages at once.
pub fn dashboards(
    checked: &Checked,
    rows: &[Row],
    available: &BTreeSet<String>,
    pages_for: &BTreeSet<String>,
    templates: &Templates,
    on_page: &mut dyn FnMut(String, Vec<u8>) -> Result<(), Diagnostic>,
) -> Result<Dashboards, Diagnostic> {
    let (tera, template_path) = html::compile(templates, TEMPLATE)?;
    let css = html::stylesheet(templates);
    let today = checked.context.today;
    let date = |d| review::format_date(d, review::DEFAULT_DATE_FORMAT, "en");

    // Organisations in order of their worst row (rows come worst first);
    // then, apart, those no policy applies to, by name.
    let mut orgs: Vec<OrgView> = Vec::new();
    let mut site_totals = Totals::default();
    for row in rows {
        site_totals.add(row);
        let index = match orgs.iter().position(|o| o.slug == row.org) {
            Some(index) => index,
            None => {
                orgs.push(OrgView {
                    slug: row.org.clone(),
                    name: row.org_name.clone(),
                    href: org_index(&row.org),
                    totals: Totals::default(),
                    rows: Vec::new(),
                });
                orgs.len() - 1
            }
        };
        let org = &mut orgs[index];
        org.totals.add(row);
        org.rows.push(row_view(row, available, &date));
    }
    // Drafts first, so what is not in force stands out; the sort is stable,
    // so each group keeps the most urgent first.
    for org in &mut orgs {
        org.rows
            .sort_by_key(|r| r.approval == State::Approved.as_str());
    }
    let mut idle: Vec<OrgView> = checked
        .validated
        .organisations
        .keys()
        .filter(|slug| !orgs.iter().any(|o| &o.slug == *slug))
        .filter_map(|slug| {
            let loaded = checked.project.organisations.get(slug)?;
            Some(OrgView {
                slug: slug.clone(),
                name: loaded.value.name.value.trim().to_string(),
                href: org_index(slug),
                totals: Totals::default(),
                rows: Vec::new(),
            })
        })
        .collect();
    idle.sort_by(|a, b| (&a.name, &a.slug).cmp(&(&b.name, &b.slug)));

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

    let render = |view: &PageView, what: &str| -> Result<Vec<u8>, Diagnostic> {
        let context =
            Context::from_serialize(view).map_err(|e| Diagnostic::error(tera_error_text(&e)))?;
        tera.render(TEMPLATE, &context)
            .map(|text| html::tidy(&text).into_bytes())
            .map_err(|e| {
                Diagnostic::error(format!(
                    "template failed for {what}: {}",
                    tera_error_text(&e)
                ))
                .in_file(&template_path)
            })
    };

    let base = PageView {
        site: true,
        title: "Policy reviews".into(),
        home: None,
        calendar: CALENDAR,
        build_date: date(today),
        due_within: checked.context.due_within,
        totals: site_totals,
        organisations: Vec::new(),
        idle: Vec::new(),
        unchecked,
        brand: DEFAULT_BRAND.into(),
        css: &css,
        generator: GENERATOR,
    };

    for org in orgs
        .iter()
        .chain(&idle)
        .filter(|o| pages_for.contains(&o.slug))
    {
        let mut org = org.clone();
        for row in &mut org.rows {
            row.href = row.href.as_ref().map(|h| strip_org(h, &org.slug));
            for link in &mut row.formats {
                link.href = strip_org(&link.href, &org.slug);
            }
            row.changes_href = row.changes_href.as_ref().map(|h| strip_org(h, &org.slug));
        }
        let brand = checked
            .validated
            .organisations
            .get(&org.slug)
            .and_then(|f| f.brand_colour.as_deref())
            .and_then(|c| colour::accessible(c, colour::PAGE))
            .map_or(DEFAULT_BRAND.to_string(), |a| a.colour);
        let view = PageView {
            site: false,
            title: format!("{} – policy reviews", org.name),
            home: Some("../index.html"),
            calendar: "../reviews.ics",
            totals: org.totals.clone(),
            unchecked: Vec::new(),
            brand,
            organisations: vec![org.clone()],
            ..base.clone()
        };
        on_page(org.slug.clone(), render(&view, &org_index(&org.slug))?)?;
    }
    let site = render(
        &PageView {
            organisations: orgs,
            idle,
            ..base
        },
        INDEX,
    )?;
    Ok(Dashboards { site })
}

fn row_view(
    row: &Row,
    available: &BTreeSet<String>,
    date: &dyn Fn(chrono::NaiveDate) -> String,
) -> RowView {
    let path = |format: Format| render::output_path(&row.org, &row.policy, format);
    let formats: Vec<Link> = [
        (Format::Html, "Web page"),
        (Format::Pdf, "PDF"),
        (Format::Docx, "Word"),
        (Format::Md, "Markdown"),
    ]
    .into_iter()
    .map(|(format, label)| (path(format), label))
    .filter(|(path, _)| available.contains(path))
    .map(|(href, label)| Link { label, href })
    .collect();
    let html = path(Format::Html);
    let days = row.days_left.unsigned_abs();
    let plural = if days == 1 { "" } else { "s" };
    let (status_label, when) = match row.status {
        Status::Overdue => ("Overdue", format!("{days} day{plural} overdue")),
        Status::Due if days == 0 => ("Due", "due today".to_string()),
        Status::Due => ("Due", format!("due in {days} day{plural}")),
        Status::Current => ("Current", format!("due in {days} day{plural}")),
    };
    RowView {
        title: row.policy_title.clone(),
        code: row.policy_code.clone(),
        href: available.contains(&html).then_some(html),
        formats,
        status: row.status.as_str(),
        status_label,
        when,
        approval: row.control.state.as_str(),
        approval_label: match row.control.state {
            State::Approved => "Approved".to_string(),
            _ => format!("Draft: {}", due::approval_text(row)),
        },
        changes_href: Some(format!("{}/{}", row.org, mark::changes_file(&row.policy)))
            .filter(|p| row.control.state == State::Changed && available.contains(p)),
        last_review: row.last_review.map_or("Not yet reviewed".to_string(), date),
        next_review: date(row.next_review),
        cycle: row.cycle.clone(),
    }
}

/// A site-relative link made relative to the organisation's folder.
fn strip_org(href: &str, org: &str) -> String {
    href.strip_prefix(&format!("{org}/"))
        .unwrap_or(href)
        .to_string()
}
