//! Reports over the review schedule: the `due` table and JSON, the calendar
//! and the HTML dashboards.

pub mod calendar;
pub mod dashboard;
pub mod due;
