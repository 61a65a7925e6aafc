use crate::diagnostic::{Category, Fix, TextEdit};
use crate::rules::support::actions::{action_items, is_prefix_shaped, split_action, sub_span};
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};
use crate::span::Span;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "INVALID_SERVICE_IN_ACTION",
        category: Category::Error,
        summary: "An action is not written as `service:action`.",
        explanation: "Every action names a service prefix, a colon and the action name, such as \
            `s3:GetObject`. Without the colon, or with something before it that cannot be a \
            service prefix, the entry matches no action at all and the statement silently grants \
            or denies less than intended. iamlint suggests the split it recognises when the text \
            is a known service prefix followed by one of its actions.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3GetObject", "Resource": "*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for entry in action_items(cx) {
        let value = entry.item.value;
        if value == "*" {
            continue;
        }
        match split_action(value) {
            None => {
                let suggestion = recover_colon(cx, value);
                let hint = match &suggestion {
                    Some(fixed) => format!(" Did you mean \"{fixed}\"?"),
                    None => " Write it as <service prefix>:<action name>, for example \
                              \"s3:GetObject\"."
                        .to_string(),
                };
                let d = sink.report(
                    entry.item.inner_span(),
                    format!(
                        "\"{value}\" has no colon, so it is not a service:action pair and \
                         matches no action.{hint}"
                    ),
                );
                if let Some(fixed) = suggestion {
                    d.fixes.push(Fix::safe(
                        format!("Change to \"{fixed}\""),
                        vec![TextEdit {
                            span: entry.item.inner_span(),
                            text: fixed,
                        }],
                    ));
                }
            }
            Some(parts) if !is_prefix_shaped(parts.prefix) => {
                let span = if parts.prefix.is_empty() {
                    // Point at the lone colon.
                    sub_span(cx, &entry.item, Span::new(0, 1))
                } else {
                    sub_span(cx, &entry.item, parts.prefix_range)
                };
                let what = if parts.prefix.is_empty() {
                    "nothing".to_string()
                } else {
                    format!("\"{}\"", parts.prefix)
                };
                sink.report(
                    span,
                    format!(
                        "In \"{value}\" the part before the colon is {what}, which cannot be a \
                         service prefix (prefixes are letters, digits and dashes, like \"s3\" or \
                         \"ec2-instance-connect\"), so the entry matches no action."
                    ),
                );
            }
            Some(_) => {}
        }
    }
}

/// "s3GetObject" -> "s3:GetObject" when some service prefix followed by one of its actions
/// spells the text (the longest prefix wins: "ec2messages" before "ec2").
fn recover_colon(cx: &Context<'_>, value: &str) -> Option<String> {
    let lower = value.to_ascii_lowercase();
    let mut best: Option<(usize, String)> = None;
    for service in cx.catalog.services() {
        let prefix = service.prefix();
        if prefix.is_empty() || !lower.starts_with(prefix) || lower.len() == prefix.len() {
            continue;
        }
        let rest = value.get(prefix.len()..)?;
        if let Some(action) = service.action(rest) {
            if best.as_ref().is_none_or(|(len, _)| prefix.len() > *len) {
                best = Some((prefix.len(), format!("{}:{}", prefix, action.name())));
            }
        }
    }
    best.map(|(_, s)| s)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn flags_missing_colon_with_a_fix() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": ["s3:ListBucket", "s3GetObject"], "Resource": "*"}]}"#;
        let found = findings_of(text, "identity", "INVALID_SERVICE_IN_ACTION");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].span.slice(text), "s3GetObject");
        let fixed = found[0].fixes[0].apply(text).unwrap();
        assert!(fixed.contains(r#""s3:GetObject""#), "{fixed}");
    }

    #[test]
    fn flags_bad_prefix_at_the_prefix() {
        let text =
            r#"{"Statement": [{"Effect": "Allow", "Action": "s 3:GetObject", "Resource": "*"}]}"#;
        assert_eq!(
            spans_of(text, "identity", "INVALID_SERVICE_IN_ACTION"),
            ["s 3"]
        );
        let text =
            r#"{"Statement": [{"Effect": "Allow", "Action": ":GetObject", "Resource": "*"}]}"#;
        assert_eq!(
            spans_of(text, "identity", "INVALID_SERVICE_IN_ACTION"),
            [":"]
        );
    }

    #[test]
    fn well_formed_actions_and_star_pass() {
        let text = r#"{"Statement": [{"Effect": "Deny", "NotAction": ["*", "s3:Get*", "ec2-instance-connect:SendSSHPublicKey", "*:List*"], "Resource": "*"}]}"#;
        assert!(findings_of(text, "identity", "INVALID_SERVICE_IN_ACTION").is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
