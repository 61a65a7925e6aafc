use std::collections::HashSet;

use crate::diagnostic::{Category, Fix};
use crate::fix::edit::remove_array_item;
use crate::policy::PolicyType;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};
use crate::syntax::Node;

use crate::rules::support::principals::parse_arn;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY",
        category: Category::Suggestion,
        summary: "A trust statement lists a role session as well as the role it belongs to.",
        explanation: "Trusting a role (`arn:aws:iam::111122223333:role/Builder`) already trusts \
            every session of that role, so also listing one of its sessions \
            (`arn:aws:sts::111122223333:assumed-role/Builder/ci`) adds nothing. Remove the session \
            ARN, or remove the role if you meant to trust only that session. The fix removes the \
            session, which does not change who can assume the role.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:role/Builder", "arn:aws:sts::111122223333:assumed-role/Builder/ci"]}, "Action": "sts:AssumeRole"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:role/Builder"]}, "Action": "sts:AssumeRole"}]}"#,
        example_type: ExampleType::Trust,
        scope: Scope::Statement,
    },
    check,
};

/// (partition, account, role name) of a role ARN.
fn role_of(value: &str) -> Option<(&str, &str, &str)> {
    let arn = parse_arn(value)?;
    let path = arn.resource.strip_prefix("role/")?;
    (arn.service == "iam").then(|| {
        (
            arn.partition,
            arn.account,
            path.rsplit('/').next().unwrap_or(path),
        )
    })
}

/// (partition, account, role name) of an assumed-role session ARN.
fn session_of(value: &str) -> Option<(&str, &str, &str)> {
    let arn = parse_arn(value)?;
    let rest = arn.resource.strip_prefix("assumed-role/")?;
    let (role, _session) = rest.split_once('/')?;
    (arn.service == "sts").then_some((arn.partition, arn.account, role))
}

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    if *cx.policy_type != PolicyType::Trust {
        return;
    }
    for st in &cx.policy.statements {
        let Some(p) = &st.principal else { continue };
        let roles: HashSet<(&str, &str, &str)> = p
            .values_of("AWS")
            .filter_map(|v| role_of(v.value))
            .collect();
        if roles.is_empty() {
            continue;
        }
        for entry in p.entries.iter().filter(|e| e.kind.value == "AWS") {
            let Some(value) = entry.values.value() else {
                continue;
            };
            // A single string or the strings of an array, with their index for the removal fix.
            let items: Vec<(Option<usize>, &Node)> = match value.as_array() {
                Some(array) => array
                    .iter()
                    .enumerate()
                    .map(|(i, n)| (Some(i), n))
                    .collect(),
                None => vec![(None, value)],
            };
            for (index, node) in items {
                let Some(session) = node.as_str().and_then(session_of) else {
                    continue;
                };
                if !roles.contains(&session) {
                    continue;
                }
                let d = sink.report(
                    node.inner_span(),
                    format!(
                        "This session of role {} is redundant: the statement already trusts the role, which covers all its sessions.",
                        session.2
                    ),
                );
                let edit = index.and_then(|i| remove_array_item(cx.text, value, i));
                if let Some(edit) = edit {
                    d.fixes
                        .push(Fix::safe("Remove the redundant session", vec![edit]));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY";

    #[test]
    fn session_next_to_its_role() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:sts::111122223333:assumed-role/Builder/ci", "arn:aws:iam::111122223333:role/team/Builder"]}, "Action": "sts:AssumeRole"}]}"#;
        let found = findings_of(text, "trust", CODE);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].span.slice(text),
            "arn:aws:sts::111122223333:assumed-role/Builder/ci"
        );
        let fixed = found[0].fixes[0].apply(text).unwrap();
        assert!(fixed.contains(r#""AWS": ["arn:aws:iam::111122223333:role/team/Builder"]"#));
    }

    #[test]
    fn session_of_another_role_or_account_is_kept() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:sts::444455556666:assumed-role/Builder/ci", "arn:aws:iam::111122223333:role/Builder"]}, "Action": "sts:AssumeRole"}]}"#;
        assert!(findings_of(text, "trust", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
