use crate::diagnostic::{Category, Fix};
use crate::rules::support::actions::{catalog_ready, data_note};
use crate::rules::support::arns::{parsed_arns, part_span, replace_part};
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};
use crate::suggest::did_you_mean;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "INVALID_ARN_SERVICE",
        category: Category::Error,
        summary: "The service field of an ARN is a misspelt service name.",
        explanation: "The third field of an ARN names the service that owns the resource (`s3`, \
            `autoscaling`, `execute-api`). A misspelt service (`autoscling`) matches no \
            resource, so the statement does not reach what it names. iamlint compares the field \
            with the services of its catalog's ARN formats and reports it when it is one typo \
            away from a known one; a name far from every known service is left alone, since the \
            catalog is a snapshot and a newer service may be missing from it.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "autoscaling:UpdateAutoScalingGroup", "Resource": "arn:aws:autoscling:us-east-1:111122223333:autoScalingGroup:*:autoScalingGroupName/web"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "autoscaling:UpdateAutoScalingGroup", "Resource": "arn:aws:autoscaling:us-east-1:111122223333:autoScalingGroup:*:autoScalingGroupName/web"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    if !catalog_ready(cx.catalog) {
        return;
    }
    for (entry, arn) in parsed_arns(cx) {
        let service = arn.service;
        // Empty, wildcard, variable and upper-case fields are other rules' findings.
        if service.is_empty()
            || service.is_pattern()
            || service.value.bytes().any(|b| b.is_ascii_uppercase())
        {
            continue;
        }
        if cx.catalog.is_arn_service(service.value) || cx.catalog.service(service.value).is_some() {
            continue;
        }
        let Some(closest) = did_you_mean(service.value, cx.catalog.arn_services()) else {
            continue;
        };
        let d = sink.report(
            part_span(cx, &entry.item, service),
            format!(
                "\"{}\" is not a service in ARNs {}, so this ARN matches no resource. Did you \
                 mean \"{closest}\"?",
                service.value,
                data_note(cx.catalog)
            ),
        );
        d.fixes.push(Fix::safe(
            format!("Change the service to \"{closest}\""),
            vec![replace_part(cx, &entry.item, service, closest)],
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "INVALID_ARN_SERVICE";

    /// Issue 12: a misspelt service inside an ARN was missed.
    #[test]
    fn flags_a_misspelt_service_with_a_fix() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "autoscaling:*", "Resource": "arn:aws:autoscling:us-east-1:111122223333:autoScalingGroup:*:autoScalingGroupName/web"}]}"#;
        let found = findings_of(text, "identity", CODE);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].span.slice(text), "autoscling");
        assert!(found[0].message.contains("\"autoscaling\""));
        let fixed = found[0].fixes[0].apply(text).unwrap();
        assert!(fixed.contains("arn:aws:autoscaling:us-east-1"));
        assert!(findings_of(&fixed, "identity", CODE).is_empty());
    }

    #[test]
    fn known_services_and_far_names_pass() {
        // ARN services that differ from their action prefix, and one far from every service.
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": ["arn:aws:execute-api:us-east-1:111122223333:api/stage/GET/x", "arn:aws:s3:::b/k", "arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:zzqqxxyyvv:us-east-1:111122223333:thing/a", "arn:aws:s*:::b", "arn:aws:${aws:username}:::b"]}]}"#;
        assert!(findings_of(text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
