use crate::arn::action_pattern_covers;
use crate::diagnostic::{Category, Fix};
use crate::fix::edit::remove_array_item;
use crate::policy::StringList;
use crate::rules::actions::common::array_index;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Sink};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "REDUNDANT_ACTION",
        category: Category::Suggestion,
        summary: "An action is already covered by another entry of the same list.",
        explanation: "When a list holds both `s3:GetObject` and `s3:Get*`, or the same action \
            twice, the narrower entry adds nothing: the policy means the same without it. \
            Removing it makes the policy shorter and easier to review. Action names are compared \
            without regard to case, as IAM does. The fix removes the entry and keeps the list's \
            formatting.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:Get*", "s3:GetObject"], "Resource": "*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:Get*", "s3:PutObject"], "Resource": "*"}]}"#,
        example_type: ExampleType::Identity,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for statement in &cx.policy.statements {
        for list in [&statement.action, &statement.not_action]
            .into_iter()
            .flatten()
        {
            report_list(cx, sink, list);
        }
    }
}

/// For each item covered by another, name the entry that covers it. When two entries cover
/// each other (duplicates), only the later one is redundant.
///
/// Only a pattern (with `*`, `?` or a variable) can cover a different entry; a plain entry only
/// covers its own duplicates, found through `fold` (lower case for actions). `group` puts an
/// entry in a bucket when everything it matches shares a known head (the service of
/// `s3:Get*`), and a pattern can only cover entries of its own bucket unless it has none (`*`,
/// `s3*:Get`). Together this keeps lists of thousands of actions fast.
pub fn covered_items(
    values: &[&str],
    covers: fn(&str, &str) -> bool,
    group: fn(&str) -> Option<String>,
    fold: fn(&str) -> String,
) -> Vec<(usize, usize)> {
    use std::collections::HashMap;
    let groups: Vec<Option<String>> = values.iter().map(|v| group(v)).collect();
    let mut patterns_by_group: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut ungrouped_patterns = Vec::new();
    let mut all_patterns = Vec::new();
    for (i, value) in values.iter().enumerate() {
        if !crate::arn::is_pattern(value) {
            continue;
        }
        all_patterns.push(i);
        match &groups[i] {
            Some(g) => patterns_by_group.entry(g.as_str()).or_default().push(i),
            None => ungrouped_patterns.push(i),
        }
    }
    let mut first_seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for (i, value) in values.iter().enumerate() {
        let first = *first_seen.entry(fold(value)).or_insert(i);
        let own: &[usize] = match &groups[i] {
            Some(g) => patterns_by_group
                .get(g.as_str())
                .map(Vec::as_slice)
                .unwrap_or(&[]),
            None => &all_patterns,
        };
        let mut candidates: Vec<usize> = own.iter().chain(&ungrouped_patterns).copied().collect();
        candidates.sort_unstable();
        candidates.dedup();
        let by_pattern = candidates
            .into_iter()
            .find(|&j| j != i && covers(values[j], value) && (j < i || !covers(value, values[j])));
        if let Some(j) = by_pattern {
            out.push((i, j));
        } else if first < i {
            out.push((i, first));
        }
    }
    out
}

/// The service an action pattern is confined to ("s3:" for `S3:Get*`), if its literal start
/// names one.
fn action_group(value: &str) -> Option<String> {
    let literal = &value[..value.find(['*', '?', '$']).unwrap_or(value.len())];
    let colon = literal.find(':')?;
    Some(literal[..=colon].to_ascii_lowercase())
}

fn report_list(cx: &Context<'_>, sink: &mut Sink<'_>, list: &StringList<'_>) {
    let values: Vec<&str> = list.items.iter().map(|i| i.value).collect();
    let element = &list.key().value;
    for (i, j) in covered_items(
        &values,
        action_pattern_covers,
        action_group,
        str::to_ascii_lowercase,
    ) {
        let item = &list.items[i];
        let other = &list.items[j];
        let how = if values[i].eq_ignore_ascii_case(values[j]) {
            "is listed twice".to_string()
        } else {
            format!("is already covered by \"{}\"", values[j])
        };
        let d = sink.report(
            item.inner_span(),
            format!(
                "\"{}\" {how} in this {element} list, so it adds nothing; remove it.",
                values[i]
            ),
        );
        d.related.push(crate::diagnostic::Related {
            span: other.inner_span(),
            message: format!("\"{}\" covers it", values[j]),
        });
        let edit = list
            .value()
            .zip(array_index(list, item))
            .and_then(|(array, index)| remove_array_item(cx.text, array, index));
        if let Some(edit) = edit {
            d.fixes.push(Fix::safe(
                format!("Remove the redundant \"{}\"", values[i]),
                vec![edit],
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn flags_covered_and_duplicate_actions_with_fixes() {
        let text = "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\n  \"s3:GetObject\",\n  \"s3:Get*\",\n  \"s3:PutObject\",\n  \"S3:PUTOBJECT\"\n], \"Resource\": \"*\"}]}";
        let found = findings_of(text, "identity", "REDUNDANT_ACTION");
        let spans: Vec<&str> = found.iter().map(|d| d.span.slice(text)).collect();
        assert_eq!(spans, ["s3:GetObject", "S3:PUTOBJECT"]);
        assert!(found[0].message.contains("covered by \"s3:Get*\""));
        assert!(found[1].message.contains("listed twice"));
        let fixed = found[0].fixes[0].apply(text).unwrap();
        assert_eq!(
            fixed,
            "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\n  \"s3:Get*\",\n  \"s3:PutObject\",\n  \"S3:PUTOBJECT\"\n], \"Resource\": \"*\"}]}"
        );
        let fixed = found[1].fixes[0].apply(text).unwrap();
        assert!(
            fixed.ends_with("\"s3:PutObject\"\n], \"Resource\": \"*\"}]}"),
            "{fixed}"
        );
    }

    #[test]
    fn star_covers_everything_in_not_action_too() {
        let text =
            r#"{"Statement": [{"Effect": "Deny", "NotAction": ["iam:*", "*"], "Resource": "*"}]}"#;
        assert_eq!(spans_of(text, "identity", "REDUNDANT_ACTION"), ["iam:*"]);
    }

    #[test]
    fn overlapping_but_not_covering_patterns_pass() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": ["s3:Get*", "s3:*Object", "ec2:GetObject"], "Resource": "*"}]}"#;
        assert!(findings_of(text, "identity", "REDUNDANT_ACTION").is_empty());
        // The same action in two statements is not this rule's business.
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}, {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#;
        assert!(findings_of(text, "identity", "REDUNDANT_ACTION").is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
