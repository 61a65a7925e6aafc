// Unit tests of the extension's own logic (document selection, settings, binary resolution,
// untrusted workspaces, playground links). Run with `npm test`.
import assert from "node:assert/strict";
import { test } from "node:test";
import { readFileSync, promises as fsp } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { nodeFs } from "./support/node-fs.mjs";

const require = createRequire(import.meta.url);
const logic = require("../out/logic.cjs");
const playground = require("../out/playground.cjs");

const settings = (over = {}) => ({ ...logic.DEFAULT_SETTINGS, ...over });

test("only policies, templates and Terraform with IAM policies start the server", () => {
  const policy = '{"Version": "2012-10-17", "Statement": []}';
  assert.equal(logic.mayBePolicy("json", policy, settings()), true);
  assert.equal(logic.mayBePolicy("jsonc", policy, settings()), true);
  assert.equal(logic.mayBePolicy("json", '{"name": "pkg", "version": "1.0.0"}', settings()), false);
  assert.equal(logic.mayBePolicy("jsonc", '{\n  // strict\n  "compilerOptions": {"strict": true}\n}', settings(), "/w/tsconfig.json"), false);
  assert.equal(logic.mayBePolicy("json", '{"root": true, "extends": ["eslint:recommended"]}', settings(), "/w/.eslintrc.json"), false);
  // A policy being started: its Version comes first.
  assert.equal(logic.mayBePolicy("json", '{"Version": "2012-10-17", ', settings()), true);
  assert.equal(logic.mayBePolicy("markdown", policy, settings()), false);
  const template = "Resources:\n  Role:\n    Type: AWS::IAM::Role\n";
  assert.equal(logic.mayBePolicy("yaml", template, settings()), true);
  assert.equal(logic.mayBePolicy("yaml", "services:\n  web:\n    image: nginx\n", settings()), false);
  const tf = 'resource "aws_iam_role" "r" {\n  assume_role_policy = jsonencode({})\n}\n';
  // Without the HashiCorp extension a .tf file is plain text: the file name decides.
  assert.equal(logic.mayBePolicy("plaintext", tf, settings(), "/w/main.tf"), true);
  assert.equal(logic.mayBePolicy("terraform", tf, settings(), "/w/main.tf"), true);
  assert.equal(logic.mayBePolicy("plaintext", 'variable "x" {}\n', settings(), "/w/vars.tf"), false);
  assert.equal(logic.mayBePolicy("plaintext", tf, settings(), "/w/notes.txt"), false);
  // With globs configured the server decides, by path.
  assert.equal(logic.mayBePolicy("json", "{}", settings({ policyGlobs: { "trust/*.json": "trust" } })), true);
});

test("the document selector matches Terraform and template files by pattern", () => {
  const selector = logic.documentSelector();
  assert.ok(selector.some((f) => f.pattern === "**/*.tf" && f.scheme === "file"));
  assert.ok(selector.some((f) => f.language === "yaml" && f.scheme === "untitled"));
  assert.ok(selector.some((f) => f.language === "json" && f.scheme === "file"));
});

test("settings of the wrong type fall back to defaults", () => {
  const values = {
    "server.path": "  /opt/iamlint  ",
    policyType: 42,
    disabledRules: ["MISSING_VERSION", 7],
    categoryOverrides: { STAR_IN_RESOURCE: "error", BAD: 1 },
    policyGlobs: ["not", "an", "object"],
  };
  const s = logic.readSettings((k) => values[k]);
  assert.equal(s.serverPath, "/opt/iamlint");
  assert.equal(s.policyType, "auto");
  assert.deepEqual(s.disabledRules, ["MISSING_VERSION"]);
  assert.deepEqual(s.categoryOverrides, { STAR_IN_RESOURCE: "error" });
  assert.deepEqual(s.policyGlobs, {});
  const sent = logic.serverSettings(s);
  assert.equal("serverPath" in sent, false, "the binary path never goes to the server");
  assert.deepEqual(Object.keys(sent).sort(), ["categoryOverrides", "disabledRules", "policyGlobs", "policyType"]);
});

test("the built-in server runs unless a native one is set, on the desktop, in a trusted workspace", () => {
  const native = settings({ serverPath: "/usr/local/bin/iamlint" });
  assert.deepEqual(logic.resolveServer({ settings: settings(), trusted: true, canSpawn: true }), { kind: "wasm" });
  assert.deepEqual(logic.resolveServer({ settings: native, trusted: true, canSpawn: true }), {
    kind: "native",
    path: "/usr/local/bin/iamlint",
  });
  const untrusted = logic.resolveServer({ settings: settings({ serverPath: "./evil" }), trusted: false, canSpawn: true });
  assert.equal(untrusted.kind, "wasm");
  assert.equal(untrusted.path, undefined);
  assert.match(untrusted.ignored, /untrusted/);
  const browser = logic.resolveServer({ settings: native, trusted: true, canSpawn: false });
  assert.equal(browser.kind, "wasm");
  assert.match(browser.ignored, /browser/);
});

