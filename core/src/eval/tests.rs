//! Evaluation tests, written from the examples in the IAM User Guide's pages on policy
//! evaluation logic, condition operators, policy variables and cross-account access.

use super::*;

const ALICE: &str = "arn:aws:iam::111122223333:user/alice";
const DEV_SESSION: &str = "arn:aws:sts::111122223333:assumed-role/Dev/alice";
const OTHER: &str = "arn:aws:iam::444455556666:user/bob";

fn policy(text: &str) -> CompiledPolicy {
    CompiledPolicy::compile("p", text).unwrap_or_else(|e| panic!("{e:?}"))
}

fn stmt(s: &str) -> CompiledPolicy {
    policy(&format!(r#"{{"Version":"2012-10-17","Statement":[{s}]}}"#))
}

fn request(principal: &str, action: &str, resource: &str, context: &[(&str, &[&str])]) -> Request {
    let mut cx = RequestContext::new();
    for (k, v) in context {
        let values: Vec<String> = v.iter().map(|s| s.to_string()).collect();
        cx.set(
            k,
            if values.len() == 1 {
                ContextValue::single(values[0].clone())
            } else {
                ContextValue::multi(values)
            },
        );
    }
    let mut r = Request {
        principal: RequestPrincipal::parse(principal).unwrap(),
        action: action.into(),
        resource: resource.into(),
        resource_account: None,
        context: cx,
    };
    r.add_principal_keys();
    r
}

fn identity(statements: &[&str]) -> PolicySet {
    PolicySet {
        identity: statements.iter().map(|s| stmt(s)).collect(),
        ..PolicySet::default()
    }
}

fn decide(set: &PolicySet, r: &Request) -> Decision {
    evaluate(set, r).decision
}

fn with_condition(cond: &str, context: &[(&str, &[&str])]) -> Decision {
    let set = identity(&[&format!(
        r#"{{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{cond}}}"#
    )]);
    decide(
        &set,
        &request(ALICE, "s3:GetObject", "arn:aws:s3:::b/k", context),
    )
}

#[test]
fn implicit_deny_allow_and_explicit_deny() {
    let r = request(ALICE, "s3:GetObject", "arn:aws:s3:::b/k", &[]);
    assert_eq!(decide(&PolicySet::default(), &r), Decision::ImplicitDeny);
    let allow = r#"{"Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::b/*"}"#;
    assert_eq!(decide(&identity(&[allow]), &r), Decision::Allowed);
    let deny = r#"{"Sid":"NoB","Effect":"Deny","Action":"s3:*","Resource":"*"}"#;
    let e = evaluate(&identity(&[allow, deny]), &r);
    assert_eq!(e.decision, Decision::ExplicitDeny);
    assert_eq!(e.decisive_statements.len(), 1);
    assert_eq!(e.decisive_statements[0].sid.as_deref(), Some("NoB"));
    assert!(e.reason.contains("NoB"), "{}", e.reason);
}

#[test]
fn actions_are_case_insensitive_and_resources_case_sensitive() {
    let set =
        identity(&[r#"{"Effect":"Allow","Action":"S3:getobject","Resource":"arn:aws:s3:::b/*"}"#]);
    assert_eq!(
        decide(
            &set,
            &request(ALICE, "s3:GetObject", "arn:aws:s3:::b/k", &[])
        ),
        Decision::Allowed
    );
    assert_eq!(
        decide(
            &set,
            &request(ALICE, "s3:GetObject", "arn:aws:s3:::B/k", &[])
        ),
        Decision::ImplicitDeny
    );
}

#[test]
fn not_action_and_not_resource() {
    let set = identity(&[
        r#"{"Effect":"Allow","NotAction":"iam:*","NotResource":"arn:aws:s3:::secret/*"}"#,
    ]);
    assert_eq!(
        decide(
            &set,
            &request(ALICE, "s3:GetObject", "arn:aws:s3:::b/k", &[])
        ),
        Decision::Allowed
    );
    assert_eq!(
        decide(&set, &request(ALICE, "iam:CreateUser", "*", &[])),
        Decision::ImplicitDeny
    );
    assert_eq!(
        decide(
            &set,
            &request(ALICE, "s3:GetObject", "arn:aws:s3:::secret/k", &[])
        ),
        Decision::ImplicitDeny
    );
}

#[test]
fn policy_variables_resolve_from_context() {
    let set = identity(&[
        r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::home/${aws:username}/*"}"#,
    ]);
    assert_eq!(
        decide(
            &set,
            &request(ALICE, "s3:GetObject", "arn:aws:s3:::home/alice/x", &[])
        ),
        Decision::Allowed
    );
    assert_eq!(
        decide(
            &set,
            &request(ALICE, "s3:GetObject", "arn:aws:s3:::home/bob/x", &[])
        ),
        Decision::ImplicitDeny
    );
    // A role session has no aws:username: the variable cannot resolve, nothing matches.
    assert_eq!(
        decide(
            &set,
            &request(
                DEV_SESSION,
                "s3:GetObject",
                "arn:aws:s3:::home/alice/x",
                &[]
            )
        ),
        Decision::ImplicitDeny
    );
    // Under the 2008 version variables are literal text.
    let old = PolicySet {
        identity: vec![policy(
            r#"{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::home/${aws:username}/*"}]}"#,
        )],
        ..PolicySet::default()
    };
    assert_eq!(
        decide(
            &old,
            &request(ALICE, "s3:GetObject", "arn:aws:s3:::home/alice/x", &[])
        ),
        Decision::ImplicitDeny
    );
    assert_eq!(
        decide(
            &old,
            &request(
                ALICE,
                "s3:GetObject",
                "arn:aws:s3:::home/${aws:username}/x",
                &[]
            )
        ),
        Decision::Allowed
    );
    // Defaults and the escaped wildcard.
    let set = identity(&[
        r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:PrincipalTag/team, 'none'}/${*}"}"#,
    ]);
    assert_eq!(
        decide(
            &set,
            &request(ALICE, "s3:GetObject", "arn:aws:s3:::b/none/*", &[])
        ),
        Decision::Allowed
    );
    assert_eq!(
        decide(
            &set,
            &request(ALICE, "s3:GetObject", "arn:aws:s3:::b/none/x", &[])
        ),
        Decision::ImplicitDeny
    );
}

#[test]
fn string_operators() {
    let c = r#"{"StringEquals":{"aws:PrincipalTag/team":["red","blue"]}}"#;
    assert_eq!(
        with_condition(c, &[("aws:PrincipalTag/team", &["blue"])]),
        Decision::Allowed
    );
    assert_eq!(
        with_condition(c, &[("aws:PrincipalTag/team", &["Blue"])]),
        Decision::ImplicitDeny
    );
    assert_eq!(with_condition(c, &[]), Decision::ImplicitDeny);
    let c = r#"{"StringEqualsIgnoreCase":{"aws:PrincipalTag/team":"RED"}}"#;
    assert_eq!(
        with_condition(c, &[("aws:PrincipalTag/team", &["red"])]),
        Decision::Allowed
    );
    let c = r#"{"StringLike":{"s3:prefix":["home/*","pub?c"]}}"#;
    assert_eq!(
        with_condition(c, &[("s3:prefix", &["home/a/b"])]),
        Decision::Allowed
    );
    assert_eq!(
        with_condition(c, &[("s3:prefix", &["public"])]),
        Decision::ImplicitDeny
    );
    assert_eq!(
        with_condition(c, &[("s3:prefix", &["pubic"])]),
        Decision::Allowed
    );
    // Negated operators match when the key is missing.
    let c = r#"{"StringNotEquals":{"aws:PrincipalTag/team":"red"}}"#;
    assert_eq!(with_condition(c, &[]), Decision::Allowed);
    assert_eq!(
        with_condition(c, &[("aws:PrincipalTag/team", &["red"])]),
        Decision::ImplicitDeny
    );
    assert_eq!(
        with_condition(c, &[("aws:PrincipalTag/team", &["green"])]),
        Decision::Allowed
    );
    // Keys are case-insensitive.
    let c = r#"{"StringEquals":{"AWS:principaltag/team":"red"}}"#;
    assert_eq!(
        with_condition(c, &[("aws:PrincipalTag/team", &["red"])]),
        Decision::Allowed
    );
}

#[test]
fn numeric_date_bool_binary_operators() {
    let c = r#"{"NumericLessThanEquals":{"s3:max-keys":"10"}}"#;
    assert_eq!(
        with_condition(c, &[("s3:max-keys", &["10"])]),
        Decision::Allowed
    );
    assert_eq!(
        with_condition(c, &[("s3:max-keys", &["11"])]),
        Decision::ImplicitDeny
    );
    assert_eq!(
        with_condition(c, &[("s3:max-keys", &["ten"])]),
        Decision::ImplicitDeny
    );
    let c = r#"{"DateGreaterThan":{"aws:CurrentTime":"2020-04-01T00:00:00Z"},"DateLessThan":{"aws:CurrentTime":"2020-06-30T23:59:59Z"}}"#;
    assert_eq!(
        with_condition(c, &[("aws:CurrentTime", &["2020-05-05T12:00:00Z"])]),
        Decision::Allowed
    );
    assert_eq!(
        with_condition(c, &[("aws:CurrentTime", &["2020-07-05T12:00:00Z"])]),
        Decision::ImplicitDeny
    );
    let c = r#"{"DateLessThan":{"aws:EpochTime":"1600000000"}}"#;
    assert_eq!(
        with_condition(c, &[("aws:EpochTime", &["1500000000"])]),
        Decision::Allowed
    );
    let c = r#"{"Bool":{"aws:SecureTransport":"true"}}"#;
    assert_eq!(
        with_condition(c, &[("aws:SecureTransport", &["TRUE"])]),
        Decision::Allowed
    );
    assert_eq!(
        with_condition(c, &[("aws:SecureTransport", &["false"])]),
        Decision::ImplicitDeny
    );
    assert_eq!(with_condition(c, &[]), Decision::ImplicitDeny);
    let c = r#"{"Bool":{"aws:SecureTransport":true}}"#;
    assert_eq!(
        with_condition(c, &[("aws:SecureTransport", &["true"])]),
        Decision::Allowed
    );
    let c = r#"{"BinaryEquals":{"key":"QmluYXJ5VmFsdWVJbkJhc2U2NA=="}}"#;
    assert_eq!(
        with_condition(c, &[("key", &["QmluYXJ5VmFsdWVJbkJhc2U2NA=="])]),
        Decision::Allowed
    );
}

#[test]
fn ip_and_arn_operators() {
    let c = r#"{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:DB8:1234:5678::/64"]}}"#;
    assert_eq!(
        with_condition(c, &[("aws:SourceIp", &["203.0.113.9"])]),
        Decision::Allowed
    );
    assert_eq!(
        with_condition(c, &[("aws:SourceIp", &["2001:db8:1234:5678::1"])]),
        Decision::Allowed
    );
    assert_eq!(
        with_condition(c, &[("aws:SourceIp", &["198.51.100.1"])]),
        Decision::ImplicitDeny
    );
    let c = r#"{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#;
    assert_eq!(
        with_condition(c, &[("aws:SourceIp", &["198.51.100.1"])]),
        Decision::Allowed
    );
    assert_eq!(
        with_condition(c, &[("aws:SourceIp", &["203.0.113.1"])]),
        Decision::ImplicitDeny
    );
    let c = r#"{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:111122223333:topic-*"}}"#;
    assert_eq!(
        with_condition(
            c,
            &[(
                "aws:SourceArn",
                &["arn:aws:sns:us-east-1:111122223333:topic-a"]
            )]
        ),
        Decision::Allowed
    );
    assert_eq!(
        with_condition(
            c,
            &[(
                "aws:SourceArn",
                &["arn:aws:sns:us-east-1:999988887777:topic-a"]
            )]
        ),
        Decision::ImplicitDeny
    );
    let c = r#"{"ArnNotEquals":{"aws:SourceArn":"arn:aws:sns:us-east-1:111122223333:t"}}"#;
    assert_eq!(
        with_condition(
            c,
            &[("aws:SourceArn", &["arn:aws:sns:us-east-1:111122223333:u"])]
        ),
        Decision::Allowed
    );
}

#[test]
fn null_and_if_exists() {
    let c = r#"{"Null":{"aws:TokenIssueTime":"true"}}"#;
    assert_eq!(with_condition(c, &[]), Decision::Allowed);
    assert_eq!(
        with_condition(c, &[("aws:TokenIssueTime", &["2024-01-01T00:00:00Z"])]),
        Decision::ImplicitDeny
    );
    let c = r#"{"Null":{"aws:TokenIssueTime":"false"}}"#;
    assert_eq!(
        with_condition(c, &[("aws:TokenIssueTime", &["2024-01-01T00:00:00Z"])]),
        Decision::Allowed
    );
    let c = r#"{"StringEqualsIfExists":{"ec2:InstanceType":["t3.micro"]}}"#;
    assert_eq!(with_condition(c, &[]), Decision::Allowed);
    assert_eq!(
        with_condition(c, &[("ec2:InstanceType", &["m5.large"])]),
        Decision::ImplicitDeny
    );
    assert_eq!(
        with_condition(c, &[("ec2:InstanceType", &["t3.micro"])]),
        Decision::Allowed
    );
}

#[test]
fn set_qualifiers() {
    // The User Guide's tag-key example: allowed keys are env and team.
    let all = r#"{"ForAllValues:StringEquals":{"aws:TagKeys":["env","team"]}}"#;
    assert_eq!(
        with_condition(all, &[("aws:TagKeys", &["env", "team"])]),
        Decision::Allowed
    );
    assert_eq!(
        with_condition(all, &[("aws:TagKeys", &["env", "cost"])]),
        Decision::ImplicitDeny
    );
    // Vacuously true when the key is missing: the misconfiguration the security rules warn about.
    assert_eq!(with_condition(all, &[]), Decision::Allowed);
    let any = r#"{"ForAnyValue:StringEquals":{"aws:TagKeys":["env"]}}"#;
    assert_eq!(
        with_condition(any, &[("aws:TagKeys", &["env", "cost"])]),
        Decision::Allowed
    );
    assert_eq!(
        with_condition(any, &[("aws:TagKeys", &["cost"])]),
        Decision::ImplicitDeny
    );
    assert_eq!(with_condition(any, &[]), Decision::ImplicitDeny);
    let none = r#"{"ForAllValues:StringNotEquals":{"aws:TagKeys":["secret"]}}"#;
    assert_eq!(
        with_condition(none, &[("aws:TagKeys", &["a", "b"])]),
        Decision::Allowed
    );
    assert_eq!(
        with_condition(none, &[("aws:TagKeys", &["a", "secret"])]),
        Decision::ImplicitDeny
    );
    let any_not = r#"{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["secret"]}}"#;
    assert_eq!(
        with_condition(any_not, &[("aws:TagKeys", &["a", "secret"])]),
        Decision::Allowed
    );
    assert_eq!(
        with_condition(any_not, &[("aws:TagKeys", &["secret"])]),
        Decision::ImplicitDeny
    );
}

#[test]
fn conditions_and_across_keys_or_across_values() {
    let c =
        r#"{"StringEquals":{"aws:PrincipalTag/team":["a","b"],"aws:RequestedRegion":"eu-west-1"}}"#;
    let ok: &[(&str, &[&str])] = &[
        ("aws:PrincipalTag/team", &["b"]),
        ("aws:RequestedRegion", &["eu-west-1"]),
    ];
    assert_eq!(with_condition(c, ok), Decision::Allowed);
    let bad: &[(&str, &[&str])] = &[
        ("aws:PrincipalTag/team", &["b"]),
        ("aws:RequestedRegion", &["us-east-1"]),
    ];
    assert_eq!(with_condition(c, bad), Decision::ImplicitDeny);
}

#[test]
fn variables_in_condition_values() {
    let c = r#"{"StringLike":{"s3:prefix":"home/${aws:username}/*"}}"#;
    assert_eq!(
        with_condition(c, &[("s3:prefix", &["home/alice/docs"])]),
        Decision::Allowed
    );
    assert_eq!(
        with_condition(c, &[("s3:prefix", &["home/bob/docs"])]),
        Decision::ImplicitDeny
    );
}

#[test]
fn scps_must_allow_at_every_level() {
    let r = request(ALICE, "s3:GetObject", "arn:aws:s3:::b/k", &[]);
    let allow_all = stmt(r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#);
    let only_ec2 = stmt(r#"{"Effect":"Allow","Action":"ec2:*","Resource":"*"}"#);
    let mut set = identity(&[r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"}"#]);
    set.scps = vec![vec![allow_all.clone()], vec![allow_all.clone()]];
    assert_eq!(decide(&set, &r), Decision::Allowed);
    set.scps = vec![vec![allow_all.clone()], vec![only_ec2.clone()]];
    let e = evaluate(&set, &r);
    assert_eq!(e.decision, Decision::ImplicitDeny);
    assert!(e.reason.contains("level 1"), "{}", e.reason);
    // An SCP never grants by itself.
    let set = PolicySet {
        scps: vec![vec![allow_all.clone()]],
        ..PolicySet::default()
    };
    assert_eq!(decide(&set, &r), Decision::ImplicitDeny);
    // RCPs likewise.
    let mut set = identity(&[r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"}"#]);
    set.rcps = vec![vec![only_ec2]];
    assert_eq!(decide(&set, &r), Decision::ImplicitDeny);
}

#[test]
fn boundaries_and_session_policies_limit_identity_grants() {
    let r = request(ALICE, "s3:PutObject", "arn:aws:s3:::b/k", &[]);
    let mut set = identity(&[r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"}"#]);
    set.boundary = Some(stmt(
        r#"{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}"#,
    ));
    let e = evaluate(&set, &r);
    assert_eq!(e.decision, Decision::ImplicitDeny);
    assert!(e.reason.contains("boundary"), "{}", e.reason);
    set.boundary = Some(stmt(r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"}"#));
    set.session = Some(stmt(
        r#"{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}"#,
    ));
    assert_eq!(decide(&set, &r), Decision::ImplicitDeny);
    set.session = None;
    assert_eq!(decide(&set, &r), Decision::Allowed);
    // A boundary alone grants nothing.
    let only = PolicySet {
        boundary: Some(stmt(r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#)),
        ..PolicySet::default()
    };
    assert_eq!(decide(&only, &r), Decision::ImplicitDeny);
}

#[test]
fn same_account_resource_policy() {
    let bucket = |principal: &str| {
        stmt(&format!(
            r#"{{"Effect":"Allow","Principal":{{"AWS":"{principal}"}},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}"#
        ))
    };
    let r = request(ALICE, "s3:GetObject", "arn:aws:s3:::b/k", &[]);
    // Naming the user grants without any identity policy, even with a boundary that denies.
    let set = PolicySet {
        resource: Some(bucket(ALICE)),
        boundary: Some(stmt(
            r#"{"Effect":"Allow","Action":"ec2:*","Resource":"*"}"#,
        )),
        ..PolicySet::default()
    };
    assert_eq!(decide(&set, &r), Decision::Allowed);
    // Naming the account delegates to IAM: the identity policy must allow.
    let set = PolicySet {
        resource: Some(bucket("arn:aws:iam::111122223333:root")),
        ..PolicySet::default()
    };
    assert_eq!(decide(&set, &r), Decision::ImplicitDeny);
    // A role ARN grants its sessions, but a boundary still limits them.
    let s = request(DEV_SESSION, "s3:GetObject", "arn:aws:s3:::b/k", &[]);
    let set = PolicySet {
        resource: Some(bucket("arn:aws:iam::111122223333:role/team/Dev")),
        ..PolicySet::default()
    };
    assert_eq!(decide(&set, &s), Decision::Allowed);
    let set = PolicySet {
        resource: Some(bucket("arn:aws:iam::111122223333:role/Dev")),
        boundary: Some(stmt(
            r#"{"Effect":"Allow","Action":"ec2:*","Resource":"*"}"#,
        )),
        ..PolicySet::default()
    };
    assert_eq!(decide(&set, &s), Decision::ImplicitDeny);
}

#[test]
fn cross_account_needs_both_sides() {
    let r = request(OTHER, "s3:GetObject", "arn:aws:s3:::b/k", &[]);
    let mut r = r;
    r.resource_account = Some("111122223333".into());
    let bucket = stmt(
        r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#,
    );
    let id = r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"#;
    let mut set = identity(&[id]);
    let e = evaluate(&set, &r);
    assert_eq!(e.decision, Decision::ImplicitDeny);
    assert!(!e.same_account);
    set.resource = Some(bucket.clone());
    let e = evaluate(&set, &r);
    assert_eq!(e.decision, Decision::Allowed);
    assert_eq!(e.decisive_statements.len(), 2);
    let only_resource = PolicySet {
        resource: Some(bucket),
        ..PolicySet::default()
    };
    assert_eq!(decide(&only_resource, &r), Decision::ImplicitDeny);
}

#[test]
fn trust_policies_must_allow_even_in_the_same_account() {
    let trust = stmt(
        r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}"#,
    );
    let r = request(
        ALICE,
        "sts:AssumeRole",
        "arn:aws:iam::111122223333:role/Target",
        &[],
    );
    let mut set = identity(&[r#"{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}"#]);
    set.resource_kind = ResourcePolicyKind::RoleTrust;
    set.resource = Some(stmt(
        r#"{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}"#,
    ));
    assert_eq!(decide(&set, &r), Decision::ImplicitDeny);
    set.resource = Some(trust);
    assert_eq!(decide(&set, &r), Decision::Allowed);
}

#[test]
fn services_and_anonymous_callers_need_a_resource_policy() {
    let topic = "arn:aws:sns:us-east-1:111122223333:events";
    let policy = stmt(&format!(
        r#"{{"Effect":"Allow","Principal":{{"Service":"s3.amazonaws.com"}},"Action":"sns:Publish","Resource":"{topic}","Condition":{{"ArnLike":{{"aws:SourceArn":"arn:aws:s3:::uploads"}}}}}}"#
    ));
    let set = PolicySet {
        resource: Some(policy),
        ..PolicySet::default()
    };
    let ok = request(
        "s3.amazonaws.com",
        "sns:Publish",
        topic,
        &[("aws:SourceArn", &["arn:aws:s3:::uploads"])],
    );
    assert_eq!(decide(&set, &ok), Decision::Allowed);
    let other = request(
        "s3.amazonaws.com",
        "sns:Publish",
        topic,
        &[("aws:SourceArn", &["arn:aws:s3:::evil"])],
    );
    assert_eq!(decide(&set, &other), Decision::ImplicitDeny);
    let public = PolicySet {
        resource: Some(stmt(
            r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::site/*"}"#,
        )),
        ..PolicySet::default()
    };
    assert_eq!(
        decide(
            &public,
            &request(
                "anonymous",
                "s3:GetObject",
                "arn:aws:s3:::site/index.html",
                &[]
            )
        ),
        Decision::Allowed
    );
}

#[test]
fn not_principal_with_deny_spares_the_listed_principal() {
    let set = PolicySet {
        identity: vec![stmt(r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"}"#)],
        resource: Some(stmt(&format!(
            r#"{{"Effect":"Deny","NotPrincipal":{{"AWS":"{ALICE}"}},"Action":"s3:*","Resource":"*"}}"#
        ))),
        ..PolicySet::default()
    };
    assert_eq!(
        decide(
            &set,
            &request(ALICE, "s3:GetObject", "arn:aws:s3:::b/k", &[])
        ),
        Decision::Allowed
    );
    let bob = request(
        "arn:aws:iam::111122223333:user/bob",
        "s3:GetObject",
        "arn:aws:s3:::b/k",
        &[],
    );
    assert_eq!(decide(&set, &bob), Decision::ExplicitDeny);
}

#[test]
fn explanation_says_what_matched() {
    let set = identity(&[
        r#"{"Sid":"S","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}"#,
    ]);
    let e = evaluate(
        &set,
        &request(ALICE, "s3:GetObject", "arn:aws:s3:::b/k", &[]),
    );
    assert_eq!(e.decision, Decision::ImplicitDeny);
    let st = &e.policies[0].statements[0];
    assert_eq!(
        (st.action, st.resource, st.principal),
        (
            ElementMatch::Matched,
            ElementMatch::Matched,
            ElementMatch::Absent
        )
    );
    assert_eq!(st.conditions.len(), 1);
    assert!(!st.conditions[0].matched && st.conditions[0].key_missing);
    assert!(!st.applies);
}

#[test]
fn resource_policy_kind_follows_the_resource() {
    use ResourcePolicyKind::*;
    assert_eq!(
        ResourcePolicyKind::for_request("kms:Decrypt", "arn:aws:kms:us-east-1:111122223333:key/k1"),
        KmsKey
    );
    assert_eq!(
        ResourcePolicyKind::for_request("kms:ListKeys", "*"),
        Generic
    );
    assert_eq!(
        ResourcePolicyKind::for_request("sts:AssumeRole", "arn:aws:iam::111122223333:role/R"),
        RoleTrust
    );
    assert_eq!(
        ResourcePolicyKind::for_request("s3:GetObject", "arn:aws:s3:::b/k"),
        Generic
    );
}

#[test]
fn key_policy_must_allow_kms_on_a_key() {
    let key = "arn:aws:kms:us-east-1:111122223333:key/k1";
    let mut set = identity(&[r#"{"Effect":"Allow","Action":"kms:*","Resource":"*"}"#]);
    set.resource_kind = ResourcePolicyKind::for_request("kms:Decrypt", key);
    assert_eq!(
        decide(&set, &request(ALICE, "kms:Decrypt", key, &[])),
        Decision::ImplicitDeny
    );
    // The default key policy enables IAM policies for the account.
    set.resource = Some(stmt(
        r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}"#,
    ));
    assert_eq!(
        decide(&set, &request(ALICE, "kms:Decrypt", key, &[])),
        Decision::Allowed
    );
}
