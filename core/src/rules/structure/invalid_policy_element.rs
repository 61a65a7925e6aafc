use crate::diagnostic::{Category, Fix};
use crate::policy::{POLICY_ELEMENTS, STATEMENT_ELEMENTS};
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};
use crate::syntax::Member;

use crate::rules::support::structure::{closest_name, rename_key, root_members};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "INVALID_POLICY_ELEMENT",
        category: Category::Error,
        summary: "The policy or a statement contains an element IAM does not know.",
        explanation: "A policy may contain only `Version`, `Id` and `Statement`; a statement only \
            `Sid`, `Effect`, `Principal`, `NotPrincipal`, `Action`, `NotAction`, `Resource`, \
            `NotResource` and `Condition`. Element names are case-sensitive, so `effect` or \
            `Actions` is an unknown element and IAM rejects the policy. When the name is a \
            misspelling or a different case of a real element, the fix renames it (unless the \
            real element is already present, which would create a duplicate).",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Split,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    let top = root_members(cx);
    for member in top {
        let key = member.key.value.as_str();
        if POLICY_ELEMENTS.contains(&key) {
            continue;
        }
        if STATEMENT_ELEMENTS.contains(&key) {
            sink.report(
                member.key.span,
                format!(
                    "`{key}` belongs inside a statement, not at the top of the policy. Move it into an object in the `Statement` array."
                ),
            );
            continue;
        }
        report_unknown(
            member,
            &present(top, POLICY_ELEMENTS),
            POLICY_ELEMENTS,
            "the policy",
            sink,
        );
    }
    for st in &cx.policy.statements {
        let members = st.node.as_object().unwrap_or(&[]);
        let legal = present(members, STATEMENT_ELEMENTS);
        for member in members {
            if STATEMENT_ELEMENTS.contains(&member.key.value.as_str()) {
                continue;
            }
            report_unknown(member, &legal, STATEMENT_ELEMENTS, "a statement", sink);
        }
    }
}

/// The legal element names an object already has (computed once, so huge objects stay linear).
fn present(members: &[Member], names: &'static [&'static str]) -> Vec<&'static str> {
    names
        .iter()
        .copied()
        .filter(|n| members.iter().any(|m| m.key.value == *n))
        .collect()
}

fn report_unknown(
    member: &Member,
    present: &[&str],
    names: &'static [&'static str],
    place: &str,
    sink: &mut Sink<'_>,
) {
    let key = member.key.value.as_str();
    let allowed = names.join(", ");
    match closest_name(key, names) {
        Some(name) => {
            let taken = present.contains(&name);
            let d = sink.report(
                member.key.span,
                format!(
                    "`{key}` is not a valid element of {place}; element names are case-sensitive. Did you mean `{name}`?"
                ),
            );
            if !taken {
                d.fixes.push(Fix::safe(
                    format!("Rename to `{name}`"),
                    vec![rename_key(&member.key, name)],
                ));
            }
        }
        None => {
            sink.report(
                member.key.span,
                format!("`{key}` is not a valid element of {place}. Allowed elements: {allowed}."),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "INVALID_POLICY_ELEMENT";

    #[test]
    fn reports_unknown_keys_with_rename_fixes() {
        let text = r#"{"Version": "2012-10-17", "Comment": "x", "Statement": [{"effect": "Allow", "Actions": "s3:GetObject", "Resource": "*", "Resorce": "*"}]}"#;
        let found = findings_of(text, "identity", CODE);
        let spans: Vec<&str> = found.iter().map(|d| d.span.slice(text)).collect();
        assert_eq!(
            spans,
            [
                r#""Comment""#,
                r#""effect""#,
                r#""Actions""#,
                r#""Resorce""#
            ]
        );
        assert!(found[0].fixes.is_empty());
        let fixed = found[1].fixes[0].apply(text).unwrap();
        assert!(fixed.contains(r#"{"Effect": "Allow""#));
        assert!(found[2].fixes[0]
            .apply(text)
            .unwrap()
            .contains(r#""Action": "s3:GetObject""#));
        // Resource is already there: renaming would duplicate it, so no fix.
        assert!(found[3].fixes.is_empty());
    }

    #[test]
    fn statement_element_at_the_top() {
        let text = r#"{"Version": "2012-10-17", "Effect": "Allow", "Statement": []}"#;
        assert_eq!(spans_of(text, "identity", CODE), [r#""Effect""#]);
    }

    #[test]
    fn all_legal_elements_pass() {
        let text = r#"{"Version": "2012-10-17", "Id": "p", "Statement": [{"Sid": "A", "Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"}, "NotAction": "s3:*", "NotResource": "*", "Condition": {}}]}"#;
        assert!(findings_of(text, "resource", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
