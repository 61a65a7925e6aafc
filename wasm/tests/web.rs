//! The exported API as JavaScript sees it, in headless Chromium (wasm-bindgen-test): the shapes
//! serde-wasm-bindgen produces (camelCase, `type` tags, null for absent values) are what the
//! TypeScript declarations promise. Run with
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner CHROMEDRIVER=/usr/bin/chromedriver
//!  cargo test -p iamlint-wasm --target wasm32-unknown-unknown`.
#![cfg(target_arch = "wasm32")]

use iamlint_wasm::{
    audit_account, catalog_info, check, code_actions, compare_with_reference, completions,
    decode_share_link, encode_share_link, fix, hover, simulate,
};
use js_sys::{Array, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn get(v: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn json(v: &JsValue) -> String {
    JSON::stringify(v).map(String::from).unwrap_or_default()
}

fn options(policy_type: &str) -> JsValue {
    JSON::parse(&format!("{{\"policyType\":\"{policy_type}\"}}")).unwrap()
}

/// `text.indexOf(needle)` as JavaScript counts it (UTF-16 code units).
fn js_index(text: &str, needle: &str) -> u32 {
    js_sys::JsString::from(text).index_of(needle, 0) as u32
}

#[wasm_bindgen_test]
fn check_returns_a_tagged_ok_with_utf16_positions() {
    let text = "{\"Sid\": \"😀\", \"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}";
    let out = check(text, options("identity"));
    assert_eq!(get(&out, "type"), "ok", "{}", json(&out));
    let value = get(&out, "value");
    assert_eq!(get(&value, "policyType"), "identity");
    let findings: Array = get(&value, "findings").dyn_into().unwrap();
    let effect = findings
        .iter()
        .find(|f| get(f, "code") == "INVALID_EFFECT")
        .unwrap_or_else(|| panic!("INVALID_EFFECT in {}", json(&findings)));
    // The finding's start is where JavaScript finds the value, not the byte offset.
    let start = get(&effect, "start").as_f64().unwrap() as u32;
    assert_eq!(start, js_index(text, "\"allow\""));
    let fix = Array::from(&get(&effect, "fixes")).get(0);
    assert_eq!(get(&fix, "safety"), "safe");
    assert!(get(&Array::from(&get(&fix, "edits")).get(0), "text").is_string());
}

#[wasm_bindgen_test]
fn bad_options_come_back_as_error_values() {
    let out = check("{}", options("bucket"));
    assert_eq!(get(&out, "type"), "error");
    assert!(get(&out, "message")
        .as_string()
        .unwrap()
        .contains("unknown policy type"));
    let out = check("{}", JSON::parse("{\"policyTyp\": \"scp\"}").unwrap());
    assert_eq!(get(&out, "type"), "error", "{}", json(&out));
    assert!(get(&out, "message")
        .as_string()
        .unwrap()
        .contains("unknown option 'policyTyp'"));
    let out = check("{}", JsValue::from_f64(3.0));
    assert_eq!(get(&out, "type"), "error", "{}", json(&out));
    // No options at all is the default (auto).
    assert_eq!(get(&check("{}", JsValue::UNDEFINED), "type"), "ok");
}

#[wasm_bindgen_test]
fn hover_is_null_or_markdown() {
    let text = "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}";
    assert!(hover(text, 0, JsValue::UNDEFINED).is_null());
    let h = hover(
        text,
        js_index(text, "GetObject") as usize,
        JsValue::UNDEFINED,
    );
    let markdown = get(&h, "markdown").as_string().unwrap();
    assert!(markdown.contains("s3:GetObject"), "{markdown}");
    // The span is the whole string token, quotes included.
    assert_eq!(
        get(&h, "start").as_f64().unwrap() as u32,
        js_index(text, "\"s3:GetObject\"")
    );
}

#[wasm_bindgen_test]
fn completions_and_code_actions_use_camel_case_fields() {
    let text =
        "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetOb\", \"Resource\": \"*\"}]}";
    let at = (js_index(text, "s3:GetOb") + 8) as usize;
    let out = completions(text, at, JsValue::UNDEFINED);
    let items: Array = get(&get(&out, "value"), "length")
        .as_f64()
        .map(|_| get(&out, "value").dyn_into().unwrap())
        .unwrap();
    let item = items
        .iter()
        .find(|i| get(i, "label") == "s3:GetObject")
        .unwrap_or_else(|| panic!("s3:GetObject offered"));
    assert!(get(&item, "insertText").is_string());
    assert!(get(&item, "sortText").is_string());
    assert_eq!(get(&item, "kind"), "action");

    let text = "{\"Statement\": [{\"Effect\": \"allow\"}]}";
    let at = js_index(text, "allow") as usize;
    let out = code_actions(text, at, at, JsValue::UNDEFINED);
    let actions: Array = get(&out, "value").dyn_into().unwrap();
    let first = actions.get(0);
    assert_eq!(get(&first, "kind"), "quickfix", "{}", json(&actions));
    assert!(get(&first, "isPreferred").is_truthy() || get(&first, "isPreferred").is_falsy());
    assert!(get(&first, "diagnosticIndex").as_f64().is_some());
    let last = actions.get(actions.length() - 1);
    assert_eq!(get(&last, "kind"), "source.fixAll.iamlint");
    assert!(get(&last, "diagnosticIndex").is_null());
}

#[wasm_bindgen_test]
fn catalog_facts_are_filled() {
    let info = catalog_info();
    assert!(get(&info, "serviceCount").as_f64().unwrap() > 400.0);
    assert!(get(&info, "actionCount").as_f64().unwrap() > 20000.0);
    let date = get(&info, "dataDate").as_string().unwrap();
    assert_eq!(date.len(), 10, "{date}");
}

#[wasm_bindgen_test]
fn simulate_names_the_deny_in_utf16_and_reports_bad_input_as_a_value() {
    let policy = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"😀\", \"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}, {\"Sid\": \"NoDelete\", \"Effect\": \"Deny\", \"Action\": \"s3:DeleteObject\", \"Resource\": \"*\"}]}";
    let input = js_sys::Object::new();
    let set =
        |k: &str, v: JsValue| js_sys::Reflect::set(&input, &JsValue::from_str(k), &v).unwrap();
    set("policy", policy.into());
    set("principal", "arn:aws:iam::111122223333:user/alice".into());
    set("action", "s3:DeleteObject".into());
    set("resource", "arn:aws:s3:::b/k".into());
    let out = simulate(input.clone().into());
    assert_eq!(get(&out, "type"), "ok", "{}", json(&out));
    let value = get(&out, "value");
    assert_eq!(get(&value, "decision"), "ExplicitDeny");
    let decisive: Array = get(&value, "decisiveStatements").dyn_into().unwrap();
    let deny = decisive.get(0);
    assert_eq!(get(&deny, "sid"), "NoDelete");
    assert_eq!(get(&deny, "source"), "editor");
    assert_eq!(
        get(&deny, "start").as_f64(),
        Some(js_index(policy, "{\"Sid\": \"NoDelete\"") as f64)
    );

    set("action", "s3:*".into());
    set("bogus", JsValue::TRUE);
    let out = simulate(input.into());
    assert_eq!(get(&out, "type"), "error", "{}", json(&out));
    assert!(get(&out, "message").as_string().unwrap().contains("bogus"));
    let out = simulate(JsValue::from_str("not an object"));
    assert_eq!(get(&out, "type"), "error");
}

#[wasm_bindgen_test]
fn fixes_come_on_demand_and_findings_carry_a_policy_index() {
    let text = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"arn:aws:s3:::b/*\"}]}";
    let light = check(text, JSON::parse("{\"fixEdits\": false}").unwrap());
    let findings: Array = get(&get(&light, "value"), "findings").dyn_into().unwrap();
    let wildcard = findings
        .iter()
        .find(|f| get(f, "code") == "SERVICE_WILDCARD_IN_ACTION")
        .expect("s3:* finding");
    assert!(get(&wildcard, "policy").is_null(), "{}", json(&wildcard));
    assert_eq!(get(&wildcard, "nth").as_f64(), Some(0.0));
    let fixes: Array = get(&wildcard, "fixes").dyn_into().unwrap();
    let edits: Array = get(&fixes.get(0), "edits").dyn_into().unwrap();
    assert_eq!(edits.length(), 0);
    // The finding itself names it (code, start, end, nth; other fields are ignored).
    let out = fix(text, wildcard.clone(), 0, JsValue::UNDEFINED);
    assert_eq!(get(&out, "type"), "ok", "{}", json(&out));
    let edits: Array = get(&get(&out, "value"), "edits").dyn_into().unwrap();
    assert_eq!(
        get(&edits.get(0), "start").as_f64(),
        Some(js_index(text, "\"s3:*\"") as f64)
    );
    let gone = JSON::parse(
        "{\"code\": \"SERVICE_WILDCARD_IN_ACTION\", \"start\": 1, \"end\": 2, \"nth\": 0}",
    )
    .unwrap();
    assert!(get(&fix(text, gone.clone(), 0, JsValue::UNDEFINED), "value").is_null());
    // Past the fix limit: no fixes in the check; `fixes` gives them per finding, null if gone.
    let bare = check(text, JSON::parse("{\"fixLimit\": 0}").unwrap());
    let findings: Array = get(&get(&bare, "value"), "findings").dyn_into().unwrap();
    assert!(findings
        .iter()
        .all(|f| Array::from(&get(&f, "fixes")).length() == 0));
    let asked = Array::of2(&wildcard, &gone);
    let out = iamlint_wasm::fixes(text, asked.into(), JsValue::UNDEFINED);
    assert_eq!(get(&out, "type"), "ok", "{}", json(&out));
    let lists: Array = get(&out, "value").dyn_into().unwrap();
    assert_eq!(Array::from(&lists.get(0)).length(), fixes.length());
    assert!(lists.get(1).is_null());
}

#[wasm_bindgen_test]
fn audit_and_compare_answer_with_tagged_values() {
    let input = JSON::parse("{\"accountSummary\": \"{\\\"SummaryMap\\\": {\\\"AccountMFAEnabled\\\": 0}}\", \"clock\": 1780000000000}").unwrap();
    let out = audit_account(input);
    assert_eq!(get(&out, "type"), "ok", "{}", json(&out));
    assert_eq!(get(&get(&out, "value"), "nowSource"), "clock");
    let out = audit_account(JSON::parse("{\"credentialReprot\": \"x\"}").unwrap());
    assert_eq!(get(&out, "type"), "error");
    assert!(get(&out, "message")
        .as_string()
        .unwrap()
        .contains("credentialReprot"));

    let read = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}";
    let write = read.replace("s3:GetObject", "s3:PutObject");
    let out = compare_with_reference(read, read);
    assert_eq!(
        (get(&out, "type"), get(&out, "result")),
        ("ok".into(), "PASS".into()),
        "{}",
        json(&out)
    );
    let out = compare_with_reference(&write, read);
    assert_eq!(get(&out, "result"), "FAIL", "{}", json(&out));
    let reasons: Array = get(&out, "reasons").dyn_into().unwrap();
    assert_eq!(get(&reasons.get(0), "statementIndex").as_f64(), Some(0.0));
    let out = compare_with_reference("{", read);
    assert_eq!(get(&out, "type"), "error", "{}", json(&out));
}

#[wasm_bindgen_test]
fn share_links_come_back_as_tagged_objects() {
    let link = encode_share_link("{}", "trust", "json");
    let fragment = get(&link, "fragment").as_string().unwrap();
    assert_eq!(get(&link, "longLinkChars").as_f64(), Some(8000.0));
    let out = decode_share_link(&fragment);
    assert_eq!(get(&out, "type"), "ok", "{}", json(&out));
    let value = get(&out, "value");
    assert_eq!(get(&value, "policyType"), "trust");
    assert_eq!(get(&value, "checked"), JsValue::TRUE);
    assert_eq!(get(&decode_share_link(""), "type"), "none");
    let out = decode_share_link(&fragment.replace("v=2", "v=9"));
    assert_eq!(get(&out, "type"), "error");
    assert_eq!(get(&out, "kind"), "newerVersion");
}
