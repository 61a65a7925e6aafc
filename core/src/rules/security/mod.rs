//! Security and least-privilege findings (Access Analyzer's SECURITY_WARNING class and our own).

use super::Rule;

pub static RULES: &[&Rule] = &[];
