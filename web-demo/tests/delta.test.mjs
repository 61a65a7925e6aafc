// The page sends the worker a keystroke's change, not the text, and the worker answers with what
// changed since the page's findings (src/delta.ts): after typing, deleting, a character outside
// the BMP, a resync, undoing and changing the policy type, the page's findings must be those of a
// full check of its text. Served at PLAYGROUND_URL.
import assert from "node:assert/strict";
import { test } from "node:test";
import { manyWildcards, shareHash } from "./big-policy.mjs";
import { BASE_URL, useBrowser, waitForFindings } from "./browser.mjs";

const env = useBrowser();

async function settled(page) {
  await page.waitForFunction(() => window.__iamlintIdle(), null, { timeout: 60000, polling: 20 });
}

async function sameAsFullCheck(page, what) {
  await settled(page);
  const differ = await page.evaluate(() => window.__iamlintCompareWithFullCheck());
  assert.deepEqual(differ, [], `after ${what}`);
}

test("findings applied from deltas equal a full check", { timeout: 180000 }, async () => {
  const page = await env.context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  // 300 statements: grouped in the panel, with fixes left out (over the panel's limit).
  const text = manyWildcards(300);
  await page.goto(BASE_URL + shareHash(text, "identity"));
  await waitForFindings(page, 60000);
  await settled(page);
  const count = () => page.evaluate(() => Number(document.getElementById("findings").dataset.count));
  const before = await count();
  const select = (pos) => page.evaluate((p) => window.__iamlintSelect(p, p), pos);

  // Typing into a Sid, one key at a time and in a burst.
  await select(text.indexOf("ReadReports150") + "ReadReports150".length);
  await page.keyboard.type("K");
  await sameAsFullCheck(page, "one key");
  await page.keyboard.type("abc", { delay: 5 });
  await sameAsFullCheck(page, "a burst");

  // A change that removes a finding: s3:* of statement 10 becomes s3:GetObject.
  const at = await page.evaluate(() => window.__iamlintText().indexOf('"s3:*"', window.__iamlintText().indexOf("ReadReports10\"")));
  await page.evaluate((p) => window.__iamlintSelect(p + 4, p + 5), at);
  await page.keyboard.type("GetObject");
  await sameAsFullCheck(page, "narrowing an action");
  assert.equal(await count(), before - 1);

  // A character outside the BMP (two UTF-16 units) before many findings, then deleted.
  await select(text.indexOf("ReadReports2\"") + "ReadReports2".length);
  await page.keyboard.insertText("😀");
  await sameAsFullCheck(page, "an emoji");
  await page.keyboard.press("Backspace");
  await sameAsFullCheck(page, "deleting it");

  // The worker holding another version than the page believes: it asks for the whole text.
  await page.evaluate(() => window.__iamlintMisplaceWorkerText());
  await page.keyboard.type("Z");
  await sameAsFullCheck(page, "a resync");

  // Undo everything, then a type change (answered in full).
  for (let i = 0; i < 20; i++) await page.keyboard.press("Control+z");
  await sameAsFullCheck(page, "undo");
  await page.selectOption("#policy-type", "resource");
  await sameAsFullCheck(page, "a type change");

  const answers = await page.evaluate(() => window.__iamlintAnswers());
  assert.ok(answers.delta >= 5, `answers: ${JSON.stringify(answers)}`);
  assert.ok(answers.full >= 1 && answers.resync === 1, `answers: ${JSON.stringify(answers)}`);
  // The text went whole at the start (boot.ts) and after the resync only.
  assert.ok(answers.texts <= 1 && answers.changes >= 5, `answers: ${JSON.stringify(answers)}`);
  assert.deepEqual(errors, []);
  await page.close();
});
