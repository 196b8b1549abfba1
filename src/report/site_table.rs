//! The built-in site dashboard made a few hundred rows at a time.
//!
//! Tera needs the whole of a template's context as its own values before it
//! renders, and the site dashboard's table has a row for every
//! (organisation × policy): at 10,000 organisations the rows alone were
//! some 50 MB of template values, the largest thing a build held. With the
//! built-in `dashboard.html` (not a project's own: that one is rendered as
//! always, with every row in its context), the page is rendered once with a
//! marker where each status group's rows go, and the rows are rendered apart
//! by the template's own row markup, a few hundred at a time, and put in
//! place. The bytes are the same as rendering the page whole (the test
//! renders both); anything unexpected in the template falls back to that.

use serde::Serialize;
use tera::Context;

use crate::render::html;
use crate::report::dashboard::{Group, RowView, Shared, row_view};
use crate::review::schedule::Row;

/// Where the built-in template's rows start and end: the loop over a
/// group's rows, just before the group's `</tbody>`.
const LOOP_START: &str = "{% for r in g.rows %}";
const LOOP_END: &str = "{% endfor %}</tbody>";
/// Stands for a group's rows in the page; no value can contain it (a
/// control character a template value never has), and the page must hold
/// exactly one per group or the page is rendered whole.
const MARKER: &str = "\u{1}policygen: the rows of one status group\u{1}";
/// Rows rendered together: about 2.5 MB of template values.
const CHUNK: usize = 500;

/// A status group as the page sees it here: its heading, and the schedule
/// rows (by index) it holds, in the table's order.
pub(crate) struct Planned {
    pub heading: Group,
    pub rows: Vec<usize>,
}

/// The page, when `template` is the built-in one's shape: `view` is the
/// page's context without rows (`groups` holds the headings only). `None`
/// when the template is not in that shape or anything fails, for the
/// caller to render the page whole (and report what failed).
pub(crate) fn render(
    shared: &Shared,
    rows: &[Row],
    groups: &[Planned],
    view: &impl Serialize,
    template: &str,
) -> Option<Vec<u8>> {
    let (page, body) = split(template)?;
    let row_template = format!("{{% for r in rows %}}{body}{{% endfor %}}");
    let tera = compile(&[("page.html", &page), ("rows.html", &row_template)]).ok()?;
    let mut page_context = Context::from_serialize(view).ok()?;
    page_context.insert("policygen_rows_marker", MARKER);
    let page = html::tidy(&tera.render("page.html", &page_context).ok()?);
    drop(page_context);
    let pieces: Vec<&str> = page.split(MARKER).collect();
    if pieces.len() != groups.len() + 1 {
        return None;
    }
    let mut out = String::with_capacity(page.len() + rows.len() * 400);
    for (piece, group) in pieces.iter().zip(groups) {
        out.push_str(piece);
        let mut context = Context::from_serialize(view).ok()?;
        context.insert("g", &group.heading);
        for chunk in group.rows.chunks(CHUNK) {
            let views: Vec<RowView> = chunk.iter().map(|&i| row_view(shared, &rows[i])).collect();
            context.insert("rows", &views);
            out.push_str(&html::tidy(&tera.render("rows.html", &context).ok()?));
        }
    }
    out.push_str(pieces.last().copied().unwrap_or_default());
    Some(out.into_bytes())
}

/// The page with a marker in place of the rows loop, and the loop's body;
/// `None` unless there is exactly one such loop and its body stands alone
/// (no `loop.` variables, which counting in chunks would change).
fn split(template: &str) -> Option<(String, &str)> {
    let start = template.find(LOOP_START)?;
    if template[start + LOOP_START.len()..].contains(LOOP_START) {
        return None;
    }
    let body_start = start + LOOP_START.len();
    let end = body_start + template[body_start..].find(LOOP_END)?;
    let body = &template[body_start..end];
    if body.contains("loop.") || body.contains("{% for") || body.contains("{% endfor") {
        return None;
    }
    let after = end + "{% endfor %}".len();
    let page = format!(
        "{}{{{{ policygen_rows_marker | safe }}}}{}",
        &template[..start],
        &template[after..]
    );
    Some((page, body))
}

/// The two templates, escaping HTML as `dashboard.html` does.
fn compile(templates: &[(&str, &str)]) -> Result<tera::Tera, tera::Error> {
    let mut tera = tera::Tera::default();
    tera.autoescape_on([".html"]);
    tera.add_raw_templates(templates.iter().copied())?;
    Ok(tera)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_template_splits_at_its_rows() {
        let template = crate::load::templates::Templates::bundled();
        let text = template.text(crate::report::dashboard::TEMPLATE);
        let (page, body) = split(text).expect("the built-in dashboard has one rows loop");
        assert!(body.starts_with("<tr"), "{body}");
        assert!(page.contains("policygen_rows_marker"));
        assert!(!page.contains(LOOP_START));
    }

    #[test]
    fn a_template_without_the_loop_is_rendered_whole() {
        assert!(split("{% for r in rows %}{{ r }}{% endfor %}").is_none());
        assert!(split("{% for r in g.rows %}{{ loop.index }}{% endfor %}</tbody>").is_none());
    }
}
