use crate::diagnostic::{Category, Fix};
use crate::policy::PolicyType;
use crate::rules::support::structure::{members, remove_member};
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE",
        category: Category::Error,
        summary: "A role trust policy names a `Resource` or `NotResource`.",
        explanation: "The resource of a trust policy is the role it belongs to, so IAM rejects \
            `Resource` and `NotResource` there. Remove the element; to limit which roles a \
            principal may assume, write that in the principal's identity policy instead.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole", "Resource": "*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#,
        example_type: ExampleType::Trust,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    if *cx.policy_type != PolicyType::Trust {
        return;
    }
    for st in &cx.policy.statements {
        let list = members(st.node);
        for (i, m) in list.iter().enumerate() {
            let key = m.key.value.as_str();
            if key != "Resource" && key != "NotResource" {
                continue;
            }
            let d = sink.report(
                m.key.span,
                format!("Role trust policies cannot name a `{key}`: the resource is the role itself. Remove `{key}`."),
            );
            if let Some(edit) = remove_member(list, i) {
                d.fixes
                    .push(Fix::safe(format!("Remove `{key}`"), vec![edit]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE";

    #[test]
    fn resource_in_trust_policy_is_removed() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole", "Resource": "*"}]}"#;
        let found = findings_of(text, "trust", CODE);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].span.slice(text), r#""Resource""#);
        assert!(found[0].fixes[0]
            .apply(text)
            .unwrap()
            .contains(r#""sts:AssumeRole"}]"#));
        assert!(findings_of(text, "resource", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
