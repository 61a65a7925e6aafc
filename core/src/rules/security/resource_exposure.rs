use std::cell::{OnceCell, RefCell};

use crate::arn::Arn;
use crate::catalog::{AccessLevel, Action, Catalog};
use crate::diagnostic::Category;
use crate::policy::{PolicyType, Statement};
use crate::rules::{Context, ExampleType, Reads, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::memo::TextMemo;
use crate::rules::support::narrowing::read_conditions;
use crate::rules::support::risk::open_to_every_resource;
use crate::rules::support::security::name_list_of;

/// Actions the catalog files under Permissions management that cannot change who may use a
/// resource, each with the reason (reviewed against the IAM User Guide and the services'
/// API references; every entry has a test). RESOURCE_EXPOSURE judges exposure by what an action
/// can change: the access level is the starting point, these are its exceptions.
pub const CANNOT_EXPOSE: &[(&str, &str)] = &[
    (
        "iam:CreatePolicy",
        "a new managed policy is attached to no one; attaching it is iam:Attach*Policy",
    ),
    (
        "iam:DeletePolicy",
        "IAM refuses to delete a managed policy that is still attached (DeleteConflict)",
    ),
    (
        "iam:DeletePolicyVersion",
        "only the default version is in effect, and IAM refuses to delete it",
    ),
    (
        "kms:RetireGrant",
        "a grant only allows; retiring it can only take access away",
    ),
    (
        "kms:RevokeGrant",
        "a grant only allows; revoking it can only take access away",
    ),
    (
        "lambda:RemovePermission",
        "a function's resource policy only allows; removing a statement can only take access away",
    ),
];

/// True when the action can change who may use a resource: Permissions management, not one
/// of [`CANNOT_EXPOSE`], and able to name a resource (for an action that only works with
/// `"*"`, "name the resources" could not be followed).
fn can_expose(action: &Action<'_>) -> bool {
    action.access_level() == AccessLevel::PermissionsManagement
        && action.resource_types().next().is_some()
        && !CANNOT_EXPOSE.iter().any(|(name, _)| {
            name.split_once(':').is_some_and(|(service, rest)| {
                action.service().prefix().eq_ignore_ascii_case(service)
                    && action.name().eq_ignore_ascii_case(rest)
            })
        })
}

/// The resource types the named resources can be, as (service, type) pairs; None when one of
/// them may be anything (not an ARN: a policy variable, a host's computed value; or an ARN of
/// no known type).
fn types_of(catalog: &'static Catalog, arns: &[&str]) -> Option<Vec<(&'static str, &'static str)>> {
    let mut types = Vec::new();
    for arn in arns {
        if Arn::parse(arn).is_err() {
            return None;
        }
        let found = TYPES.with(|memo| {
            memo.borrow_mut()
                .entry(catalog, arn, || {
                    catalog
                        .resource_types_for_arn(arn)
                        .iter()
                        .map(|t| (t.service().prefix(), t.name()))
                        .collect()
                })
                .clone()
        });
        if found.is_empty() {
            return None;
        }
        types.extend(found);
    }
    Some(types)
}

thread_local! {
    /// Each Resource ARN's resource types as [`types_of`] reads them, for the ARNs seen on this
    /// thread: matching an ARN against its service's templates is the rule's cost, and a third
    /// of the ARNs asked about in the managed policies were asked about in an earlier policy.
    static TYPES: RefCell<TextMemo<Vec<(&'static str, &'static str)>>> = RefCell::default();
}

/// True when one of the action's resource types is one of `types` (None: anything).
fn acts_on(action: &Action<'_>, types: Option<&[(&str, &str)]>) -> bool {
    let Some(types) = types else { return true };
    action.resource_types().any(|r| {
        let (service, name) = (r.resource_type.service().prefix(), r.resource_type.name());
        types.iter().any(|&(s, n)| s == service && n == name)
    })
}

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "RESOURCE_EXPOSURE",
        category: Category::Security,
        summary: "The policy grants permissions-management actions: they can share resources or change who may use them.",
        explanation: "Actions that change resource policies and sharing (`s3:PutBucketPolicy`, \
            `kms:CreateGrant`, `ram:CreateResourceShare`, `lambda:AddPermission`, IAM policy \
            writes, ...) let the holder decide who may use a resource. On `\"*\"` the holder can \
            open any bucket, key, queue or function to the world or to another account. On a \
            named resource they can still open it, and grant themselves whatever this policy \
            withholds on it (a bucket policy can give them every object). The catalog's \
            Permissions management access level is the starting point; actions of that level \
            that can only take access away or touch no one's access (`iam:CreatePolicy`, \
            `iam:DeletePolicy`, `kms:RevokeGrant`, ...) are not reported. A condition that pins \
            who may call, which resources or from where lowers the finding; one on the region \
            or on TLS does not. Keep these actions for administrators.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["sqs:SendMessage", "sqs:SetQueueAttributes", "sqs:AddPermission"], "Resource": "*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["sqs:SendMessage", "sqs:ReceiveMessage"], "Resource": "arn:aws:sqs:us-east-1:111122223333:jobs"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Across(Reads::GRANTS),
    },
    check,
};

