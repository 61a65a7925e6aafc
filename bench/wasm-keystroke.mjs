#!/usr/bin/env node
// What a keystroke costs the worker in the 5,000-finding policy (issue 18, item 3), in node on
// the wasm the playground uses (web-demo/src/wasm, from scripts/playground-build.sh), one key
// typed into a Sid and taken out again, alternately:
//   - `Checker.check`: the incremental session, answered with every finding;
//   - `Checker.checkSince`: the same session, answered with what changed since the last answer;
//   - `structuredClone` of each answer (what `postMessage` to the page costs).
//
//   node bench/wasm-keystroke.mjs [--keys N]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./playground-common.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const wasmDir = path.join(root, "web-demo/src/wasm");
const core = await import(path.join(wasmDir, "iamlint_wasm.js"));
const { manyWildcards } = await import(path.join(root, "web-demo/tests/big-policy.mjs"));
core.initSync({ module: fs.readFileSync(path.join(wasmDir, "iamlint_wasm_bg.wasm")) });

const args = process.argv.slice(2);
const keys = Number(args.includes("--keys") ? args[args.indexOf("--keys") + 1] : 10);
const options = { policyType: "identity", format: "json", fixEdits: false, fixLimit: 100 };
const text = manyWildcards();
const at = text.indexOf("ReadReports2500") + "ReadReports2500".length;
const typed = text.slice(0, at) + "K" + text.slice(at);

function run(name, checkOnce) {
  const checker = new core.Checker();
  let base = null;
  checkOnce(checker, text, base); // the first check of the document, in full
  const times = [];
  const clones = [];
  let size = 0;
  for (let k = 0; k < keys; k++) {
    const t0 = performance.now();
    const answer = checkOnce(checker, k % 2 === 0 ? typed : text);
    times.push(performance.now() - t0);
    const t1 = performance.now();
    structuredClone(answer);
    clones.push(performance.now() - t1);
    size = JSON.stringify(answer).length;
  }
  checker.free();
  return `| ${name} | ${median(times).toFixed(1)} ms | ${median(clones).toFixed(1)} ms | ${(size / 1000).toFixed(1)} KB |`;
}

let last = null;
const rows = [
  run("`Checker.check` (every finding)", (c, t) => c.check(t, options)),
  run("`Checker.checkSince` (what changed)", (c, t) => {
    const outcome = c.checkSince(t, options, last ?? undefined);
    last = outcome.value.id;
    return outcome;
  }),
];
console.log(
  [
    `Measured by \`node bench/wasm-keystroke.mjs --keys ${keys}\` (node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}), medians of ${keys} keys:`,
    "",
    "| a key typed into a Sid of the 5,000-statement policy | check and answer in the wasm | `structuredClone` of the answer | answer as JSON |",
    "| --- | --- | --- | --- |",
    ...rows,
  ].join("\n"),
);
