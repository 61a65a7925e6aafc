//! Never wider: every `review` fix the security rules offer, applied to a generated policy, must
//! give a document that parses, has no ERROR finding the original did not have, and grants a
//! subset of what the original granted.
//!
//! "Grants a subset" is checked statement by statement (the fixes never add or remove
//! statements): the same Effect and Principal; for an Allow, every action of the new Action list
//! (expanded through the catalog) is granted by the old Action or NotAction, every new Resource
//! pattern is contained in an old one, and every old condition is still there (a narrowing
//! rename such as dropping `ForAllValues:` on a single-valued key, or `BoolIfExists` -> `Bool`,
//! counts as still there); a Deny may only get wider (`Bool` -> `BoolIfExists`).
//!
//! The same holds in every host form (`host_fixes_never_widen`): each generated policy is written
//! as Terraform `jsonencode(...)`, a Terraform heredoc, a `data "aws_iam_policy_document"`, a
//! CloudFormation YAML template, a CloudFormation JSON template, and JSON text in a YAML literal
//! (`|`) and folded (`>-`) block scalar; every review fix offered on the host file must apply, leave the
//! file readable (no host syntax error, the same policy found) and grant nothing new.
//!
//! The seed is fixed so CI runs the same cases every time; set IAMLINT_NEVER_WIDER_SEED and
//! IAMLINT_NEVER_WIDER_CASES for a larger or different run.

use std::collections::BTreeMap;

use iamlint_core::arn::{action_pattern_covers, arn_pattern_covers};
use iamlint_core::wildcard::action_matches;
use iamlint_core::{analyze, catalog, AnalyzeOptions, Category, PolicyType, Safety};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};
use serde_json::{json, Map, Value};

const DEFAULT_SEED: u64 = 0x0001_ab1e_55ec;
const DEFAULT_CASES: u32 = 64;

const ACTIONS: &[&str] = &[
    "*",
    "s3:*",
    "sqs:*",
    "s3:Get*",
    "s3:Put*",
    "sqs:Delete*",
    "sqs:SendMessage",
    "sqs:ReceiveMessage",
    "iam:PassRole",
    "iam:*",
    "iam:CreateServiceLinkedRole",
    "ec2:RunInstances",
    "lambda:CreateFunction",
    "lambda:InvokeFunction",
    "secretsmanager:GetSecretValue",
    "kms:*",
    "s3:ListAllMyBuckets",
    "sts:AssumeRole",
];

const RESOURCES: &[&str] = &[
    "*",
    "arn:aws:s3:::example-bucket/*",
    "arn:aws:sqs:us-east-1:111122223333:jobs",
    "arn:aws:iam::111122223333:role/app-*",
];

fn security_codes() -> Vec<&'static str> {
    iamlint_core::rules::security::RULES
        .iter()
        .map(|r| r.meta.code)
        .collect()
}

/// A resource policy is attached to one resource, so its statements are about one service:
/// (actions, resources) per service.
const RESOURCE_POLICY_POOLS: &[(&[&str], &[&str])] = &[
    (
        &[
            "s3:*",
            "s3:Get*",
            "s3:Put*",
            "s3:GetObject",
            "s3:DeleteObject",
        ],
        &[
            "arn:aws:s3:::example-bucket/*",
            "arn:aws:s3:::example-bucket",
            "*",
        ],
    ),
    (
        &[
            "sqs:*",
            "sqs:Delete*",
            "sqs:SendMessage",
            "sqs:ReceiveMessage",
        ],
        &["arn:aws:sqs:us-east-1:111122223333:jobs", "*"],
    ),
];

