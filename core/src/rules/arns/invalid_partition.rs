use crate::arn::PARTITIONS;
use crate::diagnostic::{Category, Fix};
use crate::rules::support::arns::{parsed_arns, part_span, replace_part};
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};
use crate::suggest::did_you_mean;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "INVALID_PARTITION",
        category: Category::Error,
        summary: "The partition field of an ARN is not an AWS partition.",
        explanation: "The second field of an ARN names the partition: `aws` for the commercial \
            Regions, `aws-cn` for China, `aws-us-gov` for GovCloud (US), `aws-iso`, `aws-iso-b`, \
            `aws-iso-e` and `aws-iso-f` for the isolated Regions, and `aws-eusc` for the European \
            Sovereign Cloud. Any other value matches no resource. Write `*` in this field if \
            the policy must work in several partitions.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:amazon:s3:::amzn-s3-demo-bucket"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws-cn:s3:::amzn-s3-demo-bucket"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for (entry, arn) in parsed_arns(cx) {
        let partition = arn.partition;
        if partition.is_pattern() || PARTITIONS.contains(&partition.value) {
            continue;
        }
        let suggestion = did_you_mean(partition.value, PARTITIONS.iter().copied())
            .filter(|_| !partition.value.is_empty());
        let hint = match suggestion {
            Some(s) => format!(" Did you mean \"{s}\"?"),
            None => " Use aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f or \
                     aws-eusc."
                .to_string(),
        };
        let shown = if partition.is_empty() {
            "The partition is empty".to_string()
        } else {
            format!("\"{}\" is not an AWS partition", partition.value)
        };
        let d = sink.report(
            part_span(cx, &entry.item, partition),
            format!("{shown}, so this ARN matches no resource.{hint}"),
        );
        if let Some(s) = suggestion {
            d.fixes.push(Fix::safe(
                format!("Change the partition to \"{s}\""),
                vec![replace_part(cx, &entry.item, partition, s)],
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn flags_the_partition_field() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": ["arn:AWS:s3:::b", "arn:amazon:s3:::b", "arn::s3:::b"]}]}"#;
        let found = findings_of(text, "identity", "INVALID_PARTITION");
        let spans: Vec<&str> = found.iter().map(|d| d.span.slice(text)).collect();
        assert_eq!(spans, ["AWS", "amazon", "::"]);
        let fixed = found[0].fixes[0].apply(text).unwrap();
        assert!(fixed.contains(r#""arn:aws:s3:::b""#));
    }

    #[test]
    fn real_partitions_and_wildcards_pass() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": ["arn:aws-us-gov:s3:::b", "arn:aws-eusc:s3:::b", "arn:aws-iso-f:s3:::b", "arn:*:s3:::b", "arn:${aws:Partition}:s3:::b"]}]}"#;
        assert!(findings_of(text, "identity", "INVALID_PARTITION").is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
