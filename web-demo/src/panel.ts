// The findings panel: the core's findings grouped by category, each with its position, message,
// quick-fix buttons and the rule's explanation.
import type { Category, CheckResult, Finding, Fix, PolicyInfo, RuleDoc } from "./protocol";
import { renderInline, renderMarkdown } from "./markdown";

export const CATEGORY_ORDER: Category[] = ["error", "security", "warning", "suggestion"];
const CATEGORY_TITLE: Record<Category, string> = {
  error: "Errors",
  security: "Security",
  warning: "Warnings",
  suggestion: "Suggestions",
};

export interface PanelHooks {
  /** Line and column (1-based) of a UTF-16 offset in the editor's text. */
  position(offset: number): { line: number; col: number };
  reveal(finding: Finding): void;
  applyFix(finding: Finding, fixIndex: number): void;
  /** The fixes of findings that came without them (a result with more than FLAT_LIMIT findings
   * carries none: the core builds them on request), one list per finding, null for a finding
   * that is gone; or null when the results are about to be replaced anyway. */
  loadFixes(findings: Finding[]): Promise<(Fix[] | null)[] | null>;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Up to this many findings are listed one by one; above it, each category shows its codes as
 * groups with counts, and a group's findings are built only when it is opened, a page at a time
 * (5,000 findings would otherwise be 20,000 buttons and 100,000 nodes rebuilt on every edit).
 * Above it the check also comes without fixes (main.ts asks with `fixLimit`), and a page's
 * fixes are asked for when it is shown. */
export const FLAT_LIMIT = 100;
/** Findings a group shows when opened, and how many more each "Show more" adds. */
export const GROUP_PAGE = 50;

/** Which groups the user opened and how far each was expanded, by rule code, kept across
 * re-renders so typing does not fold them up again. */
const openGroups = new Map<string, number>();

/** The result and hooks a grouped panel shows: its code groups read their findings from here
 * when opened, so that a result with the same groups and counts (a keystroke in a Sid of the
 * 5,000-finding policy) replaces only this, not the panel's elements. */
interface Live {
  result: CheckResult;
  hooks: PanelHooks;
  rules: Map<string, RuleDoc>;
  /** The categories, codes and counts shown. */
  key: string;
}
const live = new WeakMap<HTMLElement, Live>();

export function renderFindings(
  container: HTMLElement,
  result: CheckResult,
  rules: Map<string, RuleDoc>,
  hooks: PanelHooks,
) {
  const groups = CATEGORY_ORDER.map((category) => ({
    category,
    findings: result.findings.filter((f) => f.category === category),
  })).filter((g) => g.findings.length > 0);
  const grouped = result.findings.length > FLAT_LIMIT;
  container.dataset.grouped = String(grouped);
  const key = grouped ? groups.map((g) => `${g.category} ${[...byCode(g.findings)].map(([c, f]) => `${c}:${f.length}`).join(",")}`).join(";") : "";
  const last = live.get(container);
  // With no group open, the panel shows only the groups and their counts: when those are the
  // same, nothing on screen changes.
  if (grouped && openGroups.size === 0 && last && last.key === key && last.rules === rules) {
    last.result = result;
    last.hooks = hooks;
    return;
  }
  const shown: Live = { result, hooks, rules, key };
  live.set(container, shown);

  const fragment = document.createDocumentFragment();
  if (groups.length === 0) {
    fragment.append(el("p", "no-findings", "No findings. iamlint has nothing to say about this policy."));
  }
  for (const group of groups) {
    const section = el("section", `group cat-${group.category}`);
    section.dataset.category = group.category;
    const heading = el("h3", undefined, `${CATEGORY_TITLE[group.category]} (${group.findings.length})`);
    section.append(heading);
    if (grouped) {
      for (const [code, findings] of byCode(group.findings)) {
        section.append(renderCodeGroup(code, group.category, findings.length, rules.get(code), shown));
      }
    } else {
      const list = el("ul", "finding-list");
      for (const finding of group.findings) list.append(renderFinding(finding, rules.get(finding.code), hooks, result.policies));
      section.append(list);
    }
    fragment.append(section);
  }
  container.replaceChildren(fragment);
}

function byCode(findings: Finding[]): Map<string, Finding[]> {
  const codes = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = codes.get(f.code);
    if (list) list.push(f);
    else codes.set(f.code, [f]);
  }
  return codes;
}

/** One rule's findings as a closed group ("CODE · 5000 · summary"); opening it lists the first
 * page, and a button at the end lists the next. */