/// A generated statement, as JSON: `kind` 0 identity, 1 trust, 2 resource policy (about the
/// service `pool` of [`RESOURCE_POLICY_POOLS`]).
fn statement(kind: u8, pool: usize) -> impl Strategy<Value = Value> {
    let (action_pool, resource_pool) = if kind == 2 {
        RESOURCE_POLICY_POOLS[pool % RESOURCE_POLICY_POOLS.len()]
    } else {
        (ACTIONS, RESOURCES)
    };
    let actions = prop::collection::vec(prop::sample::select(action_pool), 1..4);
    let resources = prop::collection::vec(prop::sample::select(resource_pool), 1..3);
    (
        prop::bool::weighted(0.85),
        prop::bool::weighted(0.2),
        actions,
        prop::bool::ANY,
        prop::bool::weighted(0.15),
        resources,
        0u8..6,
    )
        .prop_map(
            move |(allow, not_action, actions, as_array, not_resource, resources, extra)| {
                let mut st = Map::new();
                st.insert("Effect".into(), json!(if allow { "Allow" } else { "Deny" }));
                let list = |v: Vec<&str>| -> Value {
                    if v.len() == 1 && !as_array {
                        json!(v[0])
                    } else {
                        json!(v)
                    }
                };
                match kind {
                    // Trust policy statements.
                    1 => {
                        let principal = match extra {
                            0 => json!({"Service": "glue.amazonaws.com"}),
                            1 => json!({"AWS": "arn:aws:iam::999988887777:root"}),
                            2 => json!({"AWS": "*"}),
                            3 => json!({"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}),
                            _ => json!({"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE"}),
                        };
                        let action = if extra >= 3 {
                            "sts:AssumeRoleWithWebIdentity"
                        } else {
                            "sts:AssumeRole"
                        };
                        st.insert("Principal".into(), principal);
                        st.insert("Action".into(), json!(action));
                        if extra == 3 && as_array {
                            st.insert(
                                "Condition".into(),
                                json!({"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}),
                            );
                        }
                        return Value::Object(st);
                    }
                    // Resource policy statements.
                    2 => {
                        let principal = match extra {
                            0 | 1 => json!("*"),
                            2 => json!({"Service": "sns.amazonaws.com"}),
                            3 => json!({"AWS": ["*"]}),
                            _ => json!({"AWS": "arn:aws:iam::444455556666:root"}),
                        };
                        st.insert("Principal".into(), principal);
                    }
                    _ => {}
                }
                if not_action {
                    st.insert("NotAction".into(), list(actions));
                } else {
                    st.insert("Action".into(), list(actions));
                }
                if not_resource {
                    st.insert("NotResource".into(), list(resources));
                } else {
                    st.insert("Resource".into(), list(resources));
                }
                match extra {
                    4 => {
                        st.insert(
                            "Condition".into(),
                            json!({"ForAllValues:StringEquals": {"aws:RequestedRegion": ["eu-west-1"]}}),
                        );
                    }
                    5 if kind == 0 => {
                        st.insert(
                            "Condition".into(),
                            json!({"Bool": {"aws:MultiFactorAuthPresent": "false"}}),
                        );
                    }
                    _ => {}
                }
                Value::Object(st)
            },
        )
}

/// (policy type, text): identity, trust and resource policies, compact or pretty-printed.
fn policy() -> impl Strategy<Value = (String, String)> {
    (0u8..3, 0usize..RESOURCE_POLICY_POOLS.len())
        .prop_flat_map(|(kind, pool)| {
            (
                Just(kind),
                prop::collection::vec(statement(kind, pool), 1..4),
                0u8..3,
            )
        })
        .prop_map(|(kind, statements, layout)| {
            let doc = json!({"Version": "2012-10-17", "Statement": statements});
            let text = match layout {
                0 => serde_json::to_string(&doc).unwrap(),
                1 => serde_json::to_string_pretty(&doc).unwrap(),
                _ => serde_json::to_string_pretty(&doc)
                    .unwrap()
                    .replace("  ", "    "),
            };
            let ty = ["identity", "trust", "resource"][kind as usize].to_string();
            (ty, text)
        })
}

fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// Every catalog action a pattern grants; for a pattern the catalog does not know, the pattern
/// itself (compared textually).
fn expand(pattern: &str) -> Vec<String> {
    let found: Vec<String> = catalog::catalog()
        .expand_action_pattern(pattern)
        .iter()
        .map(|a| a.full_name())
        .collect();
    if found.is_empty() {
        vec![pattern.to_string()]
    } else {
        found
    }
}

/// True when the old statement grants `action` (a catalog name, or a pattern the catalog does
/// not know).
fn action_granted(old: &Map<String, Value>, action: &str) -> bool {
    let literal = !action.contains('*') && !action.contains('?');
    let covers = |p: &str| {
        if literal {
            action_matches(p, action)
        } else {
            action_pattern_covers(p, action)
        }
    };
    if let Some(list) = old.get("Action") {
        return strings(Some(list)).iter().any(|p| covers(p));
    }
    if let Some(list) = old.get("NotAction") {
        return !strings(Some(list))
            .iter()
            .any(|p| covers(p) || action_pattern_covers(action, p));
    }
    false
}

/// (operator, key, values) triples of a Condition.
fn conditions(st: &Map<String, Value>) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    if let Some(Value::Object(blocks)) = st.get("Condition") {
        for (op, block) in blocks {
            if let Value::Object(entries) = block {
                for (key, values) in entries {
                    out.push((op.clone(), key.to_ascii_lowercase(), values.to_string()));
                }
            }
        }
    }
    out
}

const ALLOW_NARROWING_RENAMES: &[(&str, &str)] = &[
    ("ForAllValues:StringEquals", "StringEquals"),
    ("ForAllValues:StringLike", "StringLike"),
    ("BoolIfExists", "Bool"),
];
const DENY_WIDENING_RENAMES: &[(&str, &str)] = &[("Bool", "BoolIfExists")];

fn renamed(old: &str, new: &str, table: &[(&str, &str)]) -> bool {
    old == new || table.iter().any(|(a, b)| *a == old && *b == new)
}

/// Why `new` grants something `old` did not, if it does.
fn wider(old: &Value, new: &Value) -> Option<String> {
    if old == new {
        return None;
    }
    let (Some(old_st), Some(new_st)) = (old.as_object(), new.as_object()) else {
        return Some("statement is no longer an object".into());
    };
    if old_st.get("Effect") != new_st.get("Effect") {
        return Some("Effect changed".into());
    }
    for element in ["Principal", "NotPrincipal"] {
        if old_st.get(element) != new_st.get(element) {
            return Some(format!("{element} changed"));
        }
    }
    let allow = old_st.get("Effect") == Some(&json!("Allow"));
    let old_conditions = conditions(old_st);
    let new_conditions = conditions(new_st);
    if !allow {
        // A Deny may only deny more: same actions and resources, conditions only weakened.
        for element in ["Action", "NotAction", "Resource", "NotResource"] {
            if old_st.get(element) != new_st.get(element) {
                return Some(format!("Deny {element} changed"));
            }
        }
        for (op, key, values) in &new_conditions {
            let kept = old_conditions
                .iter()
                .any(|(o, k, v)| k == key && v == values && renamed(o, op, DENY_WIDENING_RENAMES));
            if !kept {
                return Some(format!("Deny gained condition {op} {key}"));
            }
        }
        return None;
    }
    // Actions.
    if let Some(list) = new_st.get("Action") {
        for pattern in strings(Some(list)) {
            for action in expand(&pattern) {
                if !action_granted(old_st, &action) {
                    return Some(format!("{action} was not granted before"));
                }
            }
        }
    } else if let Some(list) = new_st.get("NotAction") {
        let old_excluded = strings(old_st.get("NotAction"));
        let new_excluded = strings(Some(list));
        if old_st.get("Action").is_some() || old_excluded.iter().any(|e| !new_excluded.contains(e))
        {
            return Some("NotAction excludes less".into());
        }
    }
    // Resources.
    if let Some(list) = new_st.get("Resource") {
        let old_resources = strings(old_st.get("Resource"));
        if old_st.get("NotResource").is_none() {
            for r in strings(Some(list)) {
                if !old_resources.iter().any(|o| arn_pattern_covers(o, &r)) {
                    return Some(format!("resource {r} is not within {old_resources:?}"));
                }
            }
        }
    } else if new_st.get("NotResource") != old_st.get("NotResource") {
        return Some("NotResource changed".into());
    }
    // Conditions: every old test is still there (or renamed to a narrower operator).
    for (op, key, values) in &old_conditions {
        let kept = new_conditions
            .iter()
            .any(|(o, k, v)| k == key && v == values && renamed(op, o, ALLOW_NARROWING_RENAMES));
        if !kept {
            return Some(format!("condition {op} {key} was dropped"));
        }
    }
    None
}

fn error_counts(text: &str, ty: &PolicyType) -> BTreeMap<&'static str, usize> {
    let mut counts = BTreeMap::new();
    for d in analyze(
        text,
        &AnalyzeOptions {
            policy_type: ty.clone(),
            ..AnalyzeOptions::default()
        },
    )
    .diagnostics
    {
        if d.category == Category::Error {
            *counts.entry(d.code).or_insert(0) += 1;
        }
    }
    counts
}

/// Check every security review fix on one policy; returns how many fixes were checked.
fn check_policy(ty_name: &str, text: &str) -> Result<usize, TestCaseError> {
    let codes = security_codes();
    let ty = PolicyType::parse(ty_name).unwrap();
    let options = AnalyzeOptions {
        policy_type: ty.clone(),
        ..AnalyzeOptions::default()
    };
    let analysis = analyze(text, &options);
    let before_errors = error_counts(text, &ty);
    let original: Value = serde_json::from_str(text).unwrap();
    let mut checked = 0;
    for d in analysis
        .diagnostics
        .iter()
        .filter(|d| codes.contains(&d.code))
    {
        for fix in d.fixes.iter().filter(|f| f.safety == Safety::Review) {
            let context = format!("{} / {}\n{text}", d.code, fix.title);
            let fixed = fix
                .apply(text)
                .ok_or_else(|| TestCaseError::fail(format!("edits do not apply: {context}")))?;
            let parsed: Value = serde_json::from_str(&fixed).map_err(|e| {
                TestCaseError::fail(format!("not JSON ({e}): {context}\n=> {fixed}"))
            })?;
            for (code, n) in error_counts(&fixed, &ty) {
                let was = before_errors.get(code).copied().unwrap_or(0);
                prop_assert!(n <= was, "new ERROR {code}: {context}\n=> {fixed}");
            }
            no_statement_wider(&original, &parsed, &context, &fixed)?;
            checked += 1;
        }
    }
    Ok(checked)
}

/// The fixed policy has the same statements, none of them wider.
fn no_statement_wider(
    original: &Value,
    parsed: &Value,
    context: &str,
    fixed: &str,
) -> Result<(), TestCaseError> {
    let old_statements = original["Statement"].as_array().unwrap();
    let new_statements = parsed["Statement"]
        .as_array()
        .ok_or_else(|| TestCaseError::fail(format!("Statement is gone: {context}")))?;
    prop_assert_eq!(old_statements.len(), new_statements.len());
    for (old, new) in old_statements.iter().zip(new_statements) {
        if let Some(why) = wider(old, new) {
            return Err(TestCaseError::fail(format!(
                "wider: {why}: {context}\n=> {fixed}"
            )));
        }
    }
    Ok(())
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn narrowing_fixes_never_widen() {
    let mut config = Config::with_cases(env_or("IAMLINT_NEVER_WIDER_CASES", DEFAULT_CASES));
    config.rng_seed = RngSeed::Fixed(env_or("IAMLINT_NEVER_WIDER_SEED", DEFAULT_SEED));
    config.failure_persistence = None;
    let mut runner = TestRunner::new(config);
    let checked = std::cell::Cell::new(0usize);
    let result = runner.run(&policy(), |(ty, text)| {
        let started = std::time::Instant::now();
        checked.set(checked.get() + check_policy(&ty, &text)?);
        if started.elapsed().as_secs() >= 2 {
            eprintln!(
                "never_wider: slow case ({:?}): {ty} {text}",
                started.elapsed()
            );
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    eprintln!("never_wider: {} fixes checked", checked.get());
    // The generator is built to reach the fixes; a run that checks none has stopped testing.
    assert!(checked.get() > 0, "no fix was exercised");
}

#[test]
fn the_checker_catches_a_wider_result() {
    let old = json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"});
    for new in [
        json!({"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"}),
        json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}),
        json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::*"}),
    ] {
        assert!(wider(&old, &new).is_some(), "{new}");
    }
    let narrower =
        json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/x"});
    assert_eq!(wider(&old, &narrower), None);
    let with_condition = json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*",
        "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-1"}}});
    assert_eq!(wider(&old, &with_condition), None);
    assert!(wider(&with_condition, &old).is_some());
}

