use crate::diagnostic::{Category, Related};
use crate::policy::PolicyType;
use crate::rules::{Context, ExampleType, Reads, Rule, RuleMeta, Scope, Sink};
use crate::span::Span;
use crate::wildcard::has_wildcard;

use crate::rules::support::risk::{Asked, Grant};
use crate::rules::support::security::name_list;

/// A known privilege-escalation path: every action must be granted on every resource. The
/// account audit (`crate::audit`) asks the same table about a principal's policies together.
pub(crate) struct Path {
    pub(crate) actions: &'static [&'static str],
    pub(crate) how: &'static str,
}

const fn path(actions: &'static [&'static str], how: &'static str) -> Path {
    Path { actions, how }
}

/// The combinations collected by cloudsplaining and pathfinding.cloud (see
/// shared/reference/peer-tools.md), with what each lets the caller do.
pub(crate) const PATHS: &[Path] = &[
    path(
        &["iam:CreateAccessKey"],
        "create access keys for any user, an administrator included",
    ),
    path(
        &["iam:CreateLoginProfile"],
        "set a console password for any user",
    ),
    path(
        &["iam:UpdateLoginProfile"],
        "change any user's console password",
    ),
    path(
        &["iam:AddUserToGroup"],
        "add themselves to any group, an administrators group included",
    ),
    path(
        &["iam:CreatePolicyVersion"],
        "rewrite a managed policy attached to them",
    ),
    path(
        &["iam:SetDefaultPolicyVersion"],
        "switch a policy attached to them to a broader version",
    ),
    path(
        &["iam:AttachUserPolicy"],
        "attach AdministratorAccess to a user",
    ),
    path(
        &["iam:AttachGroupPolicy"],
        "attach AdministratorAccess to a group",
    ),
    path(
        &["iam:AttachRolePolicy"],
        "attach AdministratorAccess to a role",
    ),
    path(
        &["iam:PutUserPolicy"],
        "write an inline policy granting anything to a user",
    ),
    path(
        &["iam:PutGroupPolicy"],
        "write an inline policy granting anything to a group",
    ),
    path(
        &["iam:PutRolePolicy"],
        "write an inline policy granting anything to a role",
    ),
    path(&["iam:UpdateAssumeRolePolicy"], "make any role trust them"),
    path(
        &["glue:UpdateDevEndpoint"],
        "add their SSH key to a Glue endpoint and use its role",
    ),
    path(
        &["lambda:UpdateFunctionCode"],
        "replace a function's code and act as its role",
    ),
    path(
        &["sagemaker:CreatePresignedNotebookInstanceUrl"],
        "open a notebook and act as its role",
    ),
    path(
        &["iam:PassRole", "ec2:RunInstances"],
        "start an instance with any role and act as it",
    ),
    path(
        &["iam:PassRole", "ec2:RequestSpotInstances"],
        "start a spot instance with any role",
    ),
    path(
        &[
            "iam:PassRole",
            "lambda:CreateFunction",
            "lambda:InvokeFunction",
        ],
        "create and run a function with any role",
    ),
    path(
        &[
            "iam:PassRole",
            "lambda:CreateFunction",
            "lambda:AddPermission",
        ],
        "create a function with any role and let themselves invoke it",
    ),
    path(
        &[
            "iam:PassRole",
            "lambda:CreateFunction",
            "lambda:CreateEventSourceMapping",
        ],
        "create a function with any role and trigger it from an event source",
    ),
    path(
        &[
            "iam:PassRole",
            "lambda:CreateFunction",
            "lambda:CreateEventSourceMapping",
            "dynamodb:CreateTable",
            "dynamodb:PutItem",
        ],
        "create a function with any role and trigger it from a new table",
    ),
    path(
        &["iam:PassRole", "glue:CreateDevEndpoint"],
        "create a Glue endpoint with any role",
    ),
    path(
        &["iam:PassRole", "glue:CreateJob", "glue:StartJobRun"],
        "create and run a Glue job with any role",
    ),
    path(
        &["iam:PassRole", "glue:CreateJob", "glue:CreateTrigger"],
        "create a Glue job with any role and trigger it",
    ),
    path(
        &["iam:PassRole", "glue:UpdateJob", "glue:StartJobRun"],
        "give a Glue job any role and run it",
    ),
    path(
        &["iam:PassRole", "glue:UpdateJob", "glue:CreateTrigger"],
        "give a Glue job any role and trigger it",
    ),
    path(
        &["iam:PassRole", "cloudformation:CreateStack"],
        "create a stack that runs with any role",
    ),
    path(
        &[
            "iam:PassRole",
            "cloudformation:CreateStackSet",
            "cloudformation:CreateStackInstances",
        ],
        "deploy a stack set with any role",
    ),
    path(
        &["iam:PassRole", "cloudformation:UpdateStackSet"],
        "give a stack set any role",
    ),
    path(
        &["iam:PassRole", "datapipeline:CreatePipeline"],
        "create a pipeline that runs with any role",
    ),
    path(
        &[
            "iam:PassRole",
            "codebuild:CreateProject",
            "codebuild:StartBuild",
        ],
        "create and run a build with any role",
    ),
    path(
        &[
            "iam:PassRole",
            "codebuild:CreateProject",
            "codebuild:StartBuildBatch",
        ],
        "create and run a batch build with any role",
    ),
    path(
        &["iam:PassRole", "apprunner:CreateService"],
        "create an App Runner service with any role",
    ),
    path(
        &[
            "iam:PassRole",
            "ecs:RegisterTaskDefinition",
            "ecs:CreateService",
        ],
        "run a container service with any task role",
    ),
    path(
        &["iam:PassRole", "ecs:RegisterTaskDefinition", "ecs:RunTask"],
        "run a task with any task role",
    ),
    path(
        &[
            "iam:PassRole",
            "ecs:RegisterTaskDefinition",
            "ecs:StartTask",
        ],
        "start a task with any task role",
    ),
    path(
        &[
            "iam:PassRole",
            "ecs:RegisterTaskDefinition",
            "ecs:CreateCluster",
            "ecs:CreateService",
        ],
        "create a cluster and a service with any task role",
    ),
    path(
        &["iam:PassRole", "sagemaker:CreateNotebookInstance"],
        "create a notebook with any role",
    ),
    path(
        &["iam:PassRole", "sagemaker:CreateTrainingJob"],
        "run a training job with any role",
    ),
    path(
        &["iam:PassRole", "sagemaker:CreateProcessingJob"],
        "run a processing job with any role",
    ),
    path(
        &[
            "iam:PassRole",
            "bedrock-agentcore:CreateCodeInterpreter",
            "bedrock-agentcore:StartCodeInterpreterSession",
            "bedrock-agentcore:InvokeCodeInterpreter",
        ],
        "run code in an interpreter with any role",
    ),
    path(
        &[
            "cloudformation:CreateChangeSet",
            "cloudformation:ExecuteChangeSet",
        ],
        "change a stack that runs with a privileged role",
    ),
    path(
        &[
            "ec2:ModifyInstanceAttribute",
            "ec2:StopInstances",
            "ec2:StartInstances",
        ],
        "replace an instance's user data and run it as the instance role",
    ),
    path(
        &[
            "ec2:CreateLaunchTemplateVersion",
            "ec2:ModifyLaunchTemplate",
        ],
        "change the launch template of instances with privileged roles",
    ),
    path(
        &[
            "ec2-instance-connect:SendSSHPublicKey",
            "ec2:DescribeInstances",
        ],
        "log in to instances and use their roles",
    ),
    path(
        &["ecs:ExecuteCommand", "ecs:DescribeTasks"],
        "run commands in containers and use their task roles",
    ),
    path(
        &["lambda:UpdateFunctionCode", "lambda:InvokeFunction"],
        "replace a function's code and run it",
    ),
    path(
        &["lambda:UpdateFunctionCode", "lambda:AddPermission"],
        "replace a function's code and let themselves invoke it",
    ),
    path(
        &[
            "sagemaker:CreateNotebookInstanceLifecycleConfig",
            "sagemaker:StopNotebookInstance",
            "sagemaker:UpdateNotebookInstance",
            "sagemaker:StartNotebookInstance",
        ],
        "run their script in a notebook as its role",
    ),
    path(
        &[
            "bedrock-agentcore:StartCodeInterpreterSession",
            "bedrock-agentcore:InvokeCodeInterpreter",
        ],
        "run code in an existing interpreter as its role",
    ),
    path(
        &["iam:CreateAccessKey", "iam:DeleteAccessKey"],
        "replace another user's access keys with their own",
    ),
    path(
        &["iam:AttachUserPolicy", "iam:CreateAccessKey"],
        "make a user an administrator and take its keys",
    ),
    path(
        &["iam:PutUserPolicy", "iam:CreateAccessKey"],
        "give a user any permission and take its keys",
    ),
    path(
        &["iam:CreatePolicyVersion", "sts:AssumeRole"],
        "broaden a role's policy and assume it",
    ),
    path(
        &["iam:AttachRolePolicy", "iam:UpdateAssumeRolePolicy"],
        "make a role an administrator and make it trust them",
    ),
    path(
        &["iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy"],
        "give a role any permission and make it trust them",
    ),
    path(
        &["iam:CreatePolicyVersion", "iam:UpdateAssumeRolePolicy"],
        "broaden a role's policy and make it trust them",
    ),
];

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PRIVILEGE_ESCALATION",
        category: Category::Security,
        summary: "The policy's Allow statements together grant a known privilege-escalation path on every resource.",
        explanation: "Some actions let the holder give themselves more: attach a policy, create \
            another user's keys, or pass a privileged role to compute they control. iamlint \
            checks every known combination over all Allow statements together, after wildcard \
            expansion, counting only statements whose resources are not narrowed (Resource \
            `\"*\"` or NotResource, and no condition that pins who may call, which resources or \
            from where: `aws:RequestedRegion` or `aws:SecureTransport` alone do not). The finding points at one action and lists \
            the others of the combination as related locations. Name the resources (roles, \
            users, policies) or remove one action of each combination.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["iam:PassRole", "lambda:CreateFunction"], "Resource": "*"}, {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": "*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["iam:PassRole", "lambda:CreateFunction"], "Resource": ["arn:aws:iam::111122223333:role/lambda-basic", "arn:aws:lambda:us-east-1:111122223333:function:app-*"]}, {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": "*"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Across(Reads::GRANTS),
    },
    check,
};