/// Which resources an Allow statement's permissions-management actions reach.
enum Reach<'s> {
    /// Resource `"*"` or NotResource.
    Every,
    /// The Resource values, none of them `"*"`.
    Named(Vec<&'s str>),
}

fn reach<'s>(st: &'s Statement<'_>) -> Option<Reach<'s>> {
    if open_to_every_resource(st) {
        return Some(Reach::Every);
    }
    let list = st.resource.as_ref()?;
    if list.items.is_empty() || list.contains("*") || read_conditions(st).narrows() {
        return None;
    }
    Some(Reach::Named(list.items.iter().map(|i| i.value).collect()))
}

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    if !matches!(cx.policy_type, PolicyType::Identity) {
        return;
    }
    let index = cx.open_index();
    for st in &cx.policy.statements {
        if !st.is_allow() {
            continue;
        }
        let Some(reach) = reach(st) else { continue };
        // Action lists only: NotAction and "*" are reported by rules of their own, and expanding
        // them would list most of IAM.
        let Some(list) = &st.action else { continue };
        let expanded = cx.expanded_actions(st);
        let note = read_conditions(st).note();
        // The resource types of named ARNs, looked up only once an action that could expose
        // something needs them (most statements have none, and the lookup is the costly part).
        let types = OnceCell::new();
        let types = || {
            types
                .get_or_init(|| match &reach {
                    Reach::Named(arns) => types_of(cx.catalog, arns),
                    Reach::Every => None,
                })
                .as_deref()
        };
        for (i, item) in list.items.iter().enumerate() {
            if item.value == "*" || item.value == "*:*" {
                continue;
            }
            // The message shows four names and counts the rest: only those four are spelled out
            // (unless a Deny on "*" needs the name to be matched).
            let mut shown: Vec<String> = Vec::new();
            let mut count = 0usize;
            for action in expanded.item(i) {
                if !can_expose(action) {
                    continue;
                }
                if !acts_on(action, types()) {
                    continue;
                }
                if index.has_denies() {
                    let name = action.full_name();
                    if index.denied_everywhere(cx.policy, &name) {
                        continue;
                    }
                    if shown.len() < SHOWN {
                        shown.push(name);
                    }
                } else if shown.len() < SHOWN {
                    shown.push(action.full_name());
                }
                count += 1;
            }
            if count == 0 {
                continue;
            }
            let what = format!(
                "\"{}\" grants {} permissions-management action{}",
                item.value,
                count,
                if count == 1 { "" } else { "s" },
            );
            let names = name_list_of(&shown, count);
            let message = match &reach {
                Reach::Every => format!(
                    "{what} on every resource ({names}){note}: the caller can change who may use \
                     any of these resources; name the resources"
                ),
                Reach::Named(arns) => format!(
                    "{what} on {} ({names}){note}: the caller can change who may use {}, and \
                     grant themselves or another account what this policy does not; keep these \
                     actions for administrators",
                    match arns.as_slice() {
                        [one] => one.to_string(),
                        [first, rest @ ..] => format!("{first} and {} more", rest.len()),
                        [] => "the resources".to_string(),
                    },
                    if arns.len() == 1 { "it" } else { "them" }
                ),
            };
            sink.report(item.span(), message);
        }
    }
}

