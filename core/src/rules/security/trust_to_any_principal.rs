use crate::diagnostic::Category;
use crate::fix::narrow::add_condition_fix;
use crate::policy::PolicyType;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::outside::anyone_span;
use crate::rules::support::security::{restricting_entry, CALLER_LIMITING_KEYS};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "TRUST_TO_ANY_PRINCIPAL",
        category: Category::Security,
        summary: "A role's trust policy lets any AWS principal, in any account, assume the role.",
        explanation: "`{\"AWS\": \"*\"}` in a trust policy means every IAM user and role of every \
            AWS account. Unless a condition limits the caller to your organisation or to named \
            principals (`aws:PrincipalOrgID`, `aws:PrincipalAccount`, `aws:PrincipalArn`) with a \
            positive operator, anyone on AWS can assume the role and use its permissions.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]}"#,
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
        if !st.is_allow() || restricting_entry(st, CALLER_LIMITING_KEYS).is_some() {
            continue;
        }
        let Some(span) = anyone_span(st) else {
            continue;
        };
        let d = sink.report(
            span,
            "Any principal in any AWS account can assume this role; add a condition on \
             aws:PrincipalOrgID or aws:PrincipalArn, or name the principals",
        );
        if let Some(fix) = add_condition_fix(
            cx.text,
            st,
            "Limit the role to your organisation (fill in the organisation id)",
            &[("StringEquals", "aws:PrincipalOrgID", "o-ORGANIZATION_ID")],
        ) {
            d.fixes.push(fix);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "TRUST_TO_ANY_PRINCIPAL";

    #[test]
    fn points_at_the_star() {
        let text = super::RULE.meta.bad_example;
        assert_eq!(spans_of(text, "trust", CODE), vec!["\"*\""]);
        let found = findings_of(text, "trust", CODE);
        let fixed = found[0].fixes[0].apply(text).unwrap();
        assert!(findings_of(&fixed, "trust", CODE).is_empty());
    }

    #[test]
    fn org_condition_does_not_fire() {
        assert!(findings_of(super::RULE.meta.good_example, "trust", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
