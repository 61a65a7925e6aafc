//! Security and least-privilege findings (Access Analyzer's SECURITY_WARNING class and our own), with narrowing fixes.

use super::Rule;

pub static RULES: &[&Rule] = &[];
