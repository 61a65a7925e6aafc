use crate::diagnostic::Category;
use crate::policy::{Policy, Principal, Statement};
use crate::rules::{Context, ExampleType, Reads, Rule, RuleMeta, Scope, Sink};

use crate::rules::support::conditions::walk::sites;
use crate::wildcard::action_matches;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "MISSING_ACTION_FOR_CONDITION_KEY",
        category: Category::Error,
        summary: "A session-tag or source-identity key needs a companion action in the statement.",
        explanation: "When a role is assumed, session tags are set by `sts:TagSession` and a \
            source identity by `sts:SetSourceIdentity`. A statement that allows \
            `sts:AssumeRole*` and tests `aws:RequestTag/...`, `aws:TagKeys` or \
            `sts:TransitiveTagKeys` must also allow `sts:TagSession`; one that tests \
            `sts:SourceIdentity` must also allow `sts:SetSourceIdentity`. Otherwise the \
            values can never be set and the condition cannot work as intended.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:SourceIdentity": "alice"}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": ["sts:AssumeRole", "sts:SetSourceIdentity"], "Condition": {"StringEquals": {"sts:SourceIdentity": "alice"}}}]}"#,
        example_type: ExampleType::Trust,
        scope: Scope::Across(Reads::GRANTS),
    },
    check,
};

const ASSUME_ACTIONS: &[&str] = &[
    "sts:AssumeRole",
    "sts:AssumeRoleWithSAML",
    "sts:AssumeRoleWithWebIdentity",
];

/// The action a key needs alongside AssumeRole, if any.
fn companion_for(key: &str) -> Option<&'static str> {
    let lower = key.to_ascii_lowercase();
    if lower == "sts:sourceidentity" {
        Some("sts:SetSourceIdentity")
    } else if lower == "sts:transitivetagkeys"
        || lower == "aws:tagkeys"
        || lower.starts_with("aws:requesttag/")
    {
        Some("sts:TagSession")
    } else {
        None
    }
}

/// True when another Allow statement of the policy grants `needed` to every principal of `st`
/// without a condition: IAM asks for sts:TagSession (or sts:SetSourceIdentity) as a request of
/// its own, so the IAM User Guide's trust policies often allow it in a sibling statement.
fn sibling_grants(policy: &Policy<'_>, st: &Statement<'_>, needed: &str) -> bool {
    policy.statements.iter().any(|other| {
        other.index != st.index
            && other.is_allow()
            && other.condition.is_none()
            && other
                .action
                .as_ref()
                .is_some_and(|l| l.items.iter().any(|a| action_matches(a.value, needed)))
            && covers_principals(other.principal.as_ref(), st.principal.as_ref())
    })
}

/// True when every principal of `inner` is one of `outer` (or `outer` is `"*"`); two statements
/// without Principal (an identity policy) have the same holder.
fn covers_principals(outer: Option<&Principal<'_>>, inner: Option<&Principal<'_>>) -> bool {
    match (outer, inner) {
        (None, None) => true,
        (Some(outer), _) if outer.is_star => true,
        (Some(outer), Some(inner)) => {
            !inner.is_star
                && inner.entries.iter().all(|entry| {
                    entry.values.items.iter().all(|v| {
                        outer
                            .values_of(&entry.kind.value)
                            .any(|o| o.value == v.value)
                    })
                })
        }
        _ => false,
    }
}

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for site in sites(cx.policy) {
        let st = site.statement;
        let Some(actions) = st.action.as_ref().filter(|_| st.is_allow()) else {
            continue;
        };
        let Some(needed) = companion_for(site.key()) else {
            continue;
        };
        let grants = |name: &str| actions.items.iter().any(|a| action_matches(a.value, name));
        if !ASSUME_ACTIONS.iter().any(|a| grants(a))
            || grants(needed)
            || sibling_grants(cx.policy, st, needed)
        {
            continue;
        }
        sink.report(
            site.key_span(),
            format!(
                "\"{}\" is only set when the caller is also allowed {needed}; add \"{needed}\" to this statement's Action, or allow it to the same principal in another statement",
                site.key()
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "MISSING_ACTION_FOR_CONDITION_KEY";

    fn trust(actions: &str, condition: &str) -> String {
        format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {{"Federated": "arn:aws:iam::111122223333:saml-provider/idp"}}, "Action": {actions}, "Condition": {condition}}}]}}"#
        )
    }

    #[test]
    fn reports_session_tag_keys_without_tag_session() {
        let text = trust(
            r#""sts:AssumeRoleWithSAML""#,
            r#"{"StringEquals": {"aws:RequestTag/team": "red", "saml:aud": "x"}, "ForAllValues:StringEquals": {"sts:TransitiveTagKeys": "team"}}"#,
        );
        assert_eq!(
            spans_of(&text, "trust", CODE),
            vec![r#""aws:RequestTag/team""#, r#""sts:TransitiveTagKeys""#]
        );
    }

    #[test]
    fn companion_present_by_name_or_wildcard_is_fine() {
        let text = trust(
            r#"["sts:AssumeRoleWithSAML", "sts:Tag*"]"#,
            r#"{"StringEquals": {"aws:RequestTag/team": "red"}}"#,
        );
        assert!(findings_of(&text, "trust", CODE).is_empty());
        let text = trust(
            r#""sts:*""#,
            r#"{"StringEquals": {"sts:SourceIdentity": "a"}}"#,
        );
        assert!(findings_of(&text, "trust", CODE).is_empty());
    }

    #[test]
    fn a_sibling_statement_for_the_same_principal_is_enough() {
        // Issue 12, from the IAM User Guide's session-tag trust policies: sts:TagSession is
        // allowed in its own statement.
        let text = r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/a"}, "Action": "sts:AssumeRole",
             "Condition": {"StringEquals": {"aws:RequestTag/team": "red"}}},
            {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:role/a", "arn:aws:iam::111122223333:role/b"]}, "Action": "sts:TagSession"}]}"#;
        assert!(findings_of(text, "trust", CODE).is_empty());
        // Close neighbour: the sibling allows it to someone else.
        let other = text.replace(
            r#"["arn:aws:iam::111122223333:role/a", "#,
            r#"["arn:aws:iam::111122223333:role/c", "#,
        );
        assert_eq!(
            spans_of(&other, "trust", CODE),
            vec![r#""aws:RequestTag/team""#]
        );
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
