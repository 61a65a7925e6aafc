use crate::diagnostic::{Category, Fix};
use crate::rules::support::arns::{parsed_arns, part_span, replace_part};
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "INVALID_ARN_SERVICE_CASE",
        category: Category::Error,
        summary: "The service field of an ARN is not in lower case.",
        explanation: "ARN service names are lower case (`s3`, `dynamodb`, `execute-api`) and ARNs \
            are compared case-sensitively, so `arn:aws:S3:::bucket` matches no resource. The fix \
            lowercases the service field.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:S3:::amzn-s3-demo-bucket"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for (entry, arn) in parsed_arns(cx) {
        let service = arn.service;
        if !service.value.chars().any(char::is_uppercase) || crate::arn::has_variable(service.value)
        {
            continue;
        }
        let lower = service.value.to_lowercase();
        let d = sink.report(
            part_span(cx, &entry.item, service),
            format!(
                "The service \"{}\" in this ARN must be lower case (\"{lower}\"); ARNs are \
                 compared case-sensitively, so as written it matches no resource.",
                service.value
            ),
        );
        d.fixes.push(Fix::safe(
            format!("Change \"{}\" to \"{lower}\"", service.value),
            vec![replace_part(cx, &entry.item, service, &lower)],
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn flags_the_service_field_with_a_fix() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "dynamodb:*", "Resource": "arn:aws:DynamoDB:us-east-1:111122223333:table/T"}]}"#;
        let found = findings_of(text, "identity", "INVALID_ARN_SERVICE_CASE");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].span.slice(text), "DynamoDB");
        let fixed = found[0].fixes[0].apply(text).unwrap();
        assert!(fixed.contains("arn:aws:dynamodb:us-east-1:111122223333:table/T"));
    }

    #[test]
    fn lower_case_services_and_upper_case_elsewhere_pass() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "dynamodb:*", "Resource": ["arn:aws:dynamodb:us-east-1:111122223333:table/MyTable", "arn:aws:s3:::b/UPPER"]}]}"#;
        assert!(findings_of(text, "identity", "INVALID_ARN_SERVICE_CASE").is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
