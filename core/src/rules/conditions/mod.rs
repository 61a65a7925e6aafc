//! Conditions: operators, condition keys, value types per operator family, set qualifiers,
//! IfExists, IP ranges, dates, Regions, VPC ids, tag keys, and which actions support a key.
//! The helpers these rules share (the condition walk, key lookups, value parsers) are in
//! [`crate::rules::support::conditions`].

use super::Rule;

mod allow_notaction_with_unsupported_tag_condition_key_for_service;
mod allow_with_unsupported_tag_condition_key_for_service;
mod confirm_audience_claim_type;
mod deprecated_global_condition_key;
mod duplicate_keys_with_different_case;
mod empty_array_condition;
mod empty_array_condition_forallvalues;
mod empty_array_condition_foranyvalue;
mod empty_array_condition_ifexists;
mod empty_object_condition;
mod improve_ip_range;
mod invalid_condition_data_type;
mod invalid_condition_key_format;
mod invalid_condition_multiple_boolean;
mod invalid_condition_operator;
mod invalid_date_value;
mod invalid_global_condition_key;
mod invalid_region;
mod invalid_service_condition_key;
mod invalid_vpc_format;
mod invalid_vpce_format;
mod irrelevant_condition_key_in_policy;
mod missing_action_for_condition_key;
mod missing_qualifier;
mod missing_tag_key_in_condition;
mod null_with_if_exists;
mod null_with_qualifier;
mod private_ip_address;
mod private_ip_address_subset;
mod private_not_ip_address;
mod private_not_ip_address_subset;
mod redundant_condition_value_num;
mod type_mismatch;
mod type_mismatch_boolean;
mod type_mismatch_date;
mod type_mismatch_ip_range;
mod type_mismatch_number;
mod type_mismatch_string;
mod unsupported_action_for_condition_key;
mod unsupported_global_condition_key;
mod wildcard_without_like_operator;

pub static RULES: &[&Rule] = &[
    &invalid_condition_operator::RULE,
    &invalid_condition_key_format::RULE,
    &invalid_global_condition_key::RULE,
    &invalid_service_condition_key::RULE,
    &type_mismatch::RULE,
    &missing_qualifier::RULE,
    &unsupported_action_for_condition_key::RULE,
    &missing_action_for_condition_key::RULE,
    &allow_with_unsupported_tag_condition_key_for_service::RULE,
    &allow_notaction_with_unsupported_tag_condition_key_for_service::RULE,
    &irrelevant_condition_key_in_policy::RULE,
    &confirm_audience_claim_type::RULE,
    &duplicate_keys_with_different_case::RULE,
    &null_with_if_exists::RULE,
    &null_with_qualifier::RULE,
    &missing_tag_key_in_condition::RULE,
    &empty_object_condition::RULE,
    &empty_array_condition::RULE,
    &empty_array_condition_forallvalues::RULE,
    &empty_array_condition_foranyvalue::RULE,
    &empty_array_condition_ifexists::RULE,
    &invalid_condition_data_type::RULE,
    &invalid_condition_multiple_boolean::RULE,
    &invalid_region::RULE,
    &invalid_vpc_format::RULE,
    &invalid_vpce_format::RULE,
    &private_ip_address::RULE,
    &private_not_ip_address::RULE,
    &private_ip_address_subset::RULE,
    &private_not_ip_address_subset::RULE,
    &improve_ip_range::RULE,
    &invalid_date_value::RULE,
    &type_mismatch_boolean::RULE,
    &type_mismatch_date::RULE,
    &type_mismatch_ip_range::RULE,
    &type_mismatch_number::RULE,
    &type_mismatch_string::RULE,
    &wildcard_without_like_operator::RULE,
    &redundant_condition_value_num::RULE,
    &unsupported_global_condition_key::RULE,
    &deprecated_global_condition_key::RULE,
];

#[cfg(test)]
pub(crate) mod tests {
    use crate::rules::testing::findings;