/// The forms a policy is written in inside infrastructure code.
#[derive(Clone, Copy, Debug)]
enum HostForm {
    Jsonencode,
    Heredoc,
    CloudFormationYaml,
    CloudFormationJson,
    /// `data "aws_iam_policy_document"` (every generated policy can be written as one).
    PolicyDocument,
    /// JSON text in a YAML literal block scalar (`PolicyDocument: |`).
    YamlLiteralJson,
    /// JSON text in a YAML folded block scalar (`PolicyDocument: >-`).
    YamlFoldedJson,
    /// JSON text over several lines of a single-quoted YAML scalar.
    YamlSingleQuotedJson,
    /// JSON text over several lines of a double-quoted YAML scalar.
    YamlDoubleQuotedJson,
    /// JSON text as the template of `!Sub |` (a literal block).
    SubBlockJson,
    /// JSON text as the template of `Fn::Sub` in a double-quoted scalar.
    SubQuotedJson,
}

/// String-or-array elements as arrays, so a policy read back from a form that always writes
/// lists (the policy-document data source) compares equal to the original.
fn normalize(policy: &Value) -> Value {
    let list = |v: &Value| match v {
        Value::String(_) => json!([v]),
        other => other.clone(),
    };
    let mut policy = policy.clone();
    if let Some(statements) = policy["Statement"].as_array_mut() {
        for st in statements.iter_mut().filter_map(Value::as_object_mut) {
            for element in ["Action", "NotAction", "Resource", "NotResource"] {
                if let Some(v) = st.get_mut(element) {
                    *v = list(v);
                }
            }
            for element in ["Principal", "NotPrincipal"] {
                if let Some(Value::Object(entries)) = st.get_mut(element) {
                    for v in entries.values_mut() {
                        *v = list(v);
                    }
                }
            }
            if let Some(Value::Object(ops)) = st.get_mut("Condition") {
                for keys in ops.values_mut().filter_map(Value::as_object_mut) {
                    for v in keys.values_mut() {
                        *v = list(v);
                    }
                }
            }
        }
    }
    policy
}

