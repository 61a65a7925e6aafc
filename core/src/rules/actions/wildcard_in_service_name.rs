use crate::diagnostic::Category;
use crate::rules::support::actions::{action_items, split_action, sub_span};
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "WILDCARD_IN_SERVICE_NAME",
        category: Category::Suggestion,
        summary: "An action uses a wildcard in the service prefix.",
        explanation: "A wildcard in the service prefix (`s3*:Get*`, `*:List*`) matches every \
            service whose prefix fits, including services that do not exist yet, so the grant can \
            reach much further than intended. Name the services explicitly, one entry each.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3*:GetObject", "Resource": "*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for entry in action_items(cx) {
        let Some(parts) = split_action(entry.item.value) else {
            continue;
        };
        if !parts.prefix.bytes().any(|b| b == b'*' || b == b'?') {
            continue;
        }
        // `*` (the usual case) reaches every service: no need to match each prefix.
        let all_stars = parts.prefix.bytes().all(|b| b == b'*');
        let reach: Vec<&str> = cx
            .catalog
            .services()
            .map(|s| s.prefix())
            .filter(|p| all_stars || crate::wildcard::action_matches(parts.prefix, p))
            .collect();
        let known = match reach.len() {
            0 => String::new(),
            1 => format!(" Today it matches the service \"{}\".", reach[0]),
            n if n <= 5 => format!(" Today it matches {n} services: {}.", reach.join(", ")),
            n => format!(
                " Today it matches {n} services, among them {}.",
                reach[..5].join(", ")
            ),
        };
        sink.report(
            sub_span(cx, &entry.item, parts.prefix_range),
            format!(
                "The service prefix \"{}\" has a wildcard, so \"{}\" applies to every matching \
                 service, including ones added later.{known} List the services you mean \
                 explicitly.",
                parts.prefix, entry.item.value
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn flags_the_prefix() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "*:List*"], "Resource": "*"}]}"#;
        assert_eq!(
            spans_of(text, "identity", "WILDCARD_IN_SERVICE_NAME"),
            ["*"]
        );
        let text =
            r#"{"Statement": [{"Effect": "Allow", "Action": "ec?:Describe*", "Resource": "*"}]}"#;
        assert_eq!(
            spans_of(text, "identity", "WILDCARD_IN_SERVICE_NAME"),
            ["ec?"]
        );
    }

    #[test]
    fn wildcard_in_the_action_name_or_alone_passes() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": ["*", "s3:*", "ec2:Describe*"], "Resource": "*"}]}"#;
        assert!(findings_of(text, "identity", "WILDCARD_IN_SERVICE_NAME").is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
