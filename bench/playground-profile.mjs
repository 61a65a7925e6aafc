#!/usr/bin/env node
// Where a keystroke's time goes with 5,000 findings (issue 18, item 3), in headless Debian
// Chromium: the page and its worker traced together (Chrome tracing with the devtools.timeline
// and V8 sampling-profiler categories, which cover every thread, the worker's included) over a
// series of keystrokes into a Sid of the generated 1.3 MB policy (one key, then wait for its
// findings, as bench/playground-many.mjs does).
//
//   node bench/playground-profile.mjs [--keys N] [--dist DIR] [--top N] [--trace FILE]
//
// Prints, for the main thread and the worker, the sampled self time per function (wasm functions
// have names when the module kept its name section: build it with `wasm-opt -g`, see below) and
// the inclusive time of a few frames, and the timeline's task kinds (message events, GC, style,
// layout, paint) summed over the keys. --trace keeps the raw trace for chrome://tracing or
// DevTools' Performance panel.
//
// A dist with wasm function names: after scripts/playground-build.sh,
//   wasm-bindgen target/wasm32-unknown-unknown/wasm-release/iamlint_wasm.wasm --target web --out-dir web-demo/src/wasm
//   web-demo/node_modules/.bin/wasm-opt -Oz -g web-demo/src/wasm/iamlint_wasm_bg.wasm -o web-demo/src/wasm/iamlint_wasm_bg.wasm
//   (cd web-demo && ./node_modules/.bin/vite build --outDir /tmp/prof-dist)
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startServer } from "./playground-common.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const web = path.join(root, "web-demo");
const { launch, freshContext } = await import(path.join(web, "tests/browser.mjs"));
const { manyWildcards, shareHash } = await import(path.join(web, "tests/big-policy.mjs"));

const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const keys = Number(opt("--keys", 20));
const top = Number(opt("--top", 25));
const dist = path.resolve(opt("--dist", path.join(web, "dist")));
const traceFile = opt("--trace", null);
const port = Number(process.env.BENCH_PORT ?? 4176);
const base = `http://127.0.0.1:${port}/`;
const TIMEOUT = 300000;

const CATEGORIES = [
  "devtools.timeline",
  "disabled-by-default-devtools.timeline",
  "v8",
  "v8.execute",
  "disabled-by-default-v8.cpu_profiler",
  "blink.user_timing",
  "toplevel",
].join(",");

const text = manyWildcards();
const server = await startServer(web, port, dist);
const browser = await launch();
let trace;
let latencies;
try {
  const { context } = await freshContext(browser);
  const page = await context.newPage();
  await page.goto(base + shareHash(text, "identity"));
  await page.waitForFunction(
    () => window.__iamlint?.firstFindingsAt !== null && window.__iamlint?.editorReady && document.getElementById("findings").dataset.count === "5001",
    null,
    { timeout: TIMEOUT, polling: 50 },
  );
  const sid = text.indexOf("ReadReports0") + "ReadReports0".length;
  await page.evaluate((pos) => window.__iamlintSelect(pos, pos), sid);
  const oneKey = async () => {
    const shown = await page.evaluate(() => window.__iamlint.shown);
    await page.keyboard.type("K");
    await page.waitForFunction((n) => window.__iamlint.shown > n, shown, { timeout: TIMEOUT, polling: 20 });
    await page.waitForTimeout(30);
  };
  // Warm up (the first keys compile and tier up the code on both sides).
  for (let i = 0; i < 15; i++) await oneKey();
  await page.evaluate(() => {
    window.__iamlint.latencies.length = 0;
    window.__iamlint.workerMs?.splice(0);
  });
  await browser.startTracing(page, { categories: CATEGORIES.split(",") });
  for (let i = 0; i < keys; i++) await oneKey();
  trace = JSON.parse((await browser.stopTracing()).toString("utf8"));
  latencies = await page.evaluate(() => ({ found: window.__iamlint.latencies.slice(), worker: window.__iamlint.workerMs.slice() }));
  await context.close();
} finally {
  await browser.close();
  server.kill();
}
if (traceFile) fs.writeFileSync(traceFile, JSON.stringify(trace));

const events = trace.traceEvents ?? trace;
const threadNames = new Map();
for (const e of events) if (e.ph === "M" && e.name === "thread_name") threadNames.set(`${e.pid}:${e.tid}`, e.args.name);

