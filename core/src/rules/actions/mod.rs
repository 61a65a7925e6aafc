//! Actions and services: unknown services and actions with did-you-mean fixes, wildcards in service names, redundant actions and statements, actions unsupported in a resource policy.

use super::Rule;

mod invalid_action;
mod invalid_service;
mod invalid_service_in_action;
pub(crate) mod redundant_action;
mod redundant_statement;
mod resource_type_mismatch;
mod unsupported_action_in_policy;
mod wildcard_in_service_name;

pub static RULES: &[&Rule] = &[
    &invalid_service_in_action::RULE,
    &invalid_service::RULE,
    &invalid_action::RULE,
    &wildcard_in_service_name::RULE,
    &unsupported_action_in_policy::RULE,
    &redundant_action::RULE,
    &redundant_statement::RULE,
    &resource_type_mismatch::RULE,
];