test("documents of local, remote and virtual workspaces are selected", () => {
  const selector = logic.documentSelector();
  for (const scheme of ["file", "untitled", "vscode-remote", "vscode-vfs"]) {
    assert.ok(selector.some((s) => s.scheme === scheme && s.language === "json"), scheme);
  }
  assert.ok(!selector.some((s) => s.scheme === "git"), "diff views and other virtual documents are not checked");
});

test("timings: activation to first diagnostics with its phases, and each edit to the diagnostics of its version", () => {
  const log = new logic.LatencyLog();
  const uri = "file:///p.json";
  log.start();
  log.mark("wasm read");
  log.sent({ jsonrpc: "2.0", id: 0, method: "initialize", params: {} });
  log.received({ jsonrpc: "2.0", id: 0, result: {} });
  log.sent({ method: "initialized", params: {} });
  log.sent({ method: "textDocument/didOpen", params: { textDocument: { uri, version: 1 } } });
  // A request of the server and the client's answer (same id as the client's initialize: the
  // two directions number their requests apart).
  log.received({ jsonrpc: "2.0", id: 0, method: "iamlint/readFile", params: {} });
  log.sent({ jsonrpc: "2.0", id: 0, result: null });
  log.received({ method: "textDocument/publishDiagnostics", params: { uri, version: 1, diagnostics: [] } });
  log.mark("wasm read");
  assert.ok(log.firstDiagnostics >= 0);
  assert.deepEqual(
    log.phases.map(([p]) => p),
    ["server start", "wasm read", "initialize sent", "initialize answered", "initialized sent", "textDocument/didOpen sent",
      "iamlint/readFile asked", "iamlint/readFile answered", "diagnostics received"],
  );
  // The client's requests are counted by method (the server's answers to them are not).
  assert.deepEqual([...log.asked], [["initialize", 1]]);
  assert.match(log.report(), /; requests: initialize 1$/);
  const times = log.phases.map(([, t]) => t);
  assert.deepEqual(times, [...times].sort((a, b) => a - b));
  assert.match(log.report(), /^activation to first diagnostics \d+ ms, server start to first diagnostics \d+ ms; keystroke to diagnostics no edits yet; host start to activation \d+ ms, activated at epoch \d+; phases \(ms after activation\): server start \d+, wasm read \d+, initialize sent/);
  // A restart times its own first diagnostics; the phases stay those of the first start.
  log.start();
  assert.equal(log.firstDiagnostics, undefined);
  log.received({ method: "textDocument/publishDiagnostics", params: { uri, version: 1, diagnostics: [] } });
  assert.ok(log.firstDiagnostics >= 0);
  assert.equal(log.phases.length, 9);
  for (const version of [2, 3, 4]) log.sent({ method: "textDocument/didChange", params: { textDocument: { uri, version } } });
  // Edits 2 and 3 were coalesced: only the published version counts, once.
  log.received({ method: "textDocument/publishDiagnostics", params: { uri, version: 4, diagnostics: [] } });
  log.received({ method: "textDocument/publishDiagnostics", params: { uri, version: 4, diagnostics: [] } });
  assert.equal(log.keystrokes.length, 1);
  assert.match(log.report(), /over 1 edits/);
});

