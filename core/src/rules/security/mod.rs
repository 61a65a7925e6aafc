//! Security and least-privilege findings (Access Analyzer's SECURITY_WARNING class and our own), with narrowing fixes.

use super::Rule;

mod allow_with_not_action;
mod allow_with_not_resource;
mod credentials_exposure;
mod cross_account_access;
mod cross_account_trust_without_external_id;
mod data_exfiltration;
mod mfa_check_with_bool;
mod prefix_wildcard_in_action;
pub(crate) mod privilege_escalation;
mod public_access;
mod resource_exposure;
mod service_wildcard_in_action;
mod star_in_action;
mod star_in_resource;
mod trust_to_any_principal;
mod write_on_star_without_condition;

mod allow_with_not_principal;
mod create_slr_with_not_action_and_not_resource;
mod create_slr_with_not_resource;
mod create_slr_with_star_in_action_and_not_resource;
mod create_slr_with_star_in_action_and_resource;
mod create_slr_with_star_in_resource;
mod create_slr_with_star_in_resource_and_not_action;
mod deny_notaction_with_unsupported_tag_condition_key_for_service;
mod deny_with_unsupported_tag_condition_key_for_service;
mod forallvalues_with_single_valued_key;
mod missing_condition_key_for_oidc_principal;
mod missing_github_repo_condition_key;
mod missing_paired_condition_keys;
mod pass_role_with_not_action_and_not_resource;
mod pass_role_with_not_resource;
mod pass_role_with_star_in_action_and_not_resource;
mod pass_role_with_star_in_action_and_resource;
mod pass_role_with_star_in_resource;
mod pass_role_with_star_in_resource_and_not_action;
mod recommended_condition_key_for_service_principal;
mod restrict_access_to_service_principal;
mod specific_github_repo_and_branch_recommended;

pub static RULES: &[&Rule] = &[
    // Access Analyzer SECURITY_WARNING checks.
    &pass_role_with_star_in_resource::RULE,
    &pass_role_with_star_in_action_and_resource::RULE,
    &pass_role_with_star_in_resource_and_not_action::RULE,
    &pass_role_with_not_resource::RULE,
    &pass_role_with_star_in_action_and_not_resource::RULE,
    &pass_role_with_not_action_and_not_resource::RULE,
    &allow_with_not_principal::RULE,
    &forallvalues_with_single_valued_key::RULE,
    &missing_paired_condition_keys::RULE,
    &deny_with_unsupported_tag_condition_key_for_service::RULE,
    &deny_notaction_with_unsupported_tag_condition_key_for_service::RULE,
    &restrict_access_to_service_principal::RULE,
    &missing_condition_key_for_oidc_principal::RULE,
    &missing_github_repo_condition_key::RULE,
    // Access Analyzer WARNING checks of the same shapes.
    &create_slr_with_star_in_resource::RULE,
    &create_slr_with_star_in_action_and_resource::RULE,
    &create_slr_with_star_in_resource_and_not_action::RULE,
    &create_slr_with_not_resource::RULE,
    &create_slr_with_star_in_action_and_not_resource::RULE,
    &create_slr_with_not_action_and_not_resource::RULE,
    &specific_github_repo_and_branch_recommended::RULE,
    // Access Analyzer SUGGESTION.
    &recommended_condition_key_for_service_principal::RULE,
    // Least privilege.
    &star_in_action::RULE,
    &service_wildcard_in_action::RULE,
    &prefix_wildcard_in_action::RULE,
    &star_in_resource::RULE,
    &allow_with_not_action::RULE,
    &allow_with_not_resource::RULE,
    &write_on_star_without_condition::RULE,
    // External access.
    &public_access::RULE,
    &cross_account_access::RULE,
    &cross_account_trust_without_external_id::RULE,
    &trust_to_any_principal::RULE,
    &mfa_check_with_bool::RULE,
    // Risk categories across the whole policy.
    &privilege_escalation::RULE,
    &resource_exposure::RULE,
    &credentials_exposure::RULE,
    &data_exfiltration::RULE,
];
