use crate::diagnostic::Category;
use crate::policy::PolicyType;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::structure::report_unsupported_element;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "RCP_SYNTAX_ERROR_NOTPRINCIPAL",
        category: Category::Error,
        summary: "An RCP uses `NotPrincipal`.",
        explanation: "Resource control policies (AWS Organizations) support `Version`, `Statement`, `Sid`, `Effect`, `Principal`, `Action`, `Resource`, `NotResource` and `Condition`; `NotPrincipal` is not among them, so Organizations rejects the policy. Use `\"Principal\": \"*\"` and a condition on `aws:PrincipalArn` or `aws:PrincipalOrgID` instead. (Access Analyzer names its RCP checks RCP_SYNTAX_ERROR_*; iamlint follows that style.)",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:*", "Resource": "*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}]}"#,
        example_type: ExampleType::Rcp,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    report_unsupported_element(
        cx,
        sink,
        PolicyType::Rcp,
        "NotPrincipal",
        "RCPs do not support `NotPrincipal`. Use `\"Principal\": \"*\"` and a condition on `aws:PrincipalArn` or `aws:PrincipalOrgID` instead.",
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "RCP_SYNTAX_ERROR_NOTPRINCIPAL";

    #[test]
    fn reported_in_rcps_only() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:*", "Resource": "*"}]}"#;
        assert_eq!(spans_of(text, "rcp", CODE), [r#""NotPrincipal""#]);
        assert!(findings_of(text, "resource", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