test("playground links are the core's share links, in the fragment", async () => {
  // The module the extension ships, as the extension compiles it.
  const module = new WebAssembly.Module(readFileSync(new URL("../wasm/iamlint_lsp_wasm_bg.wasm", import.meta.url)));
  const text = '{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]} é😀';
  const { link, long } = playground.playgroundLink(module, "http://127.0.0.1:5173/#old", text, "identity", "/w/p.json");
  assert.ok(link.startsWith("http://127.0.0.1:5173/#v=2&type=identity&z="), link);
  assert.match(link, /&c=[0-9a-f]{8}$/);
  assert.equal(long, false);
  // The format comes from the file (the core detects it); policy JSON is the default.
  const tf = playground.playgroundLink(module, "http://x/", 'resource "aws_iam_policy" "p" {}', "", "/w/main.tf");
  assert.match(tf.link, /#v=2&type=auto&format=terraform&z=/);
  // Past the length chat tools may cut, the caller is told.
  const big = Array.from({ length: 3000 }, (_, i) => `"${(i * 2654435761) % 4294967296}"`).join(",");
  assert.equal(playground.playgroundLink(module, "http://x/", big, "", "/w/p.json").long, true);
});

test("status text", () => {
  assert.equal(logic.statusText(0), "$(pass) iamlint: no findings");
  assert.equal(logic.statusText(1), "$(warning) iamlint: 1 finding");
  assert.equal(logic.statusText(3), "$(warning) iamlint: 3 findings");
});

test("log files, principal checks and base64 for policy generation", () => {
  assert.equal(logic.isLogFile("111122223333_CloudTrail_us-east-1_20260112T0900Z_x.json.gz"), true);
  assert.equal(logic.isLogFile("events.JSON"), true);
  assert.equal(logic.isLogFile("B.Json.GZ"), true);
  assert.equal(logic.isLogFile("notes.txt"), false);
  assert.equal(logic.isLogFile("archive.json.gz.bak"), false);
  assert.equal(logic.principalProblem("arn:aws:iam::111122223333:role/app"), undefined);
  assert.equal(logic.principalProblem("arn:aws:sts::111122223333:assumed-role/app/s"), undefined);
  assert.match(logic.principalProblem(""), /ARN/);
  assert.match(logic.principalProblem("role/app"), /arn:aws:iam::/);
  assert.match(logic.principalProblem("arn:aws:s3:::bucket"), /arn:aws:iam::/);
  for (const len of [0, 1, 2, 3, 4, 5, 100, 70000]) {
    const bytes = new Uint8Array(len).map((_, i) => (i * 37 + len) & 255);
    assert.equal(logic.toBase64(bytes), Buffer.from(bytes).toString("base64"), `length ${len}`);
  }
  const r = { policies: ["{}", "{}"], actions: [{ action: "s3:GetObject", events: 3, lastSeen: "" }], unmapped: [{ eventSource: "signin.amazonaws.com", eventName: "ConsoleLogin", events: 1 }], notes: ["n"], errors: [] };
  assert.equal(
    logic.generateSummary(r, 2),
    "iamlint: 1 action from 3 events in 2 files; split into 2 policies at the managed-policy size quota; 1 event with no known action; see the iamlint output for notes.",
  );
});

// The extension's side of `iamlint/readActivityFiles` (and the generate command's gathering),
// over the real fixture logs of tests/activity through Node's file system.
test("activity files: folders expanded like the server does, unchanged bytes not sent again", async () => {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), "iamlint-activity-"));
  await fsp.cp(new URL("../../tests/activity/logs", import.meta.url), path.join(dir, "logs"), { recursive: true });
  await fsp.writeFile(path.join(dir, "logs", "notes.txt"), "not a log");
  // A link back up the tree is not followed (followed, it would list the logs once per lap).
  await fsp.symlink("..", path.join(dir, "logs", "AWSLogs", "up"));
  await fsp.writeFile(path.join(dir, "picked.txt"), "{}");
  const params = { paths: [`${dir}/logs/`, `${dir}/missing/`, `${dir}/picked.txt`], known: [] };
  const first = await logic.readActivityFiles(nodeFs, (p) => p, (p) => p, params);
  const names = first.files.map((f) => path.relative(dir, f.path));
  // Name order, recursive, .json and .json.gz only; a file named by hand whatever its name.
  assert.deepEqual(names, [
    "logs/AWSLogs/111122223333/CloudTrail/eu-west-1/2026/01/12/111122223333_CloudTrail_eu-west-1_20260112T0900Z_a1b2c3d4e5f6a7b8.json",
    "logs/AWSLogs/111122223333/CloudTrail/us-east-1/2026/01/12/111122223333_CloudTrail_us-east-1_20260112T0905Z_b1c2d3e4f5a6b7c8.json.gz",
    "picked.txt",
  ]);
  for (const f of first.files) {
    const bytes = readFileSync(f.path);
    assert.equal(f.size, bytes.length);
    assert.equal(f.base64, bytes.toString("base64"));
  }
  assert.equal(first.errors.length, 1);
  assert.equal(first.errors[0].path, `${dir}/missing/`);
  assert.match(first.errors[0].message, /ENOENT/);

  // Asked again with what the server holds: only the changed file carries bytes.
  const known = first.files.map(({ path: p, size, mtime }) => ({ path: p, size, mtime }));
  await fsp.writeFile(path.join(dir, "picked.txt"), "{\"Records\": []}");
  const again = await logic.readActivityFiles(nodeFs, (p) => p, (p) => p, { paths: params.paths, known });
  assert.deepEqual(again.files.map((f) => f.base64 !== undefined), [false, false, true]);
  assert.equal(again.files[2].base64, Buffer.from("{\"Records\": []}").toString("base64"));
  // The generate command's gathering is the same code.
  const gathered = await logic.gatherLogs(nodeFs, path.join(dir, "logs"));
  assert.deepEqual(gathered.map((f) => f.uri), first.files.slice(0, 2).map((f) => f.path));
  await fsp.rm(dir, { recursive: true });
});

test("the module the .vsix carries is gzipped and inflates to the server module", async () => {
  const plain = readFileSync(new URL("../wasm/iamlint_lsp_wasm_bg.wasm", import.meta.url));
  const shipped = readFileSync(new URL("../wasm/iamlint_lsp_wasm_bg.wasm.gz", import.meta.url));
  assert.ok(logic.isGzip(shipped));
  assert.ok(!logic.isGzip(plain), "a plain module is taken as it is");
  assert.ok(shipped.length < plain.length / 2, `${shipped.length} of ${plain.length}`);
  const inflated = await logic.gunzip(shipped);
  assert.ok(Buffer.from(inflated).equals(plain), "inflates to the very module wasm-bindgen wrote");
  // The .vsix ships the gzipped module and not the plain one.
  const ignore = readFileSync(new URL("../.vscodeignore", import.meta.url), "utf8");
  assert.match(ignore, /^!wasm\/iamlint_lsp_wasm_bg\.wasm\.gz$/m);
  assert.doesNotMatch(ignore, /^!wasm\/iamlint_lsp_wasm_bg\.wasm$/m);
});
