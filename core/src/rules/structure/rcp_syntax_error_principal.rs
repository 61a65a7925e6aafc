use crate::diagnostic::{Category, Fix, TextEdit};
use crate::policy::PolicyType;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "RCP_SYNTAX_ERROR_PRINCIPAL",
        category: Category::Error,
        summary: "An RCP names a principal other than `\"*\"`.",
        explanation: "A resource control policy applies to every request made to the resources \
            in the accounts it is attached to, so its `Principal` must be `\"*\"`; AWS \
            Organizations rejects specific principals. Express who the statement is about with \
            conditions instead: `aws:PrincipalOrgID`, `aws:PrincipalAccount`, `aws:PrincipalArn` \
            or `aws:PrincipalIsAWSService`. `{\"AWS\": \"*\"}` means the same as `\"*\"` and gets a \
            safe fix.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:*", "Resource": "*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-abc123"}}}]}"#,
        example_type: ExampleType::Rcp,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    if *cx.policy_type != PolicyType::Rcp {
        return;
    }
    for st in &cx.policy.statements {
        let Some(p) = &st.principal else { continue };
        let Some(value) = &p.member.value else {
            continue;
        };
        if p.is_star {
            continue;
        }
        let d = sink.report(
            value.span,
            "The Principal of an RCP must be \"*\". Narrow the statement with conditions such as aws:PrincipalOrgID, aws:PrincipalAccount or aws:PrincipalArn.",
        );
        let only_aws_star = p.entries.len() == 1
            && p.entries[0].kind.value == "AWS"
            && p.entries[0].values.items.len() == 1
            && p.entries[0].values.invalid.is_empty()
            && p.entries[0].values.items[0].value == "*";
        if only_aws_star {
            d.fixes.push(Fix::safe(
                "Write \"Principal\": \"*\"",
                vec![TextEdit {
                    span: value.span,
                    text: "\"*\"".into(),
                }],
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Safety;
    use crate::rules::testing::*;

    const CODE: &str = "RCP_SYNTAX_ERROR_PRINCIPAL";

    #[test]
    fn specific_principals_in_rcps() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:*", "Resource": "*"}, {"Effect": "Deny", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "s3:*", "Resource": "*"}]}"#;
        let found = findings_of(text, "rcp", CODE);
        let spans: Vec<&str> = found.iter().map(|d| d.span.slice(text)).collect();
        assert_eq!(
            spans,
            [r#"{"AWS": "*"}"#, r#"{"Service": "s3.amazonaws.com"}"#]
        );
        assert_eq!(found[0].fixes[0].safety, Safety::Safe);
        assert!(found[0].fixes[0]
            .apply(text)
            .unwrap()
            .contains(r#""Principal": "*", "Action""#));
        assert!(found[1].fixes.is_empty());
        assert!(findings_of(text, "resource", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
