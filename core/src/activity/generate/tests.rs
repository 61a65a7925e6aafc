use std::borrow::Cow;

use proptest::prelude::*;

use super::*;
use crate::activity::mapping::mapping;
use crate::activity::record::{Event, Identity};
use crate::activity::usage::{Filter, Principal};
use crate::analysis::{analyze, AnalyzeOptions};
use crate::diagnostic::Category;
use crate::eval::{
    evaluate, CompiledPolicy, Decision, PolicySet, Request, RequestContext, RequestPrincipal,
};
use crate::policy::PolicyType;

const ROLE: &str = "arn:aws:iam::111122223333:role/deploy";
const SESSION: &str = "arn:aws:sts::111122223333:assumed-role/deploy/ci";

fn filter() -> Filter {
    Filter::new(Principal::parse(ROLE).unwrap())
}

fn event(source: &str, name: &str, resources: &[String]) -> Event<'static> {
    Event {
        time: Cow::Borrowed("2026-01-12T09:00:00Z"),
        time_ms: 1_768_208_400_000,
        source: Cow::Owned(source.to_string()),
        name: Cow::Owned(name.to_string()),
        identity: Identity {
            kind: Some(Cow::Borrowed("AssumedRole")),
            arn: Some(Cow::Borrowed(SESSION)),
            issuer_arn: Some(Cow::Borrowed(ROLE)),
            account_id: Some(Cow::Borrowed("111122223333")),
        },
        region: Some(Cow::Borrowed("us-east-1")),
        resources: resources.iter().map(|r| Cow::Owned(r.clone())).collect(),
        ..Event::default()
    }
}

/// A concrete ARN from a catalog template: `${Partition}` -> aws, Region and account fixed,
/// every other placeholder -> `name`.
fn concrete(template: &str, name: &str) -> String {
    // AWS Backup's recovery points carry the service that holds the copy and its resource type
    // as placeholders (`arn:${Partition}:${Vendor}:${Region}:*:${ResourceType}:...`). CloudTrail
    // writes real ones; a made-up service there (`r3`) is rightly called misspelt by
    // INVALID_ARN_SERVICE, so fill it as a backup vault's own recovery point.
    let template = template.replace(
        "${Vendor}:${Region}:*:${ResourceType}:",
        "backup:${Region}:*:recovery-point:",
    );
    crate::catalog::fill_arn_template(&template, |_, placeholder| {
        match placeholder {
            "Partition" => "aws",
            "Region" => "eu-west-1",
            // Account, AccountId, MemberAccountId, ...: an account field is 12 digits.
            p if p.contains("Account") => "111122223333",
            _ => name,
        }
        .to_string()
    })
}

fn decision(policies: &[String], action: &str, resource: &str) -> Decision {
    let identity = policies
        .iter()
        .enumerate()
        .map(|(i, p)| CompiledPolicy::compile(&format!("p{i}"), p).expect("compiles"))
        .collect();
    let set = PolicySet {
        identity,
        ..PolicySet::default()
    };
    let mut request = Request {
        principal: RequestPrincipal::parse(SESSION).unwrap(),
        action: action.to_string(),
        resource: resource.to_string(),
        resource_account: None,
        context: RequestContext::new(),
    };
    request.add_principal_keys();
    evaluate(&set, &request).decision
}

/// Every generated policy is within the quota and has no error finding.
fn assert_valid(g: &Generated) {
    for p in &g.policies {
        assert!(non_whitespace_chars(p) <= MANAGED_POLICY_QUOTA, "{p}");
        let analysis = analyze(
            p,
            &AnalyzeOptions {
                policy_type: PolicyType::Identity,
                ..AnalyzeOptions::default()
            },
        );
        let errors: Vec<_> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.category == Category::Error)
            .map(|d| format!("{}: {}", d.code, d.message))
            .collect();
        assert!(errors.is_empty(), "{errors:?}\n{p}");
    }
}

/// Every known event, in a fixed order (the mapping's map has none).
fn known_events() -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = mapping().events().map(|(s, n, _)| (s, n)).collect();
    all.sort();
    all
}

#[test]
fn the_mapping_is_loaded() {
    assert_eq!(mapping().error(), None);
    assert!(known_events().len() > 10_000);
}

/// Every mapped event at once, each naming a resource of its action's own type (filled as the
/// property test below fills it): the generated policies draw no error. The property test
/// samples 32 mixes; this covers every template, including the rare ones a sample can miss
/// (AWS Backup's `${Vendor}` in the service field once made it fail on one seed in many).
#[test]
fn every_event_with_a_named_resource_generates_valid_policies() {
    let f = filter();
    let mut usage = Usage::new();
    for (source, name) in &known_events() {
        let mapped = actions_for_event(source, name).expect("a known event");
        let first = catalog().action(mapped.actions[0].action);
        let template = first.as_ref().and_then(|a| scoping_templates(a).next());
        // One name for all, deliberately one letter from `s3`: a placeholder that reaches a
        // service field must still give a valid ARN.
        let resource = template.map(|t| concrete(t, "r3"));
        usage.add_event(&f, &event(source, name, resource.as_slice()));
    }
    for mode in [ResourceMode::Observed, ResourceMode::Star] {
        assert_valid(&generate(&usage, &f.principal, mode, None, None));
    }
}

