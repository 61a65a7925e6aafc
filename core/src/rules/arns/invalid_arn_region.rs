use crate::arn::{partition_of_region, PARTITIONS};
use crate::diagnostic::Category;
use crate::rules::support::arns::{candidates, known_templates, parsed_arns, part_span};
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "INVALID_ARN_REGION",
        category: Category::Error,
        summary: "The Region field of an ARN is not a Region of its partition.",
        explanation: "The fourth field of an ARN is a Region code such as `us-east-1` or \
            `eu-west-3`, written in lower case, and it must belong to the ARN's partition \
            (`cn-north-1` is only in `aws-cn`). A misspelt Region, such as `us-east` or \
            `US-EAST-1`, matches no resource. Use `*` for any Region.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east:111122223333:orders"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:111122223333:orders"}]}"#,
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
        // Where the service's ARNs have no Region at all, ARN_REGION_NOT_ALLOWED says so.
        if let Some(templates) = known_templates(cx, arn) {
            let fits = candidates(arn, templates);
            if !fits.is_empty() && fits.iter().all(|t| t.region().is_empty()) {
                continue;
            }
        }
        let message = match partition_of_region(region.value) {
            None => format!(
                "\"{}\" is not a Region code (Region codes look like \"us-east-1\" or \
                 \"ap-southeast-2\", in lower case), so this ARN matches no resource. Use a \
                 Region code, or \"*\" for any Region.",
                region.value
            ),
            Some(home)
                if !arn.partition.is_pattern()
                    && PARTITIONS.contains(&arn.partition.value)
                    && home != arn.partition.value =>
            {
                format!(
                    "The Region \"{}\" belongs to the partition \"{home}\", not \"{}\", so this \
                     ARN matches no resource. Fix the partition or the Region.",
                    region.value, arn.partition.value
                )
            }
            Some(_) => continue,
        };
        sink.report(part_span(cx, &entry.item, region), message);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn flags_malformed_and_foreign_regions() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "sqs:*", "Resource": ["arn:aws:sqs:us-east:111122223333:q", "arn:aws:sqs:US-EAST-1:111122223333:q", "arn:aws:sqs:cn-north-1:111122223333:q"]}]}"#;
        assert_eq!(
            spans_of(text, "identity", "INVALID_ARN_REGION"),
            ["us-east", "US-EAST-1", "cn-north-1"]
        );
    }

    #[test]
    fn real_regions_wildcards_and_empty_pass() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "sqs:*", "Resource": ["arn:aws:sqs:eu-west-3:111122223333:q", "arn:aws-cn:sqs:cn-north-1:111122223333:q", "arn:aws:sqs:us-*:111122223333:q", "arn:aws:sqs:${aws:RequestedRegion}:111122223333:q", "arn:aws:s3:::b", "arn:*:sqs:cn-north-1:111122223333:q"]}]}"#;
        assert!(findings_of(text, "identity", "INVALID_ARN_REGION").is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
