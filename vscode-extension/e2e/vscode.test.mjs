// End-to-end test in a real VS Code: code-server (VS Code 1.100 in the browser) with the packaged
// .vsix installed, driven by playwright-core in Debian's Chromium. scripts/test-vscode.sh installs
// code-server, starts it on 127.0.0.1 with a fresh workspace and runs this with CODE_SERVER_URL and
// WORKSPACE set, once per extension host (HOST=desktop: the Node extension host; HOST=browser: the
// browser's web worker extension host, forced with the `remote.extensionKind` user setting).
// Asserts: the finding appears as a squiggle and in the Problems panel; the hover on an action
// explains it; settings take effect without a restart; the narrowing quick-fix edits the file; a
// non-policy JSON file gets nothing; the server ran in the expected host; and no request left the
// page's origin. Timings (start to first diagnostics, keystroke to diagnostics on the largest
// managed policy when LARGE is set) are printed as "TIMINGS <host>: ...".
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { after, before, test } from "node:test";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");

const URL_BASE = process.env.CODE_SERVER_URL ?? "http://127.0.0.1:8765/";
const WORKSPACE = process.env.WORKSPACE;
const SHOTS = process.env.SHOTS;
const HOST = process.env.HOST ?? "desktop";
const SETTINGS = process.env.SETTINGS;
const LARGE = process.env.LARGE;
const MOD = "Control";
const shot = (name) => (SHOTS ? join(SHOTS, `${name}-${HOST}.png`) : undefined);

let browser;
let page;
const foreign = [];

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  // Every request of the page and its workers must stay on code-server's origin (or be local:
  // data:, blob:).
  const origin = new URL(URL_BASE).origin;
  context.on("request", (request) => {
    const url = request.url();
    if (/^(data|blob):/.test(url)) return;
    if (new URL(url).origin !== origin) foreign.push(url);
  });
  page = await context.newPage();
  await page.goto(`${URL_BASE}?folder=${encodeURIComponent(WORKSPACE)}`);
  await page.waitForSelector(".monaco-workbench", { timeout: 60000 });
  // Trust prompt for the workspace, if shown.
  const trust = page.getByRole("button", { name: /Yes, I trust the authors/ });
  if (await trust.isVisible({ timeout: 3000 }).catch(() => false)) await trust.click();
});

after(async () => {
  await browser?.close();
});

async function openFile(name) {
  // Open from the Explorer (always shown for a folder); Quick Open depends on a file search that
  // may still be indexing right after start-up.
  const row = page.locator(".explorer-folders-view .monaco-list-row").filter({ hasText: new RegExp(`^${name.replace(".", "\\.")}`) });
  await row.first().waitFor({ state: "visible", timeout: 30000 });
  await row.first().dblclick();
  await page.waitForSelector(`.tab.active[aria-label*="${name}"]`, { timeout: 15000 });
  await page.locator(".monaco-editor .view-lines").first().click();
}

/** Move the cursor to the first occurrence of `text` in the active editor (through Go to Line is
 * not precise enough; use Find, which selects the match). */
async function selectText(text) {
  await page.keyboard.press(`${MOD}+F`);
  await page.keyboard.type(text);
  await page.keyboard.press("Enter");
  await page.keyboard.press("Escape");
}

async function problemsText() {
  await page.keyboard.press(`${MOD}+Shift+M`);
  const panel = page.locator(".markers-panel");
  await panel.waitFor({ state: "visible", timeout: 10000 });
  return panel.innerText();
}

test("a policy gets findings in the editor and the Problems panel", async () => {
  await openFile("policy.json");
  await page.waitForSelector(".monaco-editor .squiggly-warning, .monaco-editor .squiggly-error", { timeout: 60000 });
  const problems = await problemsText();
  assert.match(problems, /SERVICE_WILDCARD_IN_ACTION|STAR_IN_RESOURCE|s3:\*/, problems);
  if (SHOTS) await page.screenshot({ path: shot("vscode-problems") });
});

test("hovering an action explains it", async () => {
  await openFile("policy.json");
  await selectText("dynamodb:GetItem");
  await page.keyboard.press(`${MOD}+K`);
  await page.keyboard.press(`${MOD}+I`);
  const hover = page.locator(".monaco-hover:visible");
  await hover.waitFor({ state: "visible", timeout: 15000 });
  const text = await hover.innerText();
  assert.match(text, /GetItem/, text);
  assert.match(text, /Read/, text);
  if (SHOTS) await page.screenshot({ path: shot("vscode-hover") });
  await page.keyboard.press("Escape");
});

/** The workspace folder's .vscode/settings.json (VS Code watches it like any workspace file). */
function writeSettings(values) {
  writeFileSync(SETTINGS, JSON.stringify(values, null, 2));
}

