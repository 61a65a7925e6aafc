// The "Compare with a reference policy" pane (issue 16): does the editor's policy grant anything
// the reference does not? The core's check-no-new-access answers in the worker (PASS is a proof
// over every request); FAIL lists the reasons, each statement a button that selects it in the
// editor. Once run, it runs again on every check of the editor's text.
import type { CompareOutcome } from "./protocol";

export interface CompareHooks {
  text(): string;
  compare(policy: string, reference: string): Promise<CompareOutcome>;
  select(start: number, end: number): void;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export class Compare {
  private readonly form: HTMLFormElement;
  private readonly out: HTMLDivElement;
  private used = false;
  /** One comparison at a time; asked again meanwhile, it runs once more after (newest text). */
  private pending: Promise<void> | null = null;
  private queued = false;

  constructor(root: HTMLDetailsElement, private readonly hooks: CompareHooks) {
    this.form = root.querySelector("form") as HTMLFormElement;
    this.out = root.querySelector("#compare-result") as HTMLDivElement;
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.used = true;
      this.request();
    });
  }

  /** The editor's text changed and was checked: compare again if the user has compared. */
  refresh() {
    if (this.used) this.request();
  }

  private request() {
    if (this.pending) {
      this.queued = true;
      return;
    }
    this.pending = this.compareOnce().finally(() => {
      this.pending = null;
      if (this.queued) {
        this.queued = false;
        this.request();
      }
    });
  }

  private async compareOnce() {
    try {
      const reference = (this.form.elements.namedItem("reference") as HTMLTextAreaElement).value;
      this.show(await this.hooks.compare(this.hooks.text(), reference));
    } catch (e) {
      this.out.replaceChildren(el("p", "decision decision-error", `The checker failed: ${(e as Error).message}`));
    }
    // Completed comparisons, for the tests to wait on.
    this.out.dataset.runs = String(Number(this.out.dataset.runs ?? 0) + 1);
  }
  private show(outcome: CompareOutcome) {
    if (outcome.type === "error") {
      const list = el("ul", "sim-problems");
      for (const p of outcome.problems) {
        list.append(el("li", "sim-problem", `${p.which === "policy" ? "Editor policy" : "Reference"}: ${p.message}`));
      }
      this.out.replaceChildren(el("p", "decision decision-error", "Cannot compare"), list);
      this.out.dataset.result = "error";
      return;
    }
    const pass = outcome.result === "PASS";
    const verdict = el("p", `decision compare-${outcome.result}`, outcome.result);
    const summary = el(
      "p",
      "sim-reason",
      pass
        ? "The editor's policy grants nothing the reference does not, for every request."
        : "The editor's policy may grant access the reference does not:",
    );
    const list = el("ul", "compare-reasons");
    for (const reason of outcome.reasons) {
      const item = el("li", "compare-reason");
      if (reason.start !== null && reason.end !== null) {
        const { start, end } = reason;
        const go = el("button", "sim-select", reason.statementId ? `Statement ${reason.statementId}` : `Statement ${(reason.statementIndex ?? 0) + 1}`);
        go.type = "button";
        go.title = "Select this statement in the editor";
        go.addEventListener("click", () => this.hooks.select(start, end));
        item.append(go, " ");
      }
      item.append(el("span", undefined, reason.description));
      list.append(item);
    }
    this.out.replaceChildren(verdict, summary, list);
    this.out.dataset.result = outcome.result;
  }
}
