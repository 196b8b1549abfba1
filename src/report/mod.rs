//! Reports over the checked project: the `due` table and JSON, the calendar,
//! the HTML dashboards and the `list` listing.

pub mod calendar;
pub mod dashboard;
pub mod due;
pub mod listing;
