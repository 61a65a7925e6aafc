// Shared set-up for the browser tests and the benchmark: Debian's Chromium driven by
// playwright-core, with every request the page (or its worker) makes recorded.
import { createRequire } from "node:module";
import { after, before } from "node:test";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");

/** The browser tests' usual policy: a service wildcard (with narrowing fixes) and a condition. */
export const POLICY = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadReports",
      "Effect": "Allow",
      "Action": "s3:*",
      "Resource": "arn:aws:s3:::example-reports/*",
      "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}
    }
  ]
}
`;

export const BASE_URL = process.env.PLAYGROUND_URL ?? "http://127.0.0.1:4173/";
export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

// No sandbox as root; nothing that would make the browser itself call home.
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--no-first-run",
  "--no-default-browser-check",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-default-apps",
  "--disable-extensions",
  "--metrics-recording-only",
];

export async function launch() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** A fresh context (empty cache) that records every request URL, the worker's included. */
export async function freshContext(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  const requests = [];
  context.on("request", (r) => requests.push(r.url()));
  return { context, requests };
}

/** Requests that went anywhere but the page's own origin (data: and blob: stay in the page). */
export function foreignRequests(requests, base = BASE_URL) {
  const origin = new URL(base).origin;
  return requests.filter((u) => !u.startsWith("data:") && !u.startsWith("blob:") && new URL(u).origin !== origin);
}

export async function waitForFindings(page, timeout = 15000) {
  // The panel shows the first findings before the editor exists (boot.ts); tests need both.
  await page.waitForFunction(() => window.__iamlint && window.__iamlint.firstFindingsAt !== null && window.__iamlint.editorReady, null, { timeout });
}

/** One browser and one fresh context for a test file: registers the before/after hooks and
 * returns an object whose `browser`, `context` and `requests` are set once they run. */
export function useBrowser(options = {}) {
  const env = { browser: null, context: null, requests: [] };
  before(async () => {
    env.browser = await launch();
    ({ context: env.context, requests: env.requests } = await freshContext(env.browser, options));
  });
  after(async () => {
    await env.browser?.close();
  });
  return env;
}

/** Replace the editor's whole text as a paste would, then wait for the findings of that text. */
export async function setPolicy(page, text) {
  const shown = await page.evaluate(() => window.__iamlint.shown);
  await page.locator(".cm-content").click();
  await page.keyboard.press("Control+a");
  await page.keyboard.insertText(text);
  await page.waitForFunction((n) => window.__iamlint.shown > n, shown);
  const now = await page.evaluate(() => window.__iamlintText());
  if (now !== text) throw new Error(`the editor holds ${JSON.stringify(now.slice(0, 80))}…, not the text set`);
}

/** `useBrowser`, plus the script errors of every page opened with `open`. */
export function browserSuite(options = {}) {
  const suite = useBrowser(options);
  suite.pageErrors = [];
  /** A new page of `context` (the suite's by default) at BASE_URL + `hash`. */
  suite.open = async (hash = "", context = suite.context) => {
    const page = await context.newPage();
    page.on("pageerror", (e) => suite.pageErrors.push(e.message));
    await page.goto(`${BASE_URL}${hash}`);
    return page;
  };
  /** The same, once the first findings and the editor are there. */
  suite.openPlayground = async (hash = "") => {
    const page = await suite.open(hash);
    await waitForFindings(page);
    return page;
  };
  return suite;
}

/** Set `text`, put the cursor at `offset` and open the completion list (Ctrl+Space). */
export async function completeAt(page, text, offset) {
  await setPolicy(page, text);
  await page.evaluate((pos) => window.__iamlintSelect(pos, pos), offset);
  await page.keyboard.press("Control+Space");
}
