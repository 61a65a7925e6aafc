// The messages between the page and the worker that runs the wasm. Every method of `Api` is a
// thin call into the core; the worker adds nothing but timing.
import type {
  CompareOutcome,
  AuditInput,
  AuditResult,
  CatalogInfo,
  CheckAnswer,
  CheckOptions,
  CheckResult,
  CodeAction,
  Completion,
  FindingRef,
  Fix,
  HoverInfo,
  LinkOutcome,
  Outcome,
  RuleDoc,
  ShareLink,
  SimulateInput,
  SimulateOutcome,
} from "./wasm/iamlint_wasm";

export type {
  CatalogInfo,
  CheckAnswer,
  CheckOptions,
  CheckResult,
  CodeAction,
  Completion,
  HoverInfo,
  LinkOutcome,
  Outcome,
  RuleDoc,
  ShareLink,
  SimulateInput,
  SimulateOutcome,
};
export type { Category, Finding, FindingRef, Fix, Edit, Safety, CompletionKind, PolicyInfo } from "./wasm/iamlint_wasm";
export type { AuditFinding, AuditInput, AuditResult } from "./wasm/iamlint_wasm";
export type { CompareOutcome, CompareProblem, CompareReason } from "./wasm/iamlint_wasm";
export type { Decision, InputProblem, PolicyTrace, Simulation, StatementTrace } from "./wasm/iamlint_wasm";

export interface Startup {
  catalog: CatalogInfo;
  rules: RuleDoc[];
  policyTypes: string[];
  /** Milliseconds the worker spent loading, instantiating and warming up the wasm. */
  initMs: number;
  /** Of which loading (fetch and compile) and instantiating. */
  instantiateMs: number;
  /** When the worker's script started (ms since the epoch, to compare with the page's clock). */
  workerStartedAt: number;
}

export interface Api {
  startup(): Startup;
  check(text: string, options: CheckOptions): Outcome<CheckResult>;
  /** The editor's text, given whole or as the changes since a version the worker holds,
   * checked by the worker's one Checker: what changed since answer `base` (the id of the answer
   * whose findings the page holds), or the whole result (delta.ts). `resync`: the worker does
   * not hold the version the changes start from (or they do not fit it); send the whole text. */
  checkEdit(update: TextUpdate, options: CheckOptions, base: number | null): Outcome<CheckAnswer> | { type: "resync" };
  /** `completions` at `offset` of the editor's text, given as for `checkEdit` (the worker's
   * Checker holds it and, when it checked that version last, its parse). */
  completeEdit(update: TextUpdate, offset: number, options: CheckOptions): Outcome<Completion[]> | { type: "resync" };
  hover(text: string, offset: number, options: CheckOptions): HoverInfo | null;
  completions(text: string, offset: number, options: CheckOptions): Outcome<Completion[]>;
  codeActions(text: string, start: number, end: number, options: CheckOptions): Outcome<CodeAction[]>;
  fixAll(text: string, options: CheckOptions): Outcome<CodeAction | null>;
  /** The edits of one fix of a finding of `check` (checks leave them out, see main.ts). */
  fix(text: string, finding: FindingRef, fix: number, options: CheckOptions): Outcome<Fix | null>;
  /** The fixes of the findings named, for checks that had too many findings to carry them. */
  fixes(text: string, findings: FindingRef[], options: CheckOptions): Outcome<(Fix[] | null)[]>;
  simulate(input: SimulateInput): SimulateOutcome;
  auditAccount(input: AuditInput): Outcome<AuditResult>;
  compareWithReference(policy: string, reference: string): CompareOutcome;
  encodeShareLink(text: string, policyType: string, format: string): ShareLink;
  decodeShareLink(fragment: string): LinkOutcome;
}

/** The editor's text as version `version`: whole, or as `changes` to version `from` (each
 * [from, to, inserted] in UTF-16 offsets of that version, in ascending order, as CodeMirror's
 * `ChangeSet.iterChanges` gives them) with the resulting length to check them by. */
export type TextUpdate =
  | { version: number; text: string }
  | { version: number; from: number; changes: [number, number, string][]; length: number };

export type Method = keyof Api;

export type Request = {
  [M in Method]: { id: number; method: M; args: Parameters<Api[M]> };
}[Method];

export type Response =
  | { id: number; ok: true; result: unknown; ms: number }
  /** `fatal`: the wasm trapped; the page replaces the worker. */
  | { id: number; ok: false; error: string; fatal: boolean };

/** The first message to a new worker: the wasm compiled by the page, or null to fetch it itself. */
export type ModuleMessage = { module: WebAssembly.Module | null };
