use super::*;
use crate::policy::PolicyType;

fn policy(statements: &str) -> String {
    format!(r#"{{"Version": "2012-10-17", "Statement": [{statements}]}}"#)
}

fn no_new(old: &str, new: &str) -> GateResult {
    let (old, new) = (policy(old), policy(new));
    let old = GatePolicy::parse("old", &old).unwrap();
    let new = GatePolicy::parse("new", &new).unwrap();
    check_no_new_access(&old, &new, &PolicyType::Identity)
}

const READ_REPORTS: &str = r#"{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}"#;

#[test]
fn identical_and_narrower_pass() {
    assert_eq!(no_new(READ_REPORTS, READ_REPORTS).result, Verdict::Pass);
    let narrower = READ_REPORTS.replace("reports/*", "reports/2024/*");
    assert_eq!(no_new(READ_REPORTS, &narrower).result, Verdict::Pass);
    let wider_old = READ_REPORTS.replace("s3:GetObject", "s3:Get*");
    assert_eq!(no_new(&wider_old, READ_REPORTS).result, Verdict::Pass);
}

#[test]
fn new_action_fails_with_a_reason_naming_it() {
    let new = READ_REPORTS.replace(r#""s3:GetObject""#, r#"["s3:GetObject", "s3:PutObject"]"#);
    let r = no_new(READ_REPORTS, &new);
    assert_eq!(r.result, Verdict::Fail);
    assert_eq!(r.reasons.len(), 1);
    assert_eq!(
        r.reasons[0].description,
        "statement \"Read\" grants s3:PutObject on arn:aws:s3:::reports/*, which the reference does not"
    );
    assert_eq!(r.reasons[0].statement_index, Some(0));
    assert_eq!(r.reasons[0].statement_id.as_deref(), Some("Read"));
}

#[test]
fn wildcard_that_adds_actions_fails_but_one_that_adds_none_passes() {
    let new = READ_REPORTS.replace("s3:GetObject", "s3:GetObject*");
    assert_eq!(no_new(READ_REPORTS, &new).result, Verdict::Fail);
    // Every action s3:GetObjectA?l matches is listed in the reference.
    let old = READ_REPORTS.replace(
        r#""s3:GetObject""#,
        r#"["s3:GetObject", "s3:GetObjectAcl"]"#,
    );
    let new = READ_REPORTS.replace("s3:GetObject", "s3:GetObjectA?l");
    assert_eq!(no_new(&old, &new).result, Verdict::Pass);
}

#[test]
fn conditions_removed_or_weakened_fail_added_pass() {
    let with = |cond: &str| {
        READ_REPORTS.replace(
            r#""Resource""#,
            &format!(r#""Condition": {cond}, "Resource""#),
        )
    };
    let org = with(r#"{"StringEquals": {"aws:PrincipalOrgID": "o-1"}}"#);
    let two_orgs = with(r#"{"StringEquals": {"aws:PrincipalOrgID": ["o-1", "o-2"]}}"#);
    let if_exists = with(r#"{"StringEqualsIfExists": {"aws:PrincipalOrgID": "o-1"}}"#);
    let both = with(
        r#"{"StringEquals": {"aws:PrincipalOrgID": "o-1"}, "Bool": {"aws:SecureTransport": "true"}}"#,
    );
    assert_eq!(no_new(&org, READ_REPORTS).result, Verdict::Fail);
    assert_eq!(no_new(&org, &two_orgs).result, Verdict::Fail);
    assert_eq!(no_new(&org, &if_exists).result, Verdict::Fail);
    assert_eq!(no_new(READ_REPORTS, &org).result, Verdict::Pass);
    assert_eq!(no_new(&two_orgs, &org).result, Verdict::Pass);
    assert_eq!(no_new(&if_exists, &org).result, Verdict::Pass);
    assert_eq!(no_new(&org, &both).result, Verdict::Pass);
    let r = no_new(&org, READ_REPORTS);
    assert!(
        r.reasons[0]
            .description
            .contains("StringEquals aws:PrincipalOrgID"),
        "{:?}",
        r.reasons
    );
}

#[test]
fn removed_deny_fails_added_deny_passes() {
    let all = r#"{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}"#;
    let deny =
        r#"{"Sid": "NoDelete", "Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}"#;
    let with_deny = format!("{all}, {deny}");
    assert_eq!(no_new(all, &with_deny).result, Verdict::Pass);
    let r = no_new(&with_deny, all);
    assert_eq!(r.result, Verdict::Fail);
    assert!(
        r.reasons[0].description.contains("s3:DeleteObject"),
        "{:?}",
        r.reasons
    );
    // A narrower Deny in the new policy leaves some deletes allowed.
    let narrower = deny.replace(r#""Resource": "*""#, r#""Resource": "arn:aws:s3:::b/*""#);
    assert_eq!(
        no_new(&with_deny, &format!("{all}, {narrower}")).result,
        Verdict::Fail
    );
    // Reordered, renamed: the same policy.
    let renamed = deny.replace("NoDelete", "Other");
    assert_eq!(
        no_new(&with_deny, &format!("{renamed}, {all}")).result,
        Verdict::Pass
    );
}

#[test]
fn not_action_not_resource_and_variables() {
    let not_iam = r#"{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}"#;
    let s3 = r#"{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}"#;
    assert_eq!(no_new(not_iam, s3).result, Verdict::Pass);
    assert_eq!(no_new(s3, not_iam).result, Verdict::Fail);
    let not_iam_or_sts = r#"{"Effect": "Allow", "NotAction": ["iam:*", "sts:*"], "Resource": "*"}"#;
    assert_eq!(no_new(not_iam, not_iam_or_sts).result, Verdict::Pass);
    assert_eq!(no_new(not_iam_or_sts, not_iam).result, Verdict::Fail);
    let home = r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:username}/*"}"#;
    let all_b = r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#;
    assert_eq!(no_new(all_b, home).result, Verdict::Pass);
    assert_eq!(no_new(home, home).result, Verdict::Pass);
    assert_eq!(no_new(home, all_b).result, Verdict::Fail);
    let not_secret =
        r#"{"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::secret/*"}"#;
    assert_eq!(no_new(not_secret, all_b).result, Verdict::Pass);
    assert_eq!(no_new(all_b, not_secret).result, Verdict::Fail);
}

#[test]
fn principals_widened_fail() {
    let to = |p: &str| {
        format!(
            r#"{{"Effect": "Allow", "Principal": {p}, "Action": "sqs:SendMessage", "Resource": "*"}}"#
        )
    };
    let role = to(r#"{"AWS": "arn:aws:iam::111122223333:role/r"}"#);
    let account = to(r#"{"AWS": "111122223333"}"#);
    let other = to(r#"{"AWS": "444455556666"}"#);
    let anyone = to(r#""*""#);
    assert_eq!(no_new(&account, &role).result, Verdict::Pass);
    assert_eq!(no_new(&role, &account).result, Verdict::Fail);
    assert_eq!(no_new(&account, &other).result, Verdict::Fail);
    assert_eq!(no_new(&anyone, &other).result, Verdict::Pass);
    assert_eq!(no_new(&other, &anyone).result, Verdict::Fail);
}

fn not_granted(statements: &str, actions: &[&str], resources: &[&str]) -> GateResult {
    let text = policy(statements);
    let p = GatePolicy::parse("p", &text).unwrap();
    let query = AccessQuery {
        actions: actions.iter().map(|s| s.to_string()).collect(),
        resources: resources.iter().map(|s| s.to_string()).collect(),
    };
    check_access_not_granted(&p, &query)
}

#[test]
fn access_not_granted() {
    assert_eq!(
        not_granted(READ_REPORTS, &["s3:PutObject"], &[]).result,
        Verdict::Pass
    );
    let r = not_granted(READ_REPORTS, &["s3:GetObject"], &[]);
    assert_eq!(r.result, Verdict::Fail);
    assert_eq!(
        r.reasons[0].description,
        "statement \"Read\" grants s3:GetObject"
    );
    assert_eq!(
        not_granted(READ_REPORTS, &["s3:Get*"], &[]).result,
        Verdict::Fail
    );
    assert_eq!(
        not_granted(READ_REPORTS, &[], &["arn:aws:s3:::other/*"]).result,
        Verdict::Pass
    );
    let r = not_granted(READ_REPORTS, &["s3:GetObject"], &["arn:aws:s3:::reports/x"]);
    assert_eq!(r.result, Verdict::Fail);
    assert!(r.reasons[0]
        .description
        .ends_with("on arn:aws:s3:::reports/x"));
    // An unconditional Deny takes the access away; a conditional one does not.
    let deny = r#"{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}"#;
    let both = format!("{READ_REPORTS}, {deny}");
    assert_eq!(
        not_granted(&both, &["s3:GetObject"], &[]).result,
        Verdict::Pass
    );
    let conditional = deny.replace(
        r#""Resource""#,
        r#""Condition": {"Bool": {"aws:SecureTransport": "false"}}, "Resource""#,
    );
    let both = format!("{READ_REPORTS}, {conditional}");
    assert_eq!(
        not_granted(&both, &["s3:GetObject"], &[]).result,
        Verdict::Fail
    );
}

fn public(statements: &str, ty: &str) -> GateResult {
    let text = policy(statements);
    let p = GatePolicy::parse("p", &text).unwrap();
    check_no_public_access(&p, PublicResourceType::find(ty).unwrap())
}

#[test]
fn public_access() {
    let open = r#"{"Sid": "Open", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#;
    let r = public(open, "AWS::S3::Bucket");
    assert_eq!(r.result, Verdict::Fail);
    assert_eq!(r.reasons[0].statement_id.as_deref(), Some("Open"));
    // Other services' actions do not open this resource type.
    assert_eq!(public(open, "AWS::SQS::Queue").result, Verdict::Pass);
    let org = open.replace(
        r#""Resource""#,
        r#""Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-1"}}, "Resource""#,
    );
    assert_eq!(public(&org, "AWS::S3::Bucket").result, Verdict::Pass);
    let account = open.replace(r#""*""#, r#"{"AWS": "111122223333"}"#);
    assert_eq!(public(&account, "AWS::S3::Bucket").result, Verdict::Pass);
    let not_principal = open.replace(
        r#""Principal": "*""#,
        r#""NotPrincipal": {"AWS": "111122223333"}"#,
    );
    assert_eq!(
        public(&not_principal, "AWS::S3::Bucket").result,
        Verdict::Fail
    );
    // A Deny for everyone outside the organization fences the open statement.
    let fence = r#"{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-1"}}}"#;
    assert_eq!(
        public(&format!("{open}, {fence}"), "AWS::S3::Bucket").result,
        Verdict::Pass
    );
    let weak_fence = fence.replace("StringNotEquals", "StringNotEqualsIfExists");
    assert_eq!(
        public(&format!("{open}, {weak_fence}"), "AWS::S3::Bucket").result,
        Verdict::Fail
    );
}

/// The examples of Access Analyzer's custom policy checks that AWS documents (AWS CLI examples
/// and SDK samples), with Access Analyzer's answer; docs/gates.md lists them with ours.
#[test]
fn aws_documented_examples() {
    let bucket =
        r#""Resource": ["arn:aws:s3:::amzn-s3-demo-bucket", "arn:aws:s3:::amzn-s3-demo-bucket/*"]"#;
    let existing = policy(&format!(
        r#"{{"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], {bucket}}}"#
    ));
    let updated = policy(&format!(
        r#"{{"Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObjectAcl", "s3:ListBucket"], {bucket}}}"#
    ));
    let (e, u) = (
        GatePolicy::parse("existing", &existing).unwrap(),
        GatePolicy::parse("new", &updated).unwrap(),
    );
    // AWS CLI check-no-new-access example: FAIL (s3:GetObjectAcl is new).
    let r = check_no_new_access(&e, &u, &PolicyType::Identity);
    assert_eq!(r.result, Verdict::Fail);
    assert!(r.reasons[0].description.contains("s3:GetObjectAcl"));
    // The same pair the other way round: nothing new.
    assert_eq!(
        check_no_new_access(&u, &e, &PolicyType::Identity).result,
        Verdict::Pass
    );
    // AWS CLI check-access-not-granted example: PASS.
    let query = AccessQuery {
        actions: vec!["s3:DeleteBucket".into(), "s3:GetBucketLocation".into()],
        resources: Vec::new(),
    };
    assert_eq!(check_access_not_granted(&e, &query).result, Verdict::Pass);
    // SDK sample "restrictive identity policy" (a resource policy for JohnDoe): PASS.
    let john = r#"{"Sid": "AllowJohnDoe", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:user/JohnDoe"}, "Action": "s3:GetObject", "Resource": "*"}"#;
    let john_text = policy(john);
    let john_policy = GatePolicy::parse("john", &john_text).unwrap();
    let query = AccessQuery {
        actions: vec!["s3:PutObject".into()],
        resources: Vec::new(),
    };
    assert_eq!(
        check_access_not_granted(&john_policy, &query).result,
        Verdict::Pass
    );
    // SDK samples of check-no-public-access: a named user passes, Principal "*" fails (neither
    // statement has a Resource: a bucket policy's statements apply to the bucket).
    let bob = r#"{"Sid": "Bob", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/JohnDoe"}, "Action": ["s3:GetObject"]}"#;
    assert_eq!(public(bob, "AWS::S3::Bucket").result, Verdict::Pass);
    let anyone = bob.replace(
        r#"{"AWS": "arn:aws:iam::111122223333:user/JohnDoe"}"#,
        r#""*""#,
    );
    assert_eq!(public(&anyone, "AWS::S3::Bucket").result, Verdict::Fail);
}

/// A Terraform policy whose Action is a variable: its placeholder must not let any gate pass,
/// while the same policy with the action written out passes where it should.
#[test]
fn values_only_known_at_deploy_time_never_pass() {
    let terraform = |action: &str| {
        format!(
            "resource \"aws_iam_policy\" \"p\" {{\n  policy = jsonencode({{\n    Version = \"2012-10-17\"\n    Statement = [{{ Sid = \"S\", Effect = \"Allow\", Action = {action}, Resource = \"*\" }}]\n  }})\n}}\n"
        )
    };
    let asked = AccessQuery {
        actions: vec!["iam:PassRole".to_string()],
        resources: Vec::new(),
    };
    let known = crate::host::read(
        crate::host::Format::Terraform,
        &terraform("\"s3:GetObject\""),
    );
    let gate = GatePolicy::from_embedded(&known.policies[0]).unwrap();
    assert_eq!(
        check_access_not_granted(&gate, &asked).result,
        Verdict::Pass
    );

    let computed = crate::host::read(crate::host::Format::Terraform, &terraform("var.action"));
    let policy = &computed.policies[0];
    assert_eq!(policy.unknowns.len(), 1);
    let gate = GatePolicy::from_embedded(policy).unwrap();
    let result = check_access_not_granted(&gate, &asked);
    assert_eq!(result.result, Verdict::Fail);
    assert_eq!(result.reasons.len(), 1);
    assert_eq!(result.reasons[0].statement_id.as_deref(), Some("S"));
    assert!(result.reasons[0]
        .description
        .contains("only known when the template is deployed"));

    // The reference may hold such values (it then grants less); the checked policy may not.
    let star = GatePolicy::parse("star", r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#).unwrap();
    let known_gate = GatePolicy::from_embedded(&known.policies[0]).unwrap();
    assert_eq!(
        check_no_new_access(&star, &known_gate, &PolicyType::Identity).result,
        Verdict::Pass
    );
    assert_eq!(
        check_no_new_access(&star, &gate, &PolicyType::Identity).result,
        Verdict::Fail
    );
    assert_eq!(
        check_no_new_access(&gate, &known_gate, &PolicyType::Identity).result,
        Verdict::Fail
    );
}
