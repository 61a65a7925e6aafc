//! TypeScript declarations of the values `lib.rs` exchanges with JavaScript. wasm-bindgen copies
//! this text into the generated `.d.ts`, and the exported functions name these types, so the web
//! page's `tsc --noEmit` checks its use of the API. Mirrors the serde shapes in `api`.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** A result, or an error as a value (never an exception). */
export type Outcome<T> = { type: "ok"; value: T } | { type: "error"; message: string };

/** How to analyse. All offsets everywhere are UTF-16 code units (JavaScript string indices). */
export interface CheckOptions {
  /** "auto" (default), "identity", "resource", "resource:AWS::S3::Bucket", "trust", "scp", "rcp", "boundary", "session". */
  policyType?: string;
  /** Rule codes to switch off. */
  disabledRules?: string[];
}

export type Category = "error" | "security" | "warning" | "suggestion";
export type Safety = "safe" | "review";

export interface Edit { start: number; end: number; text: string }
export interface Fix { title: string; safety: Safety; edits: Edit[] }
export interface Related { start: number; end: number; message: string }

export interface Finding {
  code: string;
  category: Category;
  message: string;
  start: number;
  end: number;
  related: Related[];
  fixes: Fix[];
}

export interface CheckResult {
  /** The policy type used, by name (resolved when "auto" was asked for). */
  policyType: string;
  findings: Finding[];
}

export interface CatalogInfo {
  iamlintVersion: string;
  sourcePackage: string;
  sourceVersion: string;
  dataDate: string;
  serviceCount: number;
  actionCount: number;
  resourceTypeCount: number;
  conditionKeyCount: number;
}

export interface RuleDoc {
  code: string;
  category: Category;
  summary: string;
  /** Markdown. */
  explanation: string;
}

/** Markdown about the element under the pointer; start..end is that element. */
export interface HoverInfo { markdown: string; start: number; end: number }

export type CompletionKind =
  | "element" | "value" | "service" | "action" | "actionWildcard" | "operator" | "conditionKey" | "arn";

export interface Completion {
  /** What the list shows and filters on. */
  label: string;
  kind: CompletionKind;
  detail: string | null;
  /** Markdown. */
  documentation: string | null;
  /** Replaces start..end; carries the JSON quotes the place needs. */
  insertText: string;
  /** The same insertion with `${1:Name}` tab stops, when it has parts to fill in. */
  snippet: string | null;
  start: number;
  end: number;
  sortText: string;
}

export type CodeActionKind = "quickfix" | "source.fixAll.iamlint";

export interface CodeAction {
  title: string;
  safety: Safety;
  kind: CodeActionKind;
  edits: Edit[];
  diagnosticCode: string | null;
  /** Index into CheckResult.findings of the finding this fixes (null for fix-all). */
  diagnosticIndex: number | null;
  isPreferred: boolean;
}
"#;
