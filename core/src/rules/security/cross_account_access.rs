use crate::diagnostic::Category;
use crate::policy::PolicyType;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::outside::own_accounts;
use crate::rules::support::security::{principal_account, restricting_entry};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "CROSS_ACCOUNT_ACCESS",
        category: Category::Warning,
        summary: "A resource policy grants access to principals in another AWS account.",
        explanation: "A principal from another account can use the resource with whatever that \
            account's administrators let it do. iamlint knows the resource's own account only when \
            the policy's Resource ARNs name one: then it reports the principals of other \
            accounts as warnings. When no ARN names an account (S3 buckets, `\"*\"`), it cannot \
            tell, and reports the accounts named as a suggestion to check that each is one you \
            trust. Conditions on `aws:PrincipalOrgID` / `aws:PrincipalOrgPaths` keep access inside \
            your organisation and silence the finding.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:111122223333:jobs"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/worker"}, "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:111122223333:jobs"}]}"#,
        example_type: ExampleType::Resource,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    if !matches!(cx.policy_type, PolicyType::Resource { .. }) {
        return;
    }
    // The resource's own account, if the policy's ARNs say it.
    let own = own_accounts(cx.whole_policy());
    for st in &cx.policy.statements {
        if !st.is_allow()
            || restricting_entry(st, &["aws:PrincipalOrgID", "aws:PrincipalOrgPaths"]).is_some()
        {
            continue;
        }
        let Some(principal) = &st.principal else {
            continue;
        };
        for value in principal.values_of("AWS") {
            let Some(account) = principal_account(value.value) else {
                continue;
            };
            if own.contains(account) {
                continue;
            }
            if own.is_empty() {
                let d = sink.report(
                    value.span(),
                    format!(
                        "Grants access to account {account}; the Resource ARNs name no account, so \
                         iamlint cannot tell whether it is this resource's own account: check that \
                         you trust {account}"
                    ),
                );
                d.category = Category::Suggestion;
            } else {
                let owners: Vec<&str> = own.iter().copied().collect();
                sink.report(
                    value.span(),
                    format!(
                        "Grants access to account {account}, which is not the account that owns these \
                         resources ({}); make sure {account} should have it, or limit it with \
                         aws:PrincipalOrgID",
                        owners.join(", ")
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Category;
    use crate::rules::testing::*;

    const CODE: &str = "CROSS_ACCOUNT_ACCESS";

    #[test]
    fn points_at_the_other_account_and_names_both() {
        let text = super::RULE.meta.bad_example;
        let found = findings_of(text, "resource", CODE);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].span.slice(text),
            "\"arn:aws:iam::444455556666:root\""
        );
        assert!(
            found[0].message.contains("444455556666") && found[0].message.contains("111122223333")
        );
        assert_eq!(found[0].category, Category::Warning);
    }

    #[test]
    fn unknown_own_account_is_only_a_suggestion() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#;
        let found = findings_of(text, "resource", CODE);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].category, Category::Suggestion);
        assert!(found[0].message.contains("cannot tell"));
    }

    #[test]
    fn same_account_or_org_condition_does_not_fire() {
        assert!(findings_of(super::RULE.meta.good_example, "resource", CODE).is_empty());
        let org = super::RULE.meta.bad_example.replace(
            r#""Resource": "arn:aws:sqs:us-east-1:111122223333:jobs""#,
            r#""Resource": "arn:aws:sqs:us-east-1:111122223333:jobs", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}"#,
        );
        assert!(findings_of(&org, "resource", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
