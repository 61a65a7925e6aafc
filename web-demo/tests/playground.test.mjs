// End-to-end tests of the built playground in Debian's Chromium. The page must be served (by
// `vite preview`, see scripts/test-playground.sh) at PLAYGROUND_URL (default 127.0.0.1:4173).
import assert from "node:assert/strict";
import { test } from "node:test";
import { BASE_URL, browserSuite, completeAt, foreignRequests, POLICY, freshContext, setPolicy, waitForFindings } from "./browser.mjs";

const suite = browserSuite();
const openPlayground = () => suite.openPlayground();

const editorText = (page) => page.evaluate(() => window.__iamlintText());

/** Move the mouse over the character at `offset` of the editor's text. */
async function hoverAt(page, offset) {
  const box = await page.evaluate((pos) => window.__iamlintCoords(pos), offset);
  assert.ok(box, `offset ${offset} is on screen`);
  await page.mouse.move(box.left + 1, (box.top + box.bottom) / 2);
}

function finding(page, code) {
  return page.locator(`#findings li.finding[data-code="${code}"]`);
}

test("typing a policy with s3:* shows the finding in the gutter and in the panel", async () => {
  const page = await openPlayground();
  await setPolicy(page, POLICY);
  const item = finding(page, "SERVICE_WILDCARD_IN_ACTION");
  await item.waitFor();
  assert.match(await item.locator(".message").textContent(), /s3:\*/);
  // The panel groups it under its category, and the gutter marks line 7.
  const group = await item.evaluate((li) => li.closest("section").dataset.category);
  assert.equal(group, "warning");
  assert.equal(await item.locator(".goto").textContent(), "7:17");
  const marker = page.locator(".cm-gutter-lint .cm-gutterElement").filter({ has: page.locator(".cm-lint-marker") });
  await marker.first().waitFor();
  const markerLines = await marker.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().top));
  const line7 = await page.locator(".cm-lineNumbers .cm-gutterElement", { hasText: /^7$/ }).boundingBox();
  assert.ok(markerLines.some((top) => Math.abs(top - line7.y) < 2), "a lint marker sits on line 7");
  // And the lint range underlines exactly "s3:*" (with its quotes).
  assert.ok(await page.locator(".cm-lintRange", { hasText: '"s3:*"' }).count() > 0);
  await page.close();
});

test("hovering an action and a condition key explains them", async () => {
  const page = await openPlayground();
  const text = POLICY.replace('"s3:*"', '"s3:GetObject"');
  await setPolicy(page, text);
  await hoverAt(page, text.indexOf("GetObject"));
  const tip = page.locator(".cm-tooltip-hover .iamlint-hover");
  await tip.waitFor();
  const action = await tip.textContent();
  assert.match(action, /s3:GetObject/);
  assert.match(action, /Access level:\s*Read/);
  await page.mouse.move(5, 5);
  await tip.waitFor({ state: "detached" });
  await hoverAt(page, text.indexOf("SourceIp"));
  await tip.waitFor();
  const key = await tip.textContent();
  assert.match(key, /aws:SourceIp/);
  assert.match(key, /condition key/);
  assert.match(key, /IP address/);
  await page.close();
});

test("keyboard: Ctrl+I explains the element at the cursor", async () => {
  const page = await openPlayground();
  await setPolicy(page, POLICY);
  const at = POLICY.indexOf("IpAddress") + 3;
  await page.evaluate((pos) => window.__iamlintSelect(pos, pos), at);
  await page.keyboard.press("Control+i");
  const popup = page.locator(".cm-tooltip .iamlint-hover");
  await popup.waitFor();
  assert.match(await popup.textContent(), /IpAddress/);
  await page.keyboard.press("Escape");
  await popup.waitFor({ state: "detached" });
  // Tab is not captured by the editor: it moves on to the findings panel.
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => !!document.activeElement.closest(".cm-editor")), false);
  await page.close();
});

