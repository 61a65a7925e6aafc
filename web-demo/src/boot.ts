// Starts the worker (and so the wasm download and compile) before the editor's code is even
// parsed, and paints the first findings of the initial policy into the panel as soon as the core
// answers, without waiting for the editor: CodeMirror is most of the page's JavaScript and
// parsing it is the slowest part of the start-up. main.ts, loaded after this by entry.ts, then
// builds the editor and takes over (reusing this first answer for the editor's marks).
import { CoreClient } from "./client";
import { EXAMPLES } from "./examples";
import { FLAT_LIMIT, renderFindings } from "./panel";
import type { CheckResult } from "./protocol";
import { linkNotice, showLinkNotice, type LinkNotice, type LinkOutcome } from "./share";
import { check as checkInPage, decodeShareLink, initSync } from "./wasm/iamlint_wasm";
import wasmUrl from "./wasm/iamlint_wasm_bg.wasm?url";
import "./style.css";

/** Timings the benchmark and the tests read (see bench/playground.mjs). */
export interface Perf {
  /** performance.now() when the first findings were on screen (0 = navigation start). */
  firstFindingsAt: number | null;
  /** The editor is built and showing the findings with its marks (main.ts took over). */
  editorReady: boolean;
  /** For each shown result: ms from the last edit it covers to its findings in the page (DOM
   * and editor updated). */
  latencies: number[];
  /** The same, up to the next animation frame (when the browser paints them). */
  paintLatencies: number[];
  /** For the same results: ms the worker spent on the call (the text updated, the wasm's check
   * and its answer built). */
  workerMs: number[];
  /** Results shown so far. */
  shown: number;
  /** Named moments of the start-up (ms since navigation start) and the wasm's own timings. */
  marks: Record<string, number>;
}
export const perf: Perf = {
  firstFindingsAt: null,
  editorReady: false,
  latencies: [],
  paintLatencies: [],
  workerMs: [],
  shown: 0,
  marks: { script: performance.now() },
};
(window as unknown as { __iamlint: Perf }).__iamlint = perf;

// Compile the wasm here, while the worker is still starting (creating a module worker takes a
// while): streaming compilation overlaps the download (index.html preloads the file), and the
// compiled module is handed to the worker. Null (e.g. no streaming support) lets the worker fetch it.
const wasmModule: Promise<WebAssembly.Module | null> = WebAssembly.compileStreaming(fetch(wasmUrl)).catch(() => null);
void wasmModule.then(() => (perf.marks.wasmCompiled = performance.now()));

export const client = new CoreClient(wasmModule);

export interface InitialPolicy {
  text: string;
  policyType: string;
  /** The format selector's value ("json", "terraform", "cloudformation-yaml"). */
  format: string;
  /** What the page says about the share link it was opened with. */
  notice: LinkNotice | null;
  /** The link was refused (damaged, newer, too large): the editor starts empty, nothing is checked. */
  refused: boolean;
}

/** Read a share link with the core (in the page when the module compiled, else in the worker). */
async function readLink(hash: string): Promise<LinkOutcome> {
  const module = await wasmModule;
  if (module) {
    try {
      initSync({ module });
      return decodeShareLink(hash);
    } catch {
      // Fall through to the worker.
    }
  }
  return client.call("decodeShareLink", hash);
}

async function initialPolicy(): Promise<InitialPolicy> {
  if (location.hash.length > 1) {
    const outcome = await readLink(location.hash);
    const notice = linkNotice(outcome);
    showLinkNotice(notice);
    if (outcome.type === "ok") {
      const { text, policyType, format } = outcome.value;
      return { text, policyType, format, notice, refused: false };
    }
    // A damaged link shows its message and no policy: not the default one, not a guess.
    if (outcome.type === "error") return { text: "", policyType: "auto", format: "json", notice, refused: true };
  }
  // Start on a policy with something to fix (a service-wide wildcard with narrowing fixes).
  const first = EXAMPLES.find((e) => e.id === "lp-3-table") ?? EXAMPLES[0];
  return { text: first.text, policyType: first.policyType, format: first.format ?? "json", notice: null, refused: false };
}

