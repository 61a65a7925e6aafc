use crate::diagnostic::{Category, Fix};
use crate::fix::edit::insert_first_member;
use crate::policy::{POLICY_ELEMENTS, VERSION_2012};
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::structure::{document_anchor, has_element, root_members};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "MISSING_VERSION",
        category: Category::Warning,
        summary: "The policy has no `Version`.",
        explanation:
            "Without `Version`, IAM reads the policy with the 2008 language rules: policy \
            variables such as `${aws:username}` are then matched literally instead of being \
            replaced, which silently breaks statements that use them. Always start a policy with \
            `\"Version\": \"2012-10-17\"`; the fix inserts it as the first member, indented like \
            the rest of the document.",
        bad_example: r#"{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Document,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(root) = cx.policy.root else { return };
    if root.as_object().is_none() || has_element(root_members(cx), &["Version"], POLICY_ELEMENTS) {
        return;
    }
    let d = sink.report(
        document_anchor(cx),
        format!(
            "The policy has no `Version`, so IAM uses the 2008 language and does not replace policy variables. Add \"Version\": \"{VERSION_2012}\"."
        ),
    );
    if let Some(edit) =
        insert_first_member(cx.text, root, "Version", &format!("\"{VERSION_2012}\""))
    {
        d.fixes.push(Fix::safe(
            format!("Add \"Version\": \"{VERSION_2012}\""),
            vec![edit],
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "MISSING_VERSION";

    #[test]
    fn reports_at_the_opening_brace_and_fixes_with_indentation() {
        let text = "{\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]\n}";
        let found = findings_of(text, "identity", CODE);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].span, crate::span::Span::new(0, 1));
        let fixed = found[0].fixes[0].apply(text).unwrap();
        assert!(fixed.starts_with("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": ["));
        assert!(findings_of(&fixed, "identity", CODE).is_empty());
    }

    #[test]
    fn misspelt_version_is_left_to_the_element_rule() {
        let text = r#"{"version": "2012-10-17", "Statement": []}"#;
        assert!(findings_of(text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