#[test]
fn groups_by_service_and_names_observed_resources() {
    let mut usage = Usage::new();
    let f = filter();
    let obj = |k: &str| format!("arn:aws:s3:::artifacts/{k}");
    for (source, name, res) in [
        (
            "s3.amazonaws.com",
            "GetObject",
            vec![obj("a.zip"), "arn:aws:s3:::artifacts".into()],
        ),
        ("s3.amazonaws.com", "HeadObject", vec![obj("b.zip")]),
        (
            "s3.amazonaws.com",
            "ListObjectsV2",
            vec!["arn:aws:s3:::artifacts".into()],
        ),
        ("sts.amazonaws.com", "GetCallerIdentity", vec![]),
        ("nowhere.amazonaws.com", "Frobnicate", vec![]),
    ] {
        usage.add_event(&f, &event(source, name, &res));
    }
    let g = generate(&usage, &f.principal, ResourceMode::Observed, None, None);
    assert_valid(&g);
    assert_eq!(g.policies.len(), 1);
    let actions: Vec<&str> = g.actions.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(
        actions,
        ["s3:GetObject", "s3:ListBucket", "sts:GetCallerIdentity"]
    );
    assert_eq!(g.actions[0].events, 2);
    assert_eq!(
        g.unmapped,
        [Unmapped {
            event_source: "nowhere.amazonaws.com".into(),
            event_name: "Frobnicate".into(),
            events: 1
        }]
    );
    let p = &g.policies[0];
    assert_eq!(
        decision(&g.policies, "s3:GetObject", &obj("a.zip")),
        Decision::Allowed
    );
    assert_eq!(
        decision(&g.policies, "s3:GetObject", &obj("b.zip")),
        Decision::Allowed
    );
    assert_eq!(
        decision(&g.policies, "s3:GetObject", &obj("c.zip")),
        Decision::ImplicitDeny
    );
    assert_eq!(
        decision(&g.policies, "s3:ListBucket", "arn:aws:s3:::artifacts"),
        Decision::Allowed
    );
    assert_eq!(
        decision(&g.policies, "s3:PutObject", &obj("a.zip")),
        Decision::ImplicitDeny
    );
    assert!(
        p.find("\"S3Group1\"").unwrap() < p.find("\"Sts\"").unwrap(),
        "{p}"
    );
    assert!(g.notes.iter().any(|n| n.contains("iam:PassRole")));
    assert!(g.notes.iter().any(|n| n.contains("No data event")));
    assert!(!g.notes.iter().any(|n| n.contains("us-east-1")));

    let star = generate(&usage, &f.principal, ResourceMode::Star, None, None);
    assert_eq!(
        decision(&star.policies, "s3:GetObject", &obj("c.zip")),
        Decision::Allowed
    );
    let placeholder = generate(&usage, &f.principal, ResourceMode::Placeholder, None, None);
    assert_valid(&placeholder);
    assert!(
        placeholder.policies[0].contains("arn:aws:s3:::BUCKET_NAME/KEY_NAME")
            || placeholder.policies[0].contains("arn:aws:s3:::BUCKET_NAME/OBJECT_NAME"),
        "{}",
        placeholder.policies[0]
    );
}

