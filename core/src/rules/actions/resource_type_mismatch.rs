use std::cell::RefCell;

use crate::arn::{arn_patterns_may_overlap, Arn};
use crate::catalog::{Action, Catalog};
use crate::diagnostic::{Category, Related};
use crate::fast_hash::FastSet;
use crate::policy::Statement;
use crate::rules::support::actions::{catalog_ready, split_action};
use crate::rules::support::memo::TextMemo;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};
use crate::wildcard::has_wildcard;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "RESOURCE_TYPE_MISMATCH",
        category: Category::Warning,
        summary: "No action of an Allow statement can apply to any of its resources.",
        explanation: "Each action works on particular resource types: `s3:GetObject` on objects \
            (`arn:aws:s3:::bucket/key`), `s3:ListBucket` on buckets (`arn:aws:s3:::bucket`), and \
            some actions on no resource type at all. When none of a statement's actions can \
            apply to any of its resource ARNs, the statement grants nothing; the usual cause is a \
            bucket ARN without `/*`, or the wrong service in the ARN. iamlint compares the ARNs \
            with the catalog's ARN formats for each action, and stays silent when an action is \
            unknown, has a wildcard service, or has no resource types.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    if !catalog_ready(cx.catalog) {
        return;
    }
    for st in &cx.policy.statements {
        check_statement(cx, sink, st);
    }
}

/// The catalog's actions an Action list grants (the shared per-analysis expansion, in item
/// order); None when one entry cannot be resolved (a `*`, a wildcard service, an unknown
/// action), because then anything could apply.
fn resolve_actions<'x>(cx: &'x Context<'_>, st: &Statement<'_>) -> Option<&'x [Action<'static>]> {
    let list = st.action.as_ref()?;
    if list.items.is_empty() || !list.invalid.is_empty() {
        return None;
    }
    let expanded = cx.expanded_actions(st);
    for (i, item) in list.items.iter().enumerate() {
        let parts = split_action(item.value)?;
        if parts.prefix.is_empty() || has_wildcard(parts.prefix) {
            return None;
        }
        // A pattern that matches nothing, or a name the catalog does not know.
        if expanded.item(i).is_empty() {
            return None;
        }
    }
    Some(expanded.all())
}

fn check_statement(cx: &Context<'_>, sink: &mut Sink<'_>, st: &Statement<'_>) {
    if !st.is_allow() {
        return;
    }
    let Some(resources) = st.resource.as_ref() else {
        return;
    };
    if resources.items.is_empty() || !resources.invalid.is_empty() {
        return;
    }
    // Only full ARNs can be judged; "*" or a truncated "arn:aws:ec2:*" may match anything,
    // and a malformed value is the ARN rules' finding.
    let mut arns = Vec::new();
    for item in &resources.items {
        if Arn::parse(item.value).is_err() {
            return;
        }
        arns.push(item.value);
    }
    let Some(actions) = resolve_actions(cx, st) else {
        return;
    };
    // An action without resource types is documented for "Resource": "*", but AWS's own
    // policies routinely scope such actions with ARNs like "arn:aws:s3:::*" and they work: how
    // IAM matches those is not documented, so such a statement is not judged.
    if actions.iter().any(|a| a.resource_types().next().is_none()) {
        return;
    }
    // Many actions share resource types: each template is compared with the ARNs once. A
    // template is known by where the catalog stores it (the same address and length is the same
    // text; two copies of one text would only be compared twice).
    let mut compared: FastSet<(usize, usize)> = FastSet::default();
    let applies = actions.iter().any(|action| {
        action.resource_types().any(|r| {
            r.resource_type.arn_templates().any(|template| {
                compared.insert((template.as_ptr() as usize, template.len()))
                    && arns
                        .iter()
                        .any(|arn| may_overlap(cx.catalog, arn, template))
            })
        })
    });
    if applies {
        return;
    }
    let span = match resources.items.as_slice() {
        [only] => only.inner_span(),
        _ => resources.value_span(),
    };
    let d = sink.report(
        span,
        format!(
            "None of the actions of {} can apply to {}, so the statement grants nothing. {}",
            st.label(),
            if arns.len() == 1 {
                "this resource".to_string()
            } else {
                format!("any of these {} resources", arns.len())
            },
            what_actions_need(actions, &arns)
        ),
    );
    if let Some(action_list) = st.action.as_ref() {
        d.related.push(Related {
            span: action_list.value_span(),
            message: "the actions".to_string(),
        });
    }
}

