use super::*;
use crate::diagnostic::apply_edits;
use crate::policy::Policy;
use crate::syntax;

fn with_statement<R>(text: &str, f: impl FnOnce(&Statement<'_>) -> R) -> R {
    let doc = syntax::parse(text);
    let policy = Policy::from_root(doc.root.as_ref());
    f(&policy.statements[0])
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn assert_valid_json(text: &str) {
    serde_json::from_str::<serde_json::Value>(text).unwrap_or_else(|e| panic!("{e}: {text}"));
}

#[test]
fn one_item_per_line_lists_stay_one_item_per_line() {
    let text = "{\n  \"Statement\": [{\n    \"Effect\": \"Allow\",\n    \"Action\": [\n      \"s3:Get*\",\n      \"sqs:SendMessage\"\n    ],\n    \"Resource\": \"*\"\n  }]\n}";
    let edit = with_statement(text, |st| {
        replace_list_item(
            text,
            st.action.as_ref().unwrap(),
            0,
            &strings(&["s3:GetObject", "s3:GetBucketPolicy"]),
        )
    })
    .unwrap();
    let out = apply_edits(text, &[edit]).unwrap();
    assert_valid_json(&out);
    assert!(
        out.contains("\"Action\": [\n      \"s3:GetObject\",\n      \"s3:GetBucketPolicy\",\n      \"sqs:SendMessage\"\n    ]"),
        "{out}"
    );
}

#[test]
fn inline_lists_stay_inline_and_duplicates_are_dropped() {
    let text = r#"{"Statement": [{"Effect": "Allow", "Action": ["s3:Get*", "s3:GetObject"], "Resource": "*"}]}"#;
    let edit = with_statement(text, |st| {
        replace_list_item(
            text,
            st.action.as_ref().unwrap(),
            0,
            &strings(&["s3:GetObject", "s3:GetBucketTagging"]),
        )
    })
    .unwrap();
    let out = apply_edits(text, &[edit]).unwrap();
    assert_eq!(
        out,
        r#"{"Statement": [{"Effect": "Allow", "Action": ["s3:GetBucketTagging", "s3:GetObject"], "Resource": "*"}]}"#
    );
}

#[test]
fn a_single_string_becomes_an_array_laid_out_like_the_document() {
    let text = "{\n    \"Statement\": {\n        \"Effect\": \"Allow\",\n        \"Action\": \"s3:*\",\n        \"Resource\": \"*\"\n    }\n}";
    let edit = with_statement(text, |st| {
        replace_list_item(
            text,
            st.action.as_ref().unwrap(),
            0,
            &strings(&["s3:GetObject", "s3:ListBucket"]),
        )
    })
    .unwrap();
    let out = apply_edits(text, &[edit]).unwrap();
    assert_valid_json(&out);
    assert!(
        out.contains("\"Action\": [\n            \"s3:GetObject\",\n            \"s3:ListBucket\"\n        ],"),
        "{out}"
    );
    // On one line, the array stays on one line.
    let text = r#"{"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}"#;
    let edit = with_statement(text, |st| {
        replace_list_item(
            text,
            st.action.as_ref().unwrap(),
            0,
            &strings(&["a:B", "a:C"]),
        )
    })
    .unwrap();
    assert_eq!(
        apply_edits(text, &[edit]).unwrap(),
        r#"{"Statement": {"Effect": "Allow", "Action": ["a:B", "a:C"], "Resource": "*"}}"#
    );
}

#[test]
fn nothing_left_means_no_edit() {
    let text = r#"{"Statement": {"Effect": "Allow", "Action": ["s3:Get*", "s3:GetObject"], "Resource": "*"}}"#;
    let edit = with_statement(text, |st| {
        replace_list_item(
            text,
            st.action.as_ref().unwrap(),
            0,
            &strings(&["s3:GetObject"]),
        )
    });
    assert!(edit.is_none());
}

#[test]
fn adds_a_condition_element_in_the_document_layout() {
    let text = "{\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Principal\": {\"Service\": \"sns.amazonaws.com\"},\n      \"Action\": \"sqs:SendMessage\",\n      \"Resource\": \"arn:aws:sqs:us-east-1:111122223333:q\"\n    }\n  ]\n}";
    let fix = with_statement(text, |st| {
        add_condition_fix(
            text,
            st,
            "Add source",
            &[
                ("ArnLike", "aws:SourceArn", "arn:aws:sns:*:*:TOPIC"),
                ("StringEquals", "aws:SourceAccount", "ACCOUNT_ID"),
            ],
        )
    })
    .unwrap();
    let out = fix.apply(text).unwrap();
    assert_valid_json(&out);
    assert!(
        out.contains(
            "\"Resource\": \"arn:aws:sqs:us-east-1:111122223333:q\",\n      \"Condition\": {\n        \"ArnLike\": {\n          \"aws:SourceArn\": \"arn:aws:sns:*:*:TOPIC\"\n        },\n        \"StringEquals\": {\n          \"aws:SourceAccount\": \"ACCOUNT_ID\"\n        }\n      }\n    }"
        ),
        "{out}"
    );
}

#[test]
fn adds_to_existing_blocks_without_duplicate_operators() {
    let text = r#"{"Statement": {"Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}}}"#;
    let fix = with_statement(text, |st| {
        add_condition_fix(
            text,
            st,
            "Add sub",
            &[(
                "StringEquals",
                "token.actions.githubusercontent.com:sub",
                "repo:OWNER/REPO:ref:refs/heads/BRANCH",
            )],
        )
    })
    .unwrap();
    let out = fix.apply(text).unwrap();
    assert_valid_json(&out);
    assert_eq!(
        out,
        r#"{"Statement": {"Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": "repo:OWNER/REPO:ref:refs/heads/BRANCH"}}}}"#
    );
    // A new operator goes in as a new block; an existing test on the same key is never touched.
    let fix = with_statement(text, |st| {
        add_condition_fix(
            text,
            st,
            "x",
            &[("StringLike", "a:b", "c"), ("Bool", "a:d", "true")],
        )
    })
    .unwrap();
    assert_valid_json(&fix.apply(text).unwrap());
    let none = with_statement(text, |st| {
        add_condition_fix(
            text,
            st,
            "x",
            &[(
                "StringEquals",
                "token.actions.githubusercontent.com:aud",
                "x",
            )],
        )
    });
    assert!(none.is_none());
}

#[test]
fn placeholders_are_filled_for_the_author() {
    assert_eq!(
        template_to_placeholder_arn("arn:${Partition}:s3:::${BucketName}/${ObjectName}"),
        "arn:aws:s3:::BUCKET_NAME/OBJECT_NAME"
    );
    assert_eq!(
        template_to_placeholder_arn("arn:${Partition}:sqs:${Region}:${Account}:${QueueName}"),
        "arn:aws:sqs:*:*:QUEUE_NAME"
    );
    assert_eq!(template_to_placeholder_arn("arn:${Broken"), "arn:${Broken");
}

/// Whatever a placeholder in the account field is called, it becomes `*`: an upper-case name
/// there is an invalid account (the generated policy for MSK's `vpc-connection` drew
/// INVALID_ARN_ACCOUNT on `VPC_OWNER_ACCOUNT`). Placeholders after the account field keep
/// their names.
#[test]
fn account_fields_of_any_name_become_a_wildcard() {
    assert_eq!(
        template_to_placeholder_arn(
            "arn:${Partition}:kafka:${Region}:${VpcOwnerAccount}:vpc-connection/${ClusterOwnerAccount}/${ClusterName}/${Uuid}"
        ),
        "arn:aws:kafka:*:*:vpc-connection/CLUSTER_OWNER_ACCOUNT/CLUSTER_NAME/UUID"
    );
    assert_eq!(
        template_to_placeholder_arn(
            "arn:${Partition}:account::${ManagementAccountId}:account/o-${OrganizationId}/${MemberAccountId}"
        ),
        "arn:aws:account::*:account/o-ORGANIZATION_ID/MEMBER_ACCOUNT_ID"
    );
}

/// Every template of the catalog, filled for the author, draws no error finding: a fix or a
/// generated policy built from it never adds an error.
#[test]
fn every_filled_template_is_a_valid_arn() {
    use crate::catalog::catalog;
    let mut bad = Vec::new();
    for service in catalog().services() {
        for rt in service.resource_types() {
            for t in rt.arn_templates() {
                let arn = template_to_placeholder_arn(t);
                let policy = format!(
                    r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "*", "Resource": "{arn}"}}]}}"#
                );
                let errors: Vec<String> =
                    crate::analyze(&policy, &crate::AnalyzeOptions::default())
                        .diagnostics
                        .into_iter()
                        .filter(|d| d.category == crate::Category::Error)
                        .map(|d| format!("{arn}: {} {}", d.code, d.message))
                        .collect();
                bad.extend(errors);
            }
        }
    }
    assert!(bad.is_empty(), "{} errors:\n{}", bad.len(), bad.join("\n"));
}