test("accepting a completion inserts the action", async () => {
  const page = await openPlayground();
  const text = POLICY.replace('"s3:*"', '"s3:GetOb"');
  await completeAt(page, text, text.indexOf("s3:GetOb") + "s3:GetOb".length);
  const option = page.locator(".cm-tooltip-autocomplete li", { hasText: /^s3:GetObject/ }).first();
  await option.waitFor();
  // Move to the exact option, then accept it with Enter as a keyboard user would.
  const selected = page.locator(".cm-tooltip-autocomplete li[aria-selected] .cm-completionLabel");
  for (let i = 0; i < 80 && (await selected.textContent()) !== "s3:GetObject"; i++) {
    await page.keyboard.press("ArrowDown");
  }
  assert.equal(await selected.textContent(), "s3:GetObject");
  // CodeMirror ignores Enter for 75 ms after the list appears (interactionDelay), so that a fast
  // typist's Enter is a newline; wait like a person would (this made the test flaky under load).
  await page.waitForTimeout(200);
  await page.keyboard.press("Enter");
  const after = await editorText(page);
  assert.ok(after.includes('"Action": "s3:GetObject",'), after);
  await page.close();
});

test("the narrowing quick-fix edits the text and its finding goes away", async () => {
  const page = await openPlayground();
  await setPolicy(page, POLICY);
  const item = finding(page, "SERVICE_WILDCARD_IN_ACTION");
  await item.waitFor();
  const fix = item.locator("button.fix.safety-review", { hasText: /read-only/ }).first();
  const title = await fix.locator(".fix-title").textContent();
  assert.match(title, /^Replace s3:\* with its \d+ .*read-only/i);
  const shown = await page.evaluate(() => window.__iamlint.shown);
  await fix.click();
  await page.waitForFunction((n) => window.__iamlint.shown > n, shown);
  const after = await editorText(page);
  assert.ok(!after.includes('"s3:*"'), "s3:* was replaced");
  assert.ok(after.includes('"s3:GetObject"'), "by read actions such as s3:GetObject");
  assert.equal(await finding(page, "SERVICE_WILDCARD_IN_ACTION").count(), 0);
  // One undo brings the wildcard back: the fix was a single edit.
  await page.locator(".cm-content").focus();
  await page.keyboard.press("Control+z");
  assert.equal(await editorText(page), POLICY);
  await page.close();
});

test("keyboard: Ctrl+. offers the quick fixes at the cursor", async () => {
  const page = await openPlayground();
  await setPolicy(page, POLICY.replace('"Version": "2012-10-17",\n  ', ""));
  await page.evaluate(() => window.__iamlintSelect(1, 1));
  await page.keyboard.press("Control+.");
  const menu = page.locator(".cm-tooltip [role=menu]");
  await menu.waitFor();
  const first = menu.locator("button").first();
  assert.match(await first.textContent(), /Version/);
  // The menu has focus: Enter applies the focused (safe, first) fix.
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => window.__iamlintText().includes('"Version": "2012-10-17"'));
  await page.close();
});

test("a share link brings back the same policy and policy type", async () => {
  const page = await openPlayground();
  const text = POLICY.replace("ReadReports", "Ünïcode 😀 sid");
  await setPolicy(page, text);
  await page.selectOption("#policy-type", "boundary");
  await page.click("#share");
  await page.waitForFunction(() => location.hash.includes("z="));
  const url = page.url();
  assert.ok(!url.includes("ReadReports") && url.split("#")[0] === BASE_URL, url);
  const other = await suite.context.newPage();
  await other.goto(url);
  await waitForFindings(other);
  assert.equal(await other.evaluate(() => window.__iamlintText()), text);
  assert.equal(await other.inputValue("#policy-type"), "boundary");
  await other.close();
  await page.close();
});

test("the examples, the theme switch and the catalog version are there", async () => {
  const page = await openPlayground();
  const examples = await page.locator("#examples option").allTextContents();
  assert.ok(examples.length >= 9, examples.join(", "));
  await page.selectOption("#examples", "github-oidc");
  await page.waitForFunction(() => window.__iamlintText().includes("token.actions.githubusercontent.com"));
  assert.equal(await page.inputValue("#policy-type"), "trust");
  await page.click("#theme");
  const theme = await page.evaluate(() => document.documentElement.dataset.theme);
  await page.click("#theme");
  assert.notEqual(theme, await page.evaluate(() => document.documentElement.dataset.theme));
  assert.match(await page.locator("#catalog").textContent(), /AWS catalog \S+ \S+ of \d{4}-\d{2}-\d{2} · \d+ services/);
  await page.close();
});

