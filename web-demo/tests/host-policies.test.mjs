// In a Terraform or CloudFormation file each finding names the policy it is in (issue 13's last
// playground item; the core gives each finding's policy, the wasm passes its index).
import assert from "node:assert/strict";
import { test } from "node:test";
import { BASE_URL, setPolicy, useBrowser, waitForFindings } from "./browser.mjs";

const env = useBrowser();

async function loadExample(page, id) {
  const shown = await page.evaluate(() => window.__iamlint.shown);
  await page.selectOption("#examples", id);
  await page.waitForFunction((n) => window.__iamlint.shown > n, shown);
}

const policyOf = (page, code) => page.locator(`#findings li.finding[data-code="${code}"] .in-policy`).first().textContent();

test("findings of a Terraform or CloudFormation file name their policy; a policy file's do not", async () => {
  const page = await env.context.newPage();
  await page.goto(BASE_URL);
  await waitForFindings(page);
  // The default example is a policy: no names.
  assert.ok((await page.locator("#findings li.finding").count()) > 0);
  assert.equal(await page.locator("#findings .in-policy").count(), 0);

  await loadExample(page, "terraform-ec2-s3");
  // The EC2 role draws no finding (issue 12); the same role trusting Glue does, named by its policy.
  const text = await page.evaluate(() => window.__iamlintText());
  await setPolicy(page, text.replace('"ec2.amazonaws.com"', '"glue.amazonaws.com"'));
  assert.equal(await policyOf(page, "RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL"), "in aws_iam_role.ec2_s3_access_role.assume_role_policy");
  // Every finding names one of the file's policies.
  const names = await page.locator("#findings .in-policy").allTextContents();
  assert.equal(names.length, await page.locator("#findings li.finding").count());
  for (const name of names) assert.match(name, /^in aws_iam_role(_policy)?\.(ec2_s3_access_role\.assume_role_policy|s3_read)$/);

  await loadExample(page, "cloudformation-lambda");
  const cfn = await page.locator("#findings .in-policy").allTextContents();
  assert.ok(cfn.length > 0);
  for (const name of cfn) assert.match(name, /^in Resources\//);
  await page.close();
});
