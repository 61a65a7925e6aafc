use crate::diagnostic::{Category, Fix, TextEdit};
use crate::policy::{BaseOperator as B, ConditionOperator, OperatorFamily as F};
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};
use crate::syntax::quote::json_string;

use crate::rules::support::conditions::keys::{family_for, lookup};
use crate::rules::support::conditions::walk::{sites, values};
use crate::wildcard::has_wildcard;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "TYPE_MISMATCH",
        category: Category::Warning,
        summary: "The condition operator does not fit the key's type.",
        explanation: "Each condition key has a type (string, ARN, number, date, boolean, IP \
            address) and is meant to be compared with operators of that type: ArnLike for \
            `aws:SourceArn`, NumericLessThan for `s3:max-keys`, Bool for \
            `aws:SecureTransport`. With another family the comparison is done on the wrong \
            terms (or not at all). iamlint names the operator to use.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"StringEquals": {"aws:SecureTransport": "false"}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

/// Keys documented as accepting a second operator family besides their declared type.
fn also_accepts(key: &str, family: F) -> bool {
    key.eq_ignore_ascii_case("aws:EpochTime") && family == F::Numeric
}

/// The operator of `target` family that corresponds to `base` (same sense: equals, not equals,
/// like, ordering), if there is an obvious one.
fn counterpart(base: B, target: F) -> Option<B> {
    let negated = base.is_negated();
    let like = matches!(
        base,
        B::StringLike | B::StringNotLike | B::ArnLike | B::ArnNotLike
    );
    Some(match (target, negated, like) {
        (F::Arn, false, true) => B::ArnLike,
        (F::Arn, true, true) => B::ArnNotLike,
        (F::Arn, false, false) => B::ArnEquals,
        (F::Arn, true, false) => B::ArnNotEquals,
        (F::String, false, true) => B::StringLike,
        (F::String, true, true) => B::StringNotLike,
        (F::String, false, false) => B::StringEquals,
        (F::String, true, false) => B::StringNotEquals,
        (F::Bool, false, _) => B::Bool,
        (F::IpAddress, false, _) => B::IpAddress,
        (F::IpAddress, true, _) => B::NotIpAddress,
        (F::Numeric, false, false) => B::NumericEquals,
        (F::Numeric, true, false) => B::NumericNotEquals,
        (F::Date, false, false) => B::DateEquals,
        (F::Date, true, false) => B::DateNotEquals,
        (F::Binary, false, false) => B::BinaryEquals,
        _ => return None,
    })
}

fn family_examples(family: F) -> &'static str {
    match family {
        F::String => "a String operator (StringEquals, StringLike, ...)",
        F::Arn => "an ARN operator (ArnEquals, ArnLike, ...)",
        F::Numeric => "a Numeric operator (NumericEquals, NumericLessThan, ...)",
        F::Date => "a Date operator (DateLessThan, DateGreaterThan, ...)",
        F::Bool => "Bool",
        F::Binary => "BinaryEquals",
        F::IpAddress => "IpAddress or NotIpAddress",
        F::Null => "Null",
    }
}

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for site in sites(cx.policy) {
        let Some(op) = site.operator() else { continue };
        if op.family() == F::Null {
            continue;
        }
        let Some(info) = lookup(cx.catalog, site.key()) else {
            continue;
        };
        let expected = family_for(info.value_type());
        // ARN operators on string keys whose values are ARNs (encryption context, tags) work and
        // are common in AWS's own policies. String operators on ARN keys work as well: an ARN is
        // compared as the string it is, and AWS's own examples write `aws:PrincipalArn` with
        // StringEquals and StringLike (AWS only recommends the ARN operators).
        if expected == op.family()
            || also_accepts(site.key(), op.family())
            || (expected == F::String && op.family() == F::Arn)
            || (expected == F::Arn && op.family() == F::String)
        {
            continue;
        }
        let entry_values = values(site.entry);
        // A policy variable can only be compared by a String or ARN operator: AWS documents
        // `"StringEquals": {"aws:Ec2InstanceSourcePrivateIPv4": "${aws:VpcSourceIp}"}`, and
        // the operator of the key's own family would reject the variable.
        if !expected.accepts_policy_variables() && entry_values.iter().any(|v| v.has_variable()) {
            continue;
        }
        let replacement =
            counterpart(op.base, expected).map(|base| ConditionOperator { base, ..op }.name());
        let advice = match &replacement {
            Some(name) => format!("use {name}"),
            None => format!("use {}", family_examples(expected)),
        };
        let d = sink.report(
            site.block.operator_span(),
            format!(
                "\"{}\" is {} key, but {} is {} operator; {advice}",
                site.key(),
                article(expected),
                op.name(),
                article(op.family()),
            ),
        );
        // The operator applies to every key in the block; offer the edit only when it is alone.
        // ARN operators read `*` and `?` as wildcards where String operators other than
        // StringLike read them as themselves: the change would widen such a condition.
        let widens = expected == F::Arn
            && !op.base.supports_wildcards()
            && entry_values.iter().any(|v| has_wildcard(&v.text));
        if let (Some(name), 1, false) = (replacement, site.block.entries.len(), widens) {
            d.fixes.push(Fix::review(
                format!("Change the operator to {name}"),
                vec![TextEdit {
                    span: site.block.operator_span(),
                    text: json_string(&name),
                }],
            ));
        }
    }
}

