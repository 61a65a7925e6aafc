use crate::diagnostic::{Category, Fix};
use crate::rules::support::structure::replace_with_string;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};
use crate::wildcard::has_wildcard;

use crate::rules::support::principals::{is_service_principal, parse_arn, principal_values};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "INVALID_SERVICE_PRINCIPAL_FORMAT",
        category: Category::Error,
        summary: "A `Service` principal is not a service principal name.",
        explanation: "AWS services are named as principals by their lowercase service principal \
            name, `{service}.amazonaws.com` (for example `lambda.amazonaws.com`; a few services \
            use other domains such as `.amazonaws.com.cn` or `.amazon.com`). A bare service \
            prefix, an ARN or a name with capitals does not match any service. The fix lowercases \
            the name, or (to review) completes a bare prefix such as `lambda`.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda"}, "Action": "sts:AssumeRole"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#,
        example_type: ExampleType::Trust,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for pv in principal_values(&cx.policy.statements) {
        let value = pv.item.value;
        if pv.kind.value != "Service" || has_wildcard(value) || is_service_principal(value) {
            continue;
        }
        let lower = value.trim().to_ascii_lowercase();
        let is_prefix = !lower.is_empty()
            && lower
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        let message = if parse_arn(value).is_some() {
            format!("\"{value}\" is an ARN; `Service` takes a service principal name such as lambda.amazonaws.com (put account, user and role ARNs under `AWS`).")
        } else {
            format!("\"{value}\" is not a service principal name; use the form service-name.amazonaws.com, e.g. lambda.amazonaws.com.")
        };
        let d = sink.report(pv.item.inner_span(), message);
        if is_service_principal(&lower) {
            d.fixes.push(Fix::safe(
                format!("Change to \"{lower}\""),
                vec![replace_with_string(pv.item.node, &lower)],
            ));
        } else if is_prefix {
            let full = format!("{lower}.amazonaws.com");
            d.fixes.push(Fix::review(
                format!("Change to \"{full}\""),
                vec![replace_with_string(pv.item.node, &full)],
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Safety;
    use crate::rules::testing::*;

    const CODE: &str = "INVALID_SERVICE_PRINCIPAL_FORMAT";

    #[test]
    fn malformed_service_principals() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": ["EC2.amazonaws.com", "lambda", "arn:aws:iam::111122223333:role/R"]}, "Action": "sts:AssumeRole"}]}"#;
        let found = findings_of(text, "trust", CODE);
        let spans: Vec<&str> = found.iter().map(|d| d.span.slice(text)).collect();
        assert_eq!(
            spans,
            [
                "EC2.amazonaws.com",
                "lambda",
                "arn:aws:iam::111122223333:role/R"
            ]
        );
        assert_eq!(found[0].fixes[0].safety, Safety::Safe);
        assert!(found[0].fixes[0]
            .apply(text)
            .unwrap()
            .contains(r#"["ec2.amazonaws.com""#));
        assert_eq!(found[1].fixes[0].safety, Safety::Review);
        assert!(found[1].fixes[0]
            .apply(text)
            .unwrap()
            .contains(r#""lambda.amazonaws.com""#));
        assert!(found[2].fixes.is_empty());
    }

    #[test]
    fn real_service_principals_pass() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": ["ec2.amazonaws.com", "states.us-east-1.amazonaws.com", "alexa-appkit.amazon.com"]}, "Action": "sts:AssumeRole"}]}"#;
        assert!(findings_of(text, "trust", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
