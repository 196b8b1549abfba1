//! Review dates and records: cycles and date arithmetic, the schedule of
//! each (organisation × policy), who has read each approved version,
//! recording reviews and acknowledgements as text-preserving profile
//! edits, and the `new` scaffold.

pub mod acknowledge;
pub mod cycle;
pub mod profile_edit;
pub mod profile_file;
pub mod reading;
pub mod record;
pub mod scaffold;
pub mod schedule;
pub mod target;

pub use cycle::*;
