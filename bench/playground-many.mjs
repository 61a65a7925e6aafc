#!/usr/bin/env node
// The playground with 5,000 findings (issue 18, item 3), in headless Debian Chromium against the
// built page (web-demo/dist, from scripts/playground-build.sh) served by `vite preview`.
//
//   node bench/playground-many.mjs [--record] [--keys N] [--dist DIR] [--label TEXT]
//
// Opens the generated 1.3 MB policy (5,000 `s3:*` statements, web-demo/tests/big-policy.mjs)
// through a share link and measures
//   1. navigation -> first findings painted;
//   2. keystroke -> findings: N times, one character typed into a Sid, then wait for the findings
//      of that text (the page records edit -> findings in the page and -> the next frame); the
//      same N keys into a 2-statement policy in the same browser, the budget to meet;
//   3. how the page answers input meanwhile: N characters typed at ~10 per second while the
//      worker is busy, with the Event Timing API's duration of each key event (input delay,
//      handlers and the next paint: what the user feels per key) and the main thread's long tasks.
// --dist serves another build (e.g. one made before a change, to compare); --record writes the
// table into docs/benchmarks.md between the playground-many markers.
import { execFileSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { median, recordSection, startServer } from "./playground-common.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const web = path.join(root, "web-demo");
const { launch, freshContext } = await import(path.join(web, "tests/browser.mjs"));
const { manyWildcards, shareHash } = await import(path.join(web, "tests/big-policy.mjs"));

const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const record = args.includes("--record");
const keys = Number(opt("--keys", 5));
const dist = path.resolve(opt("--dist", path.join(web, "dist")));
const label = opt("--label", "this build");
const port = Number(process.env.BENCH_PORT ?? 4175);
const base = `http://127.0.0.1:${port}/`;
const TIMEOUT = 300000;

const ms = (x) => (Number.isFinite(x) ? (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(x < 10 ? 1 : 0)} ms`) : "n/a");

/** Type `n` characters at ~10 a second at `pos`, recording the key events' durations (Event
 * Timing: input delay, handlers, next paint) and the main thread's long tasks meanwhile. */
async function typeAndWatch(page, pos, n) {
  await page.evaluate((p) => window.__iamlintSelect(p, p), pos);
  await page.evaluate(() => {
    window.__bench = { events: [], longTasks: [] };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (e.name.startsWith("key")) window.__bench.events.push(e.duration);
    }).observe({ type: "event", durationThreshold: 16, buffered: false });
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__bench.longTasks.push(e.duration);
    }).observe({ type: "longtask" });
  });
  const start = await page.evaluate(() => performance.now());
  for (let i = 0; i < n; i++) {
    await page.keyboard.type("T");
    await page.waitForTimeout(100);
  }
  // Let the last check land (the observers report a little after the events).
  await page.waitForFunction(() => window.__iamlintIdle(), null, { timeout: TIMEOUT, polling: 20 });
  await page.waitForTimeout(200);
  return page.evaluate((t) => ({ ...window.__bench, elapsed: performance.now() - t }), start);
}

/** Type `n` characters at `pos`, one at a time, each after the last one's findings are shown;
 * the page's own records of each key: to findings in the page, to the next frame, in the worker. */
async function oneKeyAtATime(page, pos, n) {
  await page.evaluate((p) => window.__iamlintSelect(p, p), pos);
  await page.evaluate(() => {
    window.__iamlint.latencies.length = 0;
    window.__iamlint.paintLatencies.length = 0;
    window.__iamlint.workerMs?.splice(0);
  });
  for (let i = 0; i < n; i++) {
    const shown = await page.evaluate(() => window.__iamlint.shown);
    await page.keyboard.type("K");
    await page.waitForFunction((k) => window.__iamlint.shown > k, shown, { timeout: TIMEOUT, polling: 20 });
  }
  return page.evaluate(() => ({
    found: window.__iamlint.latencies.slice(),
    painted: window.__iamlint.paintLatencies.slice(),
    worker: (window.__iamlint.workerMs ?? []).slice(), // builds before it have none
  }));
}

const text = manyWildcards();
const server = await startServer(web, port, dist);
const browser = await launch();
let r;
try {
  const { context } = await freshContext(browser);
  const page = await context.newPage();
  const t0 = Date.now();
  await page.goto(base + shareHash(text, "identity"));
  await page.waitForFunction(
    () => window.__iamlint?.firstFindingsAt !== null && window.__iamlint?.editorReady && document.getElementById("findings").dataset.count === "5001",
    null,
    { timeout: TIMEOUT, polling: 50 },
  );
  const first = await page.evaluate(() => window.__iamlint.firstFindingsAt);
  const panel = await page.evaluate(() => {
    const box = document.getElementById("findings");
    return { nodes: box.querySelectorAll("*").length, buttons: box.querySelectorAll("button").length, count: Number(box.dataset.count) };
  });
  const loadWall = Date.now() - t0;

  // 2. One key, then wait for its findings.
  const sid = text.indexOf("ReadReports0") + "ReadReports0".length;
  const single = await oneKeyAtATime(page, sid, keys);

  // 3. Typing while the worker is busy, and the same typing into a small policy for comparison.
  const typed = await typeAndWatch(page, sid, keys * 4);
  await context.close();
  const small = await freshContext(browser);
  const smallPage = await small.context.newPage();
  const smallText = manyWildcards(2);
  await smallPage.goto(base + shareHash(smallText, "identity"));
  await smallPage.waitForFunction(() => window.__iamlint?.firstFindingsAt !== null && window.__iamlint?.editorReady, null, { timeout: TIMEOUT });
  const smallSid = smallText.indexOf("ReadReports0") + "ReadReports0".length;
  // The same one key at a time into the small policy: the budget the big one is held to.
  const smallSingle = await oneKeyAtATime(smallPage, smallSid, keys);
  const smallTyped = await typeAndWatch(smallPage, smallSid, keys * 4);
  await small.context.close();
  const keyEvents = keys * 4 * 3; // keydown, keypress, keyup
  r = { first, loadWall, panel, single, smallSingle, typed, smallTyped, keyEvents };
} finally {
  await browser.close();
  server.kill();
}

const typingRow = (name, t) =>
  `| ${name} | ${t.events.length} of ${r.keyEvents}, longest ${ms(t.events.length ? Math.max(...t.events) : 0)} | ${t.longTasks.length}, longest ${ms(t.longTasks.length ? Math.max(...t.longTasks) : 0)}, total ${ms(t.longTasks.reduce((a, b) => a + b, 0))} in ${ms(t.elapsed)} |`;
const chromiumVersion = execFileSync(process.env.CHROMIUM ?? "/usr/bin/chromium", ["--version"], { encoding: "utf8" }).trim();
const table = [
  `${label}: measured by \`node bench/playground-many.mjs\` on ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, ${chromiumVersion}, headless, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}; the generated policy is ${(Buffer.byteLength(text) / 1e6).toFixed(2)} MB with ${r.panel.count} findings.`,
  "",
  "| 5,000 `s3:*` statements | value |",
  "| --- | --- |",
  `| navigation (share link) to first findings painted | ${ms(r.first)} |`,
  `| findings panel after loading: elements / buttons | ${r.panel.nodes} / ${r.panel.buttons} |`,
  `| keystroke to findings in the page, median of ${r.single.found.length} (one key, then wait) | ${ms(median(r.single.found))} (min ${ms(Math.min(...r.single.found))}, max ${ms(Math.max(...r.single.found))}) |`,
  `| keystroke to findings painted, median | ${ms(median(r.single.painted))} |`,
  `| of which in the worker (text, check in the wasm, answer), median | ${ms(median(r.single.worker))} |`,
  `| the same keys into the 2-statement policy, same browser: to findings in the page / painted / worker, medians | ${ms(median(r.smallSingle.found))} (min ${ms(Math.min(...r.smallSingle.found))}) / ${ms(median(r.smallSingle.painted))} / ${ms(median(r.smallSingle.worker))} |`,
  "",
  `| typing ${keys * 4} keys at ~10/s | key events over 16 ms (Event Timing duration: delay, handlers, next paint) | main-thread long tasks (over 50 ms) |`,
  "| --- | --- | --- |",
  typingRow("5,000-finding policy, checks running", r.typed),
  typingRow("2-statement policy (3 findings), same browser", r.smallTyped),
].join("\n");
console.log(table);

if (record) {
  recordSection(path.join(root, "docs/benchmarks.md"), "playground-many", table, "<!-- playground-timing:end -->");
  console.log("recorded in docs/benchmarks.md");
}
