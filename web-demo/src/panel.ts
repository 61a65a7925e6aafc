// The findings panel: the core's findings grouped by category, each with its position, message,
// quick-fix buttons and the rule's explanation.
import type { Category, CheckResult, Finding, Fix, RuleDoc } from "./protocol";
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
  applyFix(fix: Fix): void;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

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

  const fragment = document.createDocumentFragment();
  if (groups.length === 0) {
    fragment.append(el("p", "no-findings", "No findings. iamlint has nothing to say about this policy."));
  }
  for (const group of groups) {
    const section = el("section", `group cat-${group.category}`);
    section.dataset.category = group.category;
    const heading = el("h3", undefined, `${CATEGORY_TITLE[group.category]} (${group.findings.length})`);
    section.append(heading);
    const list = el("ul", "finding-list");
    for (const finding of group.findings) list.append(renderFinding(finding, rules.get(finding.code), hooks));
    section.append(list);
    fragment.append(section);
  }
  container.replaceChildren(fragment);
}

function renderFinding(finding: Finding, rule: RuleDoc | undefined, hooks: PanelHooks): HTMLElement {
  const item = el("li", `finding cat-${finding.category}`);
  item.dataset.code = finding.code;
  const { line, col } = hooks.position(finding.start);

  const head = el("div", "finding-head");
  const goto = el("button", "goto", `${line}:${col}`);
  goto.type = "button";
  goto.title = "Show in the editor";
  goto.setAttribute("aria-label", `Go to line ${line}, column ${col}`);
  goto.addEventListener("click", () => hooks.reveal(finding));
  head.append(goto, el("code", "code", finding.code));
  // Messages may quote elements in `backticks`; render those as code.
  const message = renderMarkdown(finding.message);
  message.classList.add("message");
  item.append(head, message);

  for (const rel of finding.related) {
    const r = hooks.position(rel.start);
    item.append(el("p", "related", `Related, ${r.line}:${r.col}: ${rel.message}`));
  }

  if (finding.fixes.length > 0) {
    const fixes = el("div", "fixes");
    for (const fix of finding.fixes) {
      const button = el("button", `fix safety-${fix.safety}`);
      button.type = "button";
      button.append(el("span", "fix-title", fix.title), el("span", "badge", fix.safety === "safe" ? "safe" : "review"));
      button.title =
        fix.safety === "safe"
          ? "Safe: the policy means the same, or grants strictly less without changing intent"
          : "Review: this narrows access; check it is what you want";
      button.addEventListener("click", () => hooks.applyFix(fix));
      fixes.append(button);
    }
    item.append(fixes);
  }

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
