use crate::arn::{span_in_string_node, Arn};
use crate::diagnostic::Category;
use crate::policy::{OperatorFamily, PolicyType};
use crate::rules::support::conditions::walk::{sites, values};
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};
use crate::span::Span;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "UNSUPPORTED_IN_VPC_ENDPOINT_POLICY",
        category: Category::Error,
        summary: "A VPC endpoint policy uses a wildcard or operator that endpoint policies do not support.",
        explanation: "The Amazon VPC User Guide (\"Control access to VPC endpoints using endpoint \
            policies\", Considerations) lists limits of endpoint policies that other policies do \
            not have: no wildcard (`*`, `?`) and no numeric operator on the global keys that hold \
            identifiers AWS generates (`aws:PrincipalAccount`, `aws:SourceVpc`, and the other \
            account, organization, VPC and endpoint ids); with a string operator, at least six \
            consecutive characters before or after each wildcard; and in an ARN, an account field \
            that is an account id or a wildcard, not both. Write the identifiers out in full, or \
            list them.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*", "Condition": {"StringLike": {"aws:PrincipalAccount": "1111*"}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalAccount": ["111122223333", "444455556666"]}}}]}"#,
        example_type: ExampleType::VpcEndpoint,
        scope: Scope::Statement,
    },
    check,
};

/// Global keys whose values are identifiers AWS generates (account, organization, VPC and
/// endpoint ids). The guide names `aws:PrincipalAccount` and `aws:SourceVpc` as examples; the
/// others hold the same kinds of id.
const SYSTEM_GENERATED_ID_KEYS: &[&str] = &[
    "aws:PrincipalAccount",
    "aws:ResourceAccount",
    "aws:SourceAccount",
    "aws:VpceAccount",
    "aws:PrincipalOrgID",
    "aws:ResourceOrgID",
    "aws:SourceOrgID",
    "aws:VpceOrgID",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:Ec2InstanceSourceVpc",
];

/// The shortest run of literal characters the guide requires beside each wildcard.
const MIN_RUN: usize = 6;

fn is_wildcard(c: char) -> bool {
    c == '*' || c == '?'
}

/// The first wildcard of `value` with fewer than six literal characters both before and after
/// it, as a byte range of `value`.
fn short_wildcard(value: &str) -> Option<Span> {
    let chars: Vec<(usize, char)> = value.char_indices().collect();
    let run = |range: &mut dyn Iterator<Item = &(usize, char)>| {
        range.take_while(|(_, c)| !is_wildcard(*c)).count()
    };
    chars.iter().enumerate().find_map(|(i, &(at, c))| {
        if !is_wildcard(c) {
            return None;
        }
        let before = run(&mut chars[..i].iter().rev());
        let after = run(&mut chars[i + 1..].iter());
        (before < MIN_RUN && after < MIN_RUN).then(|| Span::new(at, at + 1))
    })
}