/// A `data "aws_iam_policy_document"` for a generated policy.
fn policy_document(doc: &Value) -> String {
    use iamlint_core::fix::dialect::hcl_policy_document_string as s;
    let strings = |v: &Value| -> String {
        let items: Vec<String> = strings(Some(v)).iter().map(|x| s(x)).collect();
        format!("[{}]", items.join(", "))
    };
    let mut out = String::from("data \"aws_iam_policy_document\" \"p\" {\n");
    for st in doc["Statement"].as_array().unwrap() {
        out.push_str("  statement {\n");
        out.push_str(&format!(
            "    effect = {}\n",
            s(st["Effect"].as_str().unwrap())
        ));
        for (element, attr) in [
            ("Action", "actions"),
            ("NotAction", "not_actions"),
            ("Resource", "resources"),
            ("NotResource", "not_resources"),
        ] {
            if let Some(v) = st.get(element) {
                out.push_str(&format!("    {attr} = {}\n", strings(v)));
            }
        }
        match st.get("Principal") {
            Some(Value::String(star)) => out.push_str(&format!(
                "    principals {{\n      type = \"*\"\n      identifiers = [{}]\n    }}\n",
                s(star)
            )),
            Some(Value::Object(entries)) => {
                for (kind, ids) in entries {
                    out.push_str(&format!(
                        "    principals {{\n      type = {}\n      identifiers = {}\n    }}\n",
                        s(kind),
                        strings(ids)
                    ));
                }
            }
            _ => {}
        }
        if let Some(Value::Object(ops)) = st.get("Condition") {
            for (op, keys) in ops {
                for (key, values) in keys.as_object().unwrap() {
                    out.push_str(&format!(
                        "    condition {{\n      test = {}\n      variable = {}\n      values = {}\n    }}\n",
                        s(op),
                        s(key),
                        strings(values)
                    ));
                }
            }
        }
        out.push_str("  }\n");
    }
    out.push_str("}\n");
    out
}

