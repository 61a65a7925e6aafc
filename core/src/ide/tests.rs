//! Tests of hover, completion and code actions. `┃` in a test text marks the cursor.

use super::*;
use crate::analysis::{analyze, Analysis, AnalyzeOptions};
use crate::diagnostic::{Category, Diagnostic, Fix};
use crate::policy::PolicyType;

const CURSOR: &str = "┃";

/// The text without the marker, and the marker's byte offset.
fn cursor(marked: &str) -> (String, usize) {
    let offset = marked.find(CURSOR).expect("test text has a cursor marker");
    (marked.replacen(CURSOR, "", 1), offset)
}

fn hover_at(marked: &str) -> Option<(String, String)> {
    let (text, offset) = cursor(marked);
    hover(&text, offset).map(|h| (h.markdown, h.span.slice(&text).to_string()))
}

fn complete_at(marked: &str) -> (String, Vec<CompletionItem>) {
    let (text, offset) = cursor(marked);
    let items = completions(&text, offset, &AnalyzeOptions::default());
    (text, items)
}

fn labels(items: &[CompletionItem]) -> Vec<&str> {
    items.iter().map(|i| i.label.as_str()).collect()
}

/// Apply a completion item to the text.
fn apply(text: &str, item: &CompletionItem) -> String {
    let mut out = text.to_string();
    out.replace_range(
        item.replace_span.start..item.replace_span.end,
        &item.insert_text,
    );
    out
}

fn item<'i>(items: &'i [CompletionItem], label: &str) -> &'i CompletionItem {
    items
        .iter()
        .find(|i| i.label == label)
        .unwrap_or_else(|| panic!("no item {label} in {:?}", labels(items)))
}

// ---- hover: the grammar (no catalog needed) ----

