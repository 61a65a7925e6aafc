// The desktop's server thread (src/server.ts, the pump in a worker_threads worker) with the real
// WebAssembly module, as the extension starts it: initialize, open a policy, get its diagnostics,
// type, get the new version's, shut down and see the thread end. Needs the module built
// (`cargo xtask vscode` builds it before running these tests).
import assert from "node:assert/strict";
import { test } from "node:test";
import { readFileSync, promises as fsp } from "node:fs";
import { createRequire } from "node:module";
import { nodeFs } from "./support/node-fs.mjs";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";

const logic = createRequire(import.meta.url)("../out/logic.cjs");

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

// Unused grants in the WebAssembly server: iamlint.toml and the [[activity]] entry's logs (the
// fixture logs of tests/activity) read through the client's handlers, as the extension answers.
test("the server thread shows unused grants from logs the client reads", { timeout: 30000 }, async () => {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), "iamlint-wasm-activity-"));
  await fsp.cp(new URL("../../tests/activity/logs", import.meta.url), path.join(dir, "logs"), { recursive: true });
  const role = "arn:aws:iam::111122223333:role/service/deploy";
  const toml = `[[activity]]\nglob = "*.json"\nprincipal = "${role}"\ncloudtrail = ["logs/"]\n`;
  const module = await WebAssembly.compile(readFileSync(wasm));
  const { worker, send, next } = start(module);
  const root = `file://${dir}`;
  send({ id: 1, method: "initialize", params: { processId: null, rootUri: null, workspaceFolders: [{ uri: root, name: "w" }], capabilities: { experimental: { iamlintReadFile: true } } } });
  await next((m) => m.id === 1);
  send({ method: "initialized", params: {} });
  const uri = `${root}/deploy.json`;
  const text = readFileSync(new URL("../../tests/activity/deploy-policy.json", import.meta.url), "utf8");
  send({ method: "textDocument/didOpen", params: { textDocument: { uri, languageId: "json", version: 1, text } } });
  const read = await next((m) => m.method === "iamlint/readFile");
  assert.equal(read.params.path, `${dir}/iamlint.toml`);
  send({ id: read.id, result: toml });
  const asked = await next((m) => m.method === "iamlint/readActivityFiles");
  send({ id: asked.id, result: await logic.readActivityFiles(nodeFs, (p) => p, (p) => p, asked.params) });
  // The analysis after the logs came has the hint on the refused DeleteTable.
  for (;;) {
    const published = await next((m) => m.method === "textDocument/publishDiagnostics" && m.params.uri === uri);
    const hint = published.params.diagnostics.find((d) => d.code === "UNUSED_GRANT" && d.range.start.line === 12 && d.range.start.character === 78);
    if (!hint) continue;
    assert.equal(hint.severity, 4);
    assert.match(hint.message, /dynamodb:DeleteTable/);
    break;
  }
  worker.terminate();
  await fsp.rm(dir, { recursive: true });
});
