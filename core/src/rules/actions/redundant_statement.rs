use std::cell::OnceCell;
use std::collections::BTreeSet;

use crate::diagnostic::{Category, Fix, Related};
use crate::fast_hash::FastMap;
use crate::fix::edit::remove_array_item;
use crate::policy::{Principal, Statement, StringList};
use crate::rules::actions::redundant_action::name_hash;
use crate::rules::{Context, ExampleType, Reads, Rule, RuleMeta, Scope, Sink};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "REDUNDANT_STATEMENT",
        category: Category::Suggestion,
        summary: "A statement repeats another statement of the policy.",
        explanation: "Two statements with the same Effect, actions, resources, principals and \
            conditions grant (or deny) exactly the same thing; one of them can go. The comparison \
            is about meaning, not text: the order of list entries, the case of action names, \
            the Sid and a single string versus a one-item list do not matter. The fix removes the \
            later statement.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "*"}, {"Sid": "ReadAgain", "Effect": "Allow", "Action": ["s3:listbucket", "s3:GetObject"], "Resource": ["*"]}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "*"}, {"Sid": "Write", "Effect": "Allow", "Action": ["s3:PutObject"], "Resource": "*"}]}"#,
        example_type: ExampleType::Identity,
        // The Sid is not part of a statement's meaning: it only names the statements in the
        // messages (a keystroke in a Sid of 5,000 statements does not compare them again).
        scope: Scope::Across(Reads::GRANTS_NAMED),
    },
    check,
};

/// A statement reduced to what decides its meaning, in a comparable form.
#[derive(PartialEq, Eq)]
struct Meaning {
    effect: Option<String>,
    actions: Option<(bool, BTreeSet<String>)>,
    resources: Option<(bool, BTreeSet<String>)>,
    principal: Option<(bool, BTreeSet<(String, String)>)>,
    conditions: BTreeSet<(String, String, BTreeSet<String>)>,
}

fn list_set(cx: &Context<'_>, list: &StringList<'_>, fold_case: bool) -> BTreeSet<String> {
    let mut set: BTreeSet<String> = list
        .items
        .iter()
        .map(|i| {
            if fold_case {
                i.value.to_ascii_lowercase()
            } else {
                i.value.to_string()
            }
        })
        .collect();
    // Keep odd values (numbers, objects) by their text so they still count as different.
    set.extend(
        list.invalid
            .iter()
            .map(|n| format!("\u{0}{}", n.span.slice(cx.text))),
    );
    set
}

fn principal_set(cx: &Context<'_>, principal: &Principal<'_>) -> BTreeSet<(String, String)> {
    let mut set = BTreeSet::new();
    if principal.is_star {
        set.insert(("*".to_string(), "*".to_string()));
    }
    for entry in &principal.entries {
        for value in list_set(cx, &entry.values, false) {
            set.insert((entry.kind.value.as_str().to_owned(), value));
        }
    }
    if !principal.is_star && principal.entries.is_empty() {
        if let Some(v) = &principal.member.value {
            set.insert(("\u{0}".to_string(), v.span.slice(cx.text).to_string()));
        }
    }
    set
}

fn meaning(cx: &Context<'_>, st: &Statement<'_>) -> Meaning {
    let pick = |a: &Option<StringList<'_>>, b: &Option<StringList<'_>>, fold: bool| match (a, b) {
        (Some(list), _) => Some((true, list_set(cx, list, fold))),
        (None, Some(list)) => Some((false, list_set(cx, list, fold))),
        _ => None,
    };
    let principal = match (&st.principal, &st.not_principal) {
        (Some(p), _) => Some((true, principal_set(cx, p))),
        (None, Some(p)) => Some((false, principal_set(cx, p))),
        _ => None,
    };
    let mut conditions = BTreeSet::new();
    for block in &st.conditions {
        for entry in &block.entries {
            let mut values: BTreeSet<String> =
                entry.values.iter().map(|v| v.value.to_string()).collect();
            values.extend(
                entry
                    .other_values
                    .iter()
                    .map(|n| format!("\u{0}{}", n.span.slice(cx.text))),
            );
            conditions.insert((
                block.operator_key.value.as_str().to_owned(),
                entry.key.value.to_ascii_lowercase(),
                values,
            ));
        }
    }
    // A Condition that is not a list of operator blocks: compare its text.
    if st.conditions.is_empty() {
        if let Some(v) = st.condition.and_then(|m| m.value.as_ref()) {
            if v.as_object().is_none_or(|m| !m.is_empty()) {
                conditions.insert((
                    "\u{0}".to_string(),
                    v.span.slice(cx.text).to_string(),
                    BTreeSet::new(),
                ));
            }
        }
    }
    Meaning {
        effect: st
            .effect
            .and_then(|m| m.value.as_ref())
            .map(|v| v.span.slice(cx.text).to_string()),
        actions: pick(&st.action, &st.not_action, true),
        resources: pick(&st.resource, &st.not_resource, false),
        principal,
        conditions,
    }
}

/// What two statements with equal [`Meaning`]s certainly share, computed without allocating:
/// the Effect text and, for the action and resource sets, which element they have and the
/// smallest and largest element hash (neither depends on order or repeats). Only statements
/// with equal signatures need their full meanings built and compared.
#[derive(PartialEq, Eq, Hash)]
struct Signature<'a> {
    effect: Option<&'a str>,
    actions: Option<(bool, (u64, u64))>,
    resources: Option<(bool, (u64, u64))>,
}

