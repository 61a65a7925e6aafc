use crate::diagnostic::{Category, Fix};
use crate::rules::support::arns::{
    candidates, describe_formats, known_templates, parsed_arns, part_span, replace_part,
};
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "ARN_ACCOUNT_NOT_ALLOWED",
        category: Category::Error,
        summary: "An ARN names an account where the resource's ARNs never have one.",
        explanation: "Some ARNs leave the account field empty, most famously S3 buckets and \
            objects (`arn:aws:s3:::amzn-s3-demo-bucket/*`), because their names are unique \
            across accounts. An ARN that puts an account ID there matches no resource. Remove \
            the account, keeping both colons; to limit access to buckets of one account, use \
            the `aws:ResourceAccount` condition key instead. The fix is marked for review because \
            it makes the statement apply where it applied nowhere before.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3::111122223333:amzn-s3-demo-bucket/*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for (entry, arn) in parsed_arns(cx) {
        let account = arn.account;
        if account.is_empty() || account.is_pattern() {
            continue;
        }
        let Some(templates) = known_templates(cx, arn) else {
            continue;
        };
        let fits = candidates(arn, templates);
        if fits.is_empty() || fits.iter().any(|t| !t.account().is_empty()) {
            continue;
        }
        let d = sink.report(
            part_span(cx, &entry.item, account),
            format!(
                "{} ARNs of this kind have no account field ({}), so with \"{}\" here this ARN \
                 matches no resource. Leave the account empty; to restrict the owning account, \
                 add a condition on aws:ResourceAccount.",
                fits[0].resource_type().service().name(),
                describe_formats(&fits, 2),
                account.value
            ),
        );
        d.fixes.push(Fix::review(
            "Remove the account",
            vec![replace_part(cx, &entry.item, account, "")],
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn flags_accounts_in_bucket_arns() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": ["arn:aws:s3::111122223333:b", "arn:aws:s3::111122223333:b/*"]}]}"#;
        let found = findings_of(text, "identity", "ARN_ACCOUNT_NOT_ALLOWED");
        let spans: Vec<&str> = found.iter().map(|d| d.span.slice(text)).collect();
        assert_eq!(spans, ["111122223333", "111122223333"]);
        let fixed = found[0].fixes[0].apply(text).unwrap();
        assert!(fixed.contains(r#""arn:aws:s3:::b""#));
    }

    #[test]
    fn resources_with_accounts_pass() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": ["arn:aws:s3:::b/*", "arn:aws:s3:us-east-1:111122223333:accesspoint/ap", "arn:aws:s3::*:b", "arn:aws:iam::111122223333:role/r"]}]}"#;
        assert!(findings_of(text, "identity", "ARN_ACCOUNT_NOT_ALLOWED").is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
