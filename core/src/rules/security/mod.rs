//! Security and least-privilege findings (Access Analyzer's SECURITY_WARNING class and our own), with narrowing fixes.

use super::Rule;

pub mod common;
mod shapes;

mod allow_with_not_principal;
mod create_slr_with_not_action_and_not_resource;
mod create_slr_with_not_resource;
mod create_slr_with_star_in_action_and_not_resource;
mod create_slr_with_star_in_action_and_resource;
mod create_slr_with_star_in_resource;
mod create_slr_with_star_in_resource_and_not_action;
mod missing_paired_condition_keys;
mod pass_role_with_not_action_and_not_resource;
mod pass_role_with_not_resource;
mod pass_role_with_star_in_action_and_not_resource;
mod pass_role_with_star_in_action_and_resource;
mod pass_role_with_star_in_resource;
mod pass_role_with_star_in_resource_and_not_action;

pub static RULES: &[&Rule] = &[
    // Access Analyzer SECURITY_WARNING checks.
    &pass_role_with_star_in_resource::RULE,
    &pass_role_with_star_in_action_and_resource::RULE,
    &pass_role_with_star_in_resource_and_not_action::RULE,
    &pass_role_with_not_resource::RULE,
    &pass_role_with_star_in_action_and_not_resource::RULE,
    &pass_role_with_not_action_and_not_resource::RULE,
    &allow_with_not_principal::RULE,
    &missing_paired_condition_keys::RULE,
    // Access Analyzer WARNING checks of the same shapes.
    &create_slr_with_star_in_resource::RULE,
    &create_slr_with_star_in_action_and_resource::RULE,
    &create_slr_with_star_in_resource_and_not_action::RULE,
    &create_slr_with_not_resource::RULE,
    &create_slr_with_star_in_action_and_not_resource::RULE,
    &create_slr_with_not_action_and_not_resource::RULE,
];
