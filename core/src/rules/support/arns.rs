//! What the ARN rules share: the Resource/NotResource strings of a policy, which of the
//! catalog's ARN templates an ARN is checked against (the catalog indexes them by the service
//! field of their ARNs: [`Catalog::arn_templates`]), and which templates an ARN can be an
//! instance of.

use crate::arn::{span_in_string_node, Arn, ArnPart, ResourcePattern};
use crate::catalog::{ArnTemplate, ArnTemplates, Catalog};
use crate::diagnostic::TextEdit;
use crate::policy::{Policy, StringItem};
use crate::rules::Context;
use crate::span::Span;

/// One string of a Resource or NotResource element.
#[derive(Clone, Copy)]
pub struct ResourceEntry<'a> {
    pub item: StringItem<'a>,
}

/// Every string of every Resource and NotResource element, in document order.
pub fn resource_entries<'a>(cx: &Context<'a>) -> Vec<ResourceEntry<'a>> {
    let mut out = Vec::new();
    for statement in &cx.policy.statements {
        for list in [&statement.resource, &statement.not_resource]
            .into_iter()
            .flatten()
        {
            out.extend(list.items.iter().map(|item| ResourceEntry { item: *item }));
        }
    }
    out
}

/// The Resource and NotResource strings that parse as ARNs, with the parsed ARN, in document
/// order: parsed once per document for the dozen ARN rules that read them
/// ([`Context::parsed_arns`]).
pub fn parsed_arns<'x, 'a>(cx: &'x Context<'a>) -> &'x [(ResourceEntry<'a>, Arn<'a>)] {
    cx.parsed_arns()
}

/// [`parsed_arns`] computed (the fact's builder).
pub(crate) fn parse_arns<'a>(policy: &Policy<'a>) -> Vec<(ResourceEntry<'a>, Arn<'a>)> {
    let mut out = Vec::new();
    for statement in &policy.statements {
        for list in [&statement.resource, &statement.not_resource]
            .into_iter()
            .flatten()
        {
            for item in &list.items {
                if let Ok(arn) = Arn::parse(item.value) {
                    out.push((ResourceEntry { item: *item }, arn));
                }
            }
        }
    }
    out
}

/// The policy-text span of one field of an ARN item. An empty field is shown by the two colons
/// around it, so the finding is visible in an editor.
pub fn part_span(cx: &Context<'_>, item: &StringItem<'_>, part: ArnPart<'_>) -> Span {
    let range = if part.is_empty() {
        Span::new(part.span.start.saturating_sub(1), part.span.end + 1)
    } else {
        part.span
    };
    span_in_string_node(cx.text, item.node, range)
}

/// An edit replacing one field of the item's ARN with `text` (no JSON escaping needed).
pub fn replace_part(
    cx: &Context<'_>,
    item: &StringItem<'_>,
    part: ArnPart<'_>,
    text: &str,
) -> TextEdit {
    TextEdit {
        span: span_in_string_node(cx.text, item.node, part.span),
        text: text.to_string(),
    }
}

/// Builds now what the ARN rules otherwise build on first use: every service's compiled
/// templates, and the list of service fields (see [`crate::analysis::prepare`]).
pub fn prepare(catalog: &'static Catalog) {
    catalog.prepare_arn_templates();
}

/// True when an ARN field could be anything (a wildcard or a policy variable).
pub fn is_open(part: &ArnPart<'_>) -> bool {
    part.is_pattern()
}

/// The templates the ARN's resource part can be an instance of. Only the resource parts are
/// compared; the other fields are other rules' business.
pub fn candidates<'c>(arn: &Arn<'_>, templates: ArnTemplates<'c>) -> Vec<ArnTemplate<'c>> {
    let ours = ResourcePattern::new(arn.resource.value);
    templates
        .iter()
        .filter(|t| ours.may_overlap(t.pattern()))
        .collect()
}

/// True when the ARN's resource part can be an instance of one of the templates (whether
/// [`candidates`] would be non-empty, without collecting them).
pub fn fits_any(arn: &Arn<'_>, templates: ArnTemplates<'_>) -> bool {
    let ours = ResourcePattern::new(arn.resource.value);
    templates.iter().any(|t| ours.may_overlap(t.pattern()))
}

