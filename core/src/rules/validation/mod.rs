//! Policy-language validation: Access Analyzer's ERROR, WARNING and SUGGESTION checks that are
//! decidable from the text, its type and the catalog.

use super::Rule;

mod json_syntax_error;

pub static RULES: &[&Rule] = &[&json_syntax_error::RULE];
