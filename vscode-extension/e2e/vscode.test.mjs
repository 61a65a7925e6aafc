// End-to-end test in a real VS Code: code-server (VS Code 1.100 in the browser) with the packaged
// .vsix installed, driven by playwright-core in Debian's Chromium. scripts/test-vscode.sh installs
// code-server, starts it on 127.0.0.1 with a fresh workspace and runs this with CODE_SERVER_URL and
// WORKSPACE set, once per extension host (HOST=desktop: the Node extension host; HOST=browser: the
// browser's web worker extension host, forced with the `remote.extensionKind` user setting).
// Asserts: the finding appears as a squiggle and in the Problems panel; the hover on an action
// explains it; settings take effect without a restart; the narrowing quick-fix edits the file; a
// non-policy JSON file gets nothing; in a Terraform file (the textbook EC2 role, jsonencode) and a
// CloudFormation YAML template: a finding, a hover, and a quick-fix whose result still parses
// (YAML with PyYAML, both with the core's own parsers through `iamlint check` when IAMLINT names
// the binary); "Generate policy from CloudTrail" on a fixture log opens a policy; the server ran
// in the expected host; and no request left the page's origin. Timings (activation to first
// diagnostics with its phases, keystroke to diagnostics on the largest managed policy when LARGE
// is set) are printed as "TIMINGS <host>: ...".
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
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
const IAMLINT = process.env.IAMLINT;
const MOD = "Control";
const shot = (name) => (SHOTS ? join(SHOTS, `${name}-${HOST}.png`) : undefined);

let browser;
let page;
/** Wall-clock times (ms since the epoch) of the page's start, of the workbench showing, and of
 * the first squiggle, to place the extension's activation on the page's timeline. */
let workbenchShown;
let firstSquiggle;
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
  workbenchShown = Date.now();
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
  const row = page.locator(".explorer-folders-view .monaco-list-row").filter({ hasText: new RegExp(`^${name.replaceAll(".", "\\.")}`) });
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
  firstSquiggle ??= Date.now();
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

/** Put the cursor on `target` in the open file `name`, choose the first quick-fix whose label
 * matches `label`, save, and return the file's text before and after (complete: `parses` accepts
 * it; a save may be caught half-written). */
async function applyQuickFix(name, target, label, parses) {
  await openFile(name);
  const path = join(WORKSPACE, name);
  const before = readFileSync(path, "utf8");
  await selectText(target);
  await page.keyboard.press(`${MOD}+.`);
  const menu = page.locator(".action-widget");
  await menu.waitFor({ state: "visible", timeout: 15000 });
  const items = await menu.innerText();
  assert.match(items, label, items);
  // Walk the menu with the keyboard (a pointer block covers it for mouse clicks) to the first
  // fix whose label matches, and accept it.
  let chosen = "";
  for (let i = 0; i < 20 && !chosen; i++) {
    const focused = (await menu.locator(".monaco-list-row.focused").first().innerText().catch(() => "")).trim();
    if (label.test(focused)) {
      chosen = focused;
      await page.keyboard.press("Enter");
    } else {
      await page.keyboard.press("ArrowDown");
    }
  }
  assert.ok(chosen, `no fix matching ${label} reachable in: ${items}`);
  await page.keyboard.press(`${MOD}+S`);
  const complete = (t) => {
    try {
      parses(t);
      return true;
    } catch {
      return false;
    }
  };
  let after = before;
  for (let i = 0; i < 75 && (after === before || !complete(after)); i++) {
    await page.waitForTimeout(200);
    after = readFileSync(path, "utf8");
  }
  assert.notEqual(after, before, "the quick-fix changed the file");
  return { before, after };
}