/// The account field of an ARN when it mixes a wildcard with other characters (`1111*`), as a
/// byte range of `value`.
fn mixed_account(value: &str) -> Option<Span> {
    let arn = Arn::parse(value).ok()?;
    let account = arn.account.value;
    (account.chars().any(is_wildcard) && !account.chars().all(is_wildcard))
        .then_some(arn.account.span)
}

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    if *cx.policy_type != PolicyType::VpcEndpoint {
        return;
    }
    let text = cx.text;
    let report_arn = |sink: &mut Sink<'_>, value: &str, node| {
        if let Some(span) = mixed_account(value) {
            sink.report(
                span_in_string_node(text, node, span),
                format!(
                    "The account field \"{}\" mixes a wildcard with an account id; VPC endpoint \
                     policies accept an account id or a wildcard there, not both",
                    &value[span.start..span.end]
                ),
            );
        }
    };
    for st in &cx.policy.statements {
        for list in [&st.resource, &st.not_resource].into_iter().flatten() {
            for item in &list.items {
                report_arn(sink, item.value, item.node);
            }
        }
    }
    for site in sites(cx.policy) {
        let Some(op) = site.operator() else { continue };
        let id_key = SYSTEM_GENERATED_ID_KEYS
            .iter()
            .any(|k| k.eq_ignore_ascii_case(site.key()));
        if id_key && op.family() == OperatorFamily::Numeric {
            sink.report(
                site.block.operator_span(),
                format!(
                    "{} holds an identifier AWS generates; VPC endpoint policies do not accept a \
                     numeric operator on it. Use StringEquals",
                    site.key()
                ),
            );
            continue;
        }
        for value in values(site.entry) {
            // A policy variable's value is only known at request time.
            if !value.is_string() || value.has_variable() {
                continue;
            }
            if matches!(op.family(), OperatorFamily::String | OperatorFamily::Arn) {
                report_arn(sink, &value.text, value.node);
            }
            if !op.base.supports_wildcards() || op.family() != OperatorFamily::String {
                continue;
            }
            if id_key && value.text.chars().any(is_wildcard) {
                sink.report(
                    value.span(),
                    format!(
                        "{} holds an identifier AWS generates; VPC endpoint policies do not \
                         accept a wildcard in it. List the ids in full",
                        site.key()
                    ),
                );
            } else if let Some(span) = short_wildcard(&value.text) {
                sink.report(
                    span_in_string_node(text, value.node, span),
                    format!(
                        "\"{}\": in a VPC endpoint policy each wildcard of a string operator \
                         needs at least six consecutive characters before or after it",
                        value.text
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "UNSUPPORTED_IN_VPC_ENDPOINT_POLICY";

    fn endpoint(condition: &str, resource: &str) -> String {
        format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "{resource}", "Condition": {condition}}}]}}"#
        )
    }

    #[test]
    fn wildcard_and_numeric_operator_on_generated_ids() {
        let text = endpoint(
            r#"{"StringLike": {"aws:SourceVpc": "vpc-1a2b*"}, "NumericEquals": {"aws:PrincipalAccount": "111122223333"}}"#,
            "*",
        );
        assert_eq!(
            spans_of(&text, "vpc-endpoint", CODE),
            [r#""vpc-1a2b*""#, r#""NumericEquals""#]
        );
        // Close neighbour: the same ids written out in full, and the same policy checked as a
        // bucket policy, where these limits do not apply.
        let full = endpoint(
            r#"{"StringEquals": {"aws:SourceVpc": ["vpc-1a2b3c4d"], "aws:PrincipalAccount": "111122223333"}}"#,
            "*",
        );
        assert!(findings_of(&full, "vpc-endpoint", CODE).is_empty());
        assert!(findings_of(&text, "resource", CODE).is_empty());
    }

    #[test]
    fn six_characters_beside_each_string_wildcard() {
        let text = endpoint(
            r#"{"StringLike": {"aws:PrincipalArn": "arn:*:iam::*"}}"#,
            "*",
        );
        // "arn:" has four characters before the first wildcard and ":iam::" six after it; the
        // second has ":iam::" (six) before it.
        assert!(findings_of(&text, "vpc-endpoint", CODE).is_empty());
        let text = endpoint(r#"{"StringLike": {"s3:prefix": "ab*cd"}}"#, "*");
        assert_eq!(spans_of(&text, "vpc-endpoint", CODE), ["*"]);
        // ArnLike is not a string operator, and a variable's value is unknown.
        let text = endpoint(
            r#"{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*"}, "StringLike": {"s3:prefix": "${aws:username}/*"}}"#,
            "*",
        );
        assert!(findings_of(&text, "vpc-endpoint", CODE).is_empty());
    }

    #[test]
    fn account_field_is_an_id_or_a_wildcard() {
        let text = endpoint("{}", "arn:aws:sqs:us-east-1:1111*:queue");
        assert_eq!(spans_of(&text, "vpc-endpoint", CODE), ["1111*"]);
        let text = endpoint(
            r#"{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::1111?2223333:role/app"}}"#,
            "arn:aws:sqs:us-east-1:*:queue",
        );
        assert_eq!(spans_of(&text, "vpc-endpoint", CODE), ["1111?2223333"]);
        let text = endpoint(
            r#"{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/app-*"}}"#,
            "arn:aws:sqs:us-east-1:111122223333:queue",
        );
        assert!(findings_of(&text, "vpc-endpoint", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
