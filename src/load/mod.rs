//! Loading: reads the library from disk once (profiles, policy sources,
//! jurisdictions, templates, fonts, logos) and turns YAML errors into
//! findings with a line and column.

pub mod approved;
pub mod assets;
pub mod confine;
pub mod diagnose;
pub mod logo;
pub mod project;
pub mod reading;
pub mod source;
pub mod templates;