test("the Terraform example: findings, hover and edits inside the .tf text", async () => {
  const page = await openPlayground();
  const shown = await page.evaluate(() => window.__iamlint.shown);
  await page.selectOption("#examples", "terraform-ec2-s3");
  await page.waitForFunction((n) => window.__iamlint.shown > n, shown);
  assert.equal(await page.inputValue("#format"), "terraform");
  const text = await editorText(page);
  assert.match(text, /resource "aws_iam_role" "ec2_s3_access_role"/);
  // The EC2 role's trust policy draws no finding (EC2 documents no source keys for it); the
  // same role trusting Glue gets the suggestion on the service's line of the HCL.
  assert.equal(await finding(page, "RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL").count(), 0);
  const glue = text.replace('"ec2.amazonaws.com"', '"glue.amazonaws.com"');
  await setPolicy(page, glue);
  const trust = finding(page, "RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL");
  await trust.waitFor();
  const line = glue.slice(0, glue.indexOf('"glue.amazonaws.com"')).split("\n").length;
  assert.equal(await trust.locator(".goto").textContent(), `${line}:21`);
  await setPolicy(page, text);
  assert.match(await page.locator("#status").textContent(), /2 policies found \(aws_iam_role\.ec2_s3_access_role\.assume_role_policy: trust, aws_iam_role_policy\.s3_read: identity\)/);
  // Hover on an action inside jsonencode(...).
  await hoverAt(page, text.indexOf("s3:GetObject") + 4);
  const tip = page.locator(".cm-tooltip-hover .iamlint-hover");
  await tip.waitFor();
  assert.match(await tip.textContent(), /s3:GetObject/);
  await page.mouse.move(5, 5);
  // A typo typed into the HCL is found at its place.
  const typo = text.replace('"s3:GetObject"', '"s3:GetObjekt"');
  await setPolicy(page, typo);
  const invalid = finding(page, "INVALID_ACTION");
  await invalid.waitFor();
  const at = typo.indexOf("GetObjekt");
  const typoLine = typo.slice(0, at).split("\n").length;
  const typoCol = at - typo.lastIndexOf("\n", at - 1);
  assert.equal(await invalid.locator(".goto").textContent(), `${typoLine}:${typoCol}`);
  assert.ok(await page.locator(".cm-lintRange", { hasText: "GetObjekt" }).count() > 0);
  // The same text read as policy JSON is not JSON at all.
  await page.selectOption("#format", "json");
  await finding(page, "JSON_SYNTAX_ERROR").first().waitFor();
  await page.close();
});

