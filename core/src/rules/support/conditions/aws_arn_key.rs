//! Shared by UNSUPPORTED_GLOBAL_CONDITION_KEY and DEPRECATED_GLOBAL_CONDITION_KEY, which both
//! concern the retired key `aws:ARN`. In resource-based policies (resource, trust, RCP) it is
//! not supported at all; in the other types it is deprecated in favour of `aws:PrincipalArn`.

use crate::policy::PolicyType;
use crate::rules::Context;

use super::keys::is_aws_arn_key;
use super::walk::{sites, Site};

pub fn is_resource_based(policy_type: &PolicyType) -> bool {
    matches!(
        policy_type,
        PolicyType::Resource { .. } | PolicyType::Trust | PolicyType::Rcp
    )
}

pub fn aws_arn_sites<'p, 'a>(cx: &'p Context<'a>) -> Vec<Site<'p, 'a>> {
    sites(cx.policy)
        .filter(|s| is_aws_arn_key(s.key()))
        .collect()
}
