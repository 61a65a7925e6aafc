//! wasm-bindgen facade over iamlint-core for the browser playground.
//!
//! Plain JavaScript objects go in and out (serde-wasm-bindgen, camelCase, unions tagged with
//! `type`); every position is a UTF-16 code-unit offset, converted by the core's `LineIndex`.
//! Nothing here analyses anything: [`api`] calls the core and reshapes its answers. Errors come
//! back as `{ type: "error", message }` values; bad input never panics across the boundary.

pub mod api;
mod types;

use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use api::{Options, Outcome};

/// Serialise for JavaScript: maps as plain objects, `None` as `null`.
fn to_js<T: Serialize>(value: &T) -> JsValue {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    match value.serialize(&serializer) {
        Ok(v) => v,
        // Only reachable if a type above stops being serialisable; say so instead of trapping.
        Err(e) => JsValue::from_str(&format!("iamlint-wasm: cannot serialise answer: {e}")),
    }
}

fn options_from_js(value: JsValue) -> Result<Options, String> {
    if value.is_undefined() || value.is_null() {
        return Ok(Options::default());
    }
    // serde-wasm-bindgen reads only the fields it knows, so a misspelt option would be ignored
    // silently; name it instead.
    if let Some(object) = value.dyn_ref::<js_sys::Object>() {
        for key in js_sys::Object::keys(object).iter() {
            let key = key.as_string().unwrap_or_default();
            if !api::Options::FIELDS.contains(&key.as_str()) {
                return Err(format!(
                    "invalid options: unknown option '{key}'; expected {}",
                    api::Options::FIELDS.join(", ")
                ));
            }
        }
    }
    serde_wasm_bindgen::from_value(value).map_err(|e| format!("invalid options: {e}"))
}

/// Analyse a policy: findings with their fixes, positions in UTF-16 code units.
#[wasm_bindgen(unchecked_return_type = "Outcome<CheckResult>")]
pub fn check(
    text: &str,
    #[wasm_bindgen(unchecked_param_type = "CheckOptions | undefined")] options: JsValue,
) -> JsValue {
    let outcome: Outcome<_> = options_from_js(options)
        .and_then(|o| api::check(text, &o))
        .into();
    to_js(&outcome)
}

/// Checks successive versions of one document (the playground's editor): the answers of
/// [`check`], re-checking only the statements that changed when `fixLimit` is given.
#[wasm_bindgen]
#[derive(Default)]
pub struct Checker {
    inner: api::Checker,
}

#[wasm_bindgen]
impl Checker {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Checker {
        Checker::default()
    }

    #[wasm_bindgen(unchecked_return_type = "Outcome<CheckResult>")]
    pub fn check(
        &mut self,
        text: &str,
        #[wasm_bindgen(unchecked_param_type = "CheckOptions | undefined")] options: JsValue,
    ) -> JsValue {
        let outcome: Outcome<_> = options_from_js(options)
            .and_then(|o| self.inner.check(text, &o))
            .into();
        to_js(&outcome)
    }

    /// `check`, answered with only what changed since answer `base` (an answer's `id`) when
    /// this checker gave it last and can tell; else with the whole result.
    #[wasm_bindgen(js_name = checkSince, unchecked_return_type = "Outcome<CheckAnswer>")]
    pub fn check_since(
        &mut self,
        text: &str,
        #[wasm_bindgen(unchecked_param_type = "CheckOptions | undefined")] options: JsValue,
        base: Option<u32>,
    ) -> JsValue {
        let outcome: Outcome<_> = options_from_js(options)
            .and_then(|o| self.inner.check_since(text, &o, base))
            .into();
        to_js(&outcome)
    }

    /// Hold `text` as version `version` of the editor's text, for `checkHeld`.
    #[wasm_bindgen(js_name = setText)]
    pub fn set_text(&mut self, version: u32, text: String) {
        self.inner.set_text(version, text);
    }

    /// Apply the editor's changes since version `from` of the held text (`[from, to, inserted]`
    /// in UTF-16 offsets of that version, in order), making it version `version` of `length`
    /// UTF-16 code units; false when they do not fit (then nothing is held: send the whole text
    /// with `setText`).
    pub fn edit(
        &mut self,
        from: u32,
        version: u32,
        #[wasm_bindgen(unchecked_param_type = "[number, number, string][]")] changes: JsValue,
        length: usize,
    ) -> bool {
        match serde_wasm_bindgen::from_value::<Vec<api::TextEdit>>(changes) {
            Ok(changes) => self.inner.edit(from, version, &changes, length),
            Err(_) => {
                // Not changes: hold nothing, so the caller sends the whole text.
                self.inner.forget_text();
                false
            }
        }
    }