/// An HCL expression for a JSON value (what `jsonencode` takes).
fn hcl(v: &Value, indent: &str) -> String {
    use iamlint_core::fix::dialect::hcl_string;
    match v {
        Value::String(s) => hcl_string(s),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().map(|i| hcl(i, indent)).collect();
            format!("[{}]", parts.join(", "))
        }
        Value::Object(members) => {
            let inner = format!("{indent}  ");
            let mut out = String::from("{\n");
            for (k, v) in members {
                let bare = k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                let key = if bare { k.clone() } else { hcl_string(k) };
                out.push_str(&format!("{inner}{key} = {}\n", hcl(v, &inner)));
            }
            out.push_str(indent);
            out.push('}');
            out
        }
        other => other.to_string(),
    }
}

/// A YAML block collection for a JSON value, at `indent`.
fn yaml(v: &Value, indent: usize) -> String {
    use iamlint_core::fix::dialect::yaml_scalar;
    let pad = " ".repeat(indent);
    let scalar = |v: &Value| match v {
        Value::String(s) => Some(yaml_scalar(s)),
        Value::Array(a) if a.is_empty() => Some("[]".into()),
        Value::Object(o) if o.is_empty() => Some("{}".into()),
        Value::Array(_) | Value::Object(_) => None,
        other => Some(other.to_string()),
    };
    match v {
        Value::Object(members) => members
            .iter()
            .map(|(k, v)| match scalar(v) {
                Some(s) => format!("{pad}{}: {s}\n", yaml_scalar(k)),
                None => format!("{pad}{}:\n{}", yaml_scalar(k), yaml(v, indent + 2)),
            })
            .collect(),
        Value::Array(items) => items
            .iter()
            .map(|item| match scalar(item) {
                Some(s) => format!("{pad}- {s}\n"),
                None => {
                    let block = yaml(item, indent + 2);
                    format!("{pad}- {}", &block[indent + 2..])
                }
            })
            .collect(),
        other => format!("{pad}{}\n", scalar(other).unwrap_or_default()),
    }
}

