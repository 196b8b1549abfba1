//! Reports over the checked project: the `due` table and JSON, the calendar,
//! the HTML dashboards, the `list` listing and the `reading` table and JSON.

pub mod calendar;
pub mod dashboard;
pub mod due;
pub mod listing;
pub mod reading;
