use std::cell::OnceCell;

use crate::fast_hash::FastSet;

use crate::diagnostic::{Category, Fix};
use crate::policy::PolicyType;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::structure::{replace_with_string, type_phrase};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "UNSUPPORTED_SID",
        category: Category::Error,
        summary: "A Sid contains characters other than ASCII letters and digits.",
        explanation: "IAM (identity, boundary, session and role trust policies) and AWS \
            Organizations (SCPs, RCPs) accept only `A-Z`, `a-z` and `0-9` in a `Sid`; spaces, \
            hyphens, underscores and other characters make the policy fail to save. Resource \
            policies are not checked: services such as S3, SNS and SQS store their own policies \
            and accept wider Sids (`\"Sid\": \"Allow get object\"`, `__default_statement_ID`). \
            The fix removes the other characters and capitalises the word after each removed \
            separator (`read-only-s3` becomes `readOnlyS3`); a Sid does not affect access.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Sid": "read-only-s3", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Sid": "ReadOnlyS3", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

/// The Sid with only letters and digits, camel-casing across removed separators.
fn alphanumeric_sid(sid: &str) -> String {
    let mut out = String::new();
    let mut upper_next = false;
    for c in sid.chars() {
        if c.is_ascii_alphanumeric() {
            if upper_next && !out.is_empty() {
                out.push(c.to_ascii_uppercase());
            } else {
                out.push(c);
            }
            upper_next = false;
        } else {
            upper_next = true;
        }
    }
    out
}

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    if matches!(cx.policy_type, PolicyType::Resource { .. }) {
        return;
    }
    // The Sids in use, gathered only when a fix is to be offered (most policies have none).
    let used: OnceCell<FastSet<&str>> = OnceCell::new();
    for st in &cx.policy.statements {
        let Some(node) = st.sid.and_then(|m| m.value.as_ref()) else {
            continue;
        };
        let Some(sid) = node.as_str() else { continue };
        let Some(bad) = sid.chars().find(|c| !c.is_ascii_alphanumeric()) else {
            continue;
        };
        let shown = if bad == ' ' {
            "a space".to_string()
        } else {
            format!("'{bad}'")
        };
        let d = sink.report(
            node.span,
            format!(
                "The Sid \"{sid}\" contains {shown}; a Sid in {} may contain only ASCII letters and digits.",
                type_phrase(cx.policy_type)
            ),
        );
        let fixed = alphanumeric_sid(sid);
        let used = used.get_or_init(|| {
            cx.policy
                .statements
                .iter()
                .filter_map(|s| s.sid_value())
                .collect()
        });
        if !fixed.is_empty() && !used.contains(&fixed.as_str()) {
            d.fixes.push(Fix::safe(
                format!("Change the Sid to \"{fixed}\""),
                vec![replace_with_string(node, &fixed)],
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "UNSUPPORTED_SID";

    #[test]
    fn reports_and_fixes_non_alphanumeric_sids() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "allow s3_read-only", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#;
        for ty in ["identity", "trust", "scp", "rcp", "boundary", "session"] {
            let found = findings_of(text, ty, CODE);
            assert_eq!(found.len(), 1, "{ty}");
            assert_eq!(found[0].span.slice(text), r#""allow s3_read-only""#);
            let fixed = found[0].fixes[0].apply(text).unwrap();
            assert!(fixed.contains(r#""Sid": "allowS3ReadOnly""#), "{fixed}");
        }
        assert!(findings_of(text, "resource", CODE).is_empty());
    }

    #[test]
    fn alphanumeric_sids_pass() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "AllowS3Read2", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}, {"Sid": "", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#;
        assert!(findings_of(text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