    /// Odd but parseable condition shapes: every rule of the group must cope without panicking
    /// and keep its spans on character boundaries.
    #[test]
    fn odd_conditions_never_panic() {
        let conditions = [
            r#"{"StringEquals": {"aws:SourceIp": ["${", "${aws:", "é${aws:username, 'x'}é", "\u00e9*", null, [1], {}]}}"#,
            r#"{"IpAddress": {"aws:SourceIp": ["::ffff:10.0.0.1/100", "1.2.3.4/0", "é/8", 7, true]}}"#,
            r#"{"DateLessThan": {"aws:CurrentTime": ["2024-01-01T25:00:00Z", "2024-01-01T00:00:00+", "T", "2024-é"]}}"#,
            r#"{"ForAllValues:": {"": ""}, ":": {":": ":"}, "IfExists": {"a/b:c": "x"}}"#,
            r#"{"NumericLessThan": {"s3:max-keys": ["-", ".", "1.", "9999999999999999999999"]}}"#,
            r#"{"StringLike": {"aws:ResourceTag/é": "${${aws:username}}", "ec2:ResourceTag/": "x", "aws:RequestTag/a:b:c": "y"}}"#,
            r#""not an object""#,
            r#"{"Bool": "true", "Null": ["x"]}"#,
        ];
        for condition in conditions {
            let text = with_condition(condition);
            for ty in ["identity", "trust", "resource:AWS::S3::Bucket", "scp"] {
                for d in findings(&text, ty) {
                    assert!(
                        text.get(d.span.start..d.span.end).is_some(),
                        "{d:?} in {text}"
                    );
                }
            }
        }
    }

    /// An identity policy with one Allow statement whose Condition element is `condition`.
    pub fn with_condition(condition: &str) -> String {
        format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {condition}}}]}}"#
        )
    }

    /// The codes a value of `operator` on `key` gets, for the property below.
    fn value_codes(operator: &str, key: &str, value: &str) -> Vec<String> {
        let condition = format!(
            "{{{}: {{{}: {}}}}}",
            crate::syntax::quote::json_string(operator),
            crate::syntax::quote::json_string(key),
            crate::syntax::quote::json_string(value)
        );
        findings(&with_condition(&condition), "identity")
            .into_iter()
            .map(|d| d.code.to_string())
            .collect()
    }

    proptest::proptest! {
        /// A TYPE_MISMATCH_* finding (or INVALID_DATE_VALUE) is reported for a value exactly
        /// when the simulator's grammar rejects it, that is when the condition can never match.
        #[test]
        fn type_mismatch_iff_the_engine_cannot_read(value in "[0-9a-fA-Z:/. +eE-]{0,12}|[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2})?Z?)?|[0-9]{1,3}(\\.[0-9]{1,3}){3}(/[0-9]{1,2})?|(?i:true|false)") {
            use crate::policy::values::{parse_bool, parse_date, parse_number, Cidr};
            let has = |codes: &[String], code: &str| codes.iter().any(|c| c == code);
            let n = value_codes("NumericLessThan", "s3:max-keys", &value);
            proptest::prop_assert_eq!(has(&n, "TYPE_MISMATCH_NUMBER"), parse_number(&value).is_none(), "{:?}", value);
            let d = value_codes("DateLessThan", "aws:CurrentTime", &value);
            proptest::prop_assert_eq!(
                has(&d, "TYPE_MISMATCH_DATE") || has(&d, "INVALID_DATE_VALUE"),
                parse_date(&value).is_none(),
                "{:?}", value
            );
            let b = value_codes("Bool", "aws:SecureTransport", &value);
            proptest::prop_assert_eq!(has(&b, "TYPE_MISMATCH_BOOLEAN"), parse_bool(&value).is_none(), "{:?}", value);
            let i = value_codes("IpAddress", "aws:SourceIp", &value);
            proptest::prop_assert_eq!(has(&i, "TYPE_MISMATCH_IP_RANGE"), Cidr::parse(&value).is_none(), "{:?}", value);
        }
    }
}
