//! Builders of quick-fixes: formatting-preserving text edits, and the narrowing fixes that make a
//! grant smaller (never wider).

pub mod dialect;
pub mod edit;
pub mod layout;
pub mod narrow;
