// End-to-end tests of what a user meets besides the checking itself (issue 18): share links
// (damaged, newer, old, unknown type, long, following edits), the example picker and the
// simulator reset, keyboard focus after fixes, the finding tooltip, completion inside a word,
// rule explanations, and axe-core accessibility checks in both themes. Debian's Chromium, against
// the built playground served at PLAYGROUND_URL (see scripts/test-playground.sh).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { test } from "node:test";
import { browserSuite, completeAt, foreignRequests, POLICY, freshContext, setPolicy, waitForFindings } from "./browser.mjs";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

// Written by the playground's former encoder (no version, no check); the core's tests read the
// same link.
const OLD_LINK_TEXT = '{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}\n';
const OLD_LINK_Z = "q1YKLkksSc1NzStRslKIrlZyTUtLTQaxlRxzcvLLlXQUlByTSzLz80BCxcZW7qkl_klZICU6CkpBqcX5pUXJqSA5LaXa2FouAA";

const suite = browserSuite();
const { open, openPlayground } = suite;

/** The editor is there (also when a refused link means there are no findings to wait for). */
const waitForEditor = (page) => page.waitForFunction(() => window.__iamlint && window.__iamlint.editorReady);
const editorText = (page) => page.evaluate(() => window.__iamlintText());
const shown = (page) => page.evaluate(() => window.__iamlint.shown);

/** The fragment of a share link made by the page for `text`. */
async function shareLinkOf(page, text, policyType = "identity") {
  await setPolicy(page, text);
  await page.selectOption("#policy-type", policyType);
  await page.evaluate(() => history.replaceState(null, "", location.pathname));
  await page.click("#share");
  await page.waitForFunction(() => location.hash.includes("z="));
  return page.evaluate(() => location.hash);
}

test("a share link carries a version and a check; a damaged one shows its message and no policy", async () => {
  const page = await openPlayground();
  const hash = await shareLinkOf(page, POLICY);
  assert.match(hash, /^#v=2&type=identity&z=[A-Za-z0-9_-]+&c=[0-9a-f]{8}$/);
  await page.close();

  // One character of the compressed policy changed, as a bad copy would.
  const z = hash.indexOf("z=") + 2 + 20;
  const damaged = hash.slice(0, z) + (hash[z] === "A" ? "B" : "A") + hash.slice(z + 1);
  const broken = await open(damaged);
  await waitForEditor(broken);
  const notice = broken.locator("#link-notice");
  await notice.waitFor();
  assert.equal(await notice.getAttribute("data-level"), "error");
  assert.match(await notice.textContent(), /damaged.*Nothing was loaded/s);
  assert.equal(await broken.getAttribute("#link-notice", "role"), "alert");
  // No policy at all: not the default example, not an altered one.
  assert.equal(await editorText(broken), "");
  assert.equal(await broken.locator("#findings li.finding").count(), 0);
  assert.match(await broken.locator("#status").textContent(), /damaged/);
  await broken.close();

  // Cut short, as a chat tool might.
  const cut = await open(hash.slice(0, -5));
  await waitForEditor(cut);
  assert.match(await cut.locator("#link-notice").textContent(), /damaged/);
  assert.equal(await editorText(cut), "");
  await cut.close();

  const newer = await open(hash.replace("v=2", "v=3"));
  await waitForEditor(newer);
  assert.match(await newer.locator("#link-notice").textContent(), /newer version of iamlint/);
  assert.equal(await editorText(newer), "");
  await newer.close();
});

test("an old link without a check opens with a note; an unknown type falls back to auto", async () => {
  const page = await openPlayground(`#type=resource%3AAWS%3A%3AS3%3A%3ABucket&z=${OLD_LINK_Z}`);
  assert.equal(await editorText(page), OLD_LINK_TEXT);
  assert.equal(await page.inputValue("#policy-type"), "resource:AWS::S3::Bucket");
  const notice = page.locator("#link-notice");
  assert.equal(await notice.getAttribute("data-level"), "info");
  assert.match(await notice.textContent(), /integrity check/);
  // A link's policy is not an example: the picker says so.
  assert.equal(await page.inputValue("#examples"), "");
  await page.close();

  const bogus = await openPlayground(`#type=bucket-policy&z=${OLD_LINK_Z}`);
  assert.equal(await editorText(bogus), OLD_LINK_TEXT);
  assert.equal(await bogus.inputValue("#policy-type"), "auto");
  assert.equal(await bogus.locator("#policy-type option[value='bucket-policy']").count(), 0, "no bogus option");
  assert.match(await bogus.locator("#link-notice").textContent(), /'bucket-policy'.*checked as auto/);
  // And it is checked (as auto), not stopped.
  assert.match(await bogus.locator("#status").textContent(), /checked as \S+ \(detected\)/);
  await bogus.close();
});

test("after sharing, edits rewrite the link: a reload shows the latest edit", async () => {
  const page = await openPlayground();
  await shareLinkOf(page, POLICY);
  const written = await page.evaluate(() => window.__iamlintLinksWritten());
  const edited = POLICY.replace("ReadReports", "ReadReportsLater");
  await setPolicy(page, edited);
  await page.waitForFunction((n) => window.__iamlintLinksWritten() > n, written);
  await page.reload();
  await waitForFindings(page);
  assert.equal(await editorText(page), edited);
  await page.close();
});

test("a share link longer than chat tools keep gets a warning", async () => {
  const page = await openPlayground();
  // Incompressible enough: a Sid of 12,000 pseudo-random letters and digits (about 6 bits each).
  let seed = 12345;
  const sid = Array.from({ length: 12000 }, () => ((seed = (seed * 1103515245 + 12345) % 2147483648), "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"[(seed >> 16) % 62])).join("");
  const big = JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: sid, Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }] }, null, 2);
  await shareLinkOf(page, big);
  const notice = page.locator("#link-notice");
  await notice.waitFor();
  assert.match(await notice.textContent(), /characters long.*8,000 characters/s);
  assert.ok((await page.evaluate(() => location.href.length)) > 8000);
  await page.close();
});

