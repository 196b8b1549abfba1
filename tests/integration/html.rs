//! HTML output (issue 5): documents, dashboards, manifest and calendar, built
//! from the fixture library in `tests/fixtures/html-site`.

mod browser;
mod calendar;
mod dashboards;
mod document;
mod hostile;
mod manifest;
mod print;
pub mod support;
pub mod thousand;
