// The simulator panel: one request (principal, action, resource, context) evaluated by the core's
// engine against the editor's policy, as the identity or the resource policy, with an optional
// permissions boundary and SCP. Shows the decision, the reason and how each statement matched;
// the decisive statements of the editor's policy are buttons that select them in the editor.
import type { Completion, InputProblem, PolicyTrace, SimulateInput, SimulateOutcome, StatementTrace } from "./protocol";

export interface SimulatorHooks {
  /** The editor's current text. */
  text(): string;
  simulate(input: SimulateInput): Promise<SimulateOutcome>;
  /** Completions of the core at `offset` of `text` (used for the action field). */
  completions(text: string, offset: number): Promise<Completion[]>;
  /** Select start..end (UTF-16) in the editor and focus it. */
  select(start: number, end: number): void;
}

/** A request preset (the gallery's simulator examples). */
export interface SimulationPreset {
  role: "identity" | "resource";
  principal: string;
  action: string;
  resource: string;
  context?: string[];
}

const DEFAULT_PRESET: SimulationPreset = {
  role: "identity",
  principal: "arn:aws:iam::123456789012:user/alice",
  action: "dynamodb:GetItem",
  resource: "arn:aws:dynamodb:eu-west-1:123456789012:table/Orders",
};

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

const MATCH_TEXT = { matched: "matched", notMatched: "not matched", absent: "—" } as const;
const SOURCE_TITLE = { editor: "Editor policy", boundary: "Permissions boundary", scp: "SCP" } as const;

export class Simulator {
  private readonly root: HTMLDetailsElement;
  private readonly form: HTMLFormElement;
  private readonly out: HTMLDivElement;
  private readonly actionList: HTMLDataListElement;
  private ran = false;
  private running = false;
  private again = false;
  /** Bumped by reset(): an answer to an older request is not shown. */
  private generation = 0;
  /** Completed simulations (the tests wait on it). */
  runs = 0;

