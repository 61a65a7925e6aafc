use crate::catalog::Action;
use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::conditions::actions::{
    action_supports, list_some, statement_actions, tolerates_absent_key,
};
use crate::rules::support::conditions::keys::{is_cross_service_key, lookup, origin, KeyOrigin};
use crate::rules::support::conditions::walk::sites;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "UNSUPPORTED_ACTION_FOR_CONDITION_KEY",
        category: Category::Error,
        summary: "Some actions of the statement do not support a service condition key it tests.",
        explanation: "A service condition key is only present in requests for the actions that \
            support it. For the other actions of the statement the key is missing, so the \
            condition does not hold for them (an Allow never grants them, a Deny never \
            blocks them). Move those actions to their own statement, or use an `...IfExists` \
            operator if skipping the test for them is what you want. With a negated operator \
            (`StringNotEquals`, `ArnNotLike`, ...) a missing key makes the condition true \
            instead: a Deny still applies to those actions (not reported), an Allow grants them \
            without the test (reported as a warning).",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetObject"], "Resource": "*", "Condition": {"StringLike": {"s3:prefix": "home/*"}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": {"StringLike": {"s3:prefix": "home/*"}}}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn has_documented_service_keys(action: &Action<'_>) -> bool {
    action.any_condition_key(|k| {
        !k.name()
            .get(..4)
            .is_some_and(|p| p.eq_ignore_ascii_case("aws:"))
    })
}

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    // The statement's actions, kept while the sites of one statement are checked (sites come
    // statement by statement).
    let mut cached: Option<(usize, Vec<Action<'_>>)> = None;
    for site in sites(cx.policy) {
        let key = site.key();
        if !matches!(origin(key), Some(KeyOrigin::Service { .. }))
            || is_cross_service_key(key)
            || tolerates_absent_key(&site)
            || lookup(cx.catalog, key).is_none()
        {
            continue;
        }
        let index = site.statement.index;
        if cached.as_ref().is_none_or(|(k, _)| *k != index) {
            cached = Some((index, statement_actions(cx, site.statement)));
        }
        let Some((_, actions)) = &cached else {
            continue;
        };
        if actions.is_empty() {
            continue;
        }
        // The catalog lists no service condition keys at all for many actions that in fact
        // support some; judge only actions whose condition keys are documented.
        let unsupported: Vec<String> = actions
            .iter()
            .filter(|a| has_documented_service_keys(a) && !action_supports(a, key))
            .map(|a| a.full_name())
            .collect();
        if unsupported.is_empty() {
            continue;
        }
        // A negated operator (StringNotEquals, ArnNotLike, ...) is true when the key is absent:
        // in a Deny the statement still applies to those actions, which is what such a Deny
        // is written for (the IAM User Guide's examples, and the simulator, agree). In an
        // Allow the test is skipped for them: a weaker grant than it reads, worth a warning,
        // but not an error.
        let negated = site.operator().is_some_and(|op| op.base.is_negated());
        if negated && !site.statement.is_allow() {
            continue;
        }
        let count = format!(
            "{} of the {} actions in this statement do not support \"{key}\" ({})",
            unsupported.len(),
            actions.len(),
            list_some(&unsupported, 3)
        );
        if negated {
            let d = sink.report(
                site.key_span(),
                format!(
                    "{count}; the key is absent from their requests, so the negated condition is always true for them and this statement allows them without the test; move them to another statement if that is not meant"
                ),
            );
            d.category = Category::Warning;
            continue;
        }
        sink.report(
            site.key_span(),
            format!(
                "{count}; the key is absent from their requests, so the condition never holds for them; move them to another statement"
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "UNSUPPORTED_ACTION_FOR_CONDITION_KEY";

    fn policy(actions: &str, condition: &str) -> String {
        format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": {actions}, "Resource": "*", "Condition": {condition}}}]}}"#
        )
    }

    #[test]
    fn reports_the_key_and_names_the_actions() {
        let text = policy(
            r#"["iam:PassRole", "ec2:RunInstances"]"#,
            r#"{"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}"#,
        );
        let found = findings_of(&text, "identity", CODE);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].span.slice(&text), r#""iam:PassedToService""#);
        assert!(
            found[0].message.contains("ec2:RunInstances"),
            "{}",
            found[0].message
        );
        assert!(
            found[0].message.starts_with("1 of the 2"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn supported_keys_globals_and_if_exists_are_fine() {
        let text = policy(
            r#""iam:PassRole""#,
            r#"{"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com", "aws:PrincipalOrgID": "o-1"}}"#,
        );
        assert!(findings_of(&text, "identity", CODE).is_empty());
        let text = policy(
            r#"["s3:ListBucket", "s3:GetObject"]"#,
            r#"{"StringLikeIfExists": {"s3:prefix": "home/*"}}"#,
        );
        assert!(findings_of(&text, "identity", CODE).is_empty());
    }

    #[test]
    fn negated_operators_hold_on_an_absent_key() {
        // Issue 12: a Deny with StringNotEquals still denies the actions that lack the key.
        let deny = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": ["iam:PassRole", "ec2:RunInstances"], "Resource": "*", "Condition": {"StringNotEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}}]}"#;
        assert!(findings_of(deny, "identity", CODE).is_empty());
        // In an Allow the same condition lets those actions through untested: a warning.
        let allow = deny.replace("Deny", "Allow");
        let found = findings_of(&allow, "identity", CODE);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].category, crate::diagnostic::Category::Warning);
        assert!(
            found[0].message.contains("always true"),
            "{}",
            found[0].message
        );
        // Close neighbour: a positive operator in a Deny never holds for them, still an error.
        let positive = deny.replace("StringNotEquals", "StringEquals");
        let found = findings_of(&positive, "identity", CODE);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].category, crate::diagnostic::Category::Error);
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