/// The templates an ARN is checked against ([`Catalog::arn_templates`] of its service field),
/// when that field is usable (lowercase, no wildcard) and the catalog knows the service; None
/// otherwise.
pub fn known_templates(cx: &Context<'_>, arn: &Arn<'_>) -> Option<ArnTemplates<'static>> {
    let service = arn.service.value;
    if service.is_empty() || is_open(&arn.service) || service.chars().any(|c| c.is_uppercase()) {
        return None;
    }
    let templates = cx.catalog.arn_templates(service);
    (!templates.is_empty()).then_some(templates)
}

/// A short list of resource formats for messages: "role/${RoleNameWithPath} (role), ...".
pub fn describe_formats(templates: &[ArnTemplate<'_>], limit: usize) -> String {
    let mut seen: Vec<String> = Vec::new();
    for t in templates {
        let text = format!("{} ({})", t.resource(), t.resource_type().name());
        if !seen.contains(&text) {
            seen.push(text);
        }
    }
    let more = seen.len().saturating_sub(limit);
    seen.truncate(limit);
    let mut out = seen.join(", ");
    if more > 0 {
        out.push_str(&format!(" and {more} more"));
    }
    out
}

/// True when the account field of an ARN is one IAM accepts as written: an account id, or `aws`
/// (the account of AWS managed resources such as managed policies).
pub fn is_arn_account(account: &str) -> bool {
    account == "aws" || crate::wildcard::is_account_id(account)
}

#[cfg(test)]
mod robustness {
    use crate::analysis::{analyze, AnalyzeOptions};
    use crate::policy::PolicyType;
    use crate::rules::{actions, arns};
    use proptest::prelude::*;

    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("arn:".to_string()),
            Just("aws".to_string()),
            Just(":".to_string()),
            Just("s3".to_string()),
            Just("iam".to_string()),
            Just("us-east-1".to_string()),
            Just("111122223333".to_string()),
            Just("*".to_string()),
            Just("?".to_string()),
            Just("${aws:username}".to_string()),
            Just("${".to_string()),
            Just("/".to_string()),
            Just("GetObject".to_string()),
            Just("role".to_string()),
            Just("é\"\\\u{1F600}".to_string()),
        ]
    }

    fn value() -> impl Strategy<Value = String> {
        proptest::collection::vec(piece(), 0..7).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn findings_fit_the_text_and_fixes_apply(
            actions_list in proptest::collection::vec(value(), 1..4),
            resources in proptest::collection::vec(value(), 1..4),
            resource_policy in any::<bool>(),
        ) {
            let policy = serde_json::json!({
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": actions_list, "Resource": resources},
                    {"Effect": "Allow", "Action": actions_list, "Resource": resources},
                ]
            });
            let text = serde_json::to_string_pretty(&policy).unwrap();
            let policy_type = if resource_policy {
                PolicyType::parse("resource:AWS::S3::Bucket").unwrap()
            } else {
                PolicyType::Identity
            };
            let options = AnalyzeOptions { policy_type, ..AnalyzeOptions::default() };
            let ours: Vec<&str> = actions::RULES.iter().chain(arns::RULES.iter()).map(|r| r.meta.code).collect();
            for d in analyze(&text, &options).diagnostics {
                if !ours.contains(&d.code) {
                    continue;
                }
                prop_assert!(d.span.end <= text.len() && d.span.start <= d.span.end);
                prop_assert!(text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end));
                for fix in &d.fixes {
                    let fixed = fix.apply(&text);
                    prop_assert!(fixed.is_some(), "{} fix does not apply", d.code);
                    let fixed = fixed.unwrap();
                    prop_assert!(
                        serde_json::from_str::<serde_json::Value>(&fixed).is_ok(),
                        "{} fix breaks the JSON: {}", d.code, fixed
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod placeholders {
    use crate::rules::testing::findings;
    use crate::rules::{actions, arns};

    #[test]
    fn variables_and_template_placeholders_stay_quiet() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["sqs:SendMessage", "s3:GetObject", "iam:GetRole"], "Resource": [
            "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:orders",
            "arn:aws:iam::${aws:PrincipalAccount}:role/app",
            "arn:${var.partition}:s3:::${var.bucket}/*",
            "arn:aws:s3:::home/${aws:username}/*"
        ]}]}"#;
        let ours: Vec<&str> = actions::RULES
            .iter()
            .chain(arns::RULES.iter())
            .map(|r| r.meta.code)
            .collect();
        let found: Vec<_> = findings(text, "identity")
            .into_iter()
            .filter(|d| ours.contains(&d.code))
            .collect();
        assert!(found.is_empty(), "{found:?}");
    }
}
