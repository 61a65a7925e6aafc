use crate::diagnostic::{Category, Fix, TextEdit};
use crate::rules::support::arns::resource_entries;
use crate::rules::{Context, ExampleType, Rule, RuleMeta, Scope, Sink};
use crate::span::Span;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "INVALID_ARN_PREFIX",
        category: Category::Error,
        summary: "A Resource value is neither `*` nor an ARN starting with `arn:`.",
        explanation: "Resource and NotResource take `*` or Amazon Resource Names, which always \
            begin with `arn:` (lower case). A bucket name, a queue URL or an `ARN:` prefix in \
            capitals matches no resource, so the statement does not apply where you meant it to. \
            Write the full ARN, for example `arn:aws:s3:::amzn-s3-demo-bucket`.",
        bad_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "amzn-s3-demo-bucket"}]}"#,
        good_example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket"}]}"#,
        example_type: ExampleType::Identity,
        scope: Scope::Statement,
    },
    check,
};

fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
    for entry in resource_entries(cx) {
        let value = entry.item.value;
        // "*" is the one non-ARN value; a value that is only a policy variable is resolved at
        // request time and cannot be judged here.
        if value == "*" || value.starts_with("arn:") || value.starts_with("${") {
            continue;
        }
        let span = entry.item.inner_span();
        let wrong_case = value
            .get(..4)
            .is_some_and(|p| p.eq_ignore_ascii_case("arn:"));
        if wrong_case {
            let d = sink.report(
                span,
                format!(
                    "\"{value}\" starts with \"{}\", but ARNs start with lower-case \"arn:\"; as \
                     written it matches no resource.",
                    &value[..4]
                ),
            );
            d.fixes.push(Fix::safe(
                "Write the prefix as \"arn:\"",
                vec![TextEdit {
                    span: Span::new(span.start, span.start + 4),
                    text: "arn:".to_string(),
                }],
            ));
        } else {
            sink.report(
                span,
                format!(
                    "\"{value}\" is not an ARN: resources are named by ARNs that start with \
                     \"arn:\" (e.g. \"arn:aws:s3:::amzn-s3-demo-bucket\"), or \"*\" for all \
                     resources. As written it matches nothing."
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    /// Found by the fuzzer: a Resource string without its closing quote, ending in a two-byte
    /// character; the finding's span cut that character in two.
    #[test]
    fn unterminated_value_ending_in_a_wide_character() {
        let text =
            include_str!("../../../../fuzz/regressions/unterminated-string-multibyte-end.json");
        for policy_type in ["identity", "trust", "resource", "scp"] {
            for d in findings(text, policy_type) {
                let spans = std::iter::once(d.span)
                    .chain(d.related.iter().map(|r| r.span))
                    .chain(d.fixes.iter().flat_map(|f| f.edits.iter().map(|e| e.span)));
                for span in spans {
                    assert!(
                        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
                        "{} {span:?} ({policy_type})",
                        d.code
                    );
                }
            }
        }
        let found = findings_of(text, "identity", "INVALID_ARN_PREFIX");
        assert_eq!(found.len(), 1);
        assert!(
            found[0].span.slice(text).starts_with("ar "),
            "{:?}",
            found[0].span
        );
    }

    #[test]
    fn flags_names_and_capital_prefixes() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": ["my-bucket", "ARN:aws:s3:::b", "arn:aws:s3:::ok"]}]}"#;
        let found = findings_of(text, "identity", "INVALID_ARN_PREFIX");
        let spans: Vec<&str> = found.iter().map(|d| d.span.slice(text)).collect();
        assert_eq!(spans, ["my-bucket", "ARN:aws:s3:::b"]);
        let fixed = found[1].fixes[0].apply(text).unwrap();
        assert!(fixed.contains(r#""arn:aws:s3:::b""#));
    }

    #[test]
    fn star_arns_and_variables_pass() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "s3:*", "NotResource": ["*", "arn:aws:s3:::b", "${aws:SourceArn}"]}]}"#;
        assert!(findings_of(text, "identity", "INVALID_ARN_PREFIX").is_empty());
    }

    #[test]
    fn examples() {
        check_examples(&super::RULE);
    }
}
