use crate::diagnostic::{Category, Fix, TextEdit};
use crate::policy::{BaseOperator, SetQualifier};
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};
use crate::syntax::quote::json_string;

use crate::rules::support::conditions::keys::lookup;
use crate::rules::support::conditions::walk::sites;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "MISSING_QUALIFIER",
        category: Category::Error,
        summary: "A multivalued condition key is used without ForAllValues or ForAnyValue.",
        explanation: "Keys such as `aws:TagKeys` or `aws:PrincipalServiceNamesList` can carry \
            several values in one request. Compare them with a set operator: \
            `ForAnyValue:` (at least one request value matches) or `ForAllValues:` (every \
            request value matches; also true when the key is absent, so pair it with a Null \
            check in an Allow).",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*", "Condition": {"StringEquals": {"aws:TagKeys": ["team", "env"]}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*", "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["team", "env"]}}}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

/// Keys the catalog types as multivalued (`ArrayOf...`) that hold one value per request, with
/// where AWS's own documentation shows it: a plain operator on them is what AWS writes, not a
/// mistake. Reviewed entry by entry (docs/accuracy.md); each has a test.
pub const SINGLE_VALUED_IN_PRACTICE: &[(&str, &str)] = &[
    (
        "datapipeline:PipelineCreator",
        "IAM User Guide example \"AWS Data Pipeline: Denies access to DataPipeline pipelines that a \
         user did not create\" uses StringNotEquals with ${aws:userid}; a pipeline has one creator",
    ),
    (
        "datapipeline:workerGroup",
        "Data Pipeline API Reference, PollForTask: \"You can only specify a single value for \
         workerGroup\" in the call; the key holds that value",
    ),
    (
        "states:StateMachineQualifier",
        "Step Functions Developer Guide \"Authorization for versions and aliases\" scopes \
         DescribeStateMachine with a plain operator on the qualifier; a qualified ARN has one \
         (a version number or an alias name)",
    ),
    (
        "events:detail-type",
        "EventBridge User Guide \"Using IAM policy conditions\" gives the pair \
         \"events:detail-type\":\"detail-type\" (an event has one detail-type); three AWS \
         managed policies use plain StringEquals",
    ),
];

fn is_single_valued_in_practice(key: &str) -> bool {
    SINGLE_VALUED_IN_PRACTICE
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case(key))
}

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for site in sites(cx.policy) {
        let Some(op) = site.operator() else { continue };
        if op.qualifier.is_some() || op.base == BaseOperator::Null {
            continue;
        }
        let Some(info) = lookup(cx.catalog, site.key()) else {
            continue;
        };
        if !info.is_multivalued() || is_single_valued_in_practice(site.key()) {
            continue;
        }
        let d = sink.report(
            site.key_span(),
            format!(
                "\"{}\" can hold several values in one request; write ForAnyValue:{} (any value matches) or ForAllValues:{} (every value matches)",
                site.key(),
                op.name(),
                op.name()
            ),
        );
        // The qualifier changes the whole block; offer it only when the key is alone in it.
        if site.block.entries.len() == 1 {
            for qualifier in [SetQualifier::ForAnyValue, SetQualifier::ForAllValues] {
                let mut q = op;
                q.qualifier = Some(qualifier);
                let name = q.name();
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
}

#[cfg(test)]
mod tests {
    use crate::rules::conditions::tests::with_condition;
    use crate::rules::testing::*;

    const CODE: &str = "MISSING_QUALIFIER";

    #[test]
    fn reports_the_key_with_both_qualifiers_offered() {
        let text = with_condition(r#"{"StringLike": {"aws:TagKeys": "team*"}}"#);
        let found = findings_of(&text, "identity", CODE);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].span.slice(&text), r#""aws:TagKeys""#);
        assert_eq!(found[0].fixes.len(), 2);
        let fixed = found[0].fixes[0].apply(&text).unwrap();
        assert!(fixed.contains(r#""ForAnyValue:StringLike""#));
        assert!(findings_of(&fixed, "identity", CODE).is_empty());
    }

    #[test]
    fn qualified_null_and_single_valued_keys_are_fine() {
        let text = with_condition(
            r#"{"ForAnyValue:StringEquals": {"aws:TagKeys": "a"}, "Null": {"aws:TagKeys": "false"}, "StringEquals": {"aws:PrincipalOrgID": "o-1"}}"#,
        );
        assert!(findings_of(&text, "identity", CODE).is_empty());
    }

    #[test]
    fn documented_single_valued_keys_take_plain_operators() {
        for (key, source) in super::SINGLE_VALUED_IN_PRACTICE {
            // Each entry must still be needed: the catalog types the key as multivalued.
            let info =
                crate::rules::support::conditions::keys::lookup(crate::catalog::catalog(), key)
                    .unwrap_or_else(|| panic!("{key} is not in the catalog"));
            assert!(info.is_multivalued(), "{key} no longer needs an exception");
            assert!(!source.is_empty());
            let text = with_condition(&format!(r#"{{"StringNotEquals": {{"{key}": "x"}}}}"#));
            assert!(findings_of(&text, "identity", CODE).is_empty(), "{key}");
        }
        // Close neighbour: aws:TagKeys holds every tag key of the request.
        let text = with_condition(r#"{"StringNotEquals": {"aws:TagKeys": "x"}}"#);
        assert_eq!(spans_of(&text, "identity", CODE), vec![r#""aws:TagKeys""#]);
    }

    /// Issue 12: the IAM Identity Center User Guide's SCP that denies a deleted user everything
    /// tests `identitystore:UserId` with plain `StringEquals`. No exception is needed: the
    /// catalog reads the key from the Identity Store service, which types it String (Amazon Q's
    /// pages type the same key ArrayOfString); this test keeps it that way. Its neighbour, a
    /// key of the same service whose request can carry several values (the issuers of a user's
    /// external IDs), keeps the finding.
    #[test]
    fn identity_center_user_id_takes_a_plain_operator() {
        let scp = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"StringEquals": {"identitystore:UserId": "DELETEDUSER_ID"}}}]}"#;
        assert!(findings_of(scp, "scp", CODE).is_empty());
        let neighbour = scp.replace(
            r#""StringEquals": {"identitystore:UserId": "DELETEDUSER_ID"}"#,
            r#""ArnEquals": {"identitystore:UserExternalIdIssuers": "arn:aws:iam::111122223333:saml-provider/idp"}"#,
        );
        assert_eq!(
            spans_of(&neighbour, "scp", CODE),
            vec![r#""identitystore:UserExternalIdIssuers""#]
        );
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