#[test]
fn splits_at_the_managed_policy_quota() {
    let mut usage = Usage::new();
    let f = filter();
    // 40 event kinds of DynamoDB each on its own 30 tables: far more than 6,144 characters.
    let events: Vec<(String, String)> = known_events()
        .into_iter()
        .filter(|(s, _)| s == "dynamodb.amazonaws.com")
        .take(40)
        .collect();
    for (i, (source, name)) in events.iter().enumerate() {
        let tables: Vec<String> = (0..30)
            .map(|t| format!("arn:aws:dynamodb:eu-west-1:111122223333:table/t{i}-{t}"))
            .collect();
        usage.add_event(&f, &event(source, name, &tables));
    }
    let g = generate(&usage, &f.principal, ResourceMode::Observed, None, None);
    assert!(g.policies.len() > 1, "{}", g.policies.len());
    assert_valid(&g);
    assert!(g.notes.iter().any(|n| n.contains("split into")));
    let mut checked = 0;
    for (i, (source, name)) in events.iter().enumerate() {
        let table = format!("arn:aws:dynamodb:eu-west-1:111122223333:table/t{i}-29");
        for a in actions_for_event(source, name).unwrap().actions {
            if catalog()
                .action(a.action)
                .is_some_and(|x| scopes_to(&x, &table))
            {
                assert_eq!(
                    decision(&g.policies, a.action, &table),
                    Decision::Allowed,
                    "{name}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 10, "{checked}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// The generated policy allows every mapped event of the principal, on the resource it
    /// named, and nothing else: no action that no event needed, and (observed) no other resource.
    #[test]
    fn allows_every_mapped_event_and_nothing_else(
        picks in proptest::collection::vec((any::<prop::sample::Index>(), 0u8..3), 1..25),
        unmapped in 0usize..3,
    ) {
        let all = known_events();
        let f = filter();
        let mut usage = Usage::new();
        let mut calls: Vec<(String, String, Option<String>)> = Vec::new();
        for (k, (index, named)) in picks.iter().enumerate() {
            let (source, name) = &all[index.index(all.len())];
            let mapped = actions_for_event(source, name).expect("a known event");
            let first = catalog().action(mapped.actions[0].action);
            // A resource of the event's own action type, when it has one and the pick says so.
            let template = first.as_ref().and_then(|a| scoping_templates(a).next());
            let resource = template.filter(|_| *named > 0).map(|t| concrete(t, &format!("r{k}")));
            usage.add_event(&f, &event(source, name, resource.as_slice()));
            for a in &mapped.actions {
                calls.push((a.action.to_string(), name.clone(), resource.clone().filter(|_| a.resource == ResourceRole::Target)));
            }
        }
        for u in 0..unmapped {
            usage.add_event(&f, &event("nowhere.amazonaws.com", &format!("Made{u}Up"), &[]));
        }
        for mode in [ResourceMode::Observed, ResourceMode::Star] {
            let g = generate(&usage, &f.principal, mode, None, None);
            assert_valid(&g);
            prop_assert_eq!(g.unmapped.len(), unmapped);
            let needed: BTreeSet<String> = calls.iter().map(|(a, _, _)| a.to_ascii_lowercase()).collect();
            for (action, name, resource) in &calls {
                let action_scopes = resource.as_deref().is_some_and(|r| catalog().action(action).is_some_and(|a| scopes_to(&a, r)));
                // Star allows anything on "*"; observed allows the named resource (the
                // pattern-or-star fallback of an unnamed resource is checked by its text).
                let target = match (mode, resource) {
                    (ResourceMode::Observed, Some(r)) if action_scopes => r.clone(),
                    (ResourceMode::Star, _) => resource.clone().unwrap_or_else(|| "*".into()),
                    _ => continue,
                };
                prop_assert_eq!(decision(&g.policies, action, &target), Decision::Allowed, "{} ({}) on {}\n{:?}", action, name, target, g.policies);
                if mode == ResourceMode::Observed {
                    let other = target.replace(":r", ":zz").replace("/r", "/zz");
                    let fell_back = g.policies.iter().any(|p| p.contains("\"*\"") || p.contains(&target.to_ascii_uppercase()));
                    if other != target && !fell_back {
                        let every_named = calls.iter().filter(|(a, _, _)| a == action).all(|(_, _, r)| r.is_some());
                        if every_named {
                            prop_assert_eq!(decision(&g.policies, action, &other), Decision::ImplicitDeny, "{} on {}", action, other);
                        }
                    }
                }
            }
            // Nothing beyond the needed actions: every action item is a needed action.
            for p in &g.policies {
                let v: serde_json::Value = serde_json::from_str(p).unwrap();
                for st in v["Statement"].as_array().unwrap() {
                    let items = match &st["Action"] {
                        serde_json::Value::String(s) => vec![s.clone()],
                        serde_json::Value::Array(a) => a.iter().map(|x| x.as_str().unwrap().to_string()).collect(),
                        _ => vec![],
                    };
                    for item in items {
                        prop_assert!(needed.contains(&item.to_ascii_lowercase()), "{} was not needed", item);
                    }
                }
            }
        }
    }
}

#[test]
fn past_the_kept_resources_the_pattern_is_used_whatever_the_order() {
    let f = filter();
    let arn = |i: usize| format!("arn:aws:s3:::logs/part-{i}");
    let read = |order: &mut dyn Iterator<Item = usize>| {
        // Two readers, as two threads would, merged.
        let (mut a, mut b) = (Usage::new(), Usage::new());
        for i in order {
            let u = if i % 3 == 0 { &mut a } else { &mut b };
            u.add_event(&f, &event("s3.amazonaws.com", "GetObject", &[arn(i)]));
        }
        a.merge(b);
        generate(&a, &f.principal, ResourceMode::Observed, None, None)
    };
    let forward = read(&mut (0..40));
    let backward = read(&mut (0..40).rev());
    assert_eq!(forward.policies, backward.policies);
    let p = &forward.policies[0];
    assert!(p.contains("arn:aws:s3:::BUCKET_NAME/OBJECT_NAME"), "{p}");
    assert!(!p.contains("part-"), "{p}");
    // 32 resources are listed as they are.
    let few = read(&mut (0..32));
    assert!(few.policies[0].contains("part-31") && !few.policies[0].contains("BUCKET_NAME"));
}

#[test]
fn resource_mode_option_defaults_to_observed_and_names_the_choices_when_wrong() {
    assert_eq!(ResourceMode::from_option(None), Ok(ResourceMode::Observed));
    assert_eq!(
        ResourceMode::from_option(Some("star")),
        Ok(ResourceMode::Star)
    );
    assert_eq!(
        ResourceMode::from_option(Some("some")),
        Err("must be observed, placeholder or star, not 'some'".to_string())
    );
}