/// The actions' edit is the one the general edit writes for the same names, whatever the order
/// the actions come in: the walk along the list's sorted names starts again when they are not
/// in catalog order (a new service, a step back, a repeat).
#[test]
fn actions_are_offered_as_their_names_are_in_any_order() {
    let text = r#"{"Statement": {"Effect": "Allow", "Action": ["s3:Get*", "S3:GETOBJECT", "sqs:sendmessage", "s3:GetObjectAcl", "s3:zzz"], "Resource": "*"}}"#;
    let catalog = crate::catalog::catalog();
    let s3 = catalog.expand_action_pattern("s3:Get*");
    let sqs = catalog.expand_action_pattern("sqs:*");
    assert!(s3.len() > 10 && sqs.len() > 10);
    let mut orders: Vec<Vec<Action<'_>>> = vec![s3.clone(), s3.iter().rev().copied().collect()];
    // Each action twice in a row: written once.
    orders.push(s3.iter().flat_map(|a| [*a, *a]).collect());
    // Two services, one after the other and taking turns.
    orders.push(s3.iter().chain(&sqs).copied().collect());
    orders.push(s3.iter().zip(&sqs).flat_map(|(a, b)| [*a, *b]).collect());
    // A step back in the middle of a service.
    let mut stepped = s3.clone();
    stepped.swap(3, 7);
    orders.push(stepped);
    with_statement(text, |st| {
        let list = st.action.as_ref().unwrap();
        let known = ListedActions::of_list(list);
        let layout = Layout::new(text);
        for actions in &orders {
            let names: Vec<String> = actions.iter().map(Action::full_name).collect();
            let expected = replace_list_item(text, list, 0, &names).unwrap();
            let edit =
                replace_list_item_with_actions(&layout, list, 0, actions.iter().copied(), &known)
                    .unwrap();
            assert_eq!(edit, expected);
            assert!(!edit.text.to_ascii_lowercase().contains("\"s3:getobject\""));
            assert!(!edit.text.contains("SendMessage\""));
        }
    });
}

