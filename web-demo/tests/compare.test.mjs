// The "Compare with a reference policy" pane (issue 16): the core's check-no-new-access on the
// editor's policy against a pasted reference. PASS when the editor grants less; FAIL naming the
// statement when an edit grants more (its button selects it); a bad reference is named as such.
import assert from "node:assert/strict";
import { test } from "node:test";
import { BASE_URL, setPolicy, useBrowser, waitForFindings } from "./browser.mjs";

const REFERENCE = JSON.stringify(
  { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:GetObject", "s3:ListBucket"], Resource: "*" }] },
  null,
  2,
);
const POLICY = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadReports",
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::reports/*"
    }
  ]
}
`;

const env = useBrowser();

const runs = (page) => page.evaluate(() => Number(document.getElementById("compare-result").dataset.runs ?? 0));

async function compared(page, before, result) {
  await page.waitForFunction(
    ([n, r]) => {
      const out = document.getElementById("compare-result");
      return Number(out.dataset.runs ?? 0) > n && out.dataset.result === r;
    },
    [before, result],
  );
}

test("compare: PASS for less access, FAIL naming the statement that adds some, errors for a bad reference", async () => {
  const page = await env.context.newPage();
  await page.goto(BASE_URL);
  await waitForFindings(page);
  await setPolicy(page, POLICY);
  await page.locator("#compare > summary").click();
  await page.fill('#compare-form textarea[name="reference"]', REFERENCE);
  let n = await runs(page);
  await page.click("#compare-run");
  await compared(page, n, "PASS");
  assert.equal(await page.locator("#compare-result .decision").textContent(), "PASS");

  // An edit that grants s3:PutObject: compared again by itself, FAIL with the statement named.
  n = await runs(page);
  await setPolicy(page, POLICY.replace('"s3:GetObject"', '["s3:GetObject", "s3:PutObject"]'));
  await compared(page, n, "FAIL");
  const reason = page.locator("#compare-result .compare-reason").first();
  assert.match(await reason.textContent(), /s3:PutObject/);
  await reason.locator("button").click();
  const selection = await page.evaluate(() => window.__iamlintSelection());
  const text = await page.evaluate(() => window.__iamlintText());
  assert.ok(text.slice(selection.from, selection.to).startsWith('{\n      "Sid": "ReadReports"'), text.slice(selection.from, selection.to));

  // A reference that cannot be evaluated is named as the problem.
  n = await runs(page);
  await page.fill('#compare-form textarea[name="reference"]', '{"Statement": [{"Effect": "Maybe", "Action": "s3:*", "Resource": "*"}]}');
  await page.click("#compare-run");
  await compared(page, n, "error");
  assert.match(await page.locator("#compare-result .sim-problem").first().textContent(), /^Reference: /);
  await page.close();
});
