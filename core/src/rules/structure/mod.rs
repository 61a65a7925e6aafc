//! Policy structure: JSON syntax, elements, value types, Version, Sid, Effect, required and forbidden elements per policy type, SCP/RCP grammar, size quotas, empty values.

use super::Rule;

pub(crate) mod common;
mod data_type_mismatch;
mod duplicate_element;
mod empty_array_action;
mod empty_array_resource;
mod empty_sid_value;
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
mod unique_sids_recommended;
mod unique_sids_required;
mod unsupported_element_combination;
mod unsupported_principal;
mod unsupported_sid;

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
    &unsupported_principal::RULE,
    &unsupported_element_combination::RULE,
    &unique_sids_required::RULE,
    &unique_sids_recommended::RULE,
    &unsupported_sid::RULE,
    &empty_sid_value::RULE,
    &empty_array_action::RULE,
    &empty_array_resource::RULE,
];

#[cfg(test)]
mod corpus_tests;
