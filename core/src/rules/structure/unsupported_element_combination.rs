use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::structure::members;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "UNSUPPORTED_ELEMENT_COMBINATION",
        category: Category::Error,
        summary: "A statement has both an element and its `Not` form.",
        explanation: "`Action` and `NotAction`, `Resource` and `NotResource`, `Principal` and \
            `NotPrincipal` are alternatives: a statement uses one of each pair, never both, and \
            IAM rejects it otherwise. Keep the one you mean; to exclude a few items from a broad \
            grant, write a second statement with `Deny` instead.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "NotAction": "s3:DeleteBucket", "Resource": "*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotAction": "s3:DeleteBucket", "Resource": "*"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

const PAIRS: [(&str, &str); 3] = [
    ("Action", "NotAction"),
    ("Resource", "NotResource"),
    ("Principal", "NotPrincipal"),
];

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for st in &cx.policy.statements {
        let list = members(st.node);
        for (plain, not) in PAIRS {
            let Some(first) = list.iter().find(|m| m.key.value == plain) else {
                continue;
            };
            let Some(second) = list.iter().find(|m| m.key.value == not) else {
                continue;
            };
            let d = sink.report(
                second.key.span,
                format!(
                    "The {} has both `{plain}` and `{not}`; a statement may use only one of them. Remove one, or move the exceptions into a separate Deny statement.",
                    st.label()
                ),
            );
            d.related.push(crate::diagnostic::Related {
                span: first.key.span,
                message: format!("`{plain}` is here"),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "UNSUPPORTED_ELEMENT_COMBINATION";

    #[test]
    fn each_pair_is_reported_at_the_not_element() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:*", "NotAction": "s3:Get*", "Resource": "*", "NotResource": "arn:aws:s3:::b"}]}"#;
        let found = findings_of(text, "resource", CODE);
        let spans: Vec<&str> = found.iter().map(|d| d.span.slice(text)).collect();
        assert_eq!(
            spans,
            [r#""NotPrincipal""#, r#""NotAction""#, r#""NotResource""#]
        );
        assert_eq!(found[1].related[0].span.slice(text), r#""Action""#);
    }

    #[test]
    fn one_of_each_pair_is_fine() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"}, "NotAction": "s3:Get*", "Resource": "*"}]}"#;
        assert!(findings_of(text, "resource", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
