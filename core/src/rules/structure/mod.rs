//! Policy structure: JSON syntax, elements, value types, Version, Sid, Effect, required and forbidden elements per policy type, SCP/RCP grammar, size quotas, empty values.

use super::Rule;

mod json_syntax_error;
pub static RULES: &[&Rule] = &[&json_syntax_error::RULE];
