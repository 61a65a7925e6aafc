use crate::arn::CompiledList;
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
/// covers its own duplicates, found through `fold` (lower case for actions). `covers(a, b)` (entry
/// indexes) may
/// only hold when `a`'s literal start (before any wildcard or variable) begins `b`'s, compared
/// after `fold` (true of [`crate::arn::arn_pattern_covers`] and
/// [`crate::arn::action_pattern_covers`]); so patterns are indexed by their folded literal start
/// and each entry is only compared with the patterns whose start begins its own. This keeps
/// lists of thousands of actions or ARNs fast.
pub fn covered_items(
    values: &[&str],
    covers: impl Fn(usize, usize) -> bool,
    fold: fn(&str) -> String,
) -> Vec<(usize, usize)> {
    use std::collections::{BTreeSet, HashMap};
    let starts: Vec<String> = values
        .iter()
        .map(|v| fold(crate::arn::literal_prefix(v)))
        .collect();
    let mut patterns_by_start: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut start_lengths = BTreeSet::new();
    for (i, value) in values.iter().enumerate() {
        if crate::arn::is_pattern(value) {
            patterns_by_start
                .entry(starts[i].as_str())
                .or_default()
                .push(i);
            start_lengths.insert(starts[i].len());
        }
    }
    let mut first_seen: HashMap<String, usize> = HashMap::new();
    let mut candidates = Vec::new();
    let mut out = Vec::new();
    for (i, value) in values.iter().enumerate() {
        let first = *first_seen.entry(fold(value)).or_insert(i);
        let own = starts[i].as_str();
        candidates.clear();
        for &len in start_lengths.iter().take_while(|&&len| len <= own.len()) {
            if let Some(found) = own.get(..len).and_then(|head| patterns_by_start.get(head)) {
                candidates.extend_from_slice(found);
            }
        }
        // Each pattern sits in one bucket: sorting restores list order, so the first coverer wins.
        candidates.sort_unstable();
        let by_pattern = candidates
            .iter()
            .copied()
            .find(|&j| j != i && covers(j, i) && (j < i || !covers(i, j)));
        if let Some(j) = by_pattern {
            out.push((i, j));
        } else if first < i {
            out.push((i, first));
        }
    }
    out
}

fn report_list(cx: &Context<'_>, sink: &mut Sink<'_>, list: &StringList<'_>) {
    let values: Vec<&str> = list.items.iter().map(|i| i.value).collect();
    report_redundant(
        cx,
        sink,
        list,
        &values,
        &CompiledList::actions(&values),
        str::to_ascii_lowercase,
    );
}

/// Report every entry of `list` that another entry repeats or covers, pointing at the one that
/// covers it, with a safe fix removing it. Shared with REDUNDANT_RESOURCE: `compiled` holds the
/// list's patterns and `fold` is how two names compare (lower case for actions, exact for ARNs).
pub fn report_redundant(
    cx: &Context<'_>,
    sink: &mut Sink<'_>,
    list: &StringList<'_>,
    values: &[&str],
    compiled: &CompiledList,
    fold: fn(&str) -> String,
) {
    let element = &list.key().value;
    for (i, j) in covered_items(values, |a, b| compiled.covers(a, b), fold) {
        let item = &list.items[i];
        let how = if fold(values[i]) == fold(values[j]) {
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
            span: list.items[j].inner_span(),
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
