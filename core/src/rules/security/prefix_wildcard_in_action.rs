use crate::diagnostic::Category;
use crate::fix::narrow::{lowercase_items, prefix_wildcard_fix};
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Sink};

use super::common::{access_summary, has_wildcard, is_identity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PREFIX_WILDCARD_IN_ACTION",
        category: Category::Warning,
        summary:
            "An Allow statement uses an action pattern (`s3:Put*`) that matches several actions.",
        explanation: "A pattern such as `s3:Put*` or `ec2:*Instances` matches every action with \
            that shape, often more than the name suggests (`s3:Put*` includes \
            `s3:PutBucketPolicy`), and grows when AWS adds actions. iamlint lists how many actions \
            and which access levels it matches; the fix spells them out so you can delete the \
            ones you do not need.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:Delete*", "Resource": "arn:aws:sqs:us-east-1:111122223333:jobs"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:DeleteMessage", "Resource": "arn:aws:sqs:us-east-1:111122223333:jobs"}]}"#,
        example_type: ExampleType::Identity,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    if !is_identity(cx.policy_type) {
        return;
    }
    for st in &cx.policy.statements {
        if !st.is_allow() {
            continue;
        }
        let Some(list) = &st.action else { continue };
        // Built on the first finding: most lists have no pattern at all.
        let mut known = None;
        for (index, item) in list.items.iter().enumerate() {
            let Some((prefix, name)) = item.value.split_once(':') else {
                continue;
            };
            if has_wildcard(prefix) || name == "*" || !has_wildcard(name) {
                continue;
            }
            let actions = cx.expanded_actions(st).item(index);
            // One match is no broader than naming it.
            if actions.len() < 2 {
                continue;
            }
            let d = sink.report(
                item.span(),
                format!(
                    "{} grants {}; list the ones you need",
                    item.value,
                    access_summary(actions)
                ),
            );
            let known = known.get_or_insert_with(|| lowercase_items(list));
            if let Some(fix) = prefix_wildcard_fix(cx, list, index, actions, known) {
                d.fixes.push(fix);
            }
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
    fn examples() {
        check_examples(&super::RULE);
    }
}