/** The policy the page opens with (from the share link, or the first example). */
export const initial: Promise<InitialPolicy> = initialPolicy();

// Show the policy at once as plain text; main.ts replaces it with the editor.
void initial.then(({ text }) => {
  perf.marks.initial = performance.now();
  const editor = document.getElementById("editor");
  if (!editor || editor.childElementCount > 0) return;
  const pre = document.createElement("pre");
  pre.className = "editor-placeholder";
  pre.textContent = text;
  editor.append(pre);
});

/** The core's findings for the initial policy, or null if the check failed (main.ts retries).
 * For an ordinary policy the first check runs here, in the page, on the module compiled above:
 * starting a module worker is the slowest step of the start-up on a busy machine, and the editor
 * is not there yet, so nothing waits for the main thread. The worker answers everything after. */
export const firstCheck: Promise<{ text: string; result: CheckResult | null; id?: number }> = Promise.all([initial, wasmModule]).then(
  async ([{ text, policyType, format, refused }, module]) => {
    if (refused) return { text, result: null };
    if (module && text.length <= 20_000) {
      try {
        initSync({ module });
        const t0 = performance.now();
        const outcome = checkInPage(text, { policyType, format, fixLimit: FLAT_LIMIT });
        perf.marks.check0 = performance.now() - t0;
        perf.marks.firstAnswer = performance.now();
        if (outcome.type === "ok") return { text, result: outcome.value };
      } catch {
        // A trap or a failed instantiation: ask the worker instead.
      }
    }
    try {
      // The worker's checker: main.ts's next check of this text is then a delta against it.
      // As version 0 of the editor's text (main.ts sends the changes after it).
      const outcome = await client.call("checkEdit", { version: 0, text }, { policyType, format, fixEdits: false, fixLimit: FLAT_LIMIT }, null);
      perf.marks.firstAnswer = performance.now();
      perf.marks.check0 = client.lastMs;
      if (outcome.type !== "ok" || outcome.value.kind !== "full") return { text, result: null };
      return { text, result: outcome.value.result, id: outcome.value.id };
    } catch {
      return { text, result: null };
    }
  },
);

/** Resolves once the first findings are painted (or the first check failed). */
export const firstPaint: Promise<void> = firstCheck.then(({ text, result }) => {
  const box = document.getElementById("findings");
  // main.ts may already have shown findings (it owns the panel from then on).
  if (!result || !box || box.dataset.version !== "-1") return;
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") lineStarts.push(i + 1);
  renderFindings(box, result, new Map(), {
    position: (offset) => {
      let line = 0;
      while (line + 1 < lineStarts.length && lineStarts[line + 1] <= offset) line++;
      return { line: line + 1, col: offset - lineStarts[line] + 1 };
    },
    // The editor is not there yet; main.ts re-renders with working buttons in a moment.
    reveal: () => {},
    applyFix: () => {},
    loadFixes: async () => null,
  });
  const n = result.findings.length;
  const count = document.getElementById("findings-count");
  if (count) count.textContent = String(n);
  const status = document.getElementById("status");
  if (status) status.textContent = `${n} finding${n === 1 ? "" : "s"} · checked as ${result.policyType} · loading the editor…`;
  box.dataset.count = String(n);
  perf.marks.panelFindings = performance.now();
  return new Promise<void>((resolve) =>
    requestAnimationFrame(() => {
      perf.firstFindingsAt ??= performance.now();
      // One more frame so the browser really paints before the editor's code takes the thread.
      setTimeout(resolve, 0);
    }),
  );
});

/** When to load the editor: after the first findings are painted for an ordinary policy; at once
 * for a large one (its first check can take a second, and the editor should not wait for it); in
 * any case after 1.5 s. */
export const editorGate: Promise<unknown> = initial.then(({ text }) =>
  text.length > 20_000 ? undefined : Promise.race([firstPaint, new Promise((resolve) => setTimeout(resolve, 1500))]),
);
