//! Conditions: operators, condition keys, value types per operator family, set qualifiers,
//! IfExists, IP ranges, dates, Regions, VPC ids, tag keys, and which actions support a key.
//!
//! The value parsers in [`values`] and the key helpers in [`keys`] have no rule concerns, so the
//! evaluation engine can use them too.

use super::Rule;

mod empty;
pub mod keys;
pub mod values;
pub(crate) mod walk;

mod duplicate_keys_with_different_case;
mod empty_array_condition;
mod empty_array_condition_forallvalues;
mod empty_array_condition_foranyvalue;
mod empty_array_condition_ifexists;
mod empty_object_condition;
mod invalid_condition_key_format;
mod invalid_condition_operator;
mod missing_tag_key_in_condition;
mod null_with_if_exists;
mod null_with_qualifier;

pub static RULES: &[&Rule] = &[
    &invalid_condition_operator::RULE,
    &invalid_condition_key_format::RULE,
    &duplicate_keys_with_different_case::RULE,
    &null_with_if_exists::RULE,
    &null_with_qualifier::RULE,
    &missing_tag_key_in_condition::RULE,
    &empty_object_condition::RULE,
    &empty_array_condition::RULE,
    &empty_array_condition_forallvalues::RULE,
    &empty_array_condition_foranyvalue::RULE,
    &empty_array_condition_ifexists::RULE,
];

#[cfg(test)]
pub(crate) mod tests {
    /// An identity policy with one Allow statement whose Condition element is `condition`.
    pub fn with_condition(condition: &str) -> String {
        format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {condition}}}]}}"#
        )
    }
}
