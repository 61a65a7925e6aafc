use crate::diagnostic::Category;
use crate::policy::STATEMENT_ELEMENTS;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::structure::{has_element, members, statement_anchor, type_phrase};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "MISSING_PRINCIPAL",
        category: Category::Error,
        summary: "A statement of a resource policy, trust policy, RCP or VPC endpoint policy names no principal.",
        explanation: "A policy attached to a resource (a bucket policy, a key policy, a role's \
            trust policy, an RCP) must say who each statement applies to, with `Principal` (or, \
            in some resource policies, `NotPrincipal`). Add for example \
            `\"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"}`; in an RCP use \
            `\"Principal\": \"*\"` and narrow it with conditions.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}]}"#,
        example_type: ExampleType::Resource,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    if !cx.policy_type.needs_principal() {
        return;
    }
    for st in &cx.policy.statements {
        if !has_element(
            members(st.node),
            &["Principal", "NotPrincipal"],
            STATEMENT_ELEMENTS,
        ) {
            sink.report(
                statement_anchor(st),
                format!(
                    "The {} has no `Principal`, which every statement of {} needs. Say who it applies to, e.g. \"Principal\": {{\"AWS\": \"arn:aws:iam::111122223333:root\"}}.",
                    st.label(),
                    type_phrase(cx.policy_type)
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "MISSING_PRINCIPAL";

    #[test]
    fn required_in_resource_trust_and_rcp() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "A", "Effect": "Deny", "Action": "s3:*", "Resource": "*"}]}"#;
        for ty in ["resource", "trust", "rcp"] {
            assert_eq!(spans_of(text, ty, CODE), [r#""A""#], "{ty}");
        }
        for ty in ["identity", "scp", "boundary", "session"] {
            assert!(findings_of(text, ty, CODE).is_empty(), "{ty}");
        }
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