    /// `completions` at UTF-16 `offset` of the held text (after `edit` or `setText`).
    #[wasm_bindgen(js_name = completeHeld, unchecked_return_type = "Outcome<Completion[]>")]
    pub fn complete_held(
        &self,
        offset: usize,
        #[wasm_bindgen(unchecked_param_type = "CheckOptions | undefined")] options: JsValue,
    ) -> JsValue {
        let outcome: Outcome<_> = options_from_js(options)
            .and_then(|o| self.inner.complete_held(offset, &o))
            .into();
        to_js(&outcome)
    }

    /// `checkSince` of the held text.
    #[wasm_bindgen(js_name = checkHeld, unchecked_return_type = "Outcome<CheckAnswer>")]
    pub fn check_held(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "CheckOptions | undefined")] options: JsValue,
        base: Option<u32>,
    ) -> JsValue {
        let outcome: Outcome<_> = options_from_js(options)
            .and_then(|o| self.inner.check_held(&o, base))
            .into();
        to_js(&outcome)
    }
}

/// Fix number `fix` of the finding `finding` names (its code, start, end and nth) with its
/// edits, or null when there is none (the page checks with `fixEdits: false` and asks for a fix
/// when applying it).
#[wasm_bindgen(unchecked_return_type = "Outcome<Fix | null>")]
pub fn fix(
    text: &str,
    #[wasm_bindgen(unchecked_param_type = "FindingRef")] finding: JsValue,
    fix: usize,
    #[wasm_bindgen(unchecked_param_type = "CheckOptions | undefined")] options: JsValue,
) -> JsValue {
    let outcome: Outcome<_> = options_from_js(options)
        .and_then(|o| {
            let finding: api::FindingRef = serde_wasm_bindgen::from_value(finding)
                .map_err(|e| format!("invalid finding: {e}"))?;
            api::fix(text, &o, &finding, fix)
        })
        .into();
    to_js(&outcome)
}

/// The fixes of the findings named (each by code, start, end and nth), one answer per name:
/// null when the text has no such finding. For checks made with `fixLimit`.
#[wasm_bindgen(unchecked_return_type = "Outcome<(Fix[] | null)[]>")]
pub fn fixes(
    text: &str,
    #[wasm_bindgen(unchecked_param_type = "FindingRef[]")] findings: JsValue,
    #[wasm_bindgen(unchecked_param_type = "CheckOptions | undefined")] options: JsValue,
) -> JsValue {
    let outcome: Outcome<_> = options_from_js(options)
        .and_then(|o| {
            let findings: Vec<api::FindingRef> = serde_wasm_bindgen::from_value(findings)
                .map_err(|e| format!("invalid findings: {e}"))?;
            api::fixes(text, &o, &findings)
        })
        .into();
    to_js(&outcome)
}

/// iamlint's version and the version, date and size of the embedded AWS catalog.
#[wasm_bindgen(js_name = catalogInfo, unchecked_return_type = "CatalogInfo")]
pub fn catalog_info() -> JsValue {
    to_js(&api::catalog_info())
}

/// Every rule's code, category, summary and explanation (Markdown).
#[wasm_bindgen(js_name = ruleDocs, unchecked_return_type = "RuleDoc[]")]
pub fn rule_docs() -> JsValue {
    to_js(&api::rule_docs())
}

/// The policy type names accepted in `CheckOptions.policyType`.
#[wasm_bindgen(js_name = policyTypes, unchecked_return_type = "string[]")]
pub fn policy_types() -> JsValue {
    to_js(&api::policy_types())
}

/// Markdown about the element at `offset` (an action, a condition key, an operator, ...), or null.
#[wasm_bindgen(unchecked_return_type = "HoverInfo | null")]
pub fn hover(
    text: &str,
    offset: usize,
    #[wasm_bindgen(unchecked_param_type = "CheckOptions | undefined")] options: JsValue,
) -> JsValue {
    match options_from_js(options) {
        Ok(o) => to_js(&api::hover(text, offset, &o)),
        Err(_) => JsValue::NULL,
    }
}

/// What can be typed at `offset`, each with the range it replaces.
#[wasm_bindgen(unchecked_return_type = "Outcome<Completion[]>")]
pub fn completions(
    text: &str,
    offset: usize,
    #[wasm_bindgen(unchecked_param_type = "CheckOptions | undefined")] options: JsValue,
) -> JsValue {
    let outcome: Outcome<_> = options_from_js(options)
        .and_then(|o| api::completions(text, offset, &o))
        .into();
    to_js(&outcome)
}

