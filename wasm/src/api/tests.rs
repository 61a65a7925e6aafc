use super::*;

fn utf16_index(text: &str, needle: &str) -> usize {
    let byte = text.find(needle).expect("needle in text");
    text[..byte].encode_utf16().count()
}

#[test]
fn findings_are_placed_in_utf16_units() {
    // The emoji is 4 bytes but 2 UTF-16 units: a byte offset would land 2 units too far right.
    let text = "{\"Sid\": \"😀 é\" \"Statement\": []}";
    let result = check(text, &Options::default()).expect("valid options");
    let syntax: Vec<&Finding> = result
        .findings
        .iter()
        .filter(|f| f.code == "JSON_SYNTAX_ERROR")
        .collect();
    assert_eq!(syntax.len(), 1, "{:?}", result.findings);
    assert_eq!(syntax[0].start, utf16_index(text, "\"Statement\""));
    assert_eq!(syntax[0].category, Category::Error);
}

#[test]
fn well_formed_json_has_no_syntax_finding() {
    let text = "{\"Sid\": \"😀 é\", \"Statement\": []}";
    let result = check(text, &Options::default()).expect("valid options");
    assert!(result
        .findings
        .iter()
        .all(|f| f.code != "JSON_SYNTAX_ERROR"));
}

#[test]
fn unknown_policy_type_is_an_error_value() {
    let options = Options {
        policy_type: Some("bucket".into()),
        ..Options::default()
    };
    let err = check("{}", &options).unwrap_err();
    assert!(err.contains("unknown policy type 'bucket'"), "{err}");
    assert!(err.contains("identity"), "{err}");
}

#[test]
fn asked_policy_type_is_reported_back() {
    let options = Options {
        policy_type: Some("scp".into()),
        ..Options::default()
    };
    assert_eq!(check("{}", &options).unwrap().policy_type, "scp");
    let options = Options {
        policy_type: Some("resource:AWS::S3::Bucket".into()),
        ..Options::default()
    };
    assert_eq!(
        check("{}", &options).unwrap().policy_type,
        "resource:AWS::S3::Bucket"
    );
}

#[test]
fn disabled_rules_are_not_reported() {
    let text = "{\"Statement\": [ }";
    let options = Options {
        disabled_rules: vec!["json_syntax_error".into()],
        ..Options::default()
    };
    let result = check(text, &options).unwrap();
    assert!(result
        .findings
        .iter()
        .all(|f| f.code != "JSON_SYNTAX_ERROR"));
    let result = check(text, &Options::default()).unwrap();
    assert!(result
        .findings
        .iter()
        .any(|f| f.code == "JSON_SYNTAX_ERROR"));
}

#[test]
fn fix_edits_are_converted_like_findings() {
    let text = "{\"Sid\": \"😀\"}";
    let positions = Positions::new(text);
    let edit = iamlint_core::TextEdit {
        span: Span::new(text.len() - 1, text.len() - 1),
        text: ", \"Version\": \"2012-10-17\"".into(),
    };
    let out = positions.edit(&edit);
    let js_end = text.encode_utf16().count() - 1;
    assert_eq!((out.start, out.end), (js_end, js_end));
    assert_eq!(positions.to_byte(js_end), text.len() - 1);
}

#[test]
fn outcome_is_tagged_with_type() {
    let ok: Outcome<u8> = Ok(1).into();
    let err: Outcome<u8> = Err("no".to_string()).into();
    assert!(matches!(ok, Outcome::Ok { value: 1 }));
    assert!(matches!(err, Outcome::Error { ref message } if message == "no"));
}

#[test]
fn rule_docs_cover_the_registry() {
    let docs = rule_docs();
    assert_eq!(docs.len(), rules::all().count());
    let syntax = docs.iter().find(|d| d.code == "JSON_SYNTAX_ERROR").unwrap();
    assert!(!syntax.summary.is_empty());
}

// ---- editor features: positions in and out are UTF-16 ----

#[test]
fn hover_takes_and_returns_utf16_offsets() {
    // The Sid before Effect holds an astral character: 4 bytes, 2 UTF-16 units.
    let text =
        r#"{"Statement":[{"Sid":"😀","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;
    let at = utf16_index(text, "\"Effect\"");
    let h = hover(text, at + 3).expect("hover on Effect");
    assert_eq!((h.start, h.end), (at, at + "\"Effect\"".len()));
    assert!(h.markdown.contains("Effect"), "{}", h.markdown);
    // Between two statements' members there is nothing to explain.
    assert_eq!(hover(text, utf16_index(text, ",\"Effect\"")), None);
}

#[test]
fn completions_replace_a_utf16_range() {
    let text = r#"{"Statement":[{"Sid":"é😀","Eff"}]}"#;
    let at = utf16_index(text, "Eff\"") + "Eff".len();
    let items = completions(text, at, &Options::default()).unwrap();
    let effect = items
        .iter()
        .find(|c| c.label == "Effect")
        .expect("Effect is offered");
    // Applying it the JavaScript way gives a well-formed key.
    let units: Vec<u16> = text.encode_utf16().collect();
    let applied = format!(
        "{}{}{}",
        String::from_utf16(&units[..effect.start]).unwrap(),
        effect.insert_text,
        String::from_utf16(&units[effect.end..]).unwrap()
    );
    assert!(applied.contains(r#""Sid":"é😀","Effect""#), "{applied}");
}

#[test]
fn code_actions_at_a_finding_fix_it() {
    let text =
        r#"{"Sid":"😀","Statement":[{"Effect":"allow","Action":"s3:GetObject","Resource":"*"}]}"#;
    let at = utf16_index(text, "\"allow\"") + 2;
    let actions = code_actions(text, at, at, &Options::default()).unwrap();
    let quick = actions
        .iter()
        .find(|a| a.kind == CodeActionKind::QuickFix)
        .expect("a quick-fix for the lower-case Effect");
    let units: Vec<u16> = text.encode_utf16().collect();
    let mut fixed = units.clone();
    for e in quick.edits.iter().rev() {
        fixed.splice(e.start..e.end, e.text.encode_utf16());
    }
    let fixed = String::from_utf16(&fixed).unwrap();
    assert!(fixed.contains(r#""Effect":"Allow""#), "{fixed}");
    assert!(quick.diagnostic_index.is_some());
    // Far from any finding (inside the Sid value) there is no quick-fix.
    let sid = utf16_index(text, "😀");
    assert!(code_actions(text, sid, sid, &Options::default())
        .unwrap()
        .iter()
        .all(|a| a.kind != CodeActionKind::QuickFix));
}

#[test]
fn editor_features_report_bad_options_as_errors() {
    let bad = Options {
        policy_type: Some("nonsense".into()),
        ..Options::default()
    };
    assert!(completions("{}", 1, &bad).is_err());
    assert!(code_actions("{}", 0, 1, &bad).is_err());
    assert!(fix_all("{}", &bad).is_err());
}
