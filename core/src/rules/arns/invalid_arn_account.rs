use crate::diagnostic::Category;
use crate::rules::support::arns::{
    candidates, is_arn_account, known_templates, parsed_arns, part_span,
};
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "INVALID_ARN_ACCOUNT",
        category: Category::Error,
        summary: "The account field of an ARN is not a 12-digit account ID.",
        explanation: "The fifth field of an ARN is the owning account's ID: exactly twelve \
            digits, without dashes (`111122223333`, not `1111-2222-3333`). AWS-owned resources \
            such as managed policies use `aws`. Anything else, such as an account alias, matches \
            no resource. Use `*` for any account.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:1111-2222-3333:orders"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:111122223333:orders"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for (entry, arn) in parsed_arns(cx) {
        let account = arn.account;
        if account.is_empty() || account.is_pattern() || is_arn_account(account.value) {
            continue;
        }
        // Where the service's ARNs have no account, ARN_ACCOUNT_NOT_ALLOWED says so instead.
        if let Some(templates) = known_templates(cx, arn) {
            let fits = candidates(arn, templates);
            if !fits.is_empty() && fits.iter().all(|t| t.account().is_empty()) {
                continue;
            }
            // A word the service's own ARN form puts there (MediaConnect's offerings are
            // `arn:aws:mediaconnect:<region>:offering:<id>`) is not a mistake.
            if fits.iter().any(|t| t.account() == account.value) {
                continue;
            }
        }
        let digits = account.value.chars().filter(char::is_ascii_digit).count();
        let hint = if digits == 12 {
            let only: String = account.value.chars().filter(char::is_ascii_digit).collect();
            format!(" Write it as \"{only}\".")
        } else {
            " Use the 12-digit account ID (aliases do not work), or \"*\" for any account."
                .to_string()
        };
        sink.report(
            part_span(cx, &entry.item, account),
            format!(
                "\"{}\" is not an account ID: the account field of an ARN is exactly 12 digits, \
                 so this ARN matches no resource.{hint}",
                account.value
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn flags_the_account_field() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "sqs:*", "Resource": ["arn:aws:sqs:us-east-1:1111-2222-3333:q", "arn:aws:sqs:us-east-1:my-account:q", "arn:aws:sqs:us-east-1:12345:q"]}]}"#;
        let found = findings_of(text, "identity", "INVALID_ARN_ACCOUNT");
        let spans: Vec<&str> = found.iter().map(|d| d.span.slice(text)).collect();
        assert_eq!(spans, ["1111-2222-3333", "my-account", "12345"]);
        assert!(found[0].message.contains("\"111122223333\""));
    }

    #[test]
    fn ids_aws_wildcards_and_variables_pass() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": ["arn:aws:sqs:us-east-1:111122223333:q", "arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:sqs:us-east-1:*:q", "arn:aws:sqs:us-east-1:${aws:PrincipalAccount}:q", "arn:aws:ec2:us-east-1::image/ami-1"]}]}"#;
        assert!(findings_of(text, "identity", "INVALID_ARN_ACCOUNT").is_empty());
    }

    #[test]
    fn a_literal_of_the_services_own_arn_form_passes() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "mediaconnect:PurchaseOffering", "Resource": ["arn:aws:mediaconnect:us-east-1:offering:24ad9e1f-1111-2222-3333-444455556666", "arn:aws:mediaconnect:us-east-1:offerings:24ad9e1f"]}]}"#;
        let found = findings_of(text, "identity", "INVALID_ARN_ACCOUNT");
        let spans: Vec<&str> = found.iter().map(|d| d.span.slice(text)).collect();
        assert_eq!(spans, ["offerings"]);
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