/// For every item of every `Action` list of `text` that names an action: the edit written from
/// the actions and the set of actions the list names (found by catalog lookups, and from the
/// items' expansions as the rules find it) is the edit the plain path writes from the actions'
/// full names, comparing each with every list value without case. Returns how many items it
/// compared.
fn actions_edit_as_names_do(text: &str) -> usize {
    let doc = syntax::parse(text);
    let policy = Policy::from_root(doc.root.as_ref());
    let catalog = crate::catalog::catalog();
    let layout = Layout::new(text);
    let mut compared = 0;
    for st in &policy.statements {
        let Some(list) = &st.action else { continue };
        let expanded: Vec<Vec<Action<'_>>> = list
            .items
            .iter()
            .map(|i| catalog.expand_action_pattern(i.value))
            .collect();
        let looked_up = ListedActions::of_list(list);
        let from_expansion =
            ListedActions::new(list.items.iter().zip(&expanded).map(|(i, a)| match a[..] {
                [only] => (i.value, Some(only)),
                _ => (i.value, None),
            }));
        for (index, actions) in expanded.iter().enumerate() {
            if actions.is_empty() {
                continue;
            }
            let names: Vec<String> = actions.iter().map(Action::full_name).collect();
            let plain = replace_list_item(text, list, index, &names);
            for listed in [&looked_up, &from_expansion] {
                let fast = replace_list_item_with_actions(
                    &layout,
                    list,
                    index,
                    actions.iter().copied(),
                    listed,
                );
                assert_eq!(fast, plain, "item {index} of {text}");
            }
            compared += 1;
        }
    }
    compared
}