fn article(family: F) -> &'static str {
    match family {
        F::String => "a String",
        F::Arn => "an ARN",
        F::Numeric => "a Numeric",
        F::Date => "a Date",
        F::Bool => "a Bool",
        F::Binary => "a Binary",
        F::IpAddress => "an IP address",
        F::Null => "a Null",
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::conditions::tests::with_condition;
    use crate::rules::testing::*;

    const CODE: &str = "TYPE_MISMATCH";

    #[test]
    fn reports_the_operator_and_names_the_right_one() {
        let text =
            with_condition(r#"{"StringEqualsIfExists": {"aws:SourceIp": "203.0.113.0/24"}}"#);
        let found = findings_of(&text, "identity", CODE);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].span.slice(&text), r#""StringEqualsIfExists""#);
        assert!(
            found[0].message.contains("IpAddressIfExists"),
            "{}",
            found[0].message
        );
        let fixed = found[0].fixes[0].apply(&text).unwrap();
        assert!(findings_of(&fixed, "identity", CODE).is_empty());

        let text = with_condition(r#"{"Bool": {"aws:userid": "true"}}"#);
        assert_eq!(spans_of(&text, "identity", CODE), vec![r#""Bool""#]);
    }

    #[test]
    fn matching_families_null_and_unknown_keys_are_fine() {
        let text = with_condition(
            r#"{"ArnLike": {"aws:SourceArn": "arn:aws:s3:::b"}, "Bool": {"aws:SecureTransport": "true"}, "Null": {"aws:SourceIp": "true"}, "NumericLessThan": {"aws:EpochTime": "1700000000"}, "StringEquals": {"madeup:key": "x"}}"#,
        );
        assert!(findings_of(&text, "identity", CODE).is_empty());
    }

    /// Issue 12: String operators on ARN keys are how AWS's own examples write
    /// `aws:PrincipalArn`; a variable compared with an IP key needs a String operator.
    #[test]
    fn string_operators_on_arn_keys_and_variables_on_ip_keys_are_fine() {
        let text = with_condition(
            r#"{"StringEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/Admin"}, "StringNotEquals": {"aws:Ec2InstanceSourcePrivateIPv4": "${aws:VpcSourceIp}"}}"#,
        );
        assert!(findings_of(&text, "identity", CODE).is_empty());
        // Neighbour: the same IP key with a literal string value keeps its finding and its fix.
        let text = with_condition(
            r#"{"StringNotEquals": {"aws:Ec2InstanceSourcePrivateIPv4": "10.0.0.1"}}"#,
        );
        let found = findings_of(&text, "identity", CODE);
        assert_eq!(found.len(), 1);
        assert!(found[0].fixes[0].title.contains("NotIpAddress"));
    }

    /// Issue 12: ArnEquals reads `*` as a wildcard, so moving a value with `*` from a literal
    /// operator to ArnEquals would widen the condition: no fix then.
    #[test]
    fn no_operator_fix_to_arn_when_a_value_has_a_wildcard() {
        let text = with_condition(r#"{"Bool": {"aws:SourceArn": "arn:aws:sns:*:111122223333:t"}}"#);
        let found = findings_of(&text, "identity", CODE);
        assert_eq!(found.len(), 1);
        assert!(found[0].fixes.is_empty(), "{:?}", found[0].fixes);
        // Neighbour: without the wildcard the fix to ArnEquals is offered.
        let text = with_condition(
            r#"{"Bool": {"aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:t"}}"#,
        );
        let found = findings_of(&text, "identity", CODE);
        assert_eq!(found[0].fixes.len(), 1);
        assert!(found[0].fixes[0].title.contains("ArnEquals"));
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
