// A policy with thousands of findings (issue 18, item 3): the panel lists them as one closed group
// per rule code and builds a group's findings only when it is opened, a page at a time; the check
// carries no fixes, a shown page's fixes are asked for, and a fix's edits when it is applied.
// Served at PLAYGROUND_URL like playground.test.mjs.
import assert from "node:assert/strict";
import { test } from "node:test";
import { manyWildcards, shareHash } from "./big-policy.mjs";
import { BASE_URL, useBrowser, waitForFindings } from "./browser.mjs";

const env = useBrowser();
const pageErrors = [];

const count = (page) => page.evaluate(() => Number(document.getElementById("findings").dataset.count));

/** Wait until a check newer than the one shown when `shown` was read is on screen. */
async function nextFindings(page, shown, timeout = 120000) {
  await page.waitForFunction((n) => window.__iamlint.shown > n, shown, { timeout, polling: 50 });
}

test("5,000 findings: grouped by code, built on demand, and a fix still applies", { timeout: 300000 }, async () => {
  const page = await env.context.newPage();
  page.on("pageerror", (e) => pageErrors.push(e.message));
  const text = manyWildcards();
  assert.ok(text.length > 1_200_000, `${text.length} bytes`);
  // Through a share link: typing or pasting 1.3 MB through the browser's input events is slow in
  // any page and not what is tested here.
  await page.goto(BASE_URL + shareHash(text, "identity"));
  await waitForFindings(page, 120000);
  assert.equal(await page.evaluate(() => window.__iamlintText().length), text.length);
  assert.equal(await count(page), 5001);

  // The panel: one closed group per code, none of the 5,000 findings built yet.
  const findings = page.locator("#findings");
  assert.equal(await findings.getAttribute("data-grouped"), "true");
  assert.equal(await page.locator("#findings li.finding").count(), 0);
  const group = page.locator('#findings details.code-group[data-code="SERVICE_WILDCARD_IN_ACTION"]');
  assert.equal(await group.locator(".group-count").textContent(), "5000");
  const nodes = await findings.evaluate((box) => box.querySelectorAll("*").length);
  const buttons = await findings.evaluate((box) => box.querySelectorAll("button").length);
  assert.ok(nodes < 200 && buttons < 10, `${nodes} nodes, ${buttons} buttons in the panel`);

  // Opening the group builds its first page; "Show more" the next one.
  await group.locator("summary").click();
  const items = group.locator("li.finding");
  await items.nth(49).waitFor();
  assert.equal(await items.count(), 50);
  assert.equal(await items.first().locator(".goto").textContent(), "7:17");
  // The check carried no fixes (the core built none); a shown page's are asked for.
  await items.first().locator("button.fix").first().waitFor();
  assert.equal(await items.first().locator("button.fix").count(), 3);
  await items.nth(49).locator("button.fix").first().waitFor();
  await group.locator("button.show-more").click();
  assert.equal(await items.count(), 100);

  // The editor gets the findings around the screen only, and they follow it to the end.
  assert.ok((await page.locator(".cm-lintRange").count()) > 0);
  const marked = await page.evaluate(() => window.__iamlintMarked());
  assert.ok(marked >= 100 && marked <= 400, `${marked} findings in the editor`);
  const lastSid = text.indexOf("ReadReports4999");
  await page.evaluate((pos) => window.__iamlintSelect(pos, pos), lastSid);
  await page.keyboard.press("Control+End");
  await page.locator(".cm-lintRange", { hasText: '"s3:*"' }).last().waitFor();
  const last = await page.locator(".cm-lintRange", { hasText: '"s3:*"' }).last().boundingBox();
  const screen = await page.locator(".cm-scroller").boundingBox();
  assert.ok(last.y >= screen.y && last.y <= screen.y + screen.height, "the last statement's finding is marked on screen");

  // Typing re-checks the whole policy; the group stays open as far as it was expanded.
  let shown = await page.evaluate(() => window.__iamlint.shown);
  const sid = text.indexOf("ReadReports0") + "ReadReports0".length;
  await page.evaluate((pos) => window.__iamlintSelect(pos, pos), sid);
  const size = "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA";
  const sizeBefore = await page.evaluate((code) => window.__iamlintMessages(code), size);
  await page.keyboard.type("X");
  await nextFindings(page, shown);
  assert.equal(await count(page), 5001);
  // The size finding's message counts the characters: the editor's marks stay, its text is new.
  const sizeAfter = await page.evaluate((code) => window.__iamlintMessages(code), size);
  assert.equal(sizeAfter.result.length, 1);
  assert.notEqual(sizeAfter.result[0], sizeBefore.result[0]);
  assert.deepEqual(sizeAfter.editor, sizeAfter.result);
  assert.equal(await group.getAttribute("open"), "");
  assert.equal(await items.count(), 100);

  // A fix from the panel: its edits come from the worker, and the first statement's finding goes.
  shown = await page.evaluate(() => window.__iamlint.shown);
  await items.first().locator("button.fix").first().click();
  await nextFindings(page, shown);
  assert.equal(await count(page), 5000);
  const after = await page.evaluate(() => window.__iamlintText().slice(0, 600));
  assert.doesNotMatch(after.split("ReadReports1")[0], /"s3:\*"/);
  assert.match(after, /"s3:[A-Z]\w+"/);

  // Whether any fix is safe is only known on asking: here none is.
  await page.locator("#fix-all").click();
  await page.locator("#status", { hasText: "No safe fix to apply." }).waitFor({ timeout: 120000 });
  assert.deepEqual(pageErrors, []);
  await page.close();
});

test("a small policy is still listed finding by finding", async () => {
  const page = await env.context.newPage();
  await page.goto(BASE_URL);
  await waitForFindings(page);
  assert.equal(await page.locator("#findings").getAttribute("data-grouped"), "false");
  assert.ok((await page.locator("#findings li.finding").count()) > 0);
  await page.close();
});