/// `text` (a JSON policy of type `ty`) written in a host; the policy is the host's only one.
fn in_host(ty: &str, text: &str, form: HostForm) -> String {
    let doc: Value = serde_json::from_str(text).unwrap();
    let sqs = text.contains("\"sqs:");
    let (tf_kind, tf_attr, cfn_type, cfn_property) = match ty {
        "trust" => (
            "aws_iam_role",
            "assume_role_policy",
            "AWS::IAM::Role",
            "AssumeRolePolicyDocument",
        ),
        "resource" if sqs => (
            "aws_sqs_queue_policy",
            "policy",
            "AWS::SQS::QueuePolicy",
            "PolicyDocument",
        ),
        "resource" => (
            "aws_s3_bucket_policy",
            "policy",
            "AWS::S3::BucketPolicy",
            "PolicyDocument",
        ),
        _ => (
            "aws_iam_policy",
            "policy",
            "AWS::IAM::ManagedPolicy",
            "PolicyDocument",
        ),
    };
    match form {
        HostForm::Jsonencode => format!(
            "resource \"{tf_kind}\" \"p\" {{\n  {tf_attr} = jsonencode({})\n}}\n",
            hcl(&doc, "  ")
        ),
        HostForm::Heredoc => format!(
            "resource \"{tf_kind}\" \"p\" {{\n  {tf_attr} = <<-EOT\n    {}\n  EOT\n}}\n",
            iamlint_core::fix::dialect::hcl_template_escaped(text).replace('\n', "\n    ")
        ),
        HostForm::CloudFormationYaml => format!(
            "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  P:\n    Type: {cfn_type}\n    Properties:\n      {cfn_property}:\n{}",
            yaml(&doc, 8)
        ),
        HostForm::YamlLiteralJson | HostForm::YamlFoldedJson => format!(
            "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  P:\n    Type: {cfn_type}\n    Properties:\n      {cfn_property}: {}\n        {}\n",
            if matches!(form, HostForm::YamlLiteralJson) { "|" } else { ">-" },
            serde_json::to_string_pretty(&doc).unwrap().replace('\n', "\n        ")
        ),
        HostForm::YamlSingleQuotedJson
        | HostForm::YamlDoubleQuotedJson
        | HostForm::SubBlockJson
        | HostForm::SubQuotedJson => {
            use iamlint_core::fix::dialect::{sub_literal, yaml_double_escaped, yaml_single_escaped};
            let pretty = serde_json::to_string_pretty(&doc).unwrap();
            let sub = matches!(form, HostForm::SubBlockJson | HostForm::SubQuotedJson);
            let pretty = if sub { sub_literal(&pretty) } else { pretty };
            let lines: Vec<String> = pretty
                .lines()
                .map(|l| match form {
                    HostForm::YamlSingleQuotedJson => yaml_single_escaped(l),
                    HostForm::SubBlockJson => l.to_string(),
                    _ => yaml_double_escaped(l),
                })
                .collect();
            let head = format!(
                "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  P:\n    Type: {cfn_type}\n    Properties:\n      {cfn_property}:"
            );
            match form {
                HostForm::YamlSingleQuotedJson => {
                    format!("{head} '{}'\n", lines.join("\n        "))
                }
                HostForm::YamlDoubleQuotedJson => {
                    format!("{head} \"{}\"\n", lines.join("\n        "))
                }
                HostForm::SubBlockJson => {
                    format!("{head} !Sub |\n        {}\n", lines.join("\n        "))
                }
                _ => format!(
                    "{head}\n        Fn::Sub: \"{}\"\n",
                    lines.join("\n          ")
                ),
            }
        }
        HostForm::PolicyDocument => format!(
            "{}resource \"{tf_kind}\" \"p\" {{\n  {tf_attr} = data.aws_iam_policy_document.p.json\n}}\n",
            policy_document(&doc)
        ),
        HostForm::CloudFormationJson => serde_json::to_string_pretty(&json!({
            "Resources": {"P": {"Type": cfn_type, "Properties": {cfn_property: doc}}}
        }))
        .unwrap(),
    }
}

