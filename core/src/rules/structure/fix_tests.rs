//! Every fix of the structure and principal rules, applied to each rule's failing example,
//! leaves valid JSON, and a safe fix removes the finding it was attached to.

use crate::diagnostic::Safety;
use crate::rules::{principals, structure, Rule};

use crate::rules::support::structure::run_rules;

/// Pretty-printed documents with several defects each, as people write them.
const EXTRA: &[(&str, &str)] = &[
    (
        "identity",
        "{\n    \"Statement\": [\n        {\n            \"Sid\": \"read-only\",\n            \"effect\": \"allow\",\n            \"Action\": \"s3:GetObject\",\n            \"Resource\": \"*\",\n            \"Principal\": \"*\"\n        },\n        {\n            \"Sid\": \"\",\n            \"Effect\": \"Deny\",\n            \"Action\": \"s3:DeleteObject\",\n            \"Action\": \"s3:PutObject\",\n            \"Resource\": \"*\"\n        }\n    ]\n}\n",
    ),
    (
        "trust",
        "{\n  \"Version\": \"2012/10/17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Principal\": {\"aws\": [\"arn:aws:iam::111122223333:role/B\", \"arn:aws:sts::111122223333:assumed-role/B/s\"], \"Service\": \"EC2.amazonaws.com\"},\n      \"Action\": \"sts:AssumeRole\",\n      \"Resource\": \"*\"\n    }\n  ]\n}\n",
    ),
    (
        "rcp",
        r#"{"Version": "2012-10-17", "Statement": [{"Sid": "A", "Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:*", "Resource": "*"}, {"Sid": "A", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}]}"#,
    ),
];

#[test]
fn fixes_leave_valid_json_and_safe_fixes_resolve_their_finding() {
    let ours: Vec<&Rule> = structure::RULES
        .iter()
        .chain(principals::RULES.iter())
        .copied()
        .collect();
    let mut applied = 0;
    let examples = ours
        .iter()
        .map(|r| (r.meta.example_type.policy_type(), r.meta.bad_example))
        .chain(
            EXTRA
                .iter()
                .map(|(ty, text)| (crate::policy::PolicyType::parse(ty).expect("type"), *text)),
        );
    for (ty, text) in examples {
        for d in run_rules(&ours, text, &ty) {
            for fix in &d.fixes {
                let fixed = fix
                    .apply(text)
                    .unwrap_or_else(|| panic!("{}: fix {:?} does not apply", d.code, fix.title));
                let doc = crate::syntax::parse(&fixed);
                assert!(
                    doc.errors.is_empty(),
                    "{}: fix {:?} broke the JSON:\n{fixed}",
                    d.code,
                    fix.title
                );
                if fix.safety == Safety::Safe {
                    let again = run_rules(&ours, &fixed, &ty);
                    assert!(
                        again.iter().filter(|a| a.code == d.code).count()
                            < run_rules(&ours, text, &ty)
                                .iter()
                                .filter(|a| a.code == d.code)
                                .count(),
                        "{}: safe fix {:?} did not resolve the finding:\n{fixed}",
                        d.code,
                        fix.title
                    );
                }
                applied += 1;
            }
        }
    }
    eprintln!("{applied} fixes applied");
    assert!(applied >= 25, "only {applied} fixes exercised");
}
