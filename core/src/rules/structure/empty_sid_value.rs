use crate::diagnostic::{Category, Fix};
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::structure::{members, remove_member};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "EMPTY_SID_VALUE",
        category: Category::Suggestion,
        summary: "A statement has an empty Sid.",
        explanation: "`\"Sid\": \"\"` names nothing. Give the statement a short descriptive name \
            (letters and digits) or remove the element; the fix removes it, which does not change \
            access.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Sid": "", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Sid": "ReadObjects", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for st in &cx.policy.statements {
        let list = members(st.node);
        for (i, m) in list.iter().enumerate() {
            if m.key.value != "Sid" {
                continue;
            }
            let Some(node) = &m.value else { continue };
            if node.as_str() != Some("") {
                continue;
            }
            let d = sink.report(
                node.span,
                "The Sid is empty. Name the statement (letters and digits only) or remove the Sid.",
            );
            if let Some(edit) = remove_member(list, i) {
                d.fixes.push(Fix::safe("Remove the empty Sid", vec![edit]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "EMPTY_SID_VALUE";

    #[test]
    fn empty_sid_is_reported_and_removed() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#;
        let found = findings_of(text, "identity", CODE);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].span.slice(text), r#""""#);
        let fixed = found[0].fixes[0].apply(text).unwrap();
        assert!(fixed.contains(r#"[{"Effect": "Allow""#));
    }

    #[test]
    fn whitespace_sid_is_not_empty() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "A", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#;
        assert!(findings_of(text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