/// Every security review fix on the policy written in a host: the host still parses, holds the
/// same policy, and the policy grants nothing new. Returns how many fixes were checked.
fn check_host(ty_name: &str, text: &str, form: HostForm) -> Result<usize, TestCaseError> {
    use iamlint_core::host::{self, Format};
    let codes = security_codes();
    let host_text = in_host(ty_name, text, form);
    let format = host::detect(
        Some(match form {
            HostForm::Jsonencode | HostForm::Heredoc | HostForm::PolicyDocument => "main.tf",
            HostForm::CloudFormationYaml
            | HostForm::YamlLiteralJson
            | HostForm::YamlFoldedJson
            | HostForm::YamlSingleQuotedJson
            | HostForm::YamlDoubleQuotedJson
            | HostForm::SubBlockJson
            | HostForm::SubQuotedJson => "template.yaml",
            HostForm::CloudFormationJson => "template.json",
        }),
        &host_text,
    );
    prop_assert_ne!(format, Format::Json);
    let before = host::read(format, &host_text);
    prop_assert!(before.errors.is_empty(), "{:?}\n{host_text}", before.errors);
    prop_assert_eq!(before.policies.len(), 1, "{}", host_text);
    let original = normalize(&serde_json::from_str(&before.policies[0].json).unwrap());
    prop_assert_eq!(
        &original,
        &normalize(&serde_json::from_str::<Value>(text).unwrap()),
        "{}",
        host_text
    );
    let analysis = host::analyze(&host_text, format, &AnalyzeOptions::default());
    let mut checked = 0;
    for d in analysis
        .diagnostics()
        .iter()
        .filter(|d| codes.contains(&d.code))
    {
        for fix in d.fixes.iter().filter(|f| f.safety == Safety::Review) {
            let context = format!("{form:?} {} / {}\n{host_text}", d.code, fix.title);
            let fixed = fix
                .apply(&host_text)
                .ok_or_else(|| TestCaseError::fail(format!("edits do not apply: {context}")))?;
            let after = host::read(format, &fixed);
            prop_assert!(
                after.errors.is_empty(),
                "{:?}: {context}\n=> {fixed}",
                after.errors
            );
            prop_assert_eq!(after.policies.len(), 1, "{}\n=> {}", context, fixed);
            let parsed: Value = serde_json::from_str(&after.policies[0].json).map_err(|e| {
                TestCaseError::fail(format!("not JSON ({e}): {context}\n=> {fixed}"))
            })?;
            let parsed = normalize(&parsed);
            no_statement_wider(&original, &parsed, &context, &fixed)?;
            checked += 1;
        }
    }
    Ok(checked)
}

