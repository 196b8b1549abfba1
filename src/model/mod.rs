//! The domain types as the YAML files declare them: organisations, policy
//! sources and jurisdictions.

pub mod jurisdiction;
pub mod organisation;
pub mod policy;
