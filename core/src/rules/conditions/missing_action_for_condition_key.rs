use crate::diagnostic::Category;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Sink};

use crate::rules::support::conditions::walk::{glob_match, sites};

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

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for site in sites(cx.policy) {
        let st = site.statement;
        let Some(actions) = st.action.as_ref().filter(|_| st.is_allow()) else {
            continue;
        };
        let Some(needed) = companion_for(site.key()) else {
            continue;
        };
        let grants = |name: &str| actions.items.iter().any(|a| glob_match(a.value, name));
        if !ASSUME_ACTIONS.iter().any(|a| grants(a)) || grants(needed) {
            continue;
        }
        sink.report(
            site.key_span(),
            format!(
                "\"{}\" is only set when the caller is also allowed {needed}; add \"{needed}\" to this statement's Action",
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
    fn examples() {
        check_examples(&super::RULE);
    }
}
