use crate::diagnostic::Category;
use crate::rules::support::actions::{
    action_items_expanded, catalog_ready, data_note, is_prefix_shaped, report_unknown_part,
    split_action, sub_span, ActionItem, Correction,
};
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};
use crate::span::Span;
use crate::wildcard::{action_matches, has_wildcard};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "INVALID_ACTION",
        category: Category::Error,
        summary: "An action, or an action pattern, matches no action of its service.",
        explanation: "After the service prefix comes the name of one of the service's actions, \
            or a pattern with `*` and `?` that matches some of them. A misspelt name, or a \
            pattern that matches nothing, has no effect, which in an Allow means missing access \
            and in a Deny means a guard rail that is not there. iamlint checks names against its \
            catalog and offers the closest action. Action names are not case-sensitive. The \
            catalog is a snapshot with a date: an action AWS added after that date is not in it \
            yet, so update iamlint before assuming a typo.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:getobject", "s3:Get*"], "Resource": "*"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    if !catalog_ready(cx.catalog) {
        return;
    }
    // The same unknown name may be written many times: search for its closest action once.
    let mut closest_of: Vec<(&str, &str, Option<&'static str>)> = Vec::new();
    for (item, actions) in action_items_expanded(cx) {
        // An item that names some action is no finding: the catalog's expansion and the check
        // below use the same matcher (`wildcard::action_matches`).
        if !actions.is_empty() {
            continue;
        }
        let value = item.value;
        let entry = ActionItem { item };
        let Some(parts) = split_action(value) else {
            continue;
        };
        if !is_prefix_shaped(parts.prefix) || has_wildcard(parts.prefix) {
            continue;
        }
        let Some(service) = cx.catalog.service(parts.prefix) else {
            continue;
        };
        let note = data_note(cx.catalog);
        if parts.name.is_empty() {
            sink.report(
                sub_span(cx, &entry.item, Span::new(0, value.len())),
                format!(
                    "\"{value}\" has no action name after the colon. Name an action of {}, \
                     or write \"{}:*\" for all of them.",
                    service.name(),
                    service.prefix()
                ),
            );
            continue;
        }
        if has_wildcard(parts.name) {
            // Stop at the first match, and glob-match only names that start with the pattern's
            // literal head: lists of wildcards can be thousands long.
            let head = &parts.name[..parts.name.find(['*', '?']).unwrap_or(parts.name.len())];
            let matches_some = service
                .actions_starting_with(head)
                .any(|a| action_matches(parts.name, a.name()));
            if !matches_some {
                sink.report(
                    sub_span(cx, &entry.item, parts.name_range),
                    format!(
                        "The pattern \"{}\" matches no action of {} in the catalog {note}, so \
                         this entry has no effect. Check the spelling; an action added after \
                         that date would not be listed yet.",
                        parts.name,
                        service.name()
                    ),
                );
            }
            continue;
        }
        if service.action(parts.name).is_some() {
            continue;
        }
        let cached = closest_of
            .iter()
            .find(|(p, n, _)| *n == parts.name && p.eq_ignore_ascii_case(parts.prefix));
        let closest = match cached {
            Some(&(_, _, closest)) => closest,
            None => {
                let closest = service.closest_action(parts.name);
                closest_of.push((parts.prefix, parts.name, closest));
                closest
            }
        };
        let closest = closest.map(|s| Correction {
            replacement: s,
            shown: format!("{}:{s}", service.prefix()),
            fix_title: format!("Change to \"{}:{s}\"", parts.prefix),
        });
        report_unknown_part(
            cx,
            sink,
            &entry.item,
            parts.name_range,
            closest,
            " If the action is brand new, the catalog may not list it yet.",
            |hint| {
                format!(
                    "\"{}\" is not an action of {} in the catalog {note}, so this entry matches \
                     nothing.{hint}",
                    parts.name,
                    service.name()
                )
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn flags_misspelt_action_with_a_fix() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetObjekt"], "Resource": "*"}]}"#;
        let found = findings_of(text, "identity", "INVALID_ACTION");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].span.slice(text), "GetObjekt");
        assert!(found[0].message.contains("catalog data of"));
        let fixed = found[0].fixes[0].apply(text).unwrap();
        assert!(fixed.contains(r#""s3:GetObject""#), "{fixed}");
    }

    #[test]
    fn flags_pattern_matching_nothing() {
        let text = r#"{"Statement": [{"Effect": "Deny", "Action": "s3:Gett*", "Resource": "*"}]}"#;
        assert_eq!(spans_of(text, "identity", "INVALID_ACTION"), ["Gett*"]);
        let text = r#"{"Statement": [{"Effect": "Deny", "Action": "s3:", "Resource": "*"}]}"#;
        assert_eq!(spans_of(text, "identity", "INVALID_ACTION"), ["s3:"]);
    }

    #[test]
    fn real_names_patterns_and_other_cases_pass() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": ["S3:GETOBJECT", "s3:Get*", "s3:*", "ec2:Describe?nstances", "s4:Nope", "x*:Y"], "Resource": "*"}]}"#;
        assert!(findings_of(text, "identity", "INVALID_ACTION").is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