fn set_hashes(cx: &Context<'_>, list: &StringList<'_>, fold_case: bool) -> (u64, u64) {
    let mut range = (u64::MAX, 0);
    let mut add = |h: u64| range = (range.0.min(h), range.1.max(h));
    for item in &list.items {
        add(name_hash(item.value, fold_case));
    }
    // The same element text as `list_set` gives odd values (rare: a String each is fine).
    for node in &list.invalid {
        add(name_hash(
            &format!("\u{0}{}", node.span.slice(cx.text)),
            fold_case,
        ));
    }
    range
}

fn signature<'a>(cx: &Context<'a>, st: &Statement<'_>) -> Signature<'a> {
    let pick = |a: &Option<StringList<'_>>, b: &Option<StringList<'_>>, fold: bool| match (a, b) {
        (Some(list), _) => Some((true, set_hashes(cx, list, fold))),
        (None, Some(list)) => Some((false, set_hashes(cx, list, fold))),
        _ => None,
    };
    Signature {
        effect: st
            .effect
            .and_then(|m| m.value.as_ref())
            .map(|v| v.span.slice(cx.text)),
        actions: pick(&st.action, &st.not_action, true),
        resources: pick(&st.resource, &st.not_resource, false),
    }
}

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    let statements = &cx.policy.statements;
    let signatures: Vec<Signature> = statements.iter().map(|st| signature(cx, st)).collect();
    let meanings: Vec<OnceCell<Meaning>> = statements.iter().map(|_| OnceCell::new()).collect();
    let meaning_of = |k: usize| meanings[k].get_or_init(|| meaning(cx, &statements[k]));
    // The earlier statements by signature, in order: only those can be the same, and a policy
    // of thousands of different statements is not compared pair by pair.
    let mut earlier_with: FastMap<&Signature, Vec<usize>> = FastMap::default();
    for (later, st) in statements.iter().enumerate() {
        let same = earlier_with.entry(&signatures[later]).or_default();
        let found = same
            .iter()
            .copied()
            .find(|&e| meaning_of(e) == meaning_of(later));
        same.push(later);
        let Some(earlier) = found else {
            continue;
        };
        let first = &cx.policy.statements[earlier];
        let d = sink.report(
            st.head_span(),
            format!(
                "{} grants exactly what {} grants (same Effect, actions, resources, principals \
                 and conditions), so it can be removed.",
                capitalise(&st.label()),
                first.label()
            ),
        );
        d.related.push(Related {
            span: first.head_span(),
            message: format!("{} says the same", capitalise(&first.label())),
        });
        let edit = cx
            .policy
            .statement_member
            .and_then(|m| m.value.as_ref())
            .and_then(|array| remove_array_item(cx.text, array, st.index));
        if let Some(edit) = edit {
            d.fixes
                .push(Fix::safe(format!("Remove {}", st.label()), vec![edit]));
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn flags_the_later_duplicate_with_a_fix() {
        let text = "{\"Statement\": [\n  {\"Effect\": \"Allow\", \"Action\": [\"s3:GetObject\", \"s3:PutObject\"], \"Resource\": \"arn:aws:s3:::b/*\", \"Condition\": {\"Bool\": {\"aws:SecureTransport\": \"true\"}}},\n  {\"Effect\": \"Allow\", \"Action\": [\"s3:putobject\", \"s3:GetObject\"], \"Resource\": [\"arn:aws:s3:::b/*\"], \"Condition\": {\"Bool\": {\"aws:securetransport\": [\"true\"]}}}\n]}";
        let found = findings_of(text, "identity", "REDUNDANT_STATEMENT");
        assert_eq!(found.len(), 1);
        let second = text
            .find("{\"Effect\": \"Allow\", \"Action\": [\"s3:putobject\"")
            .unwrap();
        assert_eq!(found[0].span.start, second);
        assert_eq!(found[0].span.slice(text), "{");
        assert!(found[0]
            .message
            .starts_with("Statement 2 grants exactly what statement 1"));
        let fixed = found[0].fixes[0].apply(text).unwrap();
        assert!(!fixed.contains("s3:putobject"));
        assert!(fixed.contains("s3:PutObject"));
        assert!(findings_of(&fixed, "identity", "JSON_SYNTAX_ERROR").is_empty());
    }

    #[test]
    fn points_at_the_sid_when_there_is_one() {
        let text = r#"{"Statement": [{"Sid": "A", "Effect": "Deny", "Action": "*", "Resource": "*"}, {"Sid": "B", "Effect": "Deny", "Action": "*", "Resource": "*"}]}"#;
        assert_eq!(spans_of(text, "identity", "REDUNDANT_STATEMENT"), ["\"B\""]);
    }

    #[test]
    fn differences_in_meaning_pass() {
        let base = r#"{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}, SECOND]}"#;
        for second in [
            r#"{"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#,
            r#"{"Effect": "Allow", "NotAction": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#,
            r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::B/*"}"#,
            r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}"#,
            r#"{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::b/*"}"#,
        ] {
            let text = base.replace("SECOND", second);
            assert!(
                findings_of(&text, "identity", "REDUNDANT_STATEMENT").is_empty(),
                "{second}"
            );
        }
        let trust = r#"{"Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}, {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#;
        assert!(findings_of(trust, "trust", "REDUNDANT_STATEMENT").is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
