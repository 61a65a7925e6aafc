// The desktop's server thread (src/server.ts, the pump in a worker_threads worker) with the real
// WebAssembly module, as the extension starts it: initialize, open a policy, get its diagnostics,
// type, get the new version's, shut down and see the thread end. Needs the module built
// (`cargo xtask vscode` builds it before running these tests).
import assert from "node:assert/strict";
import { test } from "node:test";
import { readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";

const wasm = new URL("../wasm/iamlint_lsp_wasm_bg.wasm", import.meta.url);

function start(module) {
  const worker = new Worker(new URL("../out/server.cjs", import.meta.url));
  // The module is the thread's first message (the extension starts the thread while compiling).
  worker.postMessage({ module });
  const inbox = [];
  let wake = () => {};
  worker.on("message", (json) => {
    inbox.push(...JSON.parse(json));
    wake();
  });
  const send = (m) => worker.postMessage(JSON.stringify({ jsonrpc: "2.0", ...m }));
  // The next message from the server that satisfies `pick`.
  const next = async (pick) => {
    for (;;) {
      const i = inbox.findIndex(pick);
      if (i >= 0) return inbox.splice(i, 1)[0];
      await new Promise((resolve) => (wake = resolve));
    }
  };
  return { worker, send, next };
}

test("the server thread answers, publishes each version's diagnostics and ends on exit", { timeout: 30000 }, async () => {
  const module = await WebAssembly.compile(readFileSync(wasm));
  const { worker, send, next } = start(module);
  const ended = new Promise((resolve) => worker.on("exit", resolve));
  send({ id: 1, method: "initialize", params: { processId: null, rootUri: null, capabilities: {} } });
  assert.equal((await next((m) => m.id === 1)).result.serverInfo.name, "iamlint");
  send({ method: "initialized", params: {} });
  const uri = "file:///w/policy.json";
  const text = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}';
  send({ method: "textDocument/didOpen", params: { textDocument: { uri, languageId: "json", version: 1, text } } });
  const first = await next((m) => m.method === "textDocument/publishDiagnostics");
  assert.equal(first.params.version, 1);
  const codes = first.params.diagnostics.map((d) => d.code);
  assert.ok(codes.includes("SERVICE_WILDCARD_IN_ACTION"), codes.join(", "));
  // Fixing the wildcard clears its finding in the next version's diagnostics.
  const at = text.indexOf("s3:*") + 3;
  send({
    method: "textDocument/didChange",
    params: {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 0, character: at }, end: { line: 0, character: at + 1 } }, text: "GetObject" }],
    },
  });
  const second = await next((m) => m.method === "textDocument/publishDiagnostics");
  assert.equal(second.params.version, 2);
  assert.ok(!second.params.diagnostics.some((d) => d.code === "SERVICE_WILDCARD_IN_ACTION"));
  send({ id: 2, method: "shutdown" });
  assert.equal((await next((m) => m.id === 2)).result, null);
  send({ method: "exit" });
  assert.equal(await ended, 0);
});