test("the simulator allows, then names the Deny statement added in the editor", async () => {
  const page = await openPlayground();
  await page.setViewportSize({ width: 1024, height: 768 });
  const allow = POLICY.replace('"s3:*"', '"s3:GetObject"');
  await setPolicy(page, allow);
  // Keyboard only: open the panel, fill the request, submit with Enter.
  await page.locator("#simulator > summary").focus();
  await page.keyboard.press("Enter");
  const field = (name) => page.locator(`#sim-form [name=${name}]`);
  await field("principal").fill("arn:aws:iam::111122223333:user/alice");
  await field("action").focus();
  await field("action").fill("");
  await page.keyboard.type("s3:GetOb");
  // The action field offers the core's completions.
  await page.waitForFunction(() => [...document.querySelectorAll("#sim-actions option")].some((o) => o.value === "s3:GetObject"));
  await field("action").fill("s3:GetObject");
  await field("resource").fill("arn:aws:s3:::example-reports/2026/q3.csv");
  await field("context").fill("aws:SourceIp=203.0.113.9");
  await field("resource").focus();
  await page.keyboard.press("Enter");
  const result = page.locator("#sim-result");
  await page.waitForSelector("#sim-result[data-decision=Allowed]");
  assert.equal(await page.locator("#sim-decision").textContent(), "Allowed");
  assert.match(await result.locator(".sim-reason").textContent(), /allowed/);
  const granting = result.locator(".sim-statement.decisive");
  assert.equal(await granting.count(), 1);
  assert.equal(await granting.getAttribute("data-sid"), "ReadReports");

  // Add a Deny in the editor: the simulation runs again by itself.
  const deny = allow.replace(
    "\n  ]\n}",
    ',\n    {"Sid": "NoQuarterlyReports", "Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-reports/*/q3.csv"}\n  ]\n}',
  );
  assert.notEqual(deny, allow);
  await setPolicy(page, deny);
  await page.waitForSelector("#sim-result[data-decision=ExplicitDeny]");
  assert.equal(await page.locator("#sim-decision").textContent(), "ExplicitDeny");
  assert.match(await result.locator(".sim-reason").textContent(), /NoQuarterlyReports/);
  const decisive = result.locator(".sim-statement.decisive");
  assert.equal(await decisive.count(), 1);
  assert.equal(await decisive.getAttribute("data-sid"), "NoQuarterlyReports");
  // The Allow statement still applies but did not decide.
  assert.equal(await result.locator('.sim-statement[data-sid="ReadReports"]').getAttribute("data-applies"), "true");

  // Clicking the decisive statement selects it in the editor.
  await decisive.locator("button.sim-select").click();
  const selection = await page.evaluate(() => window.__iamlintSelection());
  const start = deny.indexOf('{"Sid": "NoQuarterlyReports"');
  assert.deepEqual(selection, { from: start, to: deny.indexOf("}", deny.indexOf("q3.csv")) + 1 });

  // Fits at 1024 px, in both themes.
  const overflow = () => page.evaluate(() => {
    const pane = document.querySelector(".findings-pane");
    return pane.scrollWidth - pane.clientWidth;
  });
  assert.ok((await overflow()) <= 0, "no horizontal scrolling in the side panel");
  const color = () => page.locator("#sim-decision").evaluate((e) => getComputedStyle(e).color);
  const before = await color();
  await page.click("#theme");
  assert.notEqual(await color(), before, "the decision is restyled for the other theme");
  assert.ok((await overflow()) <= 0);
  await page.click("#theme");

  // Bad input is reported next to the form, not thrown.
  await field("action").fill("s3:*");
  await field("action").press("Enter");
  await page.waitForSelector("#sim-result[data-decision=error]");
  assert.match(await result.locator(".sim-problem").first().textContent(), /no wildcards/);
  await page.close();
});

test("the simulator example loads a request and shows its decision", async () => {
  const page = await openPlayground();
  await page.selectOption("#examples", "sim-mfa-delete");
  await page.waitForSelector("#sim-result[data-decision=ExplicitDeny]");
  assert.equal(await page.locator("#simulator").evaluate((d) => d.open), true);
  assert.equal(await page.locator(".sim-statement.decisive").getAttribute("data-sid"), "NoDeleteWithoutMfa");
  await page.close();
});

test("the Content-Security-Policy blocks requests to other origins", async () => {
  // A separate context, so the blocked attempt does not count against the request log above.
  const { context: other } = await freshContext(suite.browser);
  const page = await other.newPage();
  await page.goto(BASE_URL);
  await waitForFindings(page);
  const violated = await page.evaluate(
    () =>
      new Promise((resolve) => {
        document.addEventListener("securitypolicyviolation", (e) => resolve(e.effectiveDirective), { once: true });
        fetch("http://127.0.0.2:9/leak").catch(() => {});
        setTimeout(() => resolve("no violation"), 3000);
      }),
  );
  assert.equal(violated, "connect-src");
  await other.close();
});

test("nothing left the page's origin and no script error happened", async () => {
  assert.ok(suite.requests.length > 3, "requests were recorded");
  assert.ok(suite.requests.some((u) => u.endsWith(".wasm")), "the wasm came from the page's origin");
  assert.deepEqual(foreignRequests(suite.requests), []);
  assert.deepEqual(suite.pageErrors, []);
});
