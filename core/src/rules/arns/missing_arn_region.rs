use crate::arn::ResourcePattern;
use crate::catalog::ArnTemplate;
use crate::diagnostic::Category;
use crate::rules::support::arns::{describe_formats, known_templates, parsed_arns, part_span};
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "MISSING_ARN_REGION",
        category: Category::Error,
        summary: "An ARN leaves the Region empty where the resource's ARNs always have one.",
        explanation: "Most services put the Region in their ARNs (`arn:aws:sqs:us-east-1:...`). \
            When the Region field is empty but every matching resource type of the service has a \
            Region, the ARN matches no resource. Fill in the Region, or `*` for any Region. \
            iamlint decides this from the catalog's ARN formats.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs::111122223333:orders"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:*:111122223333:orders"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for (entry, arn) in parsed_arns(cx) {
        if !arn.region.is_empty() {
            continue;
        }
        let Some(templates) = known_templates(cx, arn) else {
            continue;
        };
        // Most ARNs without a Region are of services whose formats have none (S3, IAM): ask
        // about those formats first, and collect the fitting ones only for a finding.
        let ours = ResourcePattern::new(arn.resource.value);
        if templates
            .iter()
            .any(|t| t.region().is_empty() && ours.may_overlap(t.pattern()))
        {
            continue;
        }
        let fits: Vec<ArnTemplate<'_>> = templates
            .iter()
            .filter(|t| ours.may_overlap(t.pattern()))
            .collect();
        if fits.is_empty() {
            continue;
        }
        sink.report(
            part_span(cx, &entry.item, arn.region),
            format!(
                "The Region field is empty, but {} ARNs of this kind always name a Region ({}), \
                 so this ARN matches no resource. Fill in a Region code, or \"*\" for any Region.",
                fits[0].resource_type().service().name(),
                describe_formats(&fits, 2)
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn flags_the_empty_region_between_its_colons() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "sqs:*", "Resource": "arn:aws:sqs::111122223333:orders"}]}"#;
        assert_eq!(spans_of(text, "identity", "MISSING_ARN_REGION"), ["::"]);
    }

    #[test]
    fn global_resources_and_filled_regions_pass() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": ["arn:aws:s3:::b", "arn:aws:iam::111122223333:role/r", "arn:aws:sqs:us-east-1:111122223333:orders", "arn:aws:sqs:*:111122223333:orders"]}]}"#;
        assert!(findings_of(text, "identity", "MISSING_ARN_REGION").is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
