use crate::diagnostic::{Category, Fix, TextEdit};
use crate::policy::PolicyType;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};
use crate::span::Span;
use crate::syntax::quote::json_string;

use crate::wildcard::action_matches;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY",
        category: Category::Error,
        summary: "A trust statement for IAM Roles Anywhere lacks an action Roles Anywhere needs.",
        explanation: "IAM Roles Anywhere creates sessions by calling `sts:AssumeRole` together \
            with `sts:TagSession` (it tags the session with the certificate's attributes) and \
            `sts:SetSourceIdentity`. A statement trusting `rolesanywhere.amazonaws.com` must allow \
            all three, or workloads fail to get credentials. The fix (to review) adds the missing \
            actions.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "rolesanywhere.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "rolesanywhere.amazonaws.com"}, "Action": ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"]}]}"#,
        example_type: ExampleType::Trust,
        scope: Scope::Statement,
    },
    check,
};

const REQUIRED: [&str; 3] = ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"];

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    if *cx.policy_type != PolicyType::Trust {
        return;
    }
    for st in &cx.policy.statements {
        if !st.is_allow() {
            continue;
        }
        let Some(p) = &st.principal else { continue };
        if !p
            .values_of("Service")
            .any(|v| v.value == "rolesanywhere.amazonaws.com")
        {
            continue;
        }
        let Some(actions) = &st.action else { continue };
        let missing: Vec<&str> = REQUIRED
            .into_iter()
            .filter(|r| !actions.items.iter().any(|i| action_matches(i.value, r)))
            .collect();
        if missing.is_empty() {
            continue;
        }
        let Some(value) = actions.value() else {
            continue;
        };
        let d = sink.report(
            value.span,
            format!(
                "IAM Roles Anywhere also needs {} in this statement; without it sessions cannot be created.",
                missing.join(" and ")
            ),
        );
        let added: Vec<String> = missing.iter().map(|a| json_string(a)).collect();
        let edit = match actions.items.last() {
            Some(last) if actions.is_array => TextEdit {
                span: Span::empty(last.node.span.end),
                text: format!(", {}", added.join(", ")),
            },
            Some(only) if actions.invalid.is_empty() => TextEdit {
                span: value.span,
                text: format!("[{}, {}]", json_string(only.value), added.join(", ")),
            },
            _ => continue,
        };
        d.fixes.push(Fix::review(
            format!("Add {}", missing.join(", ")),
            vec![edit],
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY";

    #[test]
    fn missing_session_actions_are_added() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "rolesanywhere.amazonaws.com"}, "Action": ["sts:AssumeRole", "sts:TagSession"]}]}"#;
        let found = findings_of(text, "trust", CODE);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].span.slice(text),
            r#"["sts:AssumeRole", "sts:TagSession"]"#
        );
        let fixed = found[0].fixes[0].apply(text).unwrap();
        assert!(fixed.contains(r#"["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"]"#));
        assert!(findings_of(&fixed, "trust", CODE).is_empty());
    }

    #[test]
    fn wildcards_cover_the_actions() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "rolesanywhere.amazonaws.com"}, "Action": ["sts:AssumeRole", "sts:*Session", "sts:Set*"]}]}"#;
        assert!(findings_of(text, "trust", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
