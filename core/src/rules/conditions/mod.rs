//! Conditions: operators, condition keys, value types per operator family, set qualifiers, IfExists, IP ranges, dates, paired keys, tag keys.

use super::Rule;

pub static RULES: &[&Rule] = &[];
