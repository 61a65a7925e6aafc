use crate::diagnostic::Category;
use crate::policy::{PolicyType, STATEMENT_ELEMENTS};
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::structure::{has_element, members, statement_anchor, type_phrase};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "MISSING_RESOURCE",
        category: Category::Error,
        summary: "A statement has neither `Resource` nor `NotResource`.",
        explanation: "Identity policies, permissions boundaries, session policies, resource \
            policies, SCPs and RCPs need `Resource` (or `NotResource`) in every statement; use \
            `\"Resource\": \"*\"` for actions that do not support resource-level permissions. \
            Role trust policies are the exception: the resource is the role itself, so they must \
            not name one (see ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE).",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    if *cx.policy_type == PolicyType::Trust {
        return;
    }
    for st in &cx.policy.statements {
        if !has_element(
            members(st.node),
            &["Resource", "NotResource"],
            STATEMENT_ELEMENTS,
        ) {
            sink.report(
                statement_anchor(st),
                format!(
                    "The {} has no `Resource` or `NotResource`, which {} requires. Name the resources' ARNs, or \"*\" for actions without resource-level permissions.",
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

    const CODE: &str = "MISSING_RESOURCE";

    #[test]
    fn required_outside_trust_policies() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}]}"#;
        for ty in ["identity", "resource", "scp", "rcp", "boundary", "session"] {
            assert_eq!(spans_of(text, ty, CODE), ["{"], "{ty}");
        }
        assert!(findings_of(text, "trust", CODE).is_empty());
    }

    #[test]
    fn not_resource_counts() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "NotResource": "arn:aws:s3:::b"}]}"#;
        assert!(findings_of(text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
