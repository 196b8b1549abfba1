//! One module per command, each a few lines over the library.

pub mod build;
pub mod check;
pub mod due;
pub mod list;
pub mod new;
pub mod review;

use chrono::NaiveDate;

use crate::document::BuildContext;

/// The default `--within` window for review status, in days (SPEC §5).
pub const DEFAULT_DUE_WITHIN: u32 = 30;

pub fn context(today: NaiveDate) -> BuildContext {
    BuildContext {
        today,
        due_within: DEFAULT_DUE_WITHIN,
    }
}
