use crate::diagnostic::{Category, Fix};
use crate::rules::support::arns::{
    candidates, describe_formats, known_templates, parsed_arns, part_span, replace_part,
};
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "ARN_REGION_NOT_ALLOWED",
        category: Category::Error,
        summary: "An ARN names a Region where the resource's ARNs never have one.",
        explanation: "Some resources are global and their ARNs leave the Region empty: IAM \
            roles and users (`arn:aws:iam::111122223333:role/...`), S3 buckets and objects \
            (`arn:aws:s3:::bucket`). An ARN that puts a Region there matches no resource. Remove \
            the Region, keeping both colons. The fix is marked for review because it makes the \
            statement apply where it applied nowhere before.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:GetRole", "Resource": "arn:aws:iam:us-east-1:111122223333:role/app"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:GetRole", "Resource": "arn:aws:iam::111122223333:role/app"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for (entry, arn) in parsed_arns(cx) {
        let region = arn.region;
        if region.is_empty() || region.is_pattern() {
            continue;
        }
        let Some(templates) = known_templates(cx, arn) else {
            continue;
        };
        let fits = candidates(arn, templates);
        if fits.is_empty() || fits.iter().any(|t| !t.region().is_empty()) {
            continue;
        }
        let d = sink.report(
            part_span(cx, &entry.item, region),
            format!(
                "{} ARNs of this kind have no Region ({}), so with \"{}\" here this ARN matches \
                 no resource. Leave the Region field empty.",
                fits[0].resource_type().service().name(),
                describe_formats(&fits, 2),
                region.value
            ),
        );
        d.fixes.push(Fix::review(
            "Remove the Region",
            vec![replace_part(cx, &entry.item, region, "")],
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn flags_regions_in_global_arns() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": ["arn:aws:iam:us-east-1:111122223333:role/app", "arn:aws:s3:eu-west-1::b/*"]}]}"#;
        let found = findings_of(text, "identity", "ARN_REGION_NOT_ALLOWED");
        let spans: Vec<&str> = found.iter().map(|d| d.span.slice(text)).collect();
        assert_eq!(spans, ["us-east-1", "eu-west-1"]);
        let fixed = found[0].fixes[0].apply(text).unwrap();
        assert!(fixed.contains("arn:aws:iam::111122223333:role/app"));
    }

    #[test]
    fn regional_resources_and_wildcard_regions_pass() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": ["arn:aws:iam::111122223333:role/app", "arn:aws:iam:*:111122223333:role/app", "arn:aws:s3:us-east-1:111122223333:accesspoint/ap", "arn:aws:sqs:us-east-1:111122223333:q"]}]}"#;
        assert!(findings_of(text, "identity", "ARN_REGION_NOT_ALLOWED").is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
