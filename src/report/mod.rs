//! Reports over the review schedule: the `due` table, JSON and CSV, the
//! calendars and the HTML dashboards, and where the output is published.

pub mod calendar;
pub mod csv_export;
pub mod dashboard;
pub mod due;
pub mod org_page;
pub mod publish;
