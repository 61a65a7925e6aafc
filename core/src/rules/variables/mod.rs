//! Policy variables (${aws:username} ...): syntax, where they may appear, which Version expands them, which operators accept them.

use super::Rule;

pub static RULES: &[&Rule] = &[];