test("the narrowing quick-fix edits the file", async () => {
  const { after } = await applyQuickFix("policy.json", '"s3:*"', /read/i, JSON.parse);
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


/** `iamlint check --format json` on a workspace file (IAMLINT: the CLI, i.e. the core's own
 * parsers): the policies found and the findings' codes. */
function checkWithCli(name) {
  let out;
  try {
    out = execFileSync(IAMLINT, ["check", "--format", "json", join(WORKSPACE, name)], { encoding: "utf8" });
  } catch (e) {
    // Exit 1 means findings of the failing category; the report is still on stdout.
    if (e.status !== 1) throw e;
    out = e.stdout;
  }
  const file = JSON.parse(out).files[0];
  return { policies: file.policies.map((p) => p.name), codes: file.diagnostics.map((d) => d.code) };
}

/** The findings of the open file in the Problems panel, once `pattern` shows in it. */
async function problemsWith(pattern) {
  let problems = await problemsText();
  for (let i = 0; i < 60 && !pattern.test(problems); i++) {
    await page.waitForTimeout(500);
    problems = await page.locator(".markers-panel").innerText();
  }
  await page.keyboard.press("Escape");
  return problems;
}

/** Hover at the first occurrence of `text` in file `name`: the hover's text. */
async function hoverOn(name, text) {
  await openFile(name);
  await selectText(text);
  await page.keyboard.press(`${MOD}+K`);
  await page.keyboard.press(`${MOD}+I`);
  const hover = page.locator(".monaco-hover:visible");
  await hover.waitFor({ state: "visible", timeout: 15000 });
  const shown = await hover.innerText();
  await page.keyboard.press("Escape");
  return shown;
}

const SYNTAX_ERRORS = ["HOST_SYNTAX_ERROR", "JSON_SYNTAX_ERROR"];

/** After a fix, the core's parsers (through the CLI, when IAMLINT is set) still read `name`:
 * the same policies as `before` found, no syntax error. Returns the findings' codes. */
function stillParses(name, before, after) {
  if (!IAMLINT) return undefined;
  const { policies, codes } = checkWithCli(name);
  assert.deepEqual(policies, before.policies, after);
  for (const code of SYNTAX_ERRORS) assert.ok(!codes.includes(code), `${code} after the fix:\n${after}`);
  return codes;
}

/** Copy a file into the workspace now. The Terraform and CloudFormation files arrive only when
 * their tests run: at start-up a `.tf` file would activate the extension before any policy is
 * opened (`workspaceContains`), and the start timings are those of opening a policy. */
function addToWorkspace(from, name) {
  mkdirSync(join(WORKSPACE, name, ".."), { recursive: true });
  copyFileSync(new URL(from, import.meta.url), join(WORKSPACE, name));
}

/** Copy `fixture` into the workspace as `name`, open it, and check that finding `code` reaches
 * the Problems panel and that hovering `action` explains it (its name and access level). */
async function findingAndHover(fixture, name, code, action, level) {
  addToWorkspace(fixture, name);
  await openFile(name);
  await page.waitForSelector(".monaco-editor .squiggly-error, .monaco-editor .squiggly-warning", { timeout: 60000 });
  const problems = await problemsWith(new RegExp(code));
  assert.match(problems, new RegExp(code), problems);
  const hover = await hoverOn(name, action);
  assert.match(hover, new RegExp(action.split(":")[1]), hover);
  assert.match(hover, level, hover);
  return problems;
}

test("Terraform: a finding, a hover and a quick-fix that leaves valid HCL", async () => {
  // The textbook EC2 role whose trust policy and S3 read policy are written with jsonencode, with
  // one action misspelt (tests/iac, also the Neovim test's file); a resource ARN is a reference.
  const problems = await findingAndHover("../../tests/iac/ec2-s3-typo.tf", "main.tf", "INVALID_ACTION", "s3:ListBucket", /List/);
  assert.match(problems, /GetObjekt/, problems);
  if (SHOTS) await page.screenshot({ path: shot("vscode-terraform") });
  const before = IAMLINT ? checkWithCli("main.tf") : undefined;
  // The fix rewrites the string inside the HCL tuple.
  const { after } = await applyQuickFix("main.tf", "s3:GetObjekt", /s3:GetObject/, (t) => {
    if (/GetObjekt/.test(t)) throw new Error("not saved yet");
  });
  assert.match(after, /Action {3}= \["s3:GetObject", "s3:ListBucket"\]/, after);
  const codes = stillParses("main.tf", before, after);
  assert.ok(!codes?.includes("INVALID_ACTION"), after);
});

test("CloudFormation YAML: a finding, a hover and a quick-fix that leaves valid YAML", async () => {
  await findingAndHover("fixtures/template.yaml", "template.yaml", "SERVICE_WILDCARD_IN_ACTION", "sts:AssumeRole", /Write/);
  const before = IAMLINT ? checkWithCli("template.yaml") : undefined;
  const { after } = await applyQuickFix("template.yaml", "s3:*", /read/i, (t) => {
    if (/s3:\*/.test(t)) throw new Error("not saved yet");
  });
  // PyYAML reads it (installed with cfn-lint by scripts/setup.sh; without it, only the core's
  // parser below checks the file), and the statement's Action is now a list of s3 read actions.
  const read = "import json,sys\ntry:\n import yaml\nexcept ImportError:\n sys.exit(3)\nprint(json.dumps(yaml.safe_load(sys.stdin)))";
  let parsed;
  try {
    parsed = JSON.parse(execFileSync("python3", ["-c", read], { input: after, encoding: "utf8" }));
  } catch (e) {
    if (e.status !== 3) throw e;
    console.log("PyYAML is not installed: the YAML is checked with the core's parser only");
  }
  if (parsed) {
    const actions = parsed.Resources.ReportsRole.Properties.Policies[0].PolicyDocument.Statement[0].Action;
    assert.ok(Array.isArray(actions) && actions.length > 1, after);
    assert.ok(actions.includes("s3:GetObject"), after);
    assert.ok(!actions.some((a) => /^s3:(Put|Delete|Create)/.test(a)), after);
  }
  const codes = stillParses("template.yaml", before, after);
  assert.ok(!codes?.includes("SERVICE_WILDCARD_IN_ACTION"), after);
});

test("Generate policy from CloudTrail opens the generated policy", async () => {
  // `aws cloudtrail lookup-events` output: one event of the role's session, one of another user.
  addToWorkspace("../../tests/activity/lookup-events.json", "cloudtrail/lookup-events.json");
  await runCommand("iamlint: Generate policy from CloudTrail");
  // VS Code in the browser picks files with its own dialog: a path in a quick input.
  const input = page.locator(".quick-input-widget input.input");
  await input.waitFor({ state: "visible", timeout: 15000 });
  // It opens on the workspace folder's path: type the rest (replacing its text does not always
  // take).
  const target = join(WORKSPACE, "cloudtrail", "lookup-events.json");
  await page.waitForTimeout(500);
  const prefilled = await input.inputValue();
  if (target.startsWith(prefilled)) {
    await page.keyboard.press("End");
    await page.keyboard.type(target.slice(prefilled.length), { delay: 20 });
  } else {
    await input.fill(target);
  }
  await page.waitForTimeout(1000);
  if (SHOTS) await page.screenshot({ path: shot("vscode-generate-pick") });
  await page.keyboard.press("Enter");
  // Then the principal: a role counts its sessions.
  await page.locator(".quick-input-widget", { hasText: "whose activity" }).waitFor({ state: "visible", timeout: 15000 });
  await page.keyboard.type("arn:aws:iam::111122223333:role/service/deploy");
  await page.keyboard.press("Enter");
  await page.waitForSelector('.tab.active[aria-label*="Untitled"]', { timeout: 30000 });
  const editor = page.locator(".editor-group-container.active .monaco-editor .view-lines").first();
  let text = "";
  for (let i = 0; i < 40 && !/cloudformation:DescribeStacks/.test(text); i++) {
    await page.waitForTimeout(250);
    text = (await editor.innerText()).replace(/\u00a0/g, " ");
  }
  if (SHOTS) await page.screenshot({ path: shot("vscode-generate") });
  const policy = JSON.parse(text);
  assert.equal(policy.Version, "2012-10-17");
  // The role's one event in the log; the other principal's (alice, ec2:DescribeVpcs) is left out.
  assert.deepEqual(policy.Statement.flatMap((s) => [s.Action].flat()), ["cloudformation:DescribeStacks"]);
  const summary = page.locator(".notifications-toasts .notification-toast", { hasText: /iamlint/ }).last();
  await summary.waitFor({ state: "visible", timeout: 15000 });
  await page.keyboard.press(`${MOD}+K`);
  await page.keyboard.press("W");
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
  // Where activation falls on the page's timeline: before it is code-server's (loading the page,
  // starting the extension host), after it the extension's.
  const navigation = await page.evaluate(() => performance.timeOrigin);
  const activated = Number(/activated at epoch (\d+)/.exec(text)?.[1]);
  const page_ = `page: navigation to workbench ${workbenchShown - navigation} ms, to activation ${(activated - navigation).toFixed(0)} ms, to first squiggle ${firstSquiggle - navigation} ms`;
  console.log(`TIMINGS ${HOST}: ${text}; ${page_}`);
  assert.match(text, new RegExp(`WebAssembly, ${HOST} extension host`), text);
  // On the desktop the server has a worker thread of its own.
  if (HOST === "desktop") assert.match(text, /in a worker thread/, text);
  assert.match(text, /activation to first diagnostics \d+ ms/, text);
  assert.match(text, /wasm compiled \d+.*initialize answered \d+.*diagnostics received \d+/, text);
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
