//! Shared by the rules that check each condition value against what its operator family can
//! read (TYPE_MISMATCH_*, INVALID_DATE_VALUE) or against the format a key expects (INVALID_REGION,
//! INVALID_VPC_FORMAT, INVALID_VPCE_FORMAT).

use crate::policy::OperatorFamily;
use crate::rules::{Context, Sink};

use super::walk::{sites, values, Site, Value};
use crate::wildcard::has_wildcard;

/// Report every value of an operator of `family` for which `bad` returns a message. Values
/// holding a policy variable are skipped: they are only known at request time.
pub fn check_family_values(
    cx: &Context<'_>,
    sink: &mut Sink<'_>,
    family: OperatorFamily,
    bad: impl Fn(&Site<'_, '_>, &Value<'_>) -> Option<String>,
) {
    for site in sites(cx.policy) {
        if site.operator().map(|op| op.family()) != Some(family) {
            continue;
        }
        for value in values(site.entry) {
            if value.has_variable() {
                continue;
            }
            if let Some(message) = bad(&site, &value) {
                sink.report(value.span(), message);
            }
        }
    }
}

/// Report every value of one of `keys` (compared ignoring case) under a String operator whose
/// text fails `valid`. Wildcard patterns under the Like operators and variables are skipped;
/// under the IgnoreCase operators the value is lower-cased first.
pub fn check_key_values(
    cx: &Context<'_>,
    sink: &mut Sink<'_>,
    keys: &[&str],
    valid: impl Fn(&str) -> bool,
    mut message: impl FnMut(&Site<'_, '_>, &Value<'_>) -> String,
) {
    for site in sites(cx.policy) {
        let Some(op) = site.operator() else { continue };
        if op.family() != OperatorFamily::String
            || !keys.iter().any(|k| k.eq_ignore_ascii_case(site.key()))
        {
            continue;
        }
        let ignore_case = op.base.name().contains("IgnoreCase");
        for value in values(site.entry) {
            if value.has_variable() || (op.base.supports_wildcards() && has_wildcard(&value.text)) {
                continue;
            }
            let text = if ignore_case {
                value.text.to_ascii_lowercase()
            } else {
                value.text.clone()
            };
            if !valid(&text) {
                let m = message(&site, &value);
                sink.report(value.span(), m);
            }
        }
    }
}
