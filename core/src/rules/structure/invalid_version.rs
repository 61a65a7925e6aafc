use crate::diagnostic::{Category, Fix};
use crate::policy::{VERSION_2008, VERSION_2012};
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};
use crate::suggest::distance;

use crate::rules::support::structure::replace_with_string;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "INVALID_VERSION",
        category: Category::Error,
        summary: "`Version` is not one of the two policy language versions.",
        explanation: "`Version` names the policy language, not a date of your choosing: the only \
            legal values are `2012-10-17` (current; needed for policy variables) and `2008-10-17` \
            (old). Any other value makes IAM reject the policy. When the value is a near miss \
            (another separator, a transposed digit, stray spaces) the fix writes `2012-10-17`.",
        bad_example: r#"{"Version": "2012-10-18", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Document,
    },
    check,
};

/// The legal version closest to `value`, when it is a plausible slip.
fn near_miss(value: &str) -> Option<&'static str> {
    let normalised: String = value
        .trim()
        .chars()
        .map(|c| {
            if matches!(c, '/' | '.' | '_' | ' ') {
                '-'
            } else {
                c
            }
        })
        .collect();
    [VERSION_2012, VERSION_2008]
        .into_iter()
        .map(|v| (distance(&normalised, v, 3), v))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, v)| v)
}

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(member) = cx.policy.version else {
        return;
    };
    let Some(node) = &member.value else { return };
    let Some(value) = node.as_str() else { return }; // DATA_TYPE_MISMATCH
    if value == VERSION_2012 || value == VERSION_2008 {
        return;
    }
    let d = sink.report(
        node.span,
        format!(
            "\"{value}\" is not a policy language version. Use \"{VERSION_2012}\" (the only other legal value is the obsolete \"{VERSION_2008}\")."
        ),
    );
    if near_miss(value).is_some() {
        d.fixes.push(Fix::safe(
            format!("Set Version to \"{VERSION_2012}\""),
            vec![replace_with_string(node, VERSION_2012)],
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "INVALID_VERSION";

    #[test]
    fn near_misses_get_a_fix() {
        for bad in ["2012/10/17", " 2012-10-17", "2012-10-71", "2021-10-17"] {
            let text = format!(r#"{{"Version": "{bad}", "Statement": []}}"#);
            let found = findings_of(&text, "identity", CODE);
            assert_eq!(found.len(), 1, "{bad}");
            assert_eq!(found[0].span.slice(&text), format!("\"{bad}\""));
            let fixed = found[0].fixes[0].apply(&text).unwrap();
            assert!(fixed.starts_with(r#"{"Version": "2012-10-17""#));
        }
    }

    #[test]
    fn far_values_have_no_fix() {
        let text = r#"{"Version": "latest", "Statement": []}"#;
        let found = findings_of(text, "identity", CODE);
        assert_eq!(found[0].span.slice(text), r#""latest""#);
        assert!(found[0].fixes.is_empty());
    }

    #[test]
    fn both_legal_versions_pass() {
        for v in ["2012-10-17", "2008-10-17"] {
            let text = format!(r#"{{"Version": "{v}", "Statement": []}}"#);
            assert!(findings_of(&text, "identity", CODE).is_empty());
        }
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