test("settings take effect without a restart", { skip: !SETTINGS }, async () => {
  await openFile("policy.json");
  await page.waitForSelector(".monaco-editor .squiggly-warning", { timeout: 60000 });
  try {
    writeSettings({ "iamlint.categoryOverrides": { SERVICE_WILDCARD_IN_ACTION: "error" } });
    await page.waitForSelector(".monaco-editor .squiggly-error", { timeout: 30000 });
    writeSettings({ "iamlint.disabledRules": ["SERVICE_WILDCARD_IN_ACTION"] });
    // The finding leaves the Problems panel (other findings of the policy may stay).
    let problems = await problemsText();
    const panel = page.locator(".markers-panel");
    for (let i = 0; i < 60; i++) {
      problems = await panel.innerText();
      if (!/SERVICE_WILDCARD_IN_ACTION/.test(problems)) break;
      await page.waitForTimeout(500);
    }
    assert.doesNotMatch(problems, /SERVICE_WILDCARD_IN_ACTION/, problems);
  } finally {
    writeSettings({});
  }
  let problems = "";
  for (let i = 0; i < 60 && !/SERVICE_WILDCARD_IN_ACTION/.test(problems); i++) {
    await page.waitForTimeout(500);
    problems = await page.locator(".markers-panel").innerText();
  }
  assert.match(problems, /SERVICE_WILDCARD_IN_ACTION/, problems);
  await page.keyboard.press("Escape");
});

test("the narrowing quick-fix edits the file", async () => {
  await openFile("policy.json");
  const before = readFileSync(join(WORKSPACE, "policy.json"), "utf8");
  await selectText('"s3:*"');
  await page.keyboard.press(`${MOD}+.`);
  const menu = page.locator(".action-widget");
  await menu.waitFor({ state: "visible", timeout: 15000 });
  const items = await menu.innerText();
  assert.match(items, /read/i, items);
  // Walk the menu with the keyboard (a pointer block covers it for mouse clicks) to the first
  // narrowing fix that mentions read access, and accept it.
  let chosen = "";
  for (let i = 0; i < 20 && !chosen; i++) {
    const focused = (await menu.locator(".monaco-list-row.focused").first().innerText().catch(() => "")).trim();
    if (/read/i.test(focused)) {
      chosen = focused;
      await page.keyboard.press("Enter");
    } else {
      await page.keyboard.press("ArrowDown");
    }
  }
  assert.ok(chosen, `no read-access fix reachable in: ${items}`);
  await page.keyboard.press(`${MOD}+S`);
  // Saving may be caught half-written: wait for a complete, changed file.
  const complete = (t) => {
    try {
      JSON.parse(t);
      return true;
    } catch {
      return false;
    }
  };
  let after = before;
  for (let i = 0; i < 75 && (after === before || !complete(after)); i++) {
    await page.waitForTimeout(200);
    after = readFileSync(join(WORKSPACE, "policy.json"), "utf8");
  }
  assert.notEqual(after, before, "the quick-fix changed the file");
  assert.doesNotMatch(after, /"s3:\*"/);
  assert.match(after, /"s3:Get/);
  JSON.parse(after);
});

test("a JSON file that is not a policy gets no findings", async () => {
  await page.keyboard.press("Escape");
  await openFile("package.json");
  await page.waitForTimeout(3000);
  // Show only iamlint's problems (VS Code's own JSON support may report on package.json).
  await problemsText();
  const filter = page.locator('.markers-panel-container input[placeholder^="Filter"], .viewpane-filter input').first();
  await filter.fill("iamlint");
  await page.waitForTimeout(500);
  const problems = await page.locator(".markers-panel").innerText();
  assert.doesNotMatch(problems, /package\.json/, problems);
  if (SHOTS) await page.screenshot({ path: shot("vscode-package-json") });
});

async function runCommand(title) {
  await page.keyboard.press("Escape");
  await page.keyboard.press("F1");
  await page.keyboard.type(title);
  await page.waitForTimeout(300);
  await page.keyboard.press("Enter");
}

async function timings() {
  await runCommand("iamlint: Show the language server's timings");
  const toast = page.locator(".notifications-toasts .notification-toast", { hasText: "iamlint timings" }).last();
  await toast.waitFor({ state: "visible", timeout: 15000 });
  const text = (await toast.innerText()).replace(/\s+/g, " ");
  await page.keyboard.press("Escape");
  return text;
}

test("the server runs in the expected extension host", async () => {
  const text = await timings();
  console.log(`TIMINGS ${HOST}: ${text}`);
  assert.match(text, new RegExp(`WebAssembly, ${HOST} extension host`), text);
  // On the desktop the server has a worker thread of its own.
  if (HOST === "desktop") assert.match(text, /in a worker thread/, text);
  assert.match(text, /start to first diagnostics \d+ ms/, text);
});

test("keystroke to diagnostics on the largest managed policy", { skip: !LARGE }, async () => {
  await openFile("large.json");
  await page.waitForSelector(".monaco-editor .squiggly-warning, .monaco-editor .squiggly-error, .monaco-editor .squiggly-info", { timeout: 60000 });
  await page.keyboard.press(`${MOD}+End`);
  // Spaces after the closing brace: every keystroke changes the text, the policy stays valid.
  for (let i = 0; i < 40; i++) {
    await page.keyboard.type(" ");
    await page.waitForTimeout(120);
  }
  await page.waitForTimeout(1000);
  const text = await timings();
  console.log(`TIMINGS ${HOST} large.json: ${text}`);
  assert.match(text, /over \d+ edits/, text);
});

test("no request left the page's origin", () => {
  assert.deepEqual(foreign, []);
});