// ---- sampled profiles: one per thread, in chunks ----
const profiles = new Map(); // id -> { thread, nodes: Map, samples: [], deltas: [] }
for (const e of events) {
  if (e.name === "Profile") profiles.set(`${e.pid}:${e.id}`, { thread: `${e.pid}:${e.tid}`, nodes: new Map(), samples: [], deltas: [] });
  if (e.name !== "ProfileChunk") continue;
  const p = profiles.get(`${e.pid}:${e.id}`);
  if (!p) continue;
  const data = e.args.data;
  for (const n of data.cpuProfile?.nodes ?? []) p.nodes.set(n.id, n);
  p.samples.push(...(data.cpuProfile?.samples ?? []));
  p.deltas.push(...(data.timeDeltas ?? []));
}
const frameName = (n) => {
  const f = n.callFrame;
  const file = f.url ? f.url.split("/").pop().replace(/-[A-Za-z0-9_-]{8}\./, ".") : "";
  return `${f.functionName || "(anonymous)"}${file ? ` ${file}` : ""}`;
};
const fmt = (ms) => `${ms.toFixed(1).padStart(8)} ms`;
const perKey = (ms) => `${(ms / keys).toFixed(2).padStart(7)} ms/key`;

console.log(
  `${keys} keys; key to findings in the page: median ${median(latencies.found).toFixed(1)} ms, worker ${median(latencies.worker).toFixed(1)} ms`,
);
// Each thread's CPU time in its tasks (the trace's thread clock, `tdur`): unlike wall time and
// the sampled profile, it does not grow when other processes keep the thread off the CPU.
const cpu = new Map();
for (const e of events) {
  if (e.ph !== "X" || e.name !== "ThreadControllerImpl::RunTask") continue;
  const name = threadNames.get(`${e.pid}:${e.tid}`) ?? "";
  if (name !== "CrRendererMain" && !name.startsWith("DedicatedWorker")) continue;
  const c = cpu.get(name) ?? { cpu: 0, wall: 0 };
  c.cpu += (e.tdur ?? 0) / 1000;
  c.wall += e.dur / 1000;
  cpu.set(name, c);
}
for (const [name, c] of cpu) console.log(`CPU ${name}: ${perKey(c.cpu)} (wall in tasks ${perKey(c.wall)})`);
for (const p of profiles.values()) {
  const name = threadNames.get(p.thread) ?? p.thread;
  const self = new Map();
  const incl = new Map();
  let total = 0;
  for (let i = 0; i < p.samples.length; i++) {
    // A sample's time is the gap to the next one.
    const dt = (p.deltas[i + 1] ?? 0) / 1000;
    let node = p.nodes.get(p.samples[i]);
    if (!node) continue;
    const leaf = frameName(node);
    if (leaf === "(idle) " || leaf.startsWith("(idle)")) continue;
    total += dt;
    self.set(leaf, (self.get(leaf) ?? 0) + dt);
    const seen = new Set();
    while (node) {
      const n = frameName(node);
      if (!seen.has(n)) {
        seen.add(n);
        incl.set(n, (incl.get(n) ?? 0) + dt);
      }
      node = node.parent !== undefined ? p.nodes.get(node.parent) : undefined;
    }
  }
  if (total < 1) continue;
  console.log(`\n== ${name}: ${fmt(total)} busy (${perKey(total)}) ==\n-- self --`);
  for (const [n, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${fmt(t)} ${perKey(t)}  ${n}`);
  console.log("-- inclusive --");
  for (const [n, t] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${fmt(t)} ${perKey(t)}  ${n}`);
}

// ---- timeline: complete events by name per thread (top-level-ish kinds) ----
const KINDS = new Set([
  "RunTask",
  "ThreadControllerImpl::RunTask",
  "EventDispatch",
  "FunctionCall",
  "V8.GC_SCAVENGER",
  "MinorGC",
  "MajorGC",
  "V8.GCScavenger",
  "V8.GCFinalizeMC",
  "BlinkGC.AtomicPhase",
  "UpdateLayoutTree",
  "Layout",
  "Paint",
  "PrePaint",
  "Commit",
  "Layerize",
  "HitTest",
  "RecalculateStyles",
  "v8.run",
  "v8.compile",
  "V8.DeserializeContext",
  "ScheduleStyleRecalculation",
  "ParseHTML",
  "TimerFire",
  "FireAnimationFrame",
  "v8.callFunction",
  "v8.newInstance",
]);
const byThread = new Map();
for (const e of events) {
  if (e.ph !== "X" || !e.dur) continue;
  if (!KINDS.has(e.name) && !/serial|clone|GC|postMessage|Message/i.test(e.name)) continue;
  const t = `${e.pid}:${e.tid}`;
  if (!byThread.has(t)) byThread.set(t, new Map());
  const m = byThread.get(t);
  const key = e.name === "EventDispatch" ? `EventDispatch ${e.args?.data?.type ?? ""}` : e.name;
  const v = m.get(key) ?? { n: 0, ms: 0 };
  v.n++;
  v.ms += e.dur / 1000;
  m.set(key, v);
}
for (const [t, m] of byThread) {
  const name = threadNames.get(t) ?? t;
  if (!/CrRendererMain|Worker/i.test(name)) continue;
  console.log(`\n== timeline, ${name} ==`);
  for (const [k, v] of [...m].sort((a, b) => b[1].ms - a[1].ms).slice(0, top)) console.log(`${fmt(v.ms)} ${perKey(v.ms)}  ${String(v.n).padStart(5)}x  ${k}`);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
