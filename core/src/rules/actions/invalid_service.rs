use crate::diagnostic::Category;
use crate::rules::support::actions::{
    action_items_expanded, catalog_ready, data_note, is_prefix_shaped, report_unknown_part,
    split_action, ActionItem, Correction,
};
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};
use crate::wildcard::has_wildcard;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "INVALID_SERVICE",
        category: Category::Error,
        summary: "An action names a service prefix that does not exist.",
        explanation: "The part of an action before the colon must be a service prefix AWS \
            defines, such as `s3`, `ec2` or `dynamodb`. An unknown prefix matches no action, so the \
            entry has no effect. iamlint checks prefixes against its catalog and offers the \
            closest known prefix when the name looks like a typo. The catalog is a snapshot: a \
            service launched after its date may be missing, in which case update iamlint or \
            disable this finding for that line.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s4:GetObject", "Resource": "*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    if !catalog_ready(cx.catalog) {
        return;
    }
    // Old policies name a retired service in many entries: search for its closest prefix once.
    let mut closest_of: Vec<(&str, Option<&'static str>)> = Vec::new();
    for (item, actions) in action_items_expanded(cx) {
        // An item that names some action names a known service (or has a wildcard in it).
        if !actions.is_empty() {
            continue;
        }
        let entry = ActionItem { item };
        let Some(parts) = split_action(entry.item.value) else {
            continue;
        };
        // Malformed prefixes and wildcards in the prefix are other rules' findings.
        if !is_prefix_shaped(parts.prefix) || has_wildcard(parts.prefix) {
            continue;
        }
        if cx.catalog.service(parts.prefix).is_some() {
            continue;
        }
        let closest = match closest_of.iter().find(|(p, _)| *p == parts.prefix) {
            Some(&(_, closest)) => closest,
            None => {
                let closest = cx.catalog.closest_service(parts.prefix);
                closest_of.push((parts.prefix, closest));
                closest
            }
        };
        let closest = closest.map(|s| Correction {
            replacement: s,
            shown: s.to_string(),
            fix_title: format!("Change the service prefix to \"{s}\""),
        });
        report_unknown_part(
            cx,
            sink,
            &entry.item,
            parts.prefix_range,
            closest,
            " Check the prefix in the Service Authorization Reference; a service \
             launched after the catalog's date may be missing.",
            |hint| {
                format!(
                    "\"{}\" is not a service prefix known to the catalog {}, so \"{}\" matches no \
                     action.{hint}",
                    parts.prefix,
                    data_note(cx.catalog),
                    entry.item.value
                )
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn flags_unknown_prefix_with_a_fix() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": ["s3:ListBucket", "dynamdb:GetItem"], "Resource": "*"}]}"#;
        let found = findings_of(text, "identity", "INVALID_SERVICE");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].span.slice(text), "dynamdb");
        assert!(found[0].message.contains("catalog data of"));
        let fixed = found[0].fixes[0].apply(text).unwrap();
        assert!(fixed.contains(r#""dynamodb:GetItem""#), "{fixed}");
    }

    #[test]
    fn known_prefixes_in_any_case_pass() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": ["S3:GetObject", "ec2:Describe*", "s3*:Get*", "*"], "Resource": "*"}]}"#;
        assert!(findings_of(text, "identity", "INVALID_SERVICE").is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