/// The distinct action names of [`PATHS`] and each path's actions as numbers into them, built
/// once: the check asks about each name once per document, and finding a name's earlier answer
/// by comparing strings cost a sixth of the rule. Each name comes with its key in the risk
/// index, found here once rather than at every question.
struct PathActions {
    names: Vec<&'static str>,
    asked: Vec<Asked<'static>>,
    /// Per path, in [`PATHS`] order, its actions' numbers in `names`.
    paths: Vec<Vec<usize>>,
}

fn path_actions() -> &'static PathActions {
    static TABLE: std::sync::OnceLock<PathActions> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut names: Vec<&'static str> = Vec::new();
        let paths = PATHS
            .iter()
            .map(|p| {
                p.actions
                    .iter()
                    .map(|&action| {
                        names.iter().position(|&n| n == action).unwrap_or_else(|| {
                            names.push(action);
                            names.len() - 1
                        })
                    })
                    .collect()
            })
            .collect();
        let asked = names.iter().map(|&name| Asked::new(name)).collect();
        PathActions {
            names,
            asked,
            paths,
        }
    })
}

struct Found<'p> {
    path: &'static Path,
    grants: Vec<Grant<'p>>,
}

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    if !matches!(cx.policy_type, PolicyType::Identity) {
        return;
    }
    let index = cx.open_index();
    // Nothing is granted on every resource without a `"*"`/NotResource Allow or a Resource
    // pattern (which may reach every resource of a type).
    let patterns = || {
        cx.policy.statements.iter().any(|st| {
            st.is_allow()
                && st.resource.as_ref().is_some_and(|r| {
                    r.items
                        .iter()
                        .any(|i| i.value != "*" && has_wildcard(i.value))
                })
        })
    };
    if !index.has_open_allows() && !patterns() {
        return;
    }
    // The paths share their actions (iam:PassRole starts 26 of them): ask once per name, by
    // the name's number in the table of distinct path actions.
    let table = path_actions();
    let mut answers: Vec<Option<Option<Grant<'_>>>> = vec![None; table.names.len()];
    let mut grant_of = |id: usize| {
        let slot = &mut answers[id];
        if let Some(g) = *slot {
            return g;
        }
        let asked = table.asked[id];
        let g = index
            .grant(cx.policy, asked)
            .or_else(|| index.type_pattern_grant(cx.policy, cx.catalog, asked));
        *slot = Some(g);
        g
    };
    let mut found: Vec<Found> = Vec::new();
    'paths: for (p, ids) in PATHS.iter().zip(&table.paths) {
        let mut grants = Vec::new();
        for &id in ids {
            match grant_of(id) {
                Some(g) => grants.push(g),
                None => continue 'paths,
            }
        }
        found.push(Found { path: p, grants });
    }
    // One finding per element that grants the first action, so that "Action": "*" gives one
    // finding naming all the paths it opens rather than fifty.
    let mut mains: Vec<Span> = Vec::new();
    for f in &found {
        if !mains.contains(&f.grants[0].span) {
            mains.push(f.grants[0].span);
        }
    }
    for main in mains {
        let group: Vec<&Found> = found.iter().filter(|f| f.grants[0].span == main).collect();
        let first = group[0];
        let combo = first.path.actions.join(" + ");
        let others: Vec<String> = group[1..]
            .iter()
            .map(|f| f.path.actions.join(" + "))
            .collect();
        let more = if others.is_empty() {
            String::new()
        } else {
            format!(
                "; {} more path{} through the same grant: {}",
                others.len(),
                if others.len() == 1 { "" } else { "s" },
                name_list(&others, 3)
            )
        };
        // The conditions of the granting statements that were read and not counted as
        // narrowing, once each.
        let mut notes: Vec<String> = Vec::new();
        for grant in group.iter().flat_map(|f| &f.grants) {
            let note = grant.conditions.note();
            if !note.is_empty() && !notes.contains(&note) {
                notes.push(note);
            }
        }
        let message = format!(
            "Privilege escalation: {combo} on every resource{} lets the caller {}{more}; name the \
             resources or drop one of these actions",
            notes.concat(),
            first.path.how
        );
        let d = sink.report(main, message);
        let mut seen: Vec<Span> = vec![main];
        for f in &group {
            for (action, grant) in f.path.actions.iter().zip(&f.grants) {
                if seen.contains(&grant.span) {
                    continue;
                }
                seen.push(grant.span);
                d.related.push(Related {
                    span: grant.span,
                    message: format!("{} grants {action} on every resource", grant.via),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "PRIVILEGE_ESCALATION";

    /// The numbered table gives back every path's actions, in order, and numbers each name once.
    #[test]
    fn path_table_numbers_each_action_once() {
        let table = super::path_actions();
        assert_eq!(table.paths.len(), super::PATHS.len());
        for (path, ids) in super::PATHS.iter().zip(&table.paths) {
            let names: Vec<&str> = ids.iter().map(|&id| table.names[id]).collect();
            assert_eq!(names, path.actions);
        }
        let mut distinct = table.names.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), table.names.len());
        assert!(table.names.contains(&"iam:PassRole"));
    }

    #[test]
    fn combines_statements_and_points_at_each_action() {
        let text = super::RULE.meta.bad_example;
        let found = findings_of(text, "identity", CODE);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].span.slice(text), "\"iam:PassRole\"");
        let related: Vec<&str> = found[0]
            .related
            .iter()
            .map(|r| r.span.slice(text))
            .collect();
        assert_eq!(
            related,
            vec!["\"lambda:CreateFunction\"", "\"lambda:InvokeFunction\""]
        );
        assert!(found[0]
            .message
            .contains("iam:PassRole + lambda:CreateFunction + lambda:InvokeFunction"));
    }

    #[test]
    fn wildcards_expand_and_star_gives_one_finding() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#;
        let found = findings_of(text, "identity", CODE);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].message.contains("more paths"),
            "{}",
            found[0].message
        );
        let prefix =
            r#"{"Statement": [{"Effect": "Allow", "Action": "iam:Attach*", "Resource": "*"}]}"#;
        assert_eq!(spans_of(prefix, "identity", CODE), vec!["\"iam:Attach*\""]);
    }

    #[test]
    fn narrowed_resources_conditions_and_denies_do_not_fire() {
        assert!(findings_of(super::RULE.meta.good_example, "identity", CODE).is_empty());
        let conditioned = r#"{"Statement": [{"Effect": "Allow", "Action": "iam:AttachRolePolicy", "Resource": "*", "Condition": {"ArnEquals": {"iam:PolicyARN": "arn:aws:iam::aws:policy/ReadOnlyAccess"}}}]}"#;
        assert!(findings_of(conditioned, "identity", CODE).is_empty());
        let denied = r#"{"Statement": [{"Effect": "Allow", "Action": "iam:CreateAccessKey", "Resource": "*"}, {"Effect": "Deny", "Action": "iam:*", "Resource": "*"}]}"#;
        assert!(findings_of(denied, "identity", CODE).is_empty());
    }

    /// Issue 12 (risk rules): a condition on the Region alone does not narrow, so the path is
    /// still reported and the message says why; a condition on the policy attached does.
    #[test]
    fn a_region_condition_does_not_narrow() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "iam:AttachUserPolicy", "Resource": "*", "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}}]}"#;
        let found = findings_of(text, "identity", CODE);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].span.slice(text), "\"iam:AttachUserPolicy\"");
        assert!(
            found[0].message.contains("aws:RequestedRegion"),
            "{}",
            found[0].message
        );
        let pinned = text.replace(
            r#""StringEquals": {"aws:RequestedRegion": "eu-west-1"}"#,
            r#""ArnEquals": {"iam:PolicyARN": "arn:aws:iam::aws:policy/ReadOnlyAccess"}"#,
        );
        assert!(findings_of(&pinned, "identity", CODE).is_empty());
    }

    #[test]
    fn pass_role_on_every_role_of_an_account_counts() {
        // The kind of issue 12's PassRole item: role/* passes any role, as "*" does.
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::123456789012:role/*"}, {"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"}]}"#;
        assert_eq!(spans_of(text, "identity", CODE), vec!["\"iam:PassRole\""]);
        // Close neighbour: a name prefix names some roles.
        let named = text.replace("role/*", "role/app-*");
        assert!(findings_of(&named, "identity", CODE).is_empty());
    }

    /// Issue 12, left for later: a pattern that reaches every resource of the type an action
    /// works on counts as `"*"` does for every action of the paths, not only for PassRole.
    /// `lambda:UpdateFunctionCode` on every function of any account (or of one account)
    /// replaces any function's code; a name prefix names some functions.
    #[test]
    fn patterns_reaching_every_resource_of_the_type_count() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "lambda:UpdateFunctionCode", "Resource": "arn:aws:lambda:*:*:function:*"}]}"#;
        assert_eq!(
            spans_of(text, "identity", CODE),
            vec!["\"lambda:UpdateFunctionCode\""]
        );
        let one_account = text.replace("*:*:function:*", "us-east-1:123456789012:function:*");
        assert_eq!(spans_of(&one_account, "identity", CODE).len(), 1);
        for named in [
            text.replace("function:*", "function:app-*"),
            text.replace("function:*", "function:app"),
            // Another resource type of the service: the action needs a function.
            text.replace("function:*", "layer:*"),
        ] {
            assert!(findings_of(&named, "identity", CODE).is_empty(), "{named}");
        }
        // An action with several required resource types needs every one reached:
        // ec2:RunInstances on instances alone launches nothing (its image, subnet, ... too).
        let run = r#"{"Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}, {"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "arn:aws:ec2:*:*:instance/*"}]}"#;
        assert!(findings_of(run, "identity", CODE).is_empty());
        let run_all = run.replace("arn:aws:ec2:*:*:instance/*", "arn:aws:ec2:*:*:*");
        assert_eq!(
            spans_of(&run_all, "identity", CODE),
            vec!["\"iam:PassRole\""]
        );
    }

    /// Issue 12, left for later: a Deny whose one condition is a negated test of a key that
    /// narrows (`StringNotEquals` on `aws:ResourceAccount`) leaves only the account's own
    /// resources: what the Allow keeps is pinned, as a positive condition would pin it. A Deny
    /// on the Region, or with `...IfExists` (a request without the key is not denied), still
    /// leaves the grant open.
    #[test]
    fn a_deny_that_leaves_only_narrowed_requests_takes_the_grant_away() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "iam:CreateAccessKey", "Resource": "*"}, {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"StringNotEquals": {"aws:ResourceAccount": "111122223333"}}}]}"#;
        assert!(findings_of(text, "identity", CODE).is_empty());
        for open in [
            text.replace(
                r#""StringNotEquals": {"aws:ResourceAccount": "111122223333"}"#,
                r#""StringNotEquals": {"aws:RequestedRegion": "eu-west-1"}"#,
            ),
            text.replace("StringNotEquals", "StringNotEqualsIfExists"),
            text.replace(
                r#""aws:ResourceAccount": "111122223333"}"#,
                r#""aws:ResourceAccount": "111122223333", "aws:PrincipalTag/team": "red"}"#,
            ),
        ] {
            assert_eq!(
                spans_of(&open, "identity", CODE),
                vec!["\"iam:CreateAccessKey\""],
                "{open}"
            );
        }
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
