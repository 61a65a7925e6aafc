use crate::fast_hash::FastMap;

use crate::diagnostic::{Category, Fix};
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::structure::{each_object, remove_member};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DUPLICATE_ELEMENT",
        category: Category::Error,
        summary: "The same key appears twice in one JSON object.",
        explanation: "JSON does not define what a duplicate key means, and parsers disagree: most \
            (JavaScript, Python, the AWS SDKs and CLI, CloudFormation) keep the last value and \
            silently drop the earlier ones, while some keep the first or reject the document. A \
            policy with two `Action` or two `Condition` elements in one statement therefore does \
            not mean what either copy says. iamlint points at every earlier copy (the one most \
            tools throw away); merge the values into one element and delete the rest.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Action": "s3:PutObject", "Resource": "*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "*"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Split,
    },
    check,
};

/// Objects up to this many members are searched for repeated keys without a map.
const SMALL_OBJECT: usize = 16;

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(root) = cx.policy.root else { return };
    each_object(root, &mut |object| {
        let members = object.as_object().unwrap_or(&[]);
        // Most objects have a few members and no repeated key: comparing each key with the
        // later ones costs less than hashing them all. Huge objects stay linear with a map of
        // the positions of each key.
        let positions: Option<FastMap<&str, Vec<usize>>> =
            (members.len() > SMALL_OBJECT).then(|| {
                let mut map = FastMap::default();
                for (i, member) in members.iter().enumerate() {
                    map.entry(member.key.value.as_str())
                        .or_insert_with(Vec::new)
                        .push(i);
                }
                map
            });
        for (i, member) in members.iter().enumerate() {
            let key = &member.key.value;
            // The key's last position and how many times it appears.
            let (last, count) = match &positions {
                Some(map) => match map
                    .get(key.as_str())
                    .and_then(|all| Some((*all.last()?, all.len())))
                {
                    Some(found) => found,
                    None => continue,
                },
                None => {
                    if !members[i + 1..].iter().any(|m| m.key.value == *key) {
                        continue;
                    }
                    let mut same = members
                        .iter()
                        .enumerate()
                        .filter(|(_, m)| m.key.value == *key);
                    let count = same.clone().count();
                    match same.next_back() {
                        Some((last, _)) => (last, count),
                        None => continue,
                    }
                }
            };
            if last == i {
                continue;
            }
            let d = sink.report(
                member.key.span,
                format!(
                    "`{key}` appears {count} times in this object. JSON parsers keep only one copy \
                     (most keep the last), so this value is silently dropped. Merge the values into one `{key}`."
                ),
            );
            d.related.push(crate::diagnostic::Related {
                span: members[last].key.span,
                message: format!("the copy of `{key}` most parsers keep"),
            });
            if let Some(edit) = remove_member(members, i) {
                d.fixes.push(Fix::review(
                    format!("Delete this (dropped) copy of `{key}`"),
                    vec![edit],
                ));
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use crate::policy::PolicyType;
    use crate::rules::support::structure::run_rules;
    use crate::rules::testing::*;

    const CODE: &str = "DUPLICATE_ELEMENT";

    #[test]
    fn points_at_each_dropped_copy() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "a:B", "Action": "c:D", "Action": "e:F", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true", "aws:SecureTransport": "false"}}}]}"#;
        let found = findings_of(text, "identity", CODE);
        let starts: Vec<usize> = found.iter().map(|d| d.span.start).collect();
        let first = text.find(r#""Action""#).unwrap();
        let second = text[first + 1..].find(r#""Action""#).unwrap() + first + 1;
        let key = text.find(r#""aws:SecureTransport""#).unwrap();
        assert_eq!(starts, [first, second, key]);
        assert_eq!(found[0].related[0].span.slice(text), r#""Action""#);
        let fixed = found[0].fixes[0].apply(text).unwrap();
        assert!(fixed.contains(r#"{"Effect": "Allow", "Action": "c:D", "Action": "e:F""#));
    }

    #[test]
    fn same_key_in_different_objects_is_fine() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "A", "Effect": "Allow", "Action": "a:B", "Resource": "*"}, {"Sid": "B", "Effect": "Allow", "Action": "a:B", "Resource": "*"}]}"#;
        assert!(findings_of(text, "identity", CODE).is_empty());
    }

    #[test]
    fn huge_objects_and_repeated_sids_stay_fast() {
        // Quadratic work here would take minutes; linear work takes milliseconds.
        let members = vec![r#""Action": "s3:GetObject""#; 30_000].join(", ");
        let statements =
            vec![r#"{"Sid": "A", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}"#; 30_000]
                .join(", ");
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", {members}, "Resource": "*"}}, {statements}]}}"#
        );
        let started = std::time::Instant::now();
        let all = run_rules(crate::rules::structure::RULES, &text, &PolicyType::Scp);
        let count = |code: &str| all.iter().filter(|d| d.code == code).count();
        assert_eq!(count(CODE), 29_999);
        assert_eq!(count("UNIQUE_SIDS_REQUIRED"), 29_999);
        assert!(started.elapsed().as_secs() < 60);
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
