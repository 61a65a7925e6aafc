use crate::diagnostic::{Category, Fix, TextEdit};
use crate::rules::support::variables::scan::VariableKind;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};
use crate::span::Span;
use crate::syntax::quote::json_string;

use crate::rules::support::conditions::keys::{
    catalog_loaded, is_aws_arn_key, is_extra_global_key, is_tag_key_without_name, lookup,
    suggest_key,
};
use crate::rules::support::conditions::walk::sites;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "INVALID_GLOBAL_CONDITION_KEY",
        category: Category::Error,
        summary: "An `aws:` condition key does not exist.",
        explanation: "Keys with the `aws:` prefix are the global condition keys AWS defines \
            (`aws:SourceIp`, `aws:PrincipalOrgID`, `aws:ResourceTag/<tag>` ...). A name that is \
            not one of them is never present in a request, so the condition never matches as \
            intended. iamlint also checks the keys inside policy variables \
            (`${aws:username}`). It suggests the closest real key.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalOrgId2": "o-a1b2c3d4e5"}}}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

/// True when `key` is an `aws:` key this rule should report: unknown to the catalog, and not
/// one that a more specific rule reports (`aws:ARN`, a tag key without its tag name).
fn is_unknown_global(cx: &Context<'_>, key: &str) -> bool {
    key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("aws:"))
        && !is_aws_arn_key(key)
        && !is_tag_key_without_name(key)
        && !is_extra_global_key(key)
        && lookup(cx.catalog, key).is_none()
}

fn report(cx: &Context<'_>, sink: &mut Sink<'_>, key: &str, span: Span, quote: bool) {
    let names: Vec<&str> = cx
        .catalog
        .global_condition_keys()
        .map(|k| k.name())
        .collect();
    let suggestion = suggest_key(key, names.iter().copied());
    let message = match &suggestion {
        Some(s) => format!("\"{key}\" is not a global condition key; did you mean \"{s}\"?"),
        None => format!(
            "\"{key}\" is not a global condition key; check the name against the AWS global condition keys"
        ),
    };
    let d = sink.report(span, message);
    if let Some(s) = suggestion {
        let text = if quote { json_string(&s) } else { s.clone() };
        d.fixes.push(Fix::safe(
            format!("Change to \"{s}\""),
            vec![TextEdit { span, text }],
        ));
    }
}

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    if !catalog_loaded(cx.catalog) {
        return;
    }
    for site in sites(cx.policy) {
        if is_unknown_global(cx, site.key()) {
            report(cx, sink, site.key(), site.key_span(), true);
        }
    }
    for occ in cx.variable_occurrences() {
        if !occ.element.allows_variables() {
            continue;
        }
        if let VariableKind::Key {
            key,
            key_start,
            key_end,
            ..
        } = occ.variable.kind
        {
            if is_unknown_global(cx, key) {
                let span = occ.span_of(cx.text, key_start, key_end);
                // Only offer an edit when the source spells the key exactly (no JSON escapes).
                let verbatim = span.slice(cx.text) == key;
                if verbatim {
                    report(cx, sink, key, span, false);
                } else {
                    sink.report(span, format!("\"{key}\" is not a global condition key"));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::conditions::tests::with_condition;
    use crate::rules::testing::*;

    const CODE: &str = "INVALID_GLOBAL_CONDITION_KEY";

    #[test]
    fn reports_unknown_keys_with_the_right_spelling() {
        let text = with_condition(
            r#"{"StringEquals": {"aws:PrincipalOrgId2": "o-1", "aws:ResourceTags/team": "red", "aws:principalorgid": "o-2"}}"#,
        );
        let found = findings_of(&text, "identity", CODE);
        let spans: Vec<&str> = found.iter().map(|d| d.span.slice(&text)).collect();
        assert_eq!(
            spans,
            vec![r#""aws:PrincipalOrgId2""#, r#""aws:ResourceTags/team""#]
        );
        assert!(found[0].fixes[0]
            .apply(&text)
            .unwrap()
            .contains(r#""aws:PrincipalOrgID": "o-1""#));
        assert!(found[1].fixes[0]
            .apply(&text)
            .unwrap()
            .contains(r#""aws:ResourceTag/team": "red""#));
    }

    #[test]
    fn reports_unknown_keys_inside_variables() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:usernam}/*"}]}"#;
        let found = findings_of(text, "identity", CODE);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].span.slice(text), "aws:usernam");
        assert!(found[0].fixes[0]
            .apply(text)
            .unwrap()
            .contains("${aws:username}"));
    }

    #[test]
    fn known_keys_and_other_rules_keys_are_fine() {
        let text = with_condition(
            r#"{"StringEquals": {"aws:SourceIP": "x", "aws:RequestTag/env": "y", "aws:ResourceTag": "z", "aws:ARN": "a", "aws:PrincipalOrgMasterAccountId": "1", "s3:prefix": "p"}}"#,
        );
        assert!(findings_of(&text, "identity", CODE).is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
