// The "Account audit" tab (issue 17): the files AWS gives about an account (credential report,
// account summary, password policy, authorization details), opened or pasted, audited by the
// core in the worker (`auditAccount`, as `iamlint audit` does) and shown as a table with a
// category filter. The files never leave the page.
import type { CoreClient } from "./client";
import type { AuditFinding, AuditInput, AuditResult, Category } from "./protocol";
import { CATEGORY_ORDER } from "./panel";

const FIELDS = ["credentialReport", "accountSummary", "passwordPolicy", "authorizationDetails"] as const;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The two tabs: the policy editor and the account audit. */
function setupTabs(onAudit: () => void) {
  const tabs = [document.getElementById("tab-policy"), document.getElementById("tab-audit")] as HTMLButtonElement[];
  const select = (tab: HTMLButtonElement) => {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute("aria-selected", String(on));
      t.tabIndex = on ? 0 : -1;
      const panel = document.getElementById(t.getAttribute("aria-controls") ?? "");
      if (panel) panel.hidden = !on;
    }
    document.body.dataset.view = tab.id === "tab-audit" ? "audit" : "policy";
    if (tab.id === "tab-audit") onAudit();
  };
  for (const tab of tabs) {
    tab.addEventListener("click", () => select(tab));
    // Arrow keys move between tabs (the WAI-ARIA tabs pattern).
    tab.addEventListener("keydown", (e) => {
      if (e.key !== "ArrowLeft" && e.key !== "ArrowRight") return;
      const next = tabs[(tabs.indexOf(tab) + 1) % tabs.length];
      select(next);
      next.focus();
      e.preventDefault();
    });
  }
}

export function setupAudit(client: CoreClient) {
  const form = document.getElementById("audit-form") as HTMLFormElement;
  const status = document.getElementById("audit-status") as HTMLParagraphElement;
  const results = document.getElementById("audit-results") as HTMLDivElement;
  const filter = document.getElementById("audit-filter") as HTMLDivElement;
  const category = document.getElementById("audit-category") as HTMLSelectElement;
  let last: AuditResult | null = null;

  setupTabs(() => (form.querySelector("input[type=file]") as HTMLInputElement | null)?.focus());

  // An opened file fills its text box (which can also be pasted into or edited).
  for (const input of form.querySelectorAll<HTMLInputElement>("input[type=file]")) {
    input.addEventListener("change", async () => {
      const file = input.files?.[0];
      const box = form.elements.namedItem(input.dataset.field ?? "") as HTMLTextAreaElement | null;
      if (file && box) box.value = await file.text();
    });
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const input: AuditInput = { clock: Date.now() };
    for (const name of FIELDS) {
      const value = (form.elements.namedItem(name) as HTMLTextAreaElement).value;
      if (value.trim()) input[name] = value;
    }
    const now = (form.elements.namedItem("now") as HTMLInputElement).value.trim();
    if (now) input.now = now;
    status.textContent = "Auditing…";
    try {
      const outcome = await client.call("auditAccount", input);
      if (outcome.type === "error") {
        last = null;
        status.textContent = `Error: ${outcome.message}`;
        results.replaceChildren();
        filter.hidden = true;
        return;
      }
      last = outcome.value;
      render();
    } catch (err) {
      status.textContent = `The checker failed: ${(err as Error).message}`;
    }
  });
  category.addEventListener("change", render);

  function render() {
    if (!last) return;
    const shown = last.findings.filter((f) => !category.value || f.category === category.value);
    const source = { option: "as given", report: "the credential report's time", clock: "this computer's clock" }[last.nowSource];
    const n = last.findings.length;
    const counts = CATEGORY_ORDER.map((c) => [c, last!.findings.filter((f) => f.category === c).length] as const)
      .filter(([, k]) => k > 0)
      .map(([c, k]) => `${k} ${c}`)
      .join(", ");
    status.textContent =
      `${n} finding${n === 1 ? "" : "s"}${counts ? ` (${counts})` : ""} · today is ${new Date(last.now).toISOString().slice(0, 10)} (${source})` +
      (shown.length === n ? "" : ` · ${shown.length} shown`);
    filter.hidden = n === 0;
    results.replaceChildren(table(shown));
  }
}

function table(findings: AuditFinding[]): HTMLElement {
  if (findings.length === 0) return el("p", "no-findings", "No findings.");
  const t = el("table", "audit-table");
  const head = el("tr");
  for (const h of ["Category", "Code", "Subject", "What is wrong and what to do", "Benchmarks"]) head.append(el("th", undefined, h));
  t.append(el("thead"), el("tbody"));
  t.tHead!.append(head);
  for (const f of findings) {
    const row = el("tr", `cat-${f.category as Category}`);
    row.dataset.code = f.code;
    row.dataset.category = f.category;
    const subject = el("td", "audit-subject", f.subject);
    if (f.arn) subject.title = f.arn;
    const message = el("td", "audit-message");
    message.append(el("span", undefined, f.message));
    if (f.command) {
      const command = el("code", "audit-command", f.command);
      message.append(el("br"), command);
    }
    row.append(el("td", "audit-category", f.category), el("td", "audit-code", f.code), subject, message, el("td", "audit-benchmarks", f.benchmarks.join(", ")));
    t.tBodies[0].append(row);
  }
  return t;
}