  constructor(root: HTMLDetailsElement, private readonly hooks: SimulatorHooks) {
    this.root = root;
    this.form = root.querySelector("form") as HTMLFormElement;
    this.out = root.querySelector("#sim-result") as HTMLDivElement;
    this.actionList = root.querySelector("#sim-actions") as HTMLDataListElement;
    this.fill(DEFAULT_PRESET);
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.ran = true;
      void this.run();
    });
    const action = this.field("action");
    let pending = 0;
    action.addEventListener("input", () => {
      clearTimeout(pending);
      pending = window.setTimeout(() => void this.suggestActions(action.value), 120);
    });
  }

  private field(name: string): HTMLInputElement & HTMLTextAreaElement {
    return this.form.elements.namedItem(name) as HTMLInputElement & HTMLTextAreaElement;
  }

  /** Put a preset into the form, open the panel and run it. */
  load(preset: SimulationPreset, run = true) {
    this.fill(preset);
    if (run) {
      this.root.open = true;
      this.ran = true;
      void this.run();
    }
  }

  /** Back to the default request, with the role a policy of `policyType` plays, and no result:
   * what was simulated for another policy does not carry over. */
  reset(policyType: string) {
    const role = policyType === "resource" || policyType.startsWith("resource:") ? "resource" : "identity";
    this.fill({ ...DEFAULT_PRESET, role });
    for (const name of ["resourceAccount", "boundary", "scp"]) this.field(name).value = "";
    this.ran = false;
    this.again = false;
    this.generation++;
    this.out.replaceChildren();
    delete this.out.dataset.decision;
    this.root.dataset.resets = String(Number(this.root.dataset.resets ?? 0) + 1);
  }

  private fill(p: SimulationPreset) {
    (this.form.elements.namedItem("role") as RadioNodeList).value = p.role;
    this.field("principal").value = p.principal;
    this.field("action").value = p.action;
    this.field("resource").value = p.resource;
    this.field("context").value = (p.context ?? []).join("\n");
  }

  /** The editor changed: run again if a simulation is shown. */
  refresh() {
    if (this.ran && this.root.open) void this.run();
  }

  private input(): SimulateInput {
    const lines = (name: string) => this.field(name).value.split("\n");
    const scp = this.field("scp").value;
    return {
      policy: this.hooks.text(),
      policyRole: (this.form.elements.namedItem("role") as RadioNodeList).value === "resource" ? "resource" : "identity",
      principal: this.field("principal").value,
      action: this.field("action").value,
      resource: this.field("resource").value,
      resourceAccount: this.field("resourceAccount").value,
      context: lines("context"),
      boundary: this.field("boundary").value,
      scps: scp.trim() ? [scp] : [],
    };
  }

  /** One simulation in flight; edits during it cause one more run with the newest text. */
  private async run() {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      const generation = this.generation;
      const outcome = await this.hooks.simulate(this.input());
      if (generation !== this.generation) return;
      this.render(outcome);
      this.runs++;
      this.root.dataset.runs = String(this.runs);
    } catch (e) {
      this.out.replaceChildren(el("p", "sim-problem", `The simulator failed: ${(e as Error).message}`));
    } finally {
      this.running = false;
    }
    if (this.again) {
      this.again = false;
      void this.run();
    }
  }

  private render(outcome: SimulateOutcome) {
    const fragment = document.createDocumentFragment();
    if (outcome.type === "error") {
      fragment.append(el("p", "decision decision-error", "Cannot simulate"));
      const list = el("ul", "sim-problems");
      for (const problem of outcome.problems.length ? outcome.problems : [{ message: outcome.message } as InputProblem]) {
        list.append(this.renderProblem(problem));
      }
      fragment.append(list);
      this.out.replaceChildren(fragment);
      this.out.dataset.decision = "error";
      return;
    }
    const sim = outcome.value;
    const decision = el("p", `decision decision-${sim.decision}`, sim.decision);
    decision.id = "sim-decision";
    fragment.append(decision, el("p", "sim-reason", sim.reason));
    const facts = `${sim.sameAccount ? "Same account" : "Cross-account"}` +
      (sim.resourcePolicyKind === "generic" ? "" : ` · resource policy treated as a ${sim.resourcePolicyKind === "roleTrust" ? "role trust policy" : "KMS key policy"}`);
    fragment.append(el("p", "sim-facts", facts));
    const decisive = new Set(sim.decisiveStatements.map((d) => `${d.source}/${d.level}/${d.index}`));
    for (const policy of sim.policies) fragment.append(this.renderPolicy(policy, decisive));
    this.out.replaceChildren(fragment);
    this.out.dataset.decision = sim.decision;
  }

  private renderProblem(problem: InputProblem): HTMLElement {
    const item = el("li", "sim-problem");
    if (problem.field === "policy" && problem.start !== null && problem.end !== null) {
      const button = el("button", "goto", "Show");
      button.type = "button";
      button.setAttribute("aria-label", "Show the problem in the editor");
      const { start, end } = problem;
      button.addEventListener("click", () => this.hooks.select(start, end ?? start));
      item.append(button, " ");
    }
    item.append(problem.message);
    return item;
  }

  private renderPolicy(policy: PolicyTrace, decisive: Set<string>): HTMLElement {
    const section = el("section", "sim-policy");
    const level = policy.level !== null ? ` (level ${policy.level})` : "";
    section.append(el("h4", undefined, `${SOURCE_TITLE[policy.source]}${level} · ${policy.kind} policy`));
    const list = el("ul", "sim-statements");
    for (const st of policy.statements) {
      const key = `${policy.source}/${policy.level}/${st.index}`;
      list.append(this.renderStatement(st, policy.source === "editor", decisive.has(key)));
    }
    section.append(list);
    return section;
  }

  private renderStatement(st: StatementTrace, inEditor: boolean, isDecisive: boolean): HTMLElement {
    const item = el("li", `sim-statement effect-${st.effect}${st.applies ? " applies" : ""}${isDecisive ? " decisive" : ""}`);
    item.dataset.sid = st.sid ?? "";
    item.dataset.applies = String(st.applies);
    const name = `${st.effect} ${st.sid ? `“${st.sid}”` : `statement ${st.index + 1}`}`;
    const head = el("div", "sim-statement-head");
    if (inEditor) {
      const button = el("button", "sim-select", name);
      button.type = "button";
      button.title = "Select this statement in the editor";
      button.addEventListener("click", () => this.hooks.select(st.start, st.end));
      head.append(button);
    } else {
      head.append(el("strong", undefined, name));
    }
    head.append(el("span", `sim-verdict ${st.applies ? "yes" : "no"}`, st.applies ? (isDecisive ? "decisive" : "applies") : "does not apply"));
    item.append(head);
    const parts = el("p", "sim-parts");
    const part = (label: string, m: StatementTrace["action"]) => {
      if (m === "absent") return;
      const span = el("span", `sim-part ${m}`, `${label} ${MATCH_TEXT[m]}`);
      parts.append(span, " ");
    };
    part("Action", st.action);
    part("Resource", st.resource);
    part("Principal", st.principal);
    for (const c of st.conditions) {
      const text = `${c.operator} ${c.key} ${c.matched ? "matched" : "not matched"}${c.keyMissing ? " (key not in the request)" : ""}`;
      parts.append(el("span", `sim-part ${c.matched ? "matched" : "notMatched"}`, text), " ");
    }
    item.append(parts);
    return item;
  }

  /** Offer the core's action completions for what is typed so far (via a one-line policy). */
  private async suggestActions(typed: string) {
    const prefix = '{"Statement":[{"Action":"';
    const text = `${prefix}${typed}"}]}`;
    const items = await this.hooks.completions(text, prefix.length + typed.length);
    if (this.field("action").value !== typed) return;
    // The core proposes every action of the service; the datalist shows those that start with
    // what is typed (browsers filter datalists themselves, but only within what they are given).
    const values = new Set<string>();
    const lower = typed.trim().toLowerCase();
    for (const item of items) {
      if (item.kind !== "action" && item.kind !== "service") continue;
      // Apply the completion to the one-line policy and read the action back out.
      const edited = text.slice(0, item.start) + item.insertText + text.slice(item.end);
      try {
        const action = JSON.parse(edited).Statement[0].Action;
        if (typeof action === "string" && action.toLowerCase().startsWith(lower)) values.add(action);
      } catch {
        // A completion that does not leave valid JSON here is not an action name.
      }
      if (values.size >= 100) break;
    }
    this.actionList.replaceChildren(...[...values].map((v) => new Option(v, v)));
  }
}
