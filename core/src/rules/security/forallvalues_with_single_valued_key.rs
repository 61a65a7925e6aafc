use crate::diagnostic::{Category, Fix, TextEdit};
use crate::policy::SetQualifier;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};
use crate::syntax::quote::json_string;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "FORALLVALUES_WITH_SINGLE_VALUED_KEY",
        category: Category::Security,
        summary: "ForAllValues is used with a single-valued condition key, so the condition is also true when the key is missing.",
        explanation: "`ForAllValues:` asks whether every value in the request is in the list, and \
            a request without the key has no values, so the test passes. On a single-valued key \
            such as `aws:RequestedRegion` or `aws:PrincipalTag/team` the qualifier adds nothing \
            but that hole: an Allow meant to require the key also allows requests that lack it. \
            Use the operator without the qualifier.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*", "Condition": {"ForAllValues:StringEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-central-1"]}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*", "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["env", "team"]}}}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for st in &cx.policy.statements {
        if !st.is_allow() {
            continue;
        }
        for block in &st.conditions {
            let Some(op) = block.operator else { continue };
            if op.qualifier != Some(SetQualifier::ForAllValues) {
                continue;
            }
            let single: Vec<bool> = block
                .entries
                .iter()
                .map(|e| {
                    cx.catalog
                        .condition_key(&e.key.value)
                        .is_some_and(|k| !k.is_multivalued())
                })
                .collect();
            let plain = crate::policy::ConditionOperator {
                qualifier: None,
                ..op
            }
            .name();
            // The qualifier can be dropped when every key of the block is single-valued and no
            // sibling block already has the plain operator's name.
            let can_drop = single.iter().all(|s| *s)
                && !st.conditions.iter().any(|b| b.operator_key.value == plain);
            for (entry, _) in block.entries.iter().zip(&single).filter(|(_, s)| **s) {
                let d = sink.report(
                    entry.key.span,
                    format!(
                        "{} is single-valued: {} is also true when the request has no {}, so requests \
                         without it are allowed too; use {plain}",
                        entry.key.value,
                        op.name(),
                        entry.key.value
                    ),
                );
                if can_drop {
                    d.fixes.push(Fix::review(
                        format!("Use {plain} instead of {}", op.name()),
                        vec![TextEdit {
                            span: block.operator_key.span,
                            text: json_string(&plain),
                        }],
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "FORALLVALUES_WITH_SINGLE_VALUED_KEY";

    #[test]
    fn points_at_the_key_and_drops_the_qualifier() {
        let text = super::RULE.meta.bad_example;
        let found = findings_of(text, "identity", CODE);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].span.slice(text), "\"aws:RequestedRegion\"");
        let fixed = found[0].fixes[0].apply(text).unwrap();
        assert!(
            fixed.contains(r#"{"StringEquals": {"aws:RequestedRegion""#),
            "{fixed}"
        );
        assert!(findings_of(&fixed, "identity", CODE).is_empty());
    }

    #[test]
    fn multivalued_key_does_not_fire() {
        assert!(findings_of(super::RULE.meta.good_example, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
