#!/usr/bin/env node
// The worker's part of a keystroke in the 5,000-finding policy (issue 18, item 3), in node on a
// built wasm, as the page sends it: the whole text once (`Checker.setText`), then one key typed
// into a Sid and taken out again, alternately, each as its change (`Checker.edit`) and a check
// answered against the last answer (`Checker.checkHeld`). Steadier than the browser on a loaded
// machine for comparing two builds: run it on each, alternated.
//
//   node bench/playground-held.mjs [--wasm DIR] [--keys N] [--sid K]
//
// DIR holds iamlint_wasm.js and iamlint_wasm_bg.wasm (default web-demo/src/wasm, from
// scripts/playground-build.sh); K is the statement whose Sid is typed into (default 2500).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const dir = path.resolve(opt("--wasm", path.join(root, "web-demo/src/wasm")));
const keys = Number(opt("--keys", 200));
const core = await import(path.join(dir, "iamlint_wasm.js"));
const { manyWildcards } = await import(path.join(root, "web-demo/tests/big-policy.mjs"));
core.initSync({ module: fs.readFileSync(path.join(dir, "iamlint_wasm_bg.wasm")) });

const options = { policyType: "identity", format: "json", fixEdits: false, fixLimit: 100 };
const text = manyWildcards();
const sid = `ReadReports${opt("--sid", 2500)}`;
const at = text.indexOf(sid) + sid.length;
const checker = new core.Checker();
checker.setText(0, text);
let id = checker.checkHeld(options, undefined).value.id;
let length = text.length;
const times = [];
for (let k = 1; k <= keys; k++) {
  const add = k % 2 === 1;
  const t0 = performance.now();
  if (!checker.edit(k - 1, k, add ? [[at, at, "K"]] : [[at, at + 1, ""]], add ? length + 1 : length - 1)) {
    throw new Error("the checker refused the edit");
  }
  length += add ? 1 : -1;
  const answer = checker.checkHeld(options, id);
  times.push(performance.now() - t0);
  if (answer.type !== "ok" || answer.value.kind !== "delta") throw new Error(`not a delta: ${JSON.stringify(answer).slice(0, 200)}`);
  id = answer.value.id;
}
times.sort((a, b) => a - b);
const q = (p) => times[Math.floor(p * (times.length - 1))].toFixed(2);
console.log(`${dir}: edit and checkHeld per key, median ${q(0.5)} ms (q25 ${q(0.25)}, q75 ${q(0.75)}) over ${keys} keys`);
