//! ARNs in Resource and NotResource: prefix, fields, partition, Region, account, resource part against the catalog's ARN templates, redundant resources.

use super::Rule;

mod arn_account_not_allowed;
mod arn_region_not_allowed;
mod invalid_arn_account;
mod invalid_arn_prefix;
mod invalid_arn_region;
mod invalid_arn_resource;
mod invalid_arn_service;
mod invalid_arn_service_case;
mod invalid_partition;
mod missing_arn_field;
mod missing_arn_region;
mod missing_s3_object_key;
mod redundant_resource;
mod unsupported_resource_arn_in_policy;

pub static RULES: &[&Rule] = &[
    &invalid_arn_prefix::RULE,
    &missing_arn_field::RULE,
    &invalid_partition::RULE,
    &invalid_arn_service::RULE,
    &invalid_arn_service_case::RULE,
    &invalid_arn_region::RULE,
    &missing_arn_region::RULE,
    &arn_region_not_allowed::RULE,
    &invalid_arn_account::RULE,
    &arn_account_not_allowed::RULE,
    &invalid_arn_resource::RULE,
    &missing_s3_object_key::RULE,
    &unsupported_resource_arn_in_policy::RULE,
    &redundant_resource::RULE,
];