test("examples: arrow keys do not replace the policy, Enter does; the select follows edits; the simulator resets", async () => {
  const page = await openPlayground();
  const start = await editorText(page);
  assert.equal(await page.inputValue("#examples"), "lp-3-table");
  await page.focus("#examples");
  await page.keyboard.press("ArrowDown");
  assert.equal(await editorText(page), start, "ArrowDown only moves through the list");
  assert.equal(await page.inputValue("#examples"), "lp-4-actions");
  assert.equal(await page.locator("#example-note").isVisible(), true);
  const before = await shown(page);
  await page.keyboard.press("Enter");
  await page.waitForFunction((n) => window.__iamlint.shown > n, before);
  assert.match(await editorText(page), /OrdersReadWrite/);
  assert.equal(await page.locator("#example-note").isVisible(), false);

  // An edit makes it a custom policy.
  await page.locator(".cm-content").click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type(" ");
  await page.waitForFunction(() => document.querySelector("#examples").value === "");
  assert.equal(await page.locator("#examples option:checked").textContent(), "Custom policy");

  // The simulator example runs its request; the next example clears it and follows its type.
  await page.selectOption("#examples", "sim-mfa-delete");
  await page.waitForSelector("#sim-result[data-decision=ExplicitDeny]");
  await page.selectOption("#examples", "public-bucket");
  await page.waitForFunction(() => window.__iamlintText().includes("PublicRead"));
  assert.equal(await page.inputValue("#policy-type"), "resource:AWS::S3::Bucket");
  assert.equal(await page.locator("#sim-result").getAttribute("data-decision"), null);
  assert.equal(await page.locator("#sim-result").textContent(), "");
  assert.equal(await page.locator("#sim-form [name=role][value=resource]").isChecked(), true);
  assert.notEqual(await page.inputValue("#sim-form [name=action]"), "s3:DeleteObject");
  assert.equal(await page.inputValue("#sim-form [name=context]"), "");
  // An edit no longer re-runs the old request.
  const runs = await page.locator("#simulator").getAttribute("data-runs");
  await setPolicy(page, (await editorText(page)).replace("PublicRead", "PublicReadOnly"));
  assert.equal(await page.locator("#simulator").getAttribute("data-runs"), runs);
  await page.close();
});

