// Keystroke to diagnostics in the built-in (WebAssembly) server, without VS Code: the same module
// and the same JSON-text boundary the extension's pump uses, in Node. Opens a policy (default:
// the largest AWS managed policy of the corpus), types N spaces after its closing brace one at a
// time, and times handle(didChange) + idle() + JSON.parse for each: the server's share of what a
// user waits for. CODE_ACTIONS=1 also sends a code action request after each edit, before the
// analysis runs (VS Code's light bulb does that now and then while the user types): the
// keystroke should cost no second analysis. Run after `cargo xtask vscode`:
//   node vscode-extension/bench/keystroke.mjs [policy.json] [keystrokes]
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
// WASM_DIR=dir compares another build of the module (default: the extension's own).
const dir = process.env.WASM_DIR ?? new URL("../wasm/", import.meta.url).pathname;
const { initSync, LanguageServer } = await import(join(dir, "iamlint_lsp_wasm.js"));

const here = new URL(".", import.meta.url).pathname;
const corpus = join(here, "../../.cache/managed-policies/latest");
const largest = () =>
  readdirSync(corpus)
    .filter((f) => f.endsWith(".json"))
    .map((f) => join(corpus, f))
    .sort((a, b) => statSync(b).size - statSync(a).size)[0];
const file = process.argv[2] ?? largest();
const keystrokes = Number(process.argv[3] ?? 60);
const codeActions = process.env.CODE_ACTIONS === "1";
const text = readFileSync(file, "utf8");

const t0 = performance.now();
initSync({ module: await WebAssembly.compile(readFileSync(join(dir, "iamlint_lsp_wasm_bg.wasm"))) });
const loaded = performance.now() - t0;
const server = new LanguageServer();
const send = (m) => JSON.parse(server.handle(JSON.stringify({ jsonrpc: "2.0", ...m })));
send({ id: 1, method: "initialize", params: { processId: null, rootUri: null, capabilities: {} } });
send({ method: "initialized", params: {} });
const uri = "file:///bench/policy.json";
const t1 = performance.now();
send({ method: "textDocument/didOpen", params: { textDocument: { uri, languageId: "json", version: 1, text } } });
const first = JSON.parse(server.idle());
const open = performance.now() - t1;
const lines = text.split("\n");
const line = lines.length - 1;
let col = lines[line].length;
const times = [];
const cpu = [];
for (let i = 0; i < keystrokes; i++) {
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  send({
    method: "textDocument/didChange",
    params: {
      textDocument: { uri, version: i + 2 },
      contentChanges: [{ range: { start: { line, character: col }, end: { line, character: col } }, text: " " }],
    },
  });
  const out = [];
  if (codeActions) {
    const at = { line, character: col };
    out.push(...send({ id: 1000 + i, method: "textDocument/codeAction", params: { textDocument: { uri }, range: { start: at, end: at }, context: { diagnostics: [] } } }));
  }
  out.push(...JSON.parse(server.idle()));
  times.push(performance.now() - start);
  const c = process.cpuUsage(cpu0);
  cpu.push((c.user + c.system) / 1000);
  const published = out.find((m) => m.method === "textDocument/publishDiagnostics");
  if (published?.params?.version !== i + 2) throw new Error(`no diagnostics for version ${i + 2}`);
  col += 1;
}
// CPU time is the work alone (the machine is shared: wall time includes waiting for a core).
const q = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))].toFixed(1);
console.log(
  `${file.split("/").pop()} (${text.length} bytes, ${first[0].params.diagnostics.length} findings): ` +
    `module ${loaded.toFixed(0)} ms, open ${open.toFixed(0)} ms, keystroke p50 ${q(times, 0.5)} ms p95 ${q(times, 0.95)} ms ` +
    `(CPU p50 ${q(cpu, 0.5)} ms p95 ${q(cpu, 0.95)} ms) (${keystrokes}${codeActions ? ", each with a code action" : ""})`,
);
