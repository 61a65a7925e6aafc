use crate::diagnostic::{Category, Fix};
use crate::rules::support::actions::data_note;
use crate::rules::support::arns::{
    fits_any, known_templates, parsed_arns, part_span, replace_part,
};
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};
use crate::suggest::did_you_mean;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "INVALID_ARN_RESOURCE",
        category: Category::Error,
        summary: "The resource part of an ARN names a resource type its service does not have.",
        explanation: "After the account, an ARN names the resource in a format its service \
            defines, such as `role/${RoleNameWithPath}` for IAM roles or \
            `table/${TableName}` for DynamoDB. A resource part that fits none of the service's \
            formats (for example `roles/app` instead of `role/app`) matches no resource. \
            iamlint compares concrete resource parts with the catalog's ARN formats and reports \
            the ones whose resource type (the word before the first `/` or `:`) the service does \
            not define; parts with wildcards or policy variables are not judged.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:GetRole", "Resource": "arn:aws:iam::111122223333:roles/app"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:GetRole", "Resource": "arn:aws:iam::111122223333:role/app"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for (entry, arn) in parsed_arns(cx) {
        let resource = arn.resource;
        if resource.is_empty() || resource.is_pattern() {
            continue;
        }
        let Some(templates) = known_templates(cx, arn) else {
            continue;
        };
        if fits_any(arn, templates) {
            continue;
        }
        // The catalog's formats are not always complete about what follows the resource type
        // (optional paths, ids AWS itself leaves out), so only an unknown resource type is an
        // error here: "roles/app" where IAM has "role/...".
        let token = type_token(resource.value);
        if templates.iter().any(|t| {
            let theirs = type_token(t.resource());
            crate::arn::has_variable(theirs) || theirs == token
        }) {
            continue;
        }
        // One example format per resource-type word, in catalog order.
        let mut words: Vec<&str> = Vec::new();
        let mut examples: Vec<&str> = Vec::new();
        for t in templates.iter() {
            let word = type_token(t.resource());
            if !words.contains(&word) {
                words.push(word);
                examples.push(t.resource());
            }
        }
        let suggestion = did_you_mean(token, words.iter().copied()).filter(|s| !s.is_empty());
        let hint = match suggestion {
            Some(s) => format!(" Did you mean \"{s}\"?"),
            None => String::new(),
        };
        let shown = examples.len().min(6);
        let more = match examples.len() - shown {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        let mut wrong = resource;
        wrong.span.end = wrong.span.start + token.len();
        wrong.value = token;
        let d = sink.report(
            part_span(cx, &entry.item, wrong),
            format!(
                "\"{token}\" is not a resource type of \"{}\" ARNs in the catalog {}, so this ARN \
                 matches no resource.{hint} Formats it knows: {}{more}.",
                arn.service.value,
                data_note(cx.catalog),
                examples[..shown].join(", "),
            ),
        );
        if let Some(s) = suggestion {
            // Review: the ARN starts matching resources it matched none of before.
            d.fixes.push(Fix::review(
                format!("Change \"{token}\" to \"{s}\""),
                vec![replace_part(cx, &entry.item, wrong, s)],
            ));
        }
    }
}

/// The resource-type word at the start of a resource part: "role" in "role/app", "table" in
/// "table/T/stream/x", "log-group" in "log-group:name", "/tags" in "/tags/arn...".
fn type_token(resource: &str) -> &str {
    let (lead, rest) = match resource.strip_prefix('/') {
        Some(rest) => (1, rest),
        None => (0, resource),
    };
    let end = rest
        .find(['/', ':'])
        .map(|i| i + lead)
        .unwrap_or(resource.len());
    &resource[..end]
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn flags_unknown_resource_formats() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "iam:*", "Resource": ["arn:aws:iam::111122223333:roles/app", "arn:aws:iam::111122223333:role/app"]}]}"#;
        let found = findings_of(text, "identity", "INVALID_ARN_RESOURCE");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].span.slice(text), "roles");
        assert!(found[0]
            .message
            .starts_with("\"roles\" is not a resource type of \"iam\""));
        assert!(found[0].message.contains("role/"));
    }

    #[test]
    fn wildcards_variables_and_unknown_services_pass() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": ["arn:aws:iam::111122223333:*", "arn:aws:iam::111122223333:rol*/x", "arn:aws:iam::111122223333:${aws:username}", "arn:aws:newservice:us-east-1:111122223333:thing/x", "arn:aws:s3:::any-bucket-name", "arn:aws:cloudformation:us-east-1:111122223333:stack/name-without-id", "arn:aws:apigateway:us-east-1::/tags"]}]}"#;
        assert!(findings_of(text, "identity", "INVALID_ARN_RESOURCE").is_empty());
    }

    #[test]
    fn a_backup_recovery_point_is_known() {
        // The catalog writes recovery points with the service field as a placeholder
        // (`${Vendor}`); AWS Backup's own are `arn:aws:backup:...:recovery-point:ID`.
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "backup:DeleteRecoveryPoint", "Resource": "arn:aws:backup:eu-west-1:111122223333:recovery-point:1EB3B5E7"}]}"#;
        assert!(findings_of(text, "identity", "INVALID_ARN_RESOURCE").is_empty());
        // A neighbour: an ec2 ARN of a type ec2 does not have keeps its finding.
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "ec2:DeleteSnapshot", "Resource": "arn:aws:ec2:eu-west-1::snapshots/snap-1"}]}"#;
        assert_eq!(
            findings_of(text, "identity", "INVALID_ARN_RESOURCE").len(),
            1
        );
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