test("keyboard: Enter on a fix keeps the focus in the panel, on the next finding; so does Apply all safe fixes", async () => {
  const page = await openPlayground();
  const noVersion = POLICY.replace('"Version": "2012-10-17",\n  ', "").replace('"s3:*"', '"s3:GetObject"').replace("IpAddress", "ipaddress");
  await setPolicy(page, noVersion);
  const fix = page.locator("#findings li.finding button.fix.safety-safe").first();
  await fix.focus();
  const before = await shown(page);
  await page.keyboard.press("Enter");
  await page.waitForFunction((n) => window.__iamlint.shown > n, before);
  const focused = () => page.evaluate(() => {
    const a = document.activeElement;
    return { goto: a?.matches("#findings li.finding button.goto") ?? false, tag: a?.tagName, text: a?.textContent };
  });
  assert.equal((await focused()).goto, true, JSON.stringify(await focused()));

  await setPolicy(page, noVersion);
  await page.focus("#fix-all");
  const again = await shown(page);
  await page.keyboard.press("Enter");
  await page.waitForFunction((n) => window.__iamlint.shown > n, again);
  const after = await focused();
  assert.ok(after.goto || after.tag === "H2", JSON.stringify(after));
  assert.notEqual(after.tag, "BODY");
  await page.close();
});

test("keyboard: the F8 finding tooltip is sized to its text and Escape closes it", async () => {
  const page = await openPlayground();
  await setPolicy(page, POLICY);
  await page.evaluate(() => window.__iamlintSelect(0, 0));
  await page.keyboard.press("F8");
  const tip = page.locator(".cm-tooltip-hover:has(.cm-tooltip-lint)");
  await tip.waitFor();
  const box = await tip.boundingBox();
  const viewport = page.viewportSize();
  assert.ok(box.width <= 36 * 16 + 2 && box.width < viewport.width * 0.6, `width ${box.width}`);
  assert.ok(box.height <= 14 * 16 * 1.5, `height ${box.height}`);
  await page.keyboard.press("Escape");
  await tip.waitFor({ state: "detached" });
  await page.close();
});

test("completion inside a word replaces the whole word", async () => {
  const page = await openPlayground();
  const text = POLICY.replace('"s3:*"', '"dynamodb:*"');
  await completeAt(page, text, text.indexOf("dynamodb:*") + "dynam".length);
  const selected = page.locator(".cm-tooltip-autocomplete li[aria-selected] .cm-completionLabel");
  await selected.waitFor();
  const label = await selected.textContent();
  assert.match(label, /^dynamodb/i, label);
  await page.waitForTimeout(200);
  await page.keyboard.press("Enter");
  const after = await editorText(page);
  const action = after.slice(after.indexOf('"Action": ') + 10, after.indexOf(",", after.indexOf('"Action": ')));
  assert.equal(action, JSON.stringify(label), `no leftover of the old word: ${action}`);
  await page.close();
});

test("a rule explanation speaks of the finding's service, not another one; the page has a description", async () => {
  const page = await openPlayground();
  // The start-up example has dynamodb:*.
  const item = page.locator('#findings li.finding[data-code="SERVICE_WILDCARD_IN_ACTION"]');
  await item.waitFor();
  assert.match(await item.locator(".message").textContent(), /dynamodb:\*/);
  const explanation = await item.locator("details.explain").textContent();
  assert.doesNotMatch(explanation, /s3/i);
  const description = await page.getAttribute('meta[name="description"]', "content");
  assert.ok(description && description.length > 50, description);
  await page.close();
});

test("axe-core finds no accessibility violation, in the light and the dark theme", async () => {
  // axe is injected by the test (the page's CSP rightly allows no foreign script).
  const { context: axeContext } = await freshContext(suite.browser, { bypassCSP: true });
  const page = await open("", axeContext);
  await waitForFindings(page);
  // Open what is closed, so that its content is checked too.
  await page.evaluate(() => {
    for (const d of document.querySelectorAll("details")) d.open = true;
  });
  await page.evaluate(AXE_SOURCE);
  const run = () =>
    page.evaluate(async () => {
      const result = await window.axe.run(document);
      return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => `${n.target.join(" ")} (${n.failureSummary.replace(/\s+/g, " ")})`).join("; ")}`);
    });
  for (const theme of ["light", "dark"]) {
    if ((await page.evaluate(() => document.documentElement.dataset.theme)) !== theme) await page.click("#theme");
    await page.waitForFunction((t) => document.documentElement.dataset.theme === t, theme);
    assert.deepEqual(await run(), [], `${theme} theme`);
  }
  await axeContext.close();
});

test("no request left the page's origin and no script error happened in these tests", async () => {
  assert.ok(suite.requests.length > 3, "requests were recorded");
  assert.deepEqual(foreignRequests(suite.requests), []);
  assert.deepEqual(suite.pageErrors, []);
});