/// For each Resource ARN seen on this thread, the catalog templates (by address and length)
/// it was compared with and the answers: half of the corpus's (ARN, template) pairs are asked
/// again in later policies, and proving an overlap is the rule's cost.
type OverlapMemo = TextMemo<Vec<((usize, usize), bool)>>;

thread_local! {
    static OVERLAPS: RefCell<OverlapMemo> = RefCell::default();
}

/// [`arn_patterns_may_overlap`] of a Resource ARN and a catalog template, through the memo.
fn may_overlap(catalog: &'static Catalog, arn: &str, template: &str) -> bool {
    let key = (template.as_ptr() as usize, template.len());
    OVERLAPS.with(|memo| {
        let mut memo = memo.borrow_mut();
        let known = memo.entry(catalog, arn, Vec::new);
        if let Some(&(_, answer)) = known.iter().find(|(k, _)| *k == key) {
            return answer;
        }
        let answer = arn_patterns_may_overlap(arn, template);
        known.push((key, answer));
        answer
    })
}

/// "s3:GetObject acts on object (arn:${Partition}:s3:::${BucketName}/${ObjectName}); ..." for a
/// few actions, so the reader sees which ARN to write. Resource types whose ARNs look most like
/// the listed ones (same service, Region present or absent alike) come first.
fn what_actions_need(actions: &[Action<'_>], arns: &[&str]) -> String {
    const SHOWN: usize = 3;
    let listed: Vec<Arn<'_>> = arns.iter().filter_map(|a| Arn::parse(a).ok()).collect();
    let likeness = |template: &str| -> usize {
        let Ok(t) = Arn::parse(template) else {
            return 0;
        };
        listed
            .iter()
            .map(|a| {
                usize::from(a.service.value == t.service.value) * 2
                    + usize::from(a.region.is_empty() == t.region.is_empty())
                    + usize::from(a.account.is_empty() == t.account.is_empty())
            })
            .max()
            .unwrap_or(0)
    };
    let mut parts = Vec::new();
    for action in actions.iter().take(SHOWN) {
        let mut types: Vec<(usize, String)> = action
            .resource_types()
            .map(|r| {
                let template = r.resource_type.arn_templates().next().unwrap_or("");
                (
                    likeness(template),
                    format!("{} ({template})", r.resource_type.name()),
                )
            })
            .collect();
        // Best match first; the sort is stable, so the catalog's order breaks ties.
        types.sort_by_key(|t| std::cmp::Reverse(t.0));
        let shown: Vec<String> = types.into_iter().take(2).map(|(_, t)| t).collect();
        parts.push(format!(
            "{} acts on {}",
            action.full_name(),
            shown.join(" or ")
        ));
    }
    if actions.len() > SHOWN {
        parts.push(format!("and {} more actions", actions.len() - SHOWN));
    }
    format!("{}.", parts.join("; "))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    /// Resource ARNs of the shapes policies use (wildcards, variables, other services), each
    /// asked several times in a fixed pseudo-random order against the templates of a few
    /// services: the memo must give what the overlap test gives, the first time and later.
    #[test]
    fn memo_answers_as_the_overlap_test_does() {
        const ARNS: &[&str] = &[
            "arn:aws:s3:::b",
            "arn:aws:s3:::b/*",
            "arn:aws:s3:::*",
            "arn:aws:s3:::${aws:username}-*/x",
            "arn:aws:ec2:*:*:instance/*",
            "arn:aws:ec2:us-east-1:111122223333:volume/vol-1",
            "arn:aws:ec2:*::snapshot/*",
            "arn:aws:iam::*:role/*",
            "arn:aws:iam::111122223333:user/${aws:username}",
            "arn:aws:kms:*:*:key/*",
            "arn:aws:kms:*:*:alias/a?c",
            "arn:aws:lambda:*:*:function:f:*",
            "arn:aws:sqs:*:*:q",
            "arn:aws:*:*:*:*",
            "arn:aws:logs:*:*:log-group:/aws/x:*",
        ];
        let catalog = crate::catalog::catalog();
        let templates: Vec<&str> = catalog
            .services()
            .filter(|s| ["s3", "ec2", "iam", "kms", "lambda", "sqs"].contains(&s.prefix()))
            .flat_map(|s| s.resource_types().collect::<Vec<_>>())
            .flat_map(|t| t.arn_templates().collect::<Vec<_>>())
            .collect();
        let mut next = crate::test_random::below(0x853c_49e6_748f_ea9bu64);
        let (mut yes, mut no) = (0, 0);
        for _ in 0..3 * ARNS.len() * templates.len() {
            let arn = ARNS[next(ARNS.len())];
            let template = templates[next(templates.len())];
            let want = crate::arn::arn_patterns_may_overlap(arn, template);
            assert_eq!(
                super::may_overlap(catalog, arn, template),
                want,
                "{arn} {template}"
            );
            if want {
                yes += 1;
            } else {
                no += 1;
            }
        }
        assert!(yes > 1000 && no > 5000, "{yes} {no}");
    }

    #[test]
    fn flags_object_action_on_a_bucket_arn() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::b"}]}"#;
        let found = findings_of(text, "identity", "RESOURCE_TYPE_MISMATCH");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].span.slice(text), "arn:aws:s3:::b");
        assert!(
            found[0].message.contains("s3:GetObject acts on object"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn flags_wrong_services_on_the_whole_list() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:sqs:us-east-1:111122223333:q", "arn:aws:dynamodb:us-east-1:111122223333:table/t"]}]}"#;
        let found = findings_of(text, "identity", "RESOURCE_TYPE_MISMATCH");
        assert_eq!(found.len(), 1);
        assert!(found[0].span.slice(text).starts_with("[\"arn:aws:sqs:"));
        assert!(found[0].message.contains("any of these 2 resources"));
    }

    #[test]
    fn any_matching_pair_or_undecidable_input_passes() {
        for (actions, resources) in [
            (
                r#"["s3:GetObject", "s3:ListBucket"]"#,
                r#""arn:aws:s3:::b""#,
            ),
            (r#""s3:Get*""#, r#""arn:aws:s3:::b""#),
            (r#""s3:GetObject""#, r#""arn:aws:s3:::b*""#),
            (r#""s3:GetObject""#, r#""*""#),
            (r#""s3:GetObject""#, r#""arn:aws:s3:*""#),
            (r#""*""#, r#""arn:aws:s3:::b""#),
            (r#""s3:BrandNewAction""#, r#""arn:aws:s3:::b""#),
            (r#""s3:GetObject""#, r#""arn:aws:s3:::b/${aws:username}""#),
            (r#""s3:ListAllMyBuckets""#, r#""arn:aws:s3:::b""#),
        ] {
            let text = format!(
                r#"{{"Statement": [{{"Effect": "Allow", "Action": {actions}, "Resource": {resources}}}]}}"#
            );
            assert!(
                findings_of(&text, "identity", "RESOURCE_TYPE_MISMATCH").is_empty(),
                "{text}"
            );
        }
        let deny = r#"{"Statement": [{"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b"}]}"#;
        assert!(findings_of(deny, "identity", "RESOURCE_TYPE_MISMATCH").is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
