#!/usr/bin/env node
// Lighthouse (npm lighthouse 12.2.3, Debian's Chromium, no network needed) on the built
// playground served by `vite preview` (with its precompressed files, web-demo/precompress.mjs):
// mobile (Lighthouse's default phone emulation and simulated slow network) and desktop.
//
//   node bench/lighthouse.mjs [--record] [--runs N]
//
// Lighthouse is not a dependency of the page: the first run installs it into
// target/lighthouse/ (`npm i -E lighthouse@12.2.3`; 13.x wants Node 22). The median run by
// performance score is reported. --record writes the table into docs/benchmarks.md.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { recordSection, startServer } from "./playground-common.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const web = path.join(root, "web-demo");
const args = process.argv.slice(2);
const record = args.includes("--record");
const runs = Number(args.includes("--runs") ? args[args.indexOf("--runs") + 1] : 3);
const port = Number(process.env.BENCH_PORT ?? 4176);
const url = `http://127.0.0.1:${port}/`;
const VERSION = "12.2.3";

const prefix = path.join(process.env.CARGO_TARGET_DIR ?? path.join(root, "target"), "lighthouse");
const bin = path.join(prefix, "node_modules/.bin/lighthouse");
if (!fs.existsSync(bin) || execFileSync(bin, ["--version"], { encoding: "utf8" }).trim() !== VERSION) {
  fs.mkdirSync(prefix, { recursive: true });
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefix", prefix, "-E", `lighthouse@${VERSION}`], { stdio: "inherit" });
}

const chrome = process.env.CHROMIUM ?? "/usr/bin/chromium";
function lighthouse(preset) {
  const out = path.join(os.tmpdir(), `iamlint-lighthouse-${process.pid}-${preset}.json`);
  const flags = [
    url,
    "--quiet",
    "--output=json",
    `--output-path=${out}`,
    "--only-categories=performance,accessibility,best-practices,seo",
    "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run --disable-background-networking --disable-component-update --disable-sync --disable-default-apps --disable-extensions",
  ];
  if (preset === "desktop") flags.push("--preset=desktop");
  execFileSync(bin, flags, { env: { ...process.env, CHROME_PATH: chrome }, stdio: ["ignore", "ignore", "inherit"] });
  const report = JSON.parse(fs.readFileSync(out, "utf8"));
  fs.rmSync(out);
  const audit = (id) => report.audits[id];
  const requests = audit("network-requests").details.items;
  const wasm = requests.find((r) => r.url.endsWith(".wasm"));
  return {
    scores: Object.fromEntries(Object.entries(report.categories).map(([k, c]) => [k, Math.round(c.score * 100)])),
    cls: audit("cumulative-layout-shift").numericValue,
    fcp: audit("first-contentful-paint").numericValue,
    lcp: audit("largest-contentful-paint").numericValue,
    tbt: audit("total-blocking-time").numericValue,
    si: audit("speed-index").numericValue,
    bytes: audit("total-byte-weight").numericValue,
    wasm: wasm ? { transfer: wasm.transferSize, resource: wasm.resourceSize } : null,
    foreign: requests.filter((r) => !r.url.startsWith(url) && !r.url.startsWith("data:")).map((r) => r.url),
    version: report.lighthouseVersion,
  };
}

const server = await startServer(web, port);
const results = {};
try {
  for (const preset of ["mobile", "desktop"]) {
    const all = [];
    for (let i = 0; i < runs; i++) all.push(lighthouse(preset));
    all.sort((a, b) => a.scores.performance - b.scores.performance);
    results[preset] = { median: all[(all.length - 1) >> 1], all };
  }
} finally {
  server.kill();
}

const s = (x) => `${(x / 1000).toFixed(2)} s`;
const kb = (x) => `${(x / 1024).toFixed(0)} KiB`;
const row = (preset) => {
  const r = results[preset].median;
  const perf = results[preset].all.map((x) => x.scores.performance).join(", ");
  return `| ${preset} | ${r.scores.performance} (runs: ${perf}) | ${r.scores.accessibility} | ${r.scores["best-practices"]} | ${r.scores.seo} | ${r.cls.toFixed(3)} | ${s(r.fcp)} | ${s(r.lcp)} | ${Math.round(r.tbt)} ms | ${kb(r.bytes)} | ${r.wasm ? `${kb(r.wasm.transfer)} of ${kb(r.wasm.resource)}` : "n/a"} |`;
};
const foreign = [...new Set(Object.values(results).flatMap((p) => p.all.flatMap((r) => r.foreign)))];
const table = [
  `Measured by \`node bench/lighthouse.mjs --runs ${runs}\` on ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC: Lighthouse ${results.mobile.median.version}, ${execFileSync(chrome, ["--version"], { encoding: "utf8" }).trim()}, headless, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}; the built page served by \`vite preview\` with precompressed files (brotli) on 127.0.0.1; the median run by performance score. Mobile is Lighthouse's default (phone screen, simulated slow 4G and 4x slower CPU); desktop is \`--preset=desktop\`.`,
  "",
  "| Lighthouse | performance | accessibility | best practices | SEO | CLS | first contentful paint | largest contentful paint | total blocking time | bytes transferred | of which the wasm |",
  "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  row("mobile"),
  row("desktop"),
  "",
  `Requests that left the page's origin: ${foreign.length === 0 ? "none" : foreign.join(", ")}.`,
].join("\n");
console.log(table);
if (record) {
  recordSection(path.join(root, "docs/benchmarks.md"), "playground-lighthouse", table, "<!-- playground-timing:end -->");
  console.log("recorded in docs/benchmarks.md");
}