#[test]
fn hover_on_statement_element_names() {
    let (md, span) =
        hover_at(r#"{"Statement":[{"Eff┃ect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#)
            .expect("hover on Effect");
    assert_eq!(span, "\"Effect\"");
    assert!(md.starts_with("**Effect** (statement element)"), "{md}");
    let (md, span) =
        hover_at(r#"{"Statement":[{"Effect":"Allow","┃NotAction":"s3:*","Resource":"*"}]}"#)
            .unwrap();
    assert_eq!(span, "\"NotAction\"");
    assert!(md.contains("Every action except"), "{md}");
    // Unknown keys have no hover.
    assert!(hover_at(r#"{"Statement":[{"Efect┃":"Allow"}]}"#).is_none());
}

#[test]
fn hover_on_version_key_and_value() {
    let (md, span) = hover_at(r#"{"Ver┃sion":"2012-10-17","Statement":[]}"#).unwrap();
    assert_eq!(span, "\"Version\"");
    assert!(md.contains("policy element"));
    let (md, span) = hover_at(r#"{"Version":"2008-┃10-17","Statement":[]}"#).unwrap();
    assert_eq!(span, "\"2008-10-17\"");
    assert!(md.contains("not expanded"), "{md}");
}

#[test]
fn hover_on_effect_value_and_principal_star() {
    let (md, _) = hover_at(r#"{"Statement":{"Effect":"De┃ny"}}"#).unwrap();
    assert!(md.starts_with("**Deny**"));
    let (md, span) = hover_at(r#"{"Statement":{"Effect":"Allow","Principal":"┃*"}}"#).unwrap();
    assert_eq!(span, "\"*\"");
    assert!(md.contains("every principal"), "{md}");
    let (md, span) =
        hover_at(r#"{"Statement":{"Effect":"Allow","Principal":{"Ser┃vice":"x.amazonaws.com"}}}"#)
            .unwrap();
    assert_eq!(span, "\"Service\"");
    assert!(md.contains("principal kind"));
}

#[test]
fn hover_on_condition_operator_explains_qualifier_and_if_exists() {
    let text = r#"{"Statement":{"Effect":"Allow","Condition":{"ForAnyValue:StringLike┃IfExists":{"aws:TagKeys":"a*"}}}}"#;
    let (md, span) = hover_at(text).unwrap();
    assert_eq!(span, "\"ForAnyValue:StringLikeIfExists\"");
    assert!(md.contains("patterns"), "{md}");
    assert!(md.contains("ForAnyValue:"), "{md}");
    assert!(md.contains("IfExists"), "{md}");
    let (md, _) =
        hover_at(r#"{"Statement":{"Condition":{"StringEqual┃":{"aws:username":"a"}}}}"#).unwrap();
    assert!(md.contains("not a condition operator"), "{md}");
    assert!(md.contains("`StringEquals`"), "{md}");
}

#[test]
fn hover_on_arn_shows_its_parts() {
    let text = r#"{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::my-bu┃cket/*"}}"#;
    let (md, span) = hover_at(text).unwrap();
    assert_eq!(span, "\"arn:aws:s3:::my-bucket/*\"");
    assert!(md.contains("| service | `s3` |"), "{md}");
    assert!(md.contains("| region | _(empty)_ |"), "{md}");
    assert!(md.contains("| resource | `my-bucket/*` |"), "{md}");
}

#[test]
fn no_hover_outside_tokens_or_on_broken_input() {
    assert!(hover_at(r#"{"Statement": ┃ [] }"#).is_none());
    assert!(hover_at("┃").is_none());
    // An unterminated value at the end of the text still has its hover.
    assert!(hover_at(r#"{"Statement":[{"Effect":"All┃ow"#).is_some());
    // Offsets past the end or inside a multi-byte character do not panic.
    let text = r#"{"Sid":"é"}"#;
    for offset in 0..text.len() + 3 {
        let _ = hover(text, offset);
        let _ = completions(text, offset, &AnalyzeOptions::default());
    }
}

// ---- hover: the catalog ----

#[test]
fn hover_on_action_shows_access_level_and_data_date() {
    let text = r#"{"Statement":{"Effect":"Allow","Action":"s3:GetOb┃ject","Resource":"*"}}"#;
    let (md, span) = hover_at(text).expect("action hover");
    assert_eq!(span, "\"s3:GetObject\"");
    assert!(md.starts_with("**s3:GetObject**"), "{md}");
    assert!(md.contains("**Access level:** Read"), "{md}");
    assert!(md.contains("`object`"), "{md}");
    assert!(
        md.contains(crate::catalog::catalog().data_date()),
        "hover names the data date: {md}"
    );
}

#[test]
fn hover_on_service_prefix() {
    let text = r#"{"Statement":{"Effect":"Allow","Action":"s┃3:GetObject","Resource":"*"}}"#;
    let (md, span) = hover_at(text).expect("service hover");
    assert_eq!(span, "s3");
    assert!(md.contains("service prefix of"), "{md}");
}

#[test]
fn hover_on_wildcard_counts_actions_by_access_level() {
    let text = r#"{"Statement":{"Effect":"Allow","Action":"s3:Get┃*","Resource":"*"}}"#;
    let (md, _) = hover_at(text).expect("wildcard hover");
    let n = crate::catalog::catalog()
        .expand_action_pattern("s3:Get*")
        .len();
    assert!(n > 10, "catalog has S3 Get actions");
    assert!(md.contains(&format!("grants {n} actions")), "{md}");
    assert!(md.contains("Read"), "{md}");
    assert!(md.contains("`s3:Get"), "{md}");
}

#[test]
fn hover_on_condition_key_names_supporting_actions() {
    let text = r#"{"Statement":{"Effect":"Allow","Action":["s3:ListBucket","s3:GetObject"],"Resource":"*","Condition":{"StringLike":{"s3:pre┃fix":"home/"}}}}"#;
    let (md, span) = hover_at(text).expect("condition key hover");
    assert_eq!(span, "\"s3:prefix\"");
    assert!(
        md.contains("single-valued") || md.contains("multi-valued"),
        "{md}"
    );
    assert!(md.contains("`s3:ListBucket`"), "{md}");
    assert!(!md.contains("`s3:GetObject`"), "{md}");
    let text = r#"{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:Sour┃ceIp":"10.0.0.0/8"}}}}"#;
    let (md, _) = hover_at(text).expect("global key hover");
    assert!(md.contains("global key"), "{md}");
}

// ---- completion: grammar ----

#[test]
fn completes_statement_elements_in_a_gap_with_quotes() {
    let (text, items) =
        complete_at(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow", ┃}]}"#);
    let l = labels(&items);
    assert!(l.contains(&"Action") && l.contains(&"Resource") && l.contains(&"Condition"));
    assert!(!l.contains(&"Effect"), "present keys are not offered again");
    // Identity policy (no Principal anywhere, auto): Principal is not offered.
    assert!(!l.contains(&"Principal"), "{l:?}");
    let done = apply(&text, item(&items, "Action"));
    assert!(done.contains(r#""Effect":"Allow", "Action": }"#), "{done}");
}

#[test]
fn completes_statement_element_inside_an_unterminated_key() {
    let (text, items) = complete_at("{\"Statement\":[{\"Effect\":\"Allow\",\n \"Res┃\n}]}");
    let res = item(&items, "Resource");
    assert_eq!(res.replace_span.slice(&text), "Res");
    let done = apply(&text, res);
    assert!(done.contains("\"Resource\": \n"), "{done:?}");
}

#[test]
fn offers_principal_in_resource_policies() {
    let text = r#"{"Statement":[{"Effect":"Allow", ┃}]}"#;
    let (text, offset) = cursor(text);
    let options = AnalyzeOptions {
        policy_type: PolicyType::Resource {
            resource_type: None,
        },
        ..AnalyzeOptions::default()
    };
    let items = completions(&text, offset, &options);
    assert!(labels(&items).contains(&"Principal"));
}

#[test]
fn completes_effect_values_while_typing() {
    let (text, items) = complete_at(r#"{"Statement":[{"Effect":"Al┃"}]}"#);
    let allow = item(&items, "Allow");
    assert_eq!(allow.replace_span.slice(&text), "Al");
    assert_eq!(apply(&text, allow), r#"{"Statement":[{"Effect":"Allow"}]}"#);
    // Unterminated at the end of the line: the closing quote is added.
    let (text, items) = complete_at("{\"Statement\":[{\"Effect\":\"De┃\n}]}");
    assert_eq!(
        apply(&text, item(&items, "Deny")),
        "{\"Statement\":[{\"Effect\":\"Deny\"\n}]}"
    );
    // After the colon, nothing typed yet.
    let (text, items) = complete_at(r#"{"Statement":[{"Effect": ┃}]}"#);
    assert_eq!(
        apply(&text, item(&items, "Deny")),
        r#"{"Statement":[{"Effect": "Deny"}]}"#
    );
    // A bare word is replaced with a quoted value.
    let (text, items) = complete_at(r#"{"Statement":[{"Effect": Al┃}]}"#);
    assert_eq!(
        apply(&text, item(&items, "Allow")),
        r#"{"Statement":[{"Effect": "Allow"}]}"#
    );
}

#[test]
fn completes_version_and_top_level_keys() {
    let (_, items) = complete_at(r#"{"Version":"┃"}"#);
    assert_eq!(labels(&items), ["2012-10-17", "2008-10-17"]);
    let (_, items) = complete_at(r#"{"Version":"2012-10-17", ┃}"#);
    assert_eq!(labels(&items), ["Id", "Statement"]);
}

#[test]
fn completes_condition_operators_and_qualified_forms() {
    let (text, items) =
        complete_at(r#"{"Statement":[{"Effect":"Allow","Condition":{"StringEq┃"}}]}"#);
    let l = labels(&items);
    assert!(l.contains(&"StringEquals") && l.contains(&"StringEqualsIfExists"));
    assert!(!l.contains(&"NullIfExists"));
    assert!(l.contains(&"ForAnyValue:"));
    assert_eq!(item(&items, "Bool").replace_span.slice(&text), "StringEq");
    let (_, items) = complete_at(r#"{"Statement":[{"Effect":"Allow","Condition":{"ForAll┃"}}]}"#);
    assert!(labels(&items).contains(&"ForAllValues:StringLike"));
}

#[test]
fn completes_null_values() {
    let (_, items) = complete_at(
        r#"{"Statement":[{"Effect":"Allow","Condition":{"Null":{"aws:TagKeys":"┃"}}}]}"#,
    );
    assert_eq!(labels(&items), ["true", "false"]);
}

#[test]
fn completion_documentation_is_filled() {
    let (_, items) = complete_at(r#"{"Statement":[{┃}]}"#);
    assert!(!items.is_empty());
    for i in &items {
        assert!(i.documentation_markdown.is_some(), "{}", i.label);
        assert!(!i.sort_text.is_empty());
    }
}

// ---- completion: catalog ----

#[test]
fn completes_services_then_actions_with_wildcards() {
    let (text, items) =
        complete_at(r#"{"Statement":[{"Effect":"Allow","Action":["┃"],"Resource":"*"}]}"#);
    let s3 = item(&items, "s3:");
    assert_eq!(s3.kind, CompletionKind::Service);
    assert_eq!(s3.replace_span.slice(&text), "");
    let (text, items) = complete_at(
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:Get┃\n],\"Resource\":\"*\"}]}",
    );
    let get = item(&items, "s3:GetObject");
    assert_eq!(get.kind, CompletionKind::Action);
    assert_eq!(get.detail.as_deref(), Some("Read"));
    assert_eq!(get.replace_span.slice(&text), "s3:Get");
    assert!(apply(&text, get).contains("[\"s3:GetObject\"\n]"));
    assert_eq!(item(&items, "s3:Get*").kind, CompletionKind::ActionWildcard);
    assert!(labels(&items).contains(&"s3:*"));
}

#[test]
fn completes_condition_keys_of_the_statements_actions_first() {
    let (_, items) = complete_at(
        r#"{"Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"StringLike":{"┃"}}}]}"#,
    );
    let prefix = item(&items, "s3:prefix");
    let global = item(&items, "aws:SourceIp");
    assert!(prefix.sort_text < global.sort_text);
    assert_eq!(global.detail.as_deref(), Some("global key"));
    // Keys of other services are not offered (a few ec2:/lambda: keys are global, this is not).
    assert!(!labels(&items).contains(&"ec2:InstanceType"));
}

#[test]
fn completes_arn_templates_for_the_statements_actions() {
    let (_, items) =
        complete_at(r#"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"┃"}]}"#);
    let arn = item(&items, "arn:${Partition}:s3:::${BucketName}/${ObjectName}");
    assert_eq!(arn.kind, CompletionKind::Arn);
    assert_eq!(arn.insert_text, "arn:aws:s3:::*/*");
    assert_eq!(
        arn.snippet.as_deref(),
        Some("arn:${1:aws}:s3:::${2:BucketName}/${3:ObjectName}")
    );
    assert!(items
        .iter()
        .all(|i| i.kind != CompletionKind::Arn || i.label.contains(":s3:")));
}

#[test]
fn completion_lists_over_the_limit_keep_matches_of_the_typed_text() {
    let options = AnalyzeOptions::default();
    let list_at = |marked: &str, limit: usize| {
        let (text, offset) = cursor(marked);
        let document = crate::syntax::parse(&text);
        let full = completions(&text, offset, &options);
        (
            full,
            completion_list(&text, &document, offset, &options, limit),
        )
    };
    // Under the limit: the whole list, as `completions` gives it, for the editor to filter.
    let (full, list) = list_at(
        r#"{"Statement":[{"Effect":"Al┃","Action":"s3:GetObject","Resource":"*"}]}"#,
        100,
    );
    assert!(!list.is_incomplete);
    assert_eq!(list.items, full);
    // `ec2:` alone: every proposal matches; cut at the limit, in the usual order.
    let (full, list) = list_at(
        r#"{"Statement":[{"Effect":"Allow","Action":"ec2:┃","Resource":"*"}]}"#,
        100,
    );
    assert!(full.len() > 500, "{}", full.len());
    assert!(list.is_incomplete);
    assert_eq!(list.items, full[..100]);
    // Typed further: prefix matches first, then other subsequence matches (case-insensitive).
    let (full, list) = list_at(
        r#"{"Statement":[{"Effect":"Allow","Action":"ec2:descrinst┃","Resource":"*"}]}"#,
        100,
    );
    assert!(list.is_incomplete);
    assert!(labels(&list.items).contains(&"ec2:DescribeInstances"));
    let matching: Vec<&CompletionItem> = full
        .iter()
        .filter(|i| {
            let mut rest = i.label.bytes();
            "ec2:descrinst"
                .bytes()
                .all(|c| rest.any(|b| b.eq_ignore_ascii_case(&c)))
        })
        .collect();
    assert_eq!(list.items.len(), matching.len().min(100));
    let (_, list) = list_at(
        r#"{"Statement":[{"Effect":"Allow","Action":"ec2:Describe┃","Resource":"*"}]}"#,
        5,
    );
    assert_eq!(list.items.len(), 5);
    assert!(list
        .items
        .iter()
        .all(|i| i.label.starts_with("ec2:Describe")));
    // Services: the typed prefix narrows them too.
    let (_, list) = list_at(
        r#"{"Statement":[{"Effect":"Allow","Action":"s3┃","Resource":"*"}]}"#,
        100,
    );
    assert!(list.is_incomplete);
    assert_eq!(list.items[0].label, "s3:");
}

#[test]
fn completion_list_is_the_full_list_filtered_ranked_and_cut() {
    let options = AnalyzeOptions::default();
    let rank = |label: &str, typed: &str| {
        let (l, t) = (label.to_ascii_lowercase(), typed.to_ascii_lowercase());
        if l.starts_with(&t) {
            0
        } else {
            let mut rest = l.chars();
            if t.chars().all(|c| rest.any(|b| b == c)) {
                1
            } else {
                2
            }
        }
    };
    for (marked, typed) in [
        (
            r#"{"Statement":[{"Effect":"Allow","Action":"ec2:┃","Resource":"*"}]}"#,
            "ec2:",
        ),
        (
            r#"{"Statement":[{"Effect":"Allow","Action":"ec2:Crea┃","Resource":"*"}]}"#,
            "ec2:Crea",
        ),
        (
            r#"{"Statement":[{"Effect":"Allow","Action":"ec2:ds┃","Resource":"*"}]}"#,
            "ec2:ds",
        ),
        (
            r#"{"Statement":[{"Effect":"Allow","Action":"e┃","Resource":"*"}]}"#,
            "e",
        ),
        (
            r#"{"Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"StringLike":{"aws:s┃"}}}]}"#,
            "aws:s",
        ),
        (
            r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn┃"}]}"#,
            "arn",
        ),
    ] {
        let (text, offset) = cursor(marked);
        let document = crate::syntax::parse(&text);
        let full = completions(&text, offset, &options);
        for limit in [1, 5, 40, 100, 10_000] {
            let list = completion_list(&text, &document, offset, &options, limit);
            if full.len() <= limit {
                assert_eq!(list.items, full, "{marked} {limit}");
                assert!(!list.is_incomplete);
                continue;
            }
            let mut expected: Vec<(u8, &CompletionItem)> = full
                .iter()
                .map(|i| (rank(&i.label, typed), i))
                .filter(|(r, _)| *r < 2)
                .collect();
            expected.sort_by_key(|(r, _)| *r);
            expected.truncate(limit);
            let expected: Vec<&str> = expected.iter().map(|(_, i)| i.label.as_str()).collect();
            assert_eq!(labels(&list.items), expected, "{marked} {limit}");
            assert!(list.is_incomplete);
            // The same items as the full list's, sort keys aside (those count what was built).
            for item in &list.items {
                let mut same = full.iter().find(|i| i.label == item.label).unwrap().clone();
                same.sort_text.clone_from(&item.sort_text);
                assert_eq!(&same, item);
            }
        }
    }
}

#[test]
fn completion_documentation_is_the_documentation_of_the_labelled_item() {
    let options = AnalyzeOptions::default();
    for marked in [
        r#"{"Statement":[{"Effect":"Allow","Action":"ec2:┃","Resource":"*"}]}"#,
        r#"{"Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"StringLike":{"┃"}}}]}"#,
        r#"{"Statement":[{"Effect":"┃"}]}"#,
    ] {
        let (text, offset) = cursor(marked);
        let document = crate::syntax::parse(&text);
        let full = completions(&text, offset, &options);
        assert!(!full.is_empty());
        for i in &full {
            assert_eq!(
                completion_documentation(&text, &document, offset, &options, &i.label),
                i.documentation_markdown,
                "{}",
                i.label
            );
        }
    }
}

#[test]
fn hover_in_a_parsed_document_is_hover() {
    let text = r#"{"Statement":[{"Effect":"Allow","Action":["s3:GetObject","ec2:*"],"Resource":"arn:aws:s3:::b/*","Condition":{"StringLike":{"s3:prefix":"x"}}}]}"#;
    let document = crate::syntax::parse(text);
    for offset in 0..=text.len() {
        assert_eq!(hover_in(text, &document, offset), hover(text, offset));
    }
}

// ---- code actions ----

fn analysis_with(diagnostics: Vec<Diagnostic>) -> Analysis {
    Analysis {
        policy_type: PolicyType::Identity,
        diagnostics,
    }
}

fn edit(start: usize, end: usize, text: &str) -> TextEdit {
    TextEdit {
        span: crate::span::Span::new(start, end),
        text: text.to_string(),
    }
}

#[test]
fn quick_fixes_for_the_finding_under_the_cursor_safe_first() {
    let text = r#"{"Statement":[{"Effect":"allow"}]}"#;
    let at = text.find("\"allow\"").unwrap();
    let span = crate::span::Span::new(at, at + 7);
    let d = Diagnostic::new("X_EFFECT", Category::Error, span, "case")
        .with_fix(Fix::review("Use Deny", vec![edit(at, at + 7, "\"Deny\"")]))
        .with_fix(Fix::safe("Use Allow", vec![edit(at, at + 7, "\"Allow\"")]));
    let analysis = analysis_with(vec![d]);
    let actions = code_actions(text, &analysis, crate::span::Span::empty(at + 2));
    let titles: Vec<&str> = actions.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Use Allow",
            "Use Deny (review)",
            "Fix all safe iamlint findings (1 fix)"
        ]
    );
    assert!(actions[0].is_preferred);
    assert_eq!(actions[0].diagnostic_index, Some(0));
    assert_eq!(actions[0].diagnostic_code.as_deref(), Some("X_EFFECT"));
    assert_eq!(actions[2].kind, CodeActionKind::SourceFixAll);
    // Elsewhere in the document only fix-all is offered.
    let away = code_actions(text, &analysis, crate::span::Span::empty(1));
    assert_eq!(away.len(), 1);
    assert_eq!(away[0].kind, CodeActionKind::SourceFixAll);
}

#[test]
fn fix_all_takes_safe_non_overlapping_fixes_once() {
    let text = "0123456789";
    let a = Diagnostic::new("A", Category::Error, crate::span::Span::new(0, 2), "a")
        .with_fix(Fix::safe("a", vec![edit(0, 2, "AA")]));
    let overlapping = Diagnostic::new("B", Category::Error, crate::span::Span::new(1, 3), "b")
        .with_fix(Fix::safe("b", vec![edit(1, 3, "BB")]));
    let review_only = Diagnostic::new("C", Category::Warning, crate::span::Span::new(5, 6), "c")
        .with_fix(Fix::review("c", vec![edit(5, 6, "C")]));
    let duplicate = Diagnostic::new("D", Category::Error, crate::span::Span::new(0, 2), "d")
        .with_fix(Fix::safe("a again", vec![edit(0, 2, "AA")]));
    let e = Diagnostic::new("E", Category::Error, crate::span::Span::new(8, 9), "e")
        .with_fix(Fix::safe("e", vec![edit(8, 9, "E")]));
    let analysis = analysis_with(vec![a, overlapping, review_only, duplicate, e]);
    let all = fix_all(text, &analysis).expect("fix-all");
    assert_eq!(all.edits, vec![edit(0, 2, "AA"), edit(8, 9, "E")]);
    assert_eq!(
        crate::diagnostic::apply_edits(text, &all.edits).unwrap(),
        "AA234567E9"
    );
    assert!(fix_all(text, &analysis_with(vec![])).is_none());
}

#[test]
fn code_actions_from_a_real_analysis_apply_cleanly() {
    // Whatever fixes the rules offer, each quick-fix applies to the text it was computed on.
    let text = r#"{"Statement":[{"Effect":"allow","Action":"s3:getobject","Resource":"*"}]}"#;
    let analysis = analyze(text, &AnalyzeOptions::default());
    let whole = crate::span::Span::new(0, text.len());
    for action in code_actions(text, &analysis, whole) {
        assert!(
            crate::diagnostic::apply_edits(text, &action.edits).is_some(),
            "{}",
            action.title
        );
    }
}

#[test]
fn results_serialize_in_camel_case() {
    let (_, items) = complete_at(r#"{"Statement":[{"Effect":"Al┃"}]}"#);
    let json = serde_json::to_string(&items[0]).unwrap();
    assert!(json.contains("\"replaceSpan\":{\"start\":"), "{json}");
    assert!(json.contains("\"insertText\":"), "{json}");
    let action = CodeAction {
        title: "t".into(),
        safety: crate::diagnostic::Safety::Safe,
        kind: CodeActionKind::SourceFixAll,
        edits: vec![],
        diagnostic_code: None,
        diagnostic_index: None,
        is_preferred: false,
    };
    let json = serde_json::to_string(&action).unwrap();
    assert!(
        json.contains("\"kind\":\"source.fixAll.iamlint\""),
        "{json}"
    );
}