/// Generated lists (a fixed pseudo-random sequence) mixing plain names in several spellings,
/// patterns (some matching a single action, which does not name it; some of several
/// services), services written in other cases, unknown names and repeats, in several layouts.
#[test]
fn listed_actions_agree_with_comparing_names_on_generated_lists() {
    const POOL: &[&str] = &[
        "s3:GetObject",
        "S3:getobject",
        "s3:GETOBJECTACL",
        "s3:Get*",
        "s3:GetObjec?",
        "s3:GetObjectAc?",
        "s3:*Object",
        "s3:PutObject",
        "s3:Put*",
        "s3:NoSuchAction",
        "s3*:GetObject",
        "s3:Get${*}",
        "s3:GetObject ",
        "sqs:SendMessage",
        "SQS:sendmessage",
        "sqs:*",
        "sqs:Send*",
        "iam:PassRole",
        "iam:Pass*",
        "ec2:Describe*",
        "ec2:DescribeInstances",
        "ec2:describeinstances",
        "nope:Get*",
        "*:GetBucketPolicy",
        "s3*:List*",
        "s3",
        "",
        ":",
        "*",
    ];
    let mut next = crate::test_random::below(0x11a7_ed0f_fe75_0001);
    let mut compared = 0;
    for round in 0..300 {
        let items: Vec<String> = (0..1 + next(10))
            .map(|_| format!("\"{}\"", POOL[next(POOL.len())]))
            .collect();
        // Arrays on one line and one item per line, and a single string (written as an array
        // when it becomes several names) in a one-line and a multi-line document.
        let text = match round % 4 {
            0 => format!(
                r#"{{"Statement": [{{"Effect": "Allow", "Action": [{}], "Resource": "*"}}]}}"#,
                items.join(", ")
            ),
            1 => format!(
                "{{\n  \"Statement\": [\n    {{\n      \"Effect\": \"Allow\",\n      \"Action\": [\n        {}\n      ],\n      \"Resource\": \"*\"\n    }}\n  ]\n}}",
                items.join(",\n        ")
            ),
            2 => format!(
                r#"{{"Statement": [{{"Effect": "Allow", "Action": {}, "Resource": "*"}}]}}"#,
                items[0]
            ),
            _ => format!(
                "{{\n    \"Statement\": {{\n        \"Effect\": \"Allow\",\n        \"Action\": {},\n        \"Resource\": \"*\"\n    }}\n}}",
                items[0]
            ),
        };
        compared += actions_edit_as_names_do(&text);
    }
    assert!(compared > 500, "{compared}");
}

/// The same on every 3rd latest AWS managed policy (skipped when the corpus is not fetched).
#[test]
fn listed_actions_agree_with_comparing_names_on_the_corpus() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../.cache/managed-policies/latest");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("corpus not fetched ({}): skipped", dir.display());
        return;
    };
    let mut paths: Vec<std::path::PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    let compared: usize = paths
        .iter()
        .step_by(3)
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .map(|text| actions_edit_as_names_do(&text))
        .sum();
    assert!(compared > 1000, "{compared}");
}
