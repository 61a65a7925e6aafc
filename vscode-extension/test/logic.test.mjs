// Unit tests of the extension's own logic (document selection, settings, binary resolution,
// untrusted workspaces, playground links). Run with `npm test`.
import assert from "node:assert/strict";
import { test } from "node:test";
import { inflateRawSync } from "node:zlib";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const logic = require("../out/logic.cjs");

const settings = (over = {}) => ({ ...logic.DEFAULT_SETTINGS, ...over });

test("only JSON documents with a Statement start the server", () => {
  const policy = '{"Version": "2012-10-17", "Statement": []}';
  assert.equal(logic.mayBePolicy("json", policy, settings()), true);
  assert.equal(logic.mayBePolicy("jsonc", policy, settings()), true);
  assert.equal(logic.mayBePolicy("json", '{"name": "pkg", "version": "1.0.0"}', settings()), false);
  assert.equal(logic.mayBePolicy("yaml", policy, settings()), false);
  // With globs configured the server decides, by path.
  assert.equal(logic.mayBePolicy("json", "{}", settings({ policyGlobs: { "trust/*.json": "trust" } })), true);
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

test("binary resolution honours the setting only in trusted workspaces", () => {
  const base = { extensionPath: "/ext/iamlint-0.1.0/", platform: "linux" };
  assert.deepEqual(logic.resolveServer({ ...base, settings: settings(), trusted: true }), {
    path: "/ext/iamlint-0.1.0/server/iamlint",
    source: "bundled",
  });
  assert.deepEqual(logic.resolveServer({ ...base, settings: settings({ serverPath: "/usr/local/bin/iamlint" }), trusted: true }), {
    path: "/usr/local/bin/iamlint",
    source: "setting",
  });
  const untrusted = logic.resolveServer({ ...base, settings: settings({ serverPath: "./evil" }), trusted: false });
  assert.equal(untrusted.path, "/ext/iamlint-0.1.0/server/iamlint");
  assert.equal(untrusted.source, "bundled");
  assert.match(untrusted.ignored, /untrusted/);
  const win = logic.resolveServer({ extensionPath: "C:\\ext", platform: "win32", settings: settings(), trusted: true });
  assert.equal(win.path, "C:\\ext\\server\\iamlint.exe");
});

test("playground links carry the policy in the fragment, in the playground's format", () => {
  const text = '{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]} é😀';
  const link = logic.playgroundLink("http://127.0.0.1:5173/#old", text, "identity");
  assert.ok(link.startsWith("http://127.0.0.1:5173/#"));
  const params = new URLSearchParams(link.split("#")[1]);
  assert.equal(params.get("type"), "identity");
  const z = params.get("z").replace(/-/g, "+").replace(/_/g, "/");
  assert.equal(inflateRawSync(Buffer.from(z, "base64")).toString("utf8"), text);
});

test("status text and rule links", () => {
  assert.equal(logic.statusText(0), "$(pass) iamlint: no findings");
  assert.equal(logic.statusText(1), "$(warning) iamlint: 1 finding");
  assert.equal(logic.statusText(3), "$(warning) iamlint: 3 findings");
  assert.equal(logic.ruleDocsUrl("STAR_IN_ACTION", undefined, "https://x/repo/"), "https://x/repo/blob/main/docs/rules.md#star_in_action");
  assert.equal(logic.ruleDocsUrl("X", "https://given", "https://x"), "https://given");
});