function renderCodeGroup(code: string, category: Category, count: number, rule: RuleDoc | undefined, shownResult: Live): HTMLElement {
  // The group's findings in the result shown now (see `Live`), found when it is opened.
  let builtFrom: CheckResult | null = null;
  let findings: Finding[] = [];
  const current = () => {
    if (builtFrom !== shownResult.result) {
      builtFrom = shownResult.result;
      findings = builtFrom.findings.filter((f) => f.category === category && f.code === code);
      // What was listed is of another result: list again.
      list.replaceChildren();
      shown = 0;
    }
    return findings;
  };
  const details = el("details", "code-group");
  details.dataset.code = code;
  const summary = el("summary");
  summary.append(el("code", "code", code), el("span", "group-count", `${count}`));
  if (rule) {
    const text = el("span", "group-summary");
    renderInline(text, rule.summary);
    summary.append(text);
  }
  details.append(summary);
  const list = el("ul", "finding-list");
  details.append(list);
  let shown = 0;
  const more = el("button", "show-more");
  more.type = "button";
  const showUpTo = (n: number) => {
    const findings = current();
    const { hooks, result } = shownResult;
    const policies = result.policies;
    const end = Math.min(n, findings.length);
    const fragment = document.createDocumentFragment();
    const page: Finding[] = [];
    const items: HTMLElement[] = [];
    for (; shown < end; shown++) {
      const item = renderFinding(findings[shown], rule, hooks, policies);
      page.push(findings[shown]);
      items.push(item);
      fragment.append(item);
    }
    list.append(fragment);
    void loadPageFixes(page, items, hooks);
    openGroups.set(code, shown);
    const left = findings.length - shown;
    more.textContent = `Show ${Math.min(GROUP_PAGE, left)} more (${left} not shown)`;
    if (left > 0) details.append(more);
    else more.remove();
  };
  more.addEventListener("click", () => showUpTo(shown + GROUP_PAGE));
  details.addEventListener("toggle", () => {
    if (details.open && (shown === 0 || builtFrom !== shownResult.result)) showUpTo(Math.max(shown, GROUP_PAGE));
    if (!details.open) openGroups.delete(code);
    else openGroups.set(code, shown);
  });
  const wasShown = openGroups.get(code);
  if (wasShown !== undefined) {
    details.open = true;
    showUpTo(Math.max(wasShown, GROUP_PAGE));
  }
  return details;
}

/** Ask for the fixes of a page of findings that came without, and add their buttons. */
async function loadPageFixes(page: Finding[], items: HTMLElement[], hooks: PanelHooks) {
  const wanted = page.filter((f) => f.fixes.length === 0);
  if (wanted.length === 0) return;
  const lists = await hooks.loadFixes(wanted);
  if (!lists) return;
  wanted.forEach((finding, i) => {
    const fixes = lists[i];
    if (!fixes || fixes.length === 0 || finding.fixes.length > 0) return;
    finding.fixes = fixes;
    const item = items[page.indexOf(finding)];
    const buttons = renderFixes(finding, hooks);
    if (item && buttons) item.insertBefore(buttons, item.querySelector(":scope > details.explain"));
  });
}

/** The quick-fix buttons of a finding, or null when it has none (yet). */
function renderFixes(finding: Finding, hooks: PanelHooks): HTMLElement | null {
  if (finding.fixes.length === 0) return null;
  const fixes = el("div", "fixes");
  finding.fixes.forEach((fix, fixIndex) => {
    const button = el("button", `fix safety-${fix.safety}`);
    button.type = "button";
    button.append(el("span", "fix-title", fix.title), el("span", "badge", fix.safety === "safe" ? "safe" : "review"));
    button.title =
      fix.safety === "safe"
        ? "Safe: the policy means the same, or grants strictly less without changing intent"
        : "Review: this narrows access; check it is what you want";
    button.addEventListener("click", () => hooks.applyFix(finding, fixIndex));
    fixes.append(button);
  });
  return fixes;
}

/** `policies`: those of a Terraform or CloudFormation file; a finding there names its own. */
function renderFinding(finding: Finding, rule: RuleDoc | undefined, hooks: PanelHooks, policies: PolicyInfo[]): HTMLElement {
  const item = el("li", `finding cat-${finding.category}`);
  item.dataset.code = finding.code;
  const { line, col } = hooks.position(finding.start);

  const head = el("div", "finding-head");
  const goto = el("button", "goto", `${line}:${col}`);
  goto.type = "button";
  goto.title = "Show in the editor";
  // The accessible name starts with the visible text (WCAG 2.5.3, axe's label-content-name-mismatch).
  goto.setAttribute("aria-label", `${line}:${col}, go to line ${line}, column ${col}`);
  goto.addEventListener("click", () => hooks.reveal(finding));
  head.append(goto, el("code", "code", finding.code));
  const policy = finding.policy === null ? undefined : policies[finding.policy];
  if (policy) {
    const where = el("span", "in-policy", "in ");
    where.append(el("code", undefined, policy.name));
    where.title = `The ${policy.policyType} policy ${policy.name} of this file`;
    head.append(where);
  }
  // Messages may quote elements in `backticks`; render those as code.
  const message = renderMarkdown(finding.message);
  message.classList.add("message");
  item.append(head, message);

  for (const rel of finding.related) {
    const r = hooks.position(rel.start);
    item.append(el("p", "related", `Related, ${r.line}:${r.col}: ${rel.message}`));
  }

  const fixes = renderFixes(finding, hooks);
  if (fixes) item.append(fixes);

  if (rule) {
    const details = el("details", "explain");
    const summary = el("summary");
    renderInline(summary, rule.summary);
    details.append(summary);
    details.append(renderMarkdown(rule.explanation));
    item.append(details);
  }
  return item;
}
