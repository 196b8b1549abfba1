//! Reports over the checked project: the `due` table, JSON and CSV, the
//! calendars, the HTML dashboards, the `list` listing, the `reading` table
//! and JSON, and where the output is published.

pub mod calendar;
pub mod csv_export;
pub mod dashboard;
pub mod due;
pub mod listing;
pub mod org_page;
pub mod publish;
pub mod reading;
mod site_table;