#[test]
fn host_fixes_never_widen() {
    let mut config = Config::with_cases(env_or("IAMLINT_NEVER_WIDER_CASES", DEFAULT_CASES) / 2);
    config.rng_seed = RngSeed::Fixed(env_or("IAMLINT_NEVER_WIDER_SEED", DEFAULT_SEED));
    config.failure_persistence = None;
    let mut runner = TestRunner::new(config);
    let forms = [
        HostForm::Jsonencode,
        HostForm::Heredoc,
        HostForm::CloudFormationYaml,
        HostForm::CloudFormationJson,
        HostForm::PolicyDocument,
        HostForm::YamlLiteralJson,
        HostForm::YamlFoldedJson,
        HostForm::YamlSingleQuotedJson,
        HostForm::YamlDoubleQuotedJson,
        HostForm::SubBlockJson,
        HostForm::SubQuotedJson,
    ];
    let mut checked = [0usize; 11];
    let counts = std::cell::RefCell::new(&mut checked);
    let result = runner.run(&policy(), |(ty, text)| {
        for (i, form) in forms.iter().enumerate() {
            counts.borrow_mut()[i] += check_host(&ty, &text, *form)?;
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    eprintln!("never_wider (hosts): fixes checked per form {checked:?}");
    // Every form must have exercised fixes, or the test has stopped testing it.
    assert!(checked.iter().all(|&n| n > 0), "{checked:?}");
}
