//! Policy structure: JSON syntax, elements, value types, Version, Sid, Effect, required and forbidden elements per policy type, SCP/RCP grammar, size quotas, empty values.

use super::Rule;

// Compile-time repetition of string literals, for the size-quota rules' examples (their failing
// examples must be longer than the quota, and rule metadata is static text).
macro_rules! x3 {
    ($s:expr) => {
        concat!($s, $s, $s)
    };
}
macro_rules! x8 {
    ($s:expr) => {
        concat!($s, $s, $s, $s, $s, $s, $s, $s)
    };
}
macro_rules! x64 {
    ($s:expr) => {
        x8!(x8!($s))
    };
}

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
mod policy_size_exceeds_identity_policy_quota;
mod policy_size_exceeds_rcp_quota;
mod policy_size_exceeds_resource_policy_quota;
mod policy_size_exceeds_role_trust_policy_quota;
mod policy_size_exceeds_scp_quota;
mod rcp_syntax_error_allow;
mod rcp_syntax_error_notaction;
mod rcp_syntax_error_notprincipal;
mod rcp_syntax_error_principal;
mod scp_syntax_error_principal;
mod unique_sids_recommended;
mod unique_sids_required;
mod unsupported_element_combination;
mod unsupported_in_vpc_endpoint_policy;
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
    &unsupported_in_vpc_endpoint_policy::RULE,
    &unique_sids_required::RULE,
    &unique_sids_recommended::RULE,
    &unsupported_sid::RULE,
    &empty_sid_value::RULE,
    &empty_array_action::RULE,
    &empty_array_resource::RULE,
    &scp_syntax_error_principal::RULE,
    &rcp_syntax_error_notaction::RULE,
    &rcp_syntax_error_notprincipal::RULE,
    &rcp_syntax_error_principal::RULE,
    &rcp_syntax_error_allow::RULE,
    &policy_size_exceeds_identity_policy_quota::RULE,
    &policy_size_exceeds_resource_policy_quota::RULE,
    &policy_size_exceeds_role_trust_policy_quota::RULE,
    &policy_size_exceeds_scp_quota::RULE,
    &policy_size_exceeds_rcp_quota::RULE,
];

#[cfg(test)]
mod corpus_tests;
#[cfg(test)]
mod fix_tests;
