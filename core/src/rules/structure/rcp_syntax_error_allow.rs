use crate::diagnostic::Category;
use crate::policy::{PolicyType, Statement};
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "RCP_SYNTAX_ERROR_ALLOW",
        category: Category::Error,
        summary: "An RCP statement uses `\"Effect\": \"Allow\"`.",
        explanation: "Resource control policies only restrict access: the one `Allow` statement \
            AWS Organizations accepts is the AWS-managed `RCPFullAWSAccess` policy (`\"Principal\": \
            \"*\"`, `\"Action\": \"*\"`, `\"Resource\": \"*\"`), which is attached everywhere \
            automatically. Your own RCPs must use `Deny` statements; write what should be \
            blocked, with conditions for the exceptions. That exact full-access statement is not \
            reported.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-abc123"}}}]}"#,
        example_type: ExampleType::Rcp,
        scope: Scope::Statement,
    },
    check,
};

/// The statement of RCPFullAWSAccess: Allow everyone every action on every resource.
fn is_full_access(st: &Statement<'_>) -> bool {
    let star = |list: &Option<crate::policy::StringList<'_>>| {
        list.as_ref()
            .is_some_and(|l| l.items.len() == 1 && l.invalid.is_empty() && l.items[0].value == "*")
    };
    st.principal.as_ref().is_some_and(|p| p.is_star)
        && star(&st.action)
        && star(&st.resource)
        && st.condition.is_none()
        && st.not_action.is_none()
        && st.not_resource.is_none()
}

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    if *cx.policy_type != PolicyType::Rcp {
        return;
    }
    for st in &cx.policy.statements {
        if !st.is_allow() || is_full_access(st) {
            continue;
        }
        let Some(node) = st.effect.and_then(|m| m.value.as_ref()) else {
            continue;
        };
        sink.report(
            node.span,
            "RCPs can only deny: \"Allow\" is reserved for the AWS-managed RCPFullAWSAccess policy. Rewrite this as a Deny statement for what should be blocked.",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "RCP_SYNTAX_ERROR_ALLOW";

    #[test]
    fn allow_in_rcp() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}]}"#;
        assert_eq!(spans_of(text, "rcp", CODE), [r#""Allow""#]);
        assert!(findings_of(text, "scp", CODE).is_empty());
    }

    #[test]
    fn the_full_access_policy_is_accepted() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}"#;
        assert!(findings_of(text, "rcp", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
