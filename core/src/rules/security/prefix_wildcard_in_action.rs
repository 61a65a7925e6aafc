use crate::diagnostic::Category;
use crate::fix::narrow::prefix_wildcard_fix;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};
use crate::wildcard::has_wildcard;

use crate::rules::support::outside::{grantee, least_privilege_scope};
use crate::rules::support::security::push_access_summary;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PREFIX_WILDCARD_IN_ACTION",
        category: Category::Warning,
        summary: "An Allow statement uses an action pattern (such as `<service>:Put*`) that \
            matches several actions.",
        explanation: "A pattern such as `s3:Put*` or `ec2:*Instances` matches every action with \
            that shape, often more than the name suggests (`s3:Put*` includes \
            `s3:PutBucketPolicy`), and grows when AWS adds actions. iamlint lists how many actions \
            and which access levels it matches; the fix spells them out so you can delete the \
            ones you do not need. In a resource or trust policy the finding applies to \
            statements that let in anyone or another account.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:Delete*", "Resource": "arn:aws:sqs:us-east-1:111122223333:jobs"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:DeleteMessage", "Resource": "arn:aws:sqs:us-east-1:111122223333:jobs"}]}"#,
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
        let expanded = cx.expanded_actions(st);
        for (index, item) in list.items.iter().enumerate() {
            let actions = expanded.item(index);
            // One match is no broader than naming it. Asked first: a plain name matches one
            // action at most, so most items stop here without a look at their text.
            if actions.len() < 2 {
                continue;
            }
            let Some((prefix, name)) = item.value.split_once(':') else {
                continue;
            };
            if name == "*" || !has_wildcard(name) || has_wildcard(prefix) {
                continue;
            }
            let mut message = String::with_capacity(item.value.len() + to.len() + 96);
            message.push_str(item.value);
            message.push_str(" grants");
            message.push_str(&to);
            message.push(' ');
            push_access_summary(&mut message, actions);
            message.push_str("; list the ones you need");
            let d = sink.report(item.span(), message);
            d.review_fixes_with(|| {
                // Found on the first finding of either rule: most lists have no wildcard.
                let listed = cx.action_items(st)?;
                prefix_wildcard_fix(cx.layout(), list, index, actions, listed)
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "PREFIX_WILDCARD_IN_ACTION";

    #[test]
    fn points_at_the_pattern_and_spells_it_out() {
        let text = super::RULE.meta.bad_example;
        let found = findings_of(text, "identity", CODE);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].span.slice(text), "\"sqs:Delete*\"");
        let fixed = found[0].fixes[0].apply(text).unwrap();
        assert!(
            fixed.contains("\"sqs:DeleteMessage\"") && fixed.contains("\"sqs:DeleteQueue\""),
            "{fixed}"
        );
        assert!(findings_of(&fixed, "identity", CODE).is_empty());
    }

    #[test]
    fn a_named_action_or_a_service_wildcard_does_not_fire() {
        assert!(findings_of(super::RULE.meta.good_example, "identity", CODE).is_empty());
        let service = super::RULE.meta.bad_example.replace("sqs:Delete*", "sqs:*");
        assert!(findings_of(&service, "identity", CODE).is_empty());
    }

    #[test]
    fn access_levels_count_in_catalog_order() {
        use crate::catalog::AccessLevel;
        for (i, level) in AccessLevel::ALL.iter().enumerate() {
            assert_eq!(*level as usize, i);
        }
        let found = findings_of(super::RULE.meta.bad_example, "identity", CODE);
        assert!(
            found[0].message.contains(" actions: ") && found[0].message.contains(" Write"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn resource_policies_granting_outside_the_account_fire() {
        let other = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "sqs:Delete*", "Resource": "arn:aws:sqs:us-east-1:111122223333:jobs"}]}"#;
        let found = findings_of(other, "resource", CODE);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].message.contains("grants to account 444455556666"),
            "{}",
            found[0].message
        );
        let own = other.replace("444455556666", "111122223333");
        assert!(findings_of(&own, "resource", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
