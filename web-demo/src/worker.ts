// The Web Worker that owns the WebAssembly core, so analysis never blocks typing.
import init, * as core from "./wasm/iamlint_wasm";
import wasmUrl from "./wasm/iamlint_wasm_bg.wasm?url";
import type { Api, ModuleMessage, Request, Response, TextUpdate } from "./protocol";

const started = performance.now();
// The page compiles the wasm while this worker is still starting (boot.ts) and sends the
// compiled module as the first message; null means it could not, and the worker fetches it.
let receiveModule: (module: WebAssembly.Module | null) => void = () => {};
const moduleArrived = new Promise<WebAssembly.Module | null>((resolve) => (receiveModule = resolve));
// Instantiate, then warm up at once (decode the embedded catalog, build the core's lazy tables)
// while the page is still building its editor, so the first real check does not pay for it.
let instantiateMs = 0;
const ready = moduleArrived.then((module) => init({ module_or_path: module ?? wasmUrl })).then(() => {
  instantiateMs = performance.now() - started;
  core.check('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}', undefined);
  return performance.now() - started;
});

// The editor's document is checked by one Checker, which keeps the last version's work and
// re-checks only the statements a keystroke changed (core::incremental), and answers with only
// the findings that changed since the page's last answer (delta.ts); same findings as check.
// It also holds the editor's text: the page sends the changes since the version it holds, and
// they go into the wasm as they are (passing a 1.3 MB string into the wasm copies it there a
// character at a time).
let checker: core.Checker | undefined;

/** The Checker holding the text `update` gives; undefined when the changes do not start from
 * the version held (or do not fit it): the page then sends the whole text. */
function hold(update: TextUpdate): core.Checker | undefined {
  checker ??= new core.Checker();
  if ("text" in update) checker.setText(update.version, update.text);
  else if (!checker.edit(update.from, update.version, update.changes, update.length)) return undefined;
  return checker;
}

const api = (initMs: number): Api => ({
  startup: () => ({
    catalog: core.catalogInfo(),
    rules: core.ruleDocs(),
    policyTypes: core.policyTypes(),
    initMs,
    instantiateMs,
    workerStartedAt: performance.timeOrigin + started,
  }),
  check: (text, options) => core.check(text, options),
  checkEdit: (update, options, base) => {
    const held = hold(update);
    return held ? held.checkHeld(options, base ?? undefined) : { type: "resync" };
  },
  completeEdit: (update, offset, options) => {
    const held = hold(update);
    return held ? held.completeHeld(offset, options) : { type: "resync" };
  },
  hover: (text, offset, options) => core.hover(text, offset, options),
  completions: (text, offset, options) => core.completions(text, offset, options),
  codeActions: (text, start, end, options) => core.codeActions(text, start, end, options),
  fixAll: (text, options) => core.fixAll(text, options),
  fix: (text, finding, fix, options) => core.fix(text, finding, fix, options),
  fixes: (text, findings, options) => core.fixes(text, findings, options),
  simulate: (input) => core.simulate(input),
  auditAccount: (input) => core.auditAccount(input),
  compareWithReference: (policy, reference) => core.compareWithReference(policy, reference),
  encodeShareLink: (text, policyType, format) => core.encodeShareLink(text, policyType, format),
  decodeShareLink: (fragment) => core.decodeShareLink(fragment),
});

self.onmessage = async (event: MessageEvent<Request | ModuleMessage>) => {
  if ("module" in event.data) {
    receiveModule(event.data.module);
    return;
  }
  const { id, method, args } = event.data;
  let reply: Response;
  try {
    const impl = api(await ready);
    const t0 = performance.now();
    const result = (impl[method] as (...a: unknown[]) => unknown)(...args);
    reply = { id, ok: true, result, ms: performance.now() - t0 };
  } catch (e) {
    // A trap (RuntimeError) leaves the module unusable; anything else is reported as it is.
    reply = { id, ok: false, error: String(e), fatal: e instanceof WebAssembly.RuntimeError };
  }
  (self as unknown as Worker).postMessage(reply);
};
