//! Policy structure: JSON syntax, elements, value types, Version, Sid, Effect, required and forbidden elements per policy type, SCP/RCP grammar, size quotas, empty values.

use super::Rule;

pub(crate) mod common;
mod data_type_mismatch;
mod duplicate_element;
mod invalid_effect;
mod invalid_policy_element;
mod invalid_version;
mod json_syntax_error;
mod missing_action;
mod missing_effect;
mod missing_principal;
mod missing_resource;
mod missing_statement;
mod missing_version;

pub static RULES: &[&Rule] = &[
    &json_syntax_error::RULE,
    &data_type_mismatch::RULE,
    &invalid_policy_element::RULE,
    &duplicate_element::RULE,
    &invalid_version::RULE,
    &missing_version::RULE,
    &missing_statement::RULE,
    &missing_effect::RULE,
    &invalid_effect::RULE,
    &missing_action::RULE,
    &missing_resource::RULE,
    &missing_principal::RULE,
];