/// How many action names a finding spells out.
const SHOWN: usize = 4;

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    /// The resource types of ARNs asked several times, in a fixed pseudo-random order, through
    /// the memo: the same as asking the catalog each time.
    #[test]
    fn types_of_answers_as_the_catalog_does() {
        const ARNS: &[&str] = &[
            "arn:aws:s3:::b",
            "arn:aws:s3:::b/k",
            "arn:aws:s3:::*",
            "arn:aws:ec2:*:*:instance/*",
            "arn:aws:ec2:*:*:*",
            "arn:aws:iam::*:role/*",
            "arn:aws:kms:*:*:key/${aws:PrincipalTag/k}",
            "arn:aws:sqs:us-east-1:111122223333:q",
            "arn:aws:nosuchservice:::x",
            "arn:aws:*:*:*:*",
            "not an arn",
        ];
        let catalog = crate::catalog::catalog();
        let direct = |arns: &[&str]| -> Option<Vec<(&str, &str)>> {
            let mut types = Vec::new();
            for arn in arns {
                crate::arn::Arn::parse(arn).ok()?;
                let found = catalog.resource_types_for_arn(arn);
                if found.is_empty() {
                    return None;
                }
                types.extend(found.iter().map(|t| (t.service().prefix(), t.name())));
            }
            Some(types)
        };
        let mut next = crate::test_random::below(0x2545_f491_4f6c_dd1du64);
        let mut known = 0;
        for _ in 0..200 {
            let arns: Vec<&str> = (0..1 + next(3)).map(|_| ARNS[next(ARNS.len())]).collect();
            let ours = super::types_of(catalog, &arns);
            assert_eq!(ours, direct(&arns), "{arns:?}");
            known += usize::from(ours.is_some());
        }
        assert!(known > 40, "{known}");
    }

    const CODE: &str = "RESOURCE_EXPOSURE";

    #[test]
    fn points_at_the_permissions_management_action() {
        let text = super::RULE.meta.bad_example;
        // SetQueueAttributes can set the queue's policy: the catalog files it under
        // Permissions management too.
        assert_eq!(
            spans_of(text, "identity", CODE),
            vec!["\"sqs:SetQueueAttributes\"", "\"sqs:AddPermission\""]
        );
    }

    #[test]
    fn a_named_queue_does_not_fire() {
        assert!(findings_of(super::RULE.meta.good_example, "identity", CODE).is_empty());
    }

    fn allow(actions: &str, resource: &str, condition: &str) -> String {
        format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": {actions}, "Resource": {resource}{condition}}}]}}"#
        )
    }

    #[test]
    fn a_named_bucket_whose_policy_can_be_rewritten_fires() {
        // Issue 12: object access is withheld, but the holder can rewrite the bucket policy and
        // grant itself (or anyone) every object.
        let text = allow(
            r#"["s3:GetBucketLocation", "s3:PutBucketPolicy"]"#,
            r#""arn:aws:s3:::example-bucket""#,
            "",
        );
        let found = findings_of(&text, "identity", CODE);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].span.slice(&text), "\"s3:PutBucketPolicy\"");
        assert!(
            found[0].message.contains("on arn:aws:s3:::example-bucket"),
            "{}",
            found[0].message
        );
        // Close neighbours: the object ARN is not a bucket, so PutBucketPolicy grants nothing
        // there; and object reads change no one's access.
        let objects = allow(
            r#"["s3:GetObject", "s3:PutBucketPolicy"]"#,
            r#""arn:aws:s3:::example-bucket/*""#,
            "",
        );
        assert!(findings_of(&objects, "identity", CODE).is_empty());
    }

    #[test]
    fn actions_that_cannot_change_access_are_exceptions() {
        for (name, reason) in super::CANNOT_EXPOSE {
            let action = crate::catalog::catalog().action(name);
            let action = action.unwrap_or_else(|| panic!("{name} is not in the catalog"));
            // Each entry must still be needed: the catalog files it under Permissions
            // management, which alone would report it.
            assert_eq!(
                action.access_level(),
                crate::catalog::AccessLevel::PermissionsManagement,
                "{name}"
            );
            assert!(!reason.is_empty());
            let text = allow(&format!("\"{name}\""), r#""*""#, "");
            assert!(findings_of(&text, "identity", CODE).is_empty(), "{name}");
        }
        // Close neighbour: a new policy version can be made the default one, widening what
        // its holders may do.
        let text = allow(
            r#"["iam:CreatePolicy", "iam:DeletePolicy", "iam:CreatePolicyVersion"]"#,
            r#""*""#,
            "",
        );
        assert_eq!(
            spans_of(&text, "identity", CODE),
            vec!["\"iam:CreatePolicyVersion\""]
        );
    }

    #[test]
    fn only_conditions_on_who_what_or_where_narrow() {
        let region = allow(
            r#""sqs:AddPermission""#,
            r#""*""#,
            r#", "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}"#,
        );
        let found = findings_of(&region, "identity", CODE);
        assert_eq!(found.len(), 1);
        assert!(
            found[0]
                .message
                .contains("condition on aws:RequestedRegion"),
            "{}",
            found[0].message
        );
        let tagged = allow(
            r#""sqs:AddPermission""#,
            r#""*""#,
            r#", "Condition": {"StringEquals": {"aws:ResourceTag/team": "red"}}"#,
        );
        assert!(findings_of(&tagged, "identity", CODE).is_empty());
    }

    /// Issue 12, second round (AmazonDataZoneSageMakerManageAccessRolePolicy): `kms:CreateGrant`
    /// on `"*"` with `ForAllValues:StringEquals` on `kms:GrantOperations` limits the grants the
    /// caller can create to those operations; every CreateGrant request names its operations,
    /// so the test is not vacuous. The neighbour adds `kms:PutKeyPolicy`, whose requests have no
    /// grant operations, and keeps the findings.
    #[test]
    fn for_all_values_on_grant_operations_narrows_create_grant() {
        let condition = r#", "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": ["AmazonDataZoneEnvironment"]}, "ForAllValues:StringEquals": {"kms:GrantOperations": ["Decrypt"]}}"#;
        let grant = allow(r#"["kms:CreateGrant"]"#, r#""*""#, condition);
        assert!(findings_of(&grant, "identity", CODE).is_empty());
        let neighbour = allow(
            r#"["kms:CreateGrant", "kms:PutKeyPolicy"]"#,
            r#""*""#,
            condition,
        );
        // The statement's condition is read as a whole: both actions are reported.
        assert_eq!(
            spans_of(&neighbour, "identity", CODE),
            vec![r#""kms:CreateGrant""#, r#""kms:PutKeyPolicy""#]
        );
        let found = findings_of(&neighbour, "identity", CODE);
        assert!(
            found[0]
                .message
                .contains("kms:GrantOperations uses ForAllValues:StringEquals"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
