use crate::diagnostic::Category;
use crate::fix::narrow::service_wildcard_fixes;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::outside::{grantee, least_privilege_scope};
use crate::rules::support::security::push_access_summary;
use crate::wildcard::has_wildcard;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "SERVICE_WILDCARD_IN_ACTION",
        category: Category::Warning,
        summary: "An Allow statement grants every action of a service (`<service>:*`).",
        explanation: "A service wildcard grants every action of the service, at every access \
            level, including the permissions-management actions that change who else can use \
            the resources, and the actions AWS adds to the service later. iamlint says how many \
            actions and which access levels the wildcard covers; list the ones you need, or \
            apply one of the fixes that spell out the read-only, list-and-read or complete set. \
            In a resource or trust policy the finding applies to statements that let in anyone \
            or another account (one that the Resource ARNs do not name as the owner).",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:*", "Resource": "arn:aws:sqs:us-east-1:111122223333:jobs"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage"], "Resource": "arn:aws:sqs:us-east-1:111122223333:jobs"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(own) = least_privilege_scope(cx) else {
        return;
    };
    for st in &cx.policy.statements {
        if !st.is_allow() {
            continue;
        }
        let Some(to) = grantee(cx, st, &own) else {
            continue;
        };
        let Some(list) = &st.action else { continue };
        for (index, item) in list.items.iter().enumerate() {
            // `prefix:*` with a single `:` (what splitting at the first `:` and finding `*`
            // after it means), asked of the last two bytes first: most items end otherwise.
            let Some(prefix) = item.value.strip_suffix(":*") else {
                continue;
            };
            if prefix.contains(':') || has_wildcard(prefix) {
                continue;
            }
            let actions = cx.expanded_actions(st).item(index);
            if actions.is_empty() {
                continue;
            }
            let mut message = String::with_capacity(item.value.len() + to.len() + 160);
            message.push_str(item.value);
            message.push_str(" grants");
            message.push_str(&to);
            message.push(' ');
            push_access_summary(&mut message, actions);
            message.push_str(", and every ");
            message.push_str(prefix);
            message.push_str(
                " action added later; list the actions you need or apply a narrowing fix",
            );
            let d = sink.report(item.span(), message);
            d.review_fixes_with(|| {
                // Found on the first finding of either rule: most lists have no wildcard.
                cx.action_items(st)
                    .map(|listed| {
                        service_wildcard_fixes(cx.layout(), cx.catalog, list, index, prefix, listed)
                    })
                    .unwrap_or_default()
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "SERVICE_WILDCARD_IN_ACTION";

    #[test]
    fn points_at_the_wildcard_and_counts_access_levels() {
        let text = super::RULE.meta.bad_example;
        let found = findings_of(text, "identity", CODE);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].span.slice(text), "\"sqs:*\"");
        assert!(found[0].message.contains(" Write"), "{}", found[0].message);
        assert!(
            found[0].message.contains("Permissions management"),
            "{}",
            found[0].message
        );
        // SQS files ListQueues under Read, so "List and Read" is the same list as "Read" and is
        // not offered twice: read-only and everything.
        assert_eq!(found[0].fixes.len(), 2, "{:?}", found[0].fixes);
        let read_only = found[0].fixes[0].apply(text).unwrap();
        assert!(
            read_only.contains("sqs:ReceiveMessage") && !read_only.contains("sqs:DeleteQueue"),
            "{read_only}"
        );
        assert!(findings_of(&read_only, "identity", CODE).is_empty());
    }

    #[test]
    fn s3_gets_three_separate_fixes() {
        let text = "{\n    \"Version\": \"2012-10-17\",\n    \"Statement\": [\n        {\n            \"Effect\": \"Allow\",\n            \"Action\": [\n                \"s3:*\"\n            ],\n            \"Resource\": \"arn:aws:s3:::example-bucket\"\n        }\n    ]\n}";
        let found = findings_of(text, "identity", CODE);
        let titles: Vec<&str> = found[0].fixes.iter().map(|f| f.title.as_str()).collect();
        assert_eq!(titles.len(), 3, "{titles:?}");
        assert!(titles[2].contains("all "), "{titles:?}");
        let list_and_read = found[0].fixes[1].apply(text).unwrap();
        // One action per line, at the indentation the array already had.
        assert!(
            list_and_read.contains("\n                \"s3:ListBucket\",\n"),
            "{list_and_read}"
        );
        assert!(!list_and_read.contains("s3:PutObject"));
    }

    #[test]
    fn resource_policies_granting_outside_the_account_fire() {
        // Issue 12: a bucket policy giving s3:* to another account got no finding.
        let other = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "s3:*", "Resource": ["arn:aws:s3:::example-bucket", "arn:aws:s3:::example-bucket/*"]}]}"#;
        let found = findings_of(other, "resource", CODE);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].span.slice(other), "\"s3:*\"");
        assert!(
            found[0]
                .message
                .starts_with("s3:* grants to account 444455556666 "),
            "{}",
            found[0].message
        );
        let public = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sqs:*", "Resource": "arn:aws:sqs:us-east-1:111122223333:jobs"}]}"#;
        let found = findings_of(public, "resource", CODE);
        assert!(
            found[0].message.contains("grants to anyone"),
            "{}",
            found[0].message
        );
        // Close neighbours: the queue's own account, and a caller tied to the organisation.
        let own = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/worker"}, "Action": "sqs:*", "Resource": "arn:aws:sqs:us-east-1:111122223333:jobs"}]}"#;
        assert!(findings_of(own, "resource", CODE).is_empty());
        let org = public.replace(
            r#""Resource""#,
            r#""Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}, "Resource""#,
        );
        assert!(findings_of(&org, "resource", CODE).is_empty());
    }

    #[test]
    fn named_actions_do_not_fire() {
        assert!(findings_of(super::RULE.meta.good_example, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
