// The "Account audit" tab (issue 17): the four fixture files of tests/audit opened in the page,
// audited by the core in the worker; the table holds the CLI's audit findings
// (tests/audit/expected-findings.txt) and filters by category; nothing leaves the page.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { BASE_URL, foreignRequests, useBrowser, waitForFindings } from "./browser.mjs";

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../tests/audit");
const FILES = {
  credentialReport: "credential-report.json",
  accountSummary: "account-summary.json",
  passwordPolicy: "password-policy.json",
  authorizationDetails: "authorization-details.json",
};

const env = useBrowser();

test("the audit tab audits the four files and filters the table by category", async () => {
  const page = await env.context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(BASE_URL);
  await waitForFindings(page);
  await page.click("#tab-audit");
  assert.equal(await page.locator("#audit-view").isVisible(), true);
  assert.equal(await page.locator("#policy-view").isVisible(), false);

  // Nothing given: an error message, no table.
  await page.click("#audit-run");
  await page.locator("#audit-status", { hasText: "give at least one file" }).waitFor();

  for (const [field, file] of Object.entries(FILES)) {
    await page.setInputFiles(`#audit-form input[data-field="${field}"]`, path.join(fixtures, file));
    await page.waitForFunction((f) => document.querySelector(`#audit-form textarea[name="${f}"]`).value.length > 0, field);
  }
  await page.click("#audit-run");
  await page.locator(".audit-table").waitFor();
  const rows = await page.locator(".audit-table tbody tr").evaluateAll((trs) =>
    trs.map((tr) => [tr.dataset.code, tr.querySelector(".audit-subject").textContent, tr.dataset.category]),
  );
  // The CLI's list; its first line is the credential report's input error, named by path there.
  const expected = fs
    .readFileSync(path.join(fixtures, "expected-findings.txt"), "utf8")
    .split("\n")
    .filter((l) => l.trim() && !l.startsWith("#"))
    .map((l) => l.split(" "));
  assert.deepEqual(rows[0].slice(0, 2), ["INVALID_AUDIT_INPUT", "credential-report"]);
  for (const [code, subject] of expected.slice(1)) {
    assert.ok(rows.some(([c, s]) => c === code && s === subject), `${code} ${subject} in the table`);
  }
  assert.match(await page.locator("#audit-status").textContent(), /^\d+ findings .*today is 2026-06-01 \(the credential report's time\)/);
  // A finding with a fix command shows it.
  assert.ok((await page.locator(".audit-table .audit-command").count()) > 0);

  // The filter: security only.
  await page.selectOption("#audit-category", "security");
  const categories = await page.locator(".audit-table tbody tr").evaluateAll((trs) => trs.map((tr) => tr.dataset.category));
  assert.ok(categories.length > 0 && categories.length < rows.length);
  assert.ok(categories.every((c) => c === "security"));
  assert.equal(categories.length, rows.filter(([, , c]) => c === "security").length);

  // Back to the policy: the editor is there again.
  await page.click("#tab-policy");
  assert.equal(await page.locator(".cm-editor").isVisible(), true);
  assert.deepEqual(errors, []);
  assert.deepEqual(foreignRequests(env.requests), []);
  await page.close();
});
