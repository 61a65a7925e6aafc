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
  /** "auto" (default), "identity", "resource", "resource:AWS::S3::Bucket", "trust", "scp", "rcp", "boundary", "session", "vpc-endpoint". */
  policyType?: string;
  /** Rule codes to switch off. */
  disabledRules?: string[];
  /** "json" (a policy), "terraform", "cloudformation-yaml", "cloudformation-json"; absent or "auto": recognised from the text. */
  format?: string;
  /** false: every fix's `edits` is left empty (get them with `fix` when applying one); for policies with thousands of findings. Default true. */
  fixEdits?: boolean;
  /** Findings carry their fixes only when there are at most this many; above, none does (get them with `fixes`). Absent: always. */
  fixLimit?: number;
}

/** Names a finding of `check`: its code, start, end and nth. */
export interface FindingRef { code: string; start: number; end: number; nth: number }

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
  /** Index in `CheckResult.policies` of the policy it is in (Terraform, CloudFormation); null in a policy file and for a syntax error of the file. */
  policy: number | null;
  /** Its place among the findings with the same code, start and end (almost always 0). */
  nth: number;
}

export interface CheckResult {
  /** The policy type used, by name (resolved when "auto" was asked for); for a Terraform or CloudFormation file, that of its first policy. */
  policyType: string;
  /** The language the text was read as. */
  format: string;
  /** The policies of a Terraform or CloudFormation file (empty for a policy). */
  policies: PolicyInfo[];
  findings: Finding[];
}

/** An answer of `Checker.checkSince`: the whole result, or what changed since answer `base`. */
export type CheckAnswer =
  | { kind: "full"; id: number; result: CheckResult }
  | {
      kind: "delta";
      id: number;
      base: number;
      policyType: string;
      format: string;
      /** UTF-16 `start..oldEnd` of the old text became `start..newEnd`: old positions at or before `start` stay, those at or after `oldEnd` move by `newEnd - oldEnd`. */
      change: { start: number; oldEnd: number; newEnd: number };
      /** Indices (ascending) into the old findings of those that are gone. */
      removed: number[];
      /** New findings with their index (ascending) in the new list; the other places are the old findings kept, in order, moved. */
      added: { index: number; finding: Finding }[];
      /** The length of the new list. */
      count: number;
    };

/** A policy inside a Terraform or CloudFormation file. */
export interface PolicyInfo { name: string; policyType: string; start: number; end: number }

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

/** A share link's fragment (without the hash sign); warn when the whole URL is longer than longLinkChars. */
export interface ShareLink { fragment: string; longLinkChars: number }

/** What a share link holds. */
export interface SharedPolicy {
  text: string;
  /** A policy type name (canonical spelling; "auto" when the link's is unknown, see notices). */
  policyType: string;
  /** "json", "terraform", "cloudformation-yaml" or "cloudformation-json". */
  format: string;
  /** False for links made before links had an integrity check. */
  checked: boolean;
  /** What was changed while reading (an unknown policy type or format), for the user. */
  notices: string[];
}

/** No link in the fragment, its content, or why nothing was loaded (with the message to show). */
export type LinkOutcome =
  | { type: "none" }
  | { type: "ok"; value: SharedPolicy }
  | { type: "error"; kind: "damaged" | "newerVersion" | "tooLarge"; message: string };

/** One request for the simulator (offsets in answers are UTF-16 offsets into their own text). */
export interface SimulateInput {
  /** The editor's policy text. */
  policy: string;
  /** Which role the editor's policy plays (default "identity"). */
  policyRole?: "identity" | "resource";
  /** A permissions boundary text; empty or missing = none. */
  boundary?: string;
  /** Service control policies, one text per level of the organization path (root first). */
  scps?: string[];
  /** An IAM ARN (user, role, assumed-role session, root), a service principal, or "anonymous". */
  principal: string;
  /** One action such as "s3:GetObject" (no wildcards). */
  action: string;
  /** The resource ARN, or "*". */
  resource: string;
  /** The account owning the resource when its ARN has none (12 digits). */
  resourceAccount?: string;
  /** "key=value" lines; repeat a key for a multi-valued key; blank lines are skipped. */
  context?: string[];
}