/// The quick-fixes of the findings touching `start..end` (safe first), then the fix-all action.
#[wasm_bindgen(js_name = codeActions, unchecked_return_type = "Outcome<CodeAction[]>")]
pub fn code_actions(
    text: &str,
    start: usize,
    end: usize,
    #[wasm_bindgen(unchecked_param_type = "CheckOptions | undefined")] options: JsValue,
) -> JsValue {
    let outcome: Outcome<_> = options_from_js(options)
        .and_then(|o| api::code_actions(text, start, end, &o))
        .into();
    to_js(&outcome)
}

/// One action applying every safe fix of the document, or null when there is none.
#[wasm_bindgen(js_name = fixAll, unchecked_return_type = "Outcome<CodeAction | null>")]
pub fn fix_all(
    text: &str,
    #[wasm_bindgen(unchecked_param_type = "CheckOptions | undefined")] options: JsValue,
) -> JsValue {
    let outcome: Outcome<_> = options_from_js(options)
        .and_then(|o| api::fix_all(text, &o))
        .into();
    to_js(&outcome)
}

/// Audit an account from the files AWS gives (credential report, account summary, password
/// policy, authorization details), as `iamlint audit` does with its default thresholds.
#[wasm_bindgen(js_name = auditAccount, unchecked_return_type = "Outcome<AuditResult>")]
pub fn audit_account(
    #[wasm_bindgen(unchecked_param_type = "AuditInput")] input: JsValue,
) -> JsValue {
    let outcome: Outcome<_> = known_fields(&input, api::AuditInput::FIELDS, "audit input")
        .and_then(|()| {
            serde_wasm_bindgen::from_value::<api::AuditInput>(input)
                .map_err(|e| format!("invalid audit input: {e}"))
        })
        .and_then(|i| api::audit_account(&i))
        .into();
    to_js(&outcome)
}

/// Does `policy` grant anything `reference` does not? The core's check-no-new-access: PASS is a
/// proof over every request; FAIL names the statements that may (UTF-16 spans in `policy`).
#[wasm_bindgen(js_name = compareWithReference, unchecked_return_type = "CompareOutcome")]
pub fn compare_with_reference(policy: &str, reference: &str) -> JsValue {
    to_js(&api::compare(policy, reference))
}

/// Refuse field names `fields` does not list (serde-wasm-bindgen would skip a misspelt one).
fn known_fields(value: &JsValue, fields: &[&str], what: &str) -> Result<(), String> {
    let Some(object) = value.dyn_ref::<js_sys::Object>() else {
        return Err(format!("invalid {what}: expected an object"));
    };
    for key in js_sys::Object::keys(object).iter() {
        let key = key.as_string().unwrap_or_default();
        if !fields.contains(&key.as_str()) {
            return Err(format!(
                "invalid {what}: unknown field '{key}'; expected {}",
                fields.join(", ")
            ));
        }
    }
    Ok(())
}

/// The URL fragment (without `#`) of a share link holding `text`, its policy type and its format,
/// with the length past which the page should warn that the link may be cut.
#[wasm_bindgen(js_name = encodeShareLink, unchecked_return_type = "ShareLink")]
pub fn encode_share_link(text: &str, policy_type: &str, format: &str) -> JsValue {
    to_js(&api::encode_share_link(text, policy_type, format))
}

/// Read a share link's fragment (with or without `#`): none, the checked content, or why it is
/// refused (damaged, from a newer version, too large) with the message to show.
#[wasm_bindgen(js_name = decodeShareLink, unchecked_return_type = "LinkOutcome")]
pub fn decode_share_link(fragment: &str) -> JsValue {
    to_js(&api::decode_share_link(fragment))
}

/// Evaluate one request with the core's engine against the given policy (the editor's text as
/// the identity or the resource policy, optional boundary and SCPs); statement positions are
/// UTF-16 offsets into the text they belong to. Bad input gives `{ type: "error", problems }`.
#[wasm_bindgen(unchecked_return_type = "SimulateOutcome")]
pub fn simulate(#[wasm_bindgen(unchecked_param_type = "SimulateInput")] input: JsValue) -> JsValue {
    let outcome = simulate_input_from_js(input)
        .map(|i| api::simulate(&i))
        .unwrap_or_else(|message| api::SimulateOutcome::Error {
            problems: vec![],
            message,
        });
    to_js(&outcome)
}

fn simulate_input_from_js(value: JsValue) -> Result<api::SimulateInput, String> {
    known_fields(&value, api::SimulateInput::FIELDS, "simulation input")?;
    serde_wasm_bindgen::from_value(value).map_err(|e| format!("invalid simulation input: {e}"))
}
