// Start to first diagnostics of the built-in server as the desktop extension starts it, without
// VS Code: start the server thread (out/server.cjs, built by `npm test`) while reading and
// compiling the module, initialize, open a typical policy, wait for its diagnostics. Each run is a fresh
// Node process (nothing compiled or decoded is reused). Prints each run, the median and the max.
// Run after `cargo xtask vscode`:
//   node vscode-extension/bench/start.mjs [runs]
import { execFileSync } from "node:child_process";

const runs = Number(process.argv[2] ?? 9);
const one = `
const { readFileSync } = require("node:fs");
const { Worker } = require("node:worker_threads");
const t0 = performance.now();
// As the extension does: the thread starts while the module is read and compiled.
const w = new Worker(${JSON.stringify(new URL("../out/server.cjs", import.meta.url).pathname)});
WebAssembly.compile(readFileSync(${JSON.stringify(new URL("../wasm/iamlint_lsp_wasm_bg.wasm", import.meta.url).pathname)})).then((module) => {
  const compiled = performance.now() - t0;
  w.postMessage({ module });
  const send = (m) => w.postMessage(JSON.stringify({ jsonrpc: "2.0", ...m }));
  w.on("message", (json) => {
    for (const m of JSON.parse(json)) {
      if (m.method !== "textDocument/publishDiagnostics") continue;
      console.log(JSON.stringify({ total: performance.now() - t0, compiled }));
      w.terminate();
    }
  });
  send({ id: 1, method: "initialize", params: { processId: null, rootUri: null, capabilities: {} } });
  send({ method: "initialized", params: {} });
  const text = JSON.stringify({ Version: "2012-10-17", Statement: [
    { Sid: "Reports", Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::example-reports/*" },
    { Sid: "Orders", Effect: "Allow", Action: "dynamodb:GetItem", Resource: "arn:aws:dynamodb:eu-west-1:111122223333:table/orders" },
  ] }, null, 4);
  send({ method: "textDocument/didOpen", params: { textDocument: { uri: "file:///w/policy.json", languageId: "json", version: 1, text } } });
});`;
const totals = [];
for (let i = 0; i < runs; i++) {
  const r = JSON.parse(execFileSync(process.execPath, ["-e", one], { encoding: "utf8" }));
  totals.push(r.total);
  console.log(`run ${i + 1}: ${r.total.toFixed(0)} ms (module compiled after ${r.compiled.toFixed(0)} ms)`);
}
totals.sort((a, b) => a - b);
console.log(`start to first diagnostics: median ${totals[Math.floor(runs / 2)].toFixed(0)} ms, max ${totals[runs - 1].toFixed(0)} ms (${runs} runs)`);