export type Decision = "Allowed" | "ExplicitDeny" | "ImplicitDeny";
export type PolicyKind = "identity" | "resource" | "boundary" | "session" | "scp" | "rcp";
export type ElementMatch = "matched" | "notMatched" | "absent";
/** Which text a policy came from. */
export type PolicySource = "editor" | "boundary" | "scp";

export interface ConditionTrace {
  operator: string; key: string; matched: boolean;
  /** The key was not in the request and the operator's missing-key rule decided. */
  keyMissing: boolean;
  start: number; end: number;
}

export interface StatementTrace {
  index: number; sid: string | null; effect: "Allow" | "Deny";
  start: number; end: number;
  action: ElementMatch; resource: ElementMatch; principal: ElementMatch;
  conditions: ConditionTrace[];
  /** Every element matched: the statement applies to the request. */
  applies: boolean;
}

export interface PolicyTrace {
  kind: PolicyKind; source: PolicySource; level: number | null; statements: StatementTrace[];
}

export interface StatementRef {
  kind: PolicyKind; source: PolicySource; level: number | null;
  index: number; sid: string | null; effect: "Allow" | "Deny"; start: number; end: number;
}

export interface Simulation {
  decision: Decision;
  /** One sentence: why. */
  reason: string;
  sameAccount: boolean;
  resourcePolicyKind: "generic" | "roleTrust" | "kmsKey";
  /** The Deny statements for an explicit deny, the granting Allows for an allow, none otherwise. */
  decisiveStatements: StatementRef[];
  policies: PolicyTrace[];
  /** The request context as evaluated (with the keys AWS sets from the principal). */
  context: { key: string; values: string[] }[];
}

/** A problem with the simulator's input: `field` names the input; `index` the SCP level or
 * context line; `start..end` a range in that policy's text. */
export interface InputProblem {
  field: "policy" | "policyRole" | "boundary" | "scps" | "principal" | "action" | "resource" | "resourceAccount" | "context";
  index: number | null;
  message: string;
  start: number | null;
  end: number | null;
}

export type SimulateOutcome =
  | { type: "ok"; value: Simulation }
  | { type: "error"; message: string; problems: InputProblem[] };

/** The files of an account audit, as text (absent or blank: not given). */
export interface AuditInput {
  credentialReport?: string;
  accountSummary?: string;
  passwordPolicy?: string;
  authorizationDetails?: string;
  /** "Today": an RFC 3339 time or a date; default the credential report's time, else `clock`. */
  now?: string;
  /** The browser's clock (Date.now()). */
  clock?: number;
}

export interface AuditFinding {
  code: string;
  category: Category;
  /** A user, group, role or policy name, `<root_account>`, `account`, or the input file. */
  subject: string;
  arn: string;
  message: string;
  /** The AWS CLI command that fixes it, placeholders in <angle brackets>. */
  command?: string;
  benchmarks: string[];
}

export interface AuditResult {
  now: number;
  nowSource: "option" | "report" | "clock";
  findings: AuditFinding[];
}

/** Why the editor's policy may grant more than the reference; start..end is the statement. */
export interface CompareReason {
  description: string;
  statementIndex: number | null;
  statementId: string | null;
  start: number | null;
  end: number | null;
}

/** A policy that cannot be compared (not evaluable), with its place in that policy's text. */
export interface CompareProblem { which: "policy" | "reference"; message: string; start: number; end: number }

export type CompareOutcome =
  | { type: "ok"; result: "PASS" | "FAIL"; reasons: CompareReason[] }
  | { type: "error"; problems: CompareProblem[] };
"#;
