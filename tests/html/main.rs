//! Integration tests of the HTML output (issue 5): documents, dashboards,
//! manifest and calendar. Each runs the real binary on the fixture library in
//! `tests/fixtures/html-site` with a fixed build date and looks at what a
//! user would get in the output folder.

mod browser;
mod calendar;
mod dashboards;
mod document;
mod hostile;
mod manifest;
mod support;
