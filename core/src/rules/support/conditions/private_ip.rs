//! Shared by the PRIVATE_*IP_ADDRESS* rules: which `aws:SourceIp` values are private ranges.

use crate::policy::OperatorFamily;
use crate::rules::{Context, Sink};

use super::walk::{sites, values};
use crate::policy::values::parse_ip_range;

/// Which of the four rules is being checked.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Variant {
    /// NotIpAddress rather than IpAddress.
    pub negated: bool,
    /// Some values are public (the SUBSET rules) rather than none.
    pub subset: bool,
}

/// Report each private value of `aws:SourceIp` under the operator and mix the variant names.
pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>, variant: Variant) {
    for site in sites(cx.policy) {
        let Some(op) = site.operator() else { continue };
        if op.family() != OperatorFamily::IpAddress
            || op.base.is_negated() != variant.negated
            || !site.key().eq_ignore_ascii_case("aws:SourceIp")
        {
            continue;
        }
        let values = values(site.entry);
        let ranges: Vec<_> = values
            .iter()
            .filter_map(|v| parse_ip_range(&v.text).map(|r| (v, r)))
            .collect();
        let private: Vec<_> = ranges.iter().filter(|(_, r)| r.is_private()).collect();
        if private.is_empty() {
            continue;
        }
        let all_private = private.len() == ranges.len();
        if all_private == variant.subset {
            continue;
        }
        for (value, _) in private {
            let message = match (variant.negated, variant.subset) {
                (false, false) => format!(
                    "\"{}\" is a private range, and aws:SourceIp never holds a private address (requests through a VPC endpoint carry aws:VpcSourceIp instead), so this condition never matches; use aws:VpcSourceIp with aws:SourceVpc or aws:SourceVpce",
                    value.text
                ),
                (true, false) => format!(
                    "\"{}\" is a private range, and aws:SourceIp never holds a private address, so NotIpAddress always matches and the condition has no effect; use aws:VpcSourceIp with aws:SourceVpc or aws:SourceVpce",
                    value.text
                ),
                (_, true) => format!(
                    "\"{}\" is a private range, which aws:SourceIp never holds, so this value has no effect; remove it, or cover private callers with aws:VpcSourceIp and aws:SourceVpc",
                    value.text
                ),
            };
            sink.report(value.span(), message);
        }
    }
}
