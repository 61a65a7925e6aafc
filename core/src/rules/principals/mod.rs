//! Principal and NotPrincipal grammar, trust-policy grammar (federated, service, Roles Anywhere principals), principal references.

use super::Rule;

mod empty_array_principal;
mod empty_object_principal;
mod federated_principal_not_supported;
mod invalid_federated_principal_syntax_in_role_trust_policy;
mod invalid_principal_arn;
mod invalid_principal_format;
mod invalid_principal_key;
mod invalid_role_reference;
mod invalid_service_principal_format;
mod invalid_user_reference;
mod mismatched_action_for_principal;
mod missing_action_for_roles_anywhere_trust_policy;
mod redundant_principal_in_role_trust_policy;
mod role_trust_policy_syntax_error_notprincipal;
mod role_trust_policy_syntax_error_resource;
mod role_trust_policy_unsupported_wildcard_in_principal;
mod unsupported_condition_key_for_service_principal;
mod unsupported_wildcard_in_principal;

pub static RULES: &[&Rule] = &[
    &invalid_principal_format::RULE,
    &invalid_principal_key::RULE,
    &empty_object_principal::RULE,
    &empty_array_principal::RULE,
    &unsupported_wildcard_in_principal::RULE,
    &invalid_principal_arn::RULE,
    &invalid_service_principal_format::RULE,
    &federated_principal_not_supported::RULE,
    &role_trust_policy_syntax_error_notprincipal::RULE,
    &role_trust_policy_unsupported_wildcard_in_principal::RULE,
    &role_trust_policy_syntax_error_resource::RULE,
    &invalid_federated_principal_syntax_in_role_trust_policy::RULE,
    &mismatched_action_for_principal::RULE,
    &missing_action_for_roles_anywhere_trust_policy::RULE,
    &invalid_role_reference::RULE,
    &invalid_user_reference::RULE,
    &redundant_principal_in_role_trust_policy::RULE,
    &unsupported_condition_key_for_service_principal::RULE,
];

#[cfg(test)]
mod valid_policies_tests;
