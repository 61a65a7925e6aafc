// The playground page (loaded by entry.ts after the worker has started): wires the editor, the findings panel and the controls to the worker.
import { forEachDiagnostic, setDiagnostics, type Diagnostic as CmDiagnostic } from "@codemirror/lint";
import { EditorSelection, StateEffect, type ChangeSet, type Text } from "@codemirror/state";
import { EditorView } from "@codemirror/view";
import { client, firstCheck, initial as initialPromise, perf } from "./boot";
import { applyEdits, createEditor, setEditorLanguage, setEditorTheme } from "./editor";
import { EXAMPLES, FORMATS } from "./examples";
import { setupAudit } from "./audit";
import { Compare } from "./compare";
import { applyAnswer, type Held } from "./delta";
import { DiagnosticsWindow } from "./diagnostics-window";
import { FLAT_LIMIT, renderFindings } from "./panel";
import type { CheckOptions, CheckResult, Completion, Finding, FindingRef, RuleDoc, TextUpdate } from "./protocol";
import { PanelFocus } from "./focus";
import { ExamplePicker } from "./picker";
import { FragmentFollower, linkNotice, shareUrl, showLinkNotice } from "./share";
import { Simulator } from "./simulator";




const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const typeSelect = $<HTMLSelectElement>("policy-type");
const formatSelect = $<HTMLSelectElement>("format");
for (const f of FORMATS) formatSelect.append(new Option(f.label, f.id));
const exampleSelect = $<HTMLSelectElement>("examples");
const findingsBox = $<HTMLDivElement>("findings");
const statusLine = $<HTMLParagraphElement>("status");
const countBadge = $<HTMLSpanElement>("findings-count");
const fixAllButton = $<HTMLButtonElement>("fix-all");
const themeButton = $<HTMLButtonElement>("theme");

const rules = new Map<string, RuleDoc>();
// When no finding is left to focus: the heading of the panel (focusable by script only).
const panelFocus = new PanelFocus(findingsBox, () => $("findings-count").closest("h2"));

function options(): CheckOptions {
  return { policyType: typeSelect.value || "auto", format: formatSelect.value || "json" };
}

/** Checks leave the fixes' edits out (a fix's edits are fetched when it is applied), and with
 * more findings than the panel lists one by one, the fixes themselves: the core then builds none
 * (for 5,000 `s3:*` findings, 15,000 narrowing fixes of hundreds of actions each, most of the
 * check's time), and the panel asks for those of the findings it shows. */
function checkOptions(): CheckOptions {
  return { ...options(), fixEdits: false, fixLimit: FLAT_LIMIT };
}

/** What names a finding to the worker. */
const named = (f: Finding): FindingRef => ({ code: f.code, start: f.start, end: f.end, nth: f.nth });

function unwrap<T>(outcome: { type: "ok"; value: T } | { type: "error"; message: string }, fallback: T): T {
  if (outcome.type === "ok") return outcome.value;
  statusLine.textContent = `Error: ${outcome.message}`;
  return fallback;
}

// ---- theme ----

const storedTheme = localStorage.getItem("iamlint-theme");
let dark = storedTheme ? storedTheme === "dark" : matchMedia("(prefers-color-scheme: dark)").matches;
function paintTheme() {
  document.documentElement.dataset.theme = dark ? "dark" : "light";
  themeButton.textContent = dark ? "Light theme" : "Dark theme";
  themeButton.setAttribute("aria-pressed", String(dark));
}
paintTheme();

// ---- live checking: one request in flight, the newest text wins ----

let docVersion = 0;
const editedAt = new Map<number, number>();
let inFlight = false;
let shownVersion = -1;
let lastResult: CheckResult | null = null;
/** The findings of the worker checker's last answer, which its next answer may be a delta
 * against (delta.ts); kept up to date even when that answer is not shown (the text moved on). */
let held: Held | null = null;
/** How many answers came whole, as deltas and as requests for the whole text, and how many
 * times the text went whole or as changes (for the browser tests). */
const answers = { full: 0, delta: 0, resync: 0, texts: 0, changes: 0 };

/** Which version of the editor's text the worker holds (null: none it can be sent changes to),
 * and the changes since it. Only edits count versions here (`docVersion` also counts option
 * changes). */
let textVersion = 0;
let workerText: number | null = null;
let changesSince: ChangeSet | null = null;

/** The editor's text for the worker: the changes since the version it holds, or the whole. */
function textUpdate(): TextUpdate {
  const version = textVersion;
  const base = workerText;
  const changes = changesSince;
  workerText = version;
  changesSince = null;
  if (base === null) {
    answers.texts++;
    return { version, text: view.state.doc.toString() };
  }
  answers.changes++;
  const list: [number, number, string][] = [];
  changes?.iterChanges((fromA, toA, _fromB, _toB, inserted) => list.push([fromA, toA, inserted.toString()]));
  return { version, from: base, changes: list, length: view.state.doc.length };
}

function requestCheck() {
  if (inFlight) return;
  const version = docVersion;
  inFlight = true;
  client
    .call("checkEdit", textUpdate(), checkOptions(), held?.id ?? null)
    .then((outcome) => {
      inFlight = false;
      if (outcome.type === "resync") {
        // The worker lost the text (restarted) or the changes did not fit: send it whole.
        answers.resync++;
        workerText = null;
        requestCheck();
        return;
      }
      const answer = unwrap(outcome, null);
      held = answer ? applyAnswer(held, answer) : null;
      if (answer) answers[answer.kind]++;
      // A delta for findings this page does not hold: ask again, for the whole result.
      if (version !== docVersion || (answer && !held)) {
        requestCheck();
        return;
      }
      perf.marks[`check${version}`] ??= client.lastMs;
      if (held) show(held.result, version);
    })
    .catch((e: Error) => {
      inFlight = false;
      held = null;
      workerText = null;
      statusLine.textContent = `The checker failed: ${e.message}`;
    });
}

function onEdit(changes: ChangeSet) {
  if (marked) marked.changes = marked.changes ? marked.changes.compose(changes) : changes;
  textVersion++;
  changesSince = changesSince ? changesSince.compose(changes) : changes;
  docVersion++;
  editedAt.set(docVersion, performance.now());
  requestCheck();
  picker.sync(() => view.state.doc.toString());
  follower.changed();
}

/** Completions at `offset` of the editor's text `doc`, from the worker's copy of it (sent the
 * changes since the version it holds, as a check is): on a 1.3 MB policy each typed character
 * asks for completions, and the text is then neither copied out of the editor, sent whole nor
 * parsed again. Nothing for a text the editor has moved past (CodeMirror asks again). */
async function completeAt(doc: Text, offset: number): Promise<Completion[]> {
  for (let tries = 0; tries < 2 && doc === view.state.doc; tries++) {
    const outcome = await client.call("completeEdit", textUpdate(), offset, options());
    if (outcome.type !== "resync") return unwrap(outcome, []);
    // The worker did not hold the version the changes start from: send the whole text.
    answers.resync++;
    workerText = null;
  }
  return [];
}

/** Apply fix number `fixIndex` of a shown finding, asking the worker for its edits; nothing
 * happens if the text changes meanwhile (the findings are stale). */
async function applyFix(finding: Finding, fixIndex: number) {
  const version = docVersion;
  if (shownVersion !== version) return;
  const outcome = await client.call("fix", view.state.doc.toString(), named(finding), fixIndex, options());
  const fix = unwrap(outcome, null);
  if (fix && version === docVersion) applyEdits(view, fix.edits);
}

const SEVERITY = { error: "error", security: "error", warning: "warning", suggestion: "info" } as const;

function toCm(finding: Finding): CmDiagnostic {
  return {
    from: finding.start,
    to: finding.end,
    severity: SEVERITY[finding.category],
    markClass: `iamlint-${finding.category}`,
    source: finding.code,
    message: finding.message,
    actions: finding.fixes.map((fix, fixIndex) => ({
      name: fix.title,
      apply: () => void applyFix(finding, fixIndex),
    })),
  };
}

const editorWindow = new DiagnosticsWindow();

/** The findings last given to the editor, the diagnostics made of them (CodeMirror holds these
 * very objects), and the editor's changes since (null: none). The editor moves its marks through
 * each change itself. */
let marked: { findings: Finding[]; diagnostics: CmDiagnostic[]; changes: ChangeSet | null } | null = null;

/** Whether the editor's marks of `old`, moved through `changes`, are those `now` would give, the
 * messages aside: the same findings at the positions the changes moved them to, none of them at
 * the edge of a change (where moving could go either way), and none with fixes (whose actions
 * name the finding given). A keystroke in a Sid of the 5,000-finding policy moves the marks on
 * screen and changes none, and giving the editor 150 marks again costs milliseconds (its gutter
 * builds every marker again). */
function sameMarks(old: Finding[], now: Finding[], changes: ChangeSet | null): boolean {
  if (old.length !== now.length) return false;
  const at = (was: number, is: number) =>
    changes === null ? was === is : changes.mapPos(was, -1) === is && changes.mapPos(was, 1) === is;
  return now.every((f, k) => {
    const o = old[k];
    return (
      f.code === o.code &&
      f.category === o.category &&
      f.fixes.length === 0 &&
      o.fixes.length === 0 &&
      at(o.start, f.start) &&
      at(o.end, f.end)
    );
  });
}

/** Whether a diagnostic's message is on screen now: a lint tooltip (hover or gutter) or the lint
 * panel (Mod-Shift-m) shows the text it had when drawn. */
function lintTextShown(): boolean {
  return view.dom.querySelector(".cm-tooltip-lint, .cm-panel-lint") !== null;
}

/** Give the editor the findings around the screen (all of them when there are few). */
function markFindings(result: CheckResult) {
  const picked = editorWindow.pick(view.viewport.from, view.viewport.to);
  if (!picked) return;
  const findings = picked.map((i) => result.findings[i]);
  if (marked && sameMarks(marked.findings, findings, marked.changes)) {
    // Only messages may differ: the policy-size finding's counts the characters, so every key
    // near the top changes it. The editor reads a diagnostic's message when it draws a tooltip
    // or the lint panel, so the held diagnostic takes the new text in place, unless that text is
    // on screen now (then the editor is given the window again, which draws it anew).
    const diagnostics = marked.diagnostics;
    const changed = findings.some((f, k) => f.message !== diagnostics[k].message);
    if (!changed || !lintTextShown()) {
      if (changed) findings.forEach((f, k) => (diagnostics[k].message = f.message));
      marked = { findings, diagnostics, changes: null };
      return;
    }
  }
  const diagnostics = findings.map(toCm);
  view.dispatch(setDiagnostics(view.state, diagnostics));
  marked = { findings, diagnostics, changes: null };
}

function show(result: CheckResult, version: number) {
  lastResult = result;
  shownVersion = version;
  editorWindow.reset(result.findings);
  markFindings(result);
  renderFindings(findingsBox, result, rules, {
    position: (offset) => {
      const line = view.state.doc.lineAt(Math.min(offset, view.state.doc.length));
      return { line: line.number, col: offset - line.from + 1 };
    },
    reveal: (finding) => {
      view.dispatch({ selection: EditorSelection.range(finding.start, finding.end), scrollIntoView: true });
      view.focus();
    },
    applyFix: (finding, fixIndex) => {
      panelFocus.remember();
      void applyFix(finding, fixIndex);
    },
    loadFixes: async (findings) => {
      // While typing, the next results are coming: ask once the text has settled a moment, so
      // the worker is not kept from the next check.
      const current = () => version === docVersion && shownVersion === version && result === lastResult;
      await new Promise((resolve) => setTimeout(resolve, 150));
      if (!current() || inFlight) return null;
      const outcome = await client.call("fixes", view.state.doc.toString(), findings.map(named), checkOptions());
      return current() ? unwrap(outcome, null) : null;
    },
  });
  panelFocus.restore();
  const n = result.findings.length;
  countBadge.textContent = String(n);
  // Past the fix limit the findings came without fixes: whether any is safe is known on click.
  fixAllButton.disabled = n <= FLAT_LIMIT && !result.findings.some((f) => f.fixes.some((x) => x.safety === "safe"));
  const asked = typeSelect.value || "auto";
  // In a Terraform or CloudFormation file each policy has the type of its place.
  const checkedAs =
    result.format === "json"
      ? `checked as ${result.policyType}${asked === "auto" ? " (detected)" : ""}`
      : `${result.policies.length} polic${result.policies.length === 1 ? "y" : "ies"} found (` +
        result.policies.map((p) => `${p.name}: ${p.policyType}`).join(", ") +
        ")";
  statusLine.textContent = `${n} finding${n === 1 ? "" : "s"} · ${checkedAs} · ${client.lastMs.toFixed(1)} ms in the core`;
  findingsBox.dataset.policies = String(result.policies.length);
  findingsBox.dataset.version = String(version);
  findingsBox.dataset.count = String(n);
  simulator.refresh();
  compare.refresh();

  // Measured when the findings are in the page, and again at the next frame (painted).
  const edited = editedAt.get(version);
  if (edited !== undefined) {
    perf.latencies.push(performance.now() - edited);
    perf.workerMs.push(client.lastMs);
  }
  for (const v of editedAt.keys()) if (v <= version) editedAt.delete(v);
  requestAnimationFrame(() => {
    const now = performance.now();
    perf.shown++;
    if (perf.firstFindingsAt === null) perf.firstFindingsAt = now;
    if (!perf.editorReady) {
      perf.editorReady = true;
      perf.marks.editorFindings = now;
    }
    if (edited !== undefined) perf.paintLatencies.push(now - edited);
  });
}

// ---- editor ----

const initial = await initialPromise;
$("editor").replaceChildren(); // boot.ts's plain-text placeholder
const view = createEditor($("editor"), initial.text, dark, {
  onDocChanged: onEdit,
  hover: (text, offset) => client.call("hover", text, offset, options()),
  completions: completeAt,
  codeActions: async (text, start, end) => unwrap(await client.call("codeActions", text, start, end, options()), []),
});

// With many findings the editor's marks follow the viewport (diagnostics-window.ts); not from
// inside the update itself, which may not dispatch.
view.dispatch({
  effects: StateEffect.appendConfig.of(
    EditorView.updateListener.of((update) => {
      if (update.viewportChanged && lastResult && shownVersion === docVersion) {
        const result = lastResult;
        requestAnimationFrame(() => {
          if (result === lastResult && shownVersion === docVersion) markFindings(result);
        });
      }
    }),
  ),
});

const simulator = new Simulator($<HTMLDetailsElement>("simulator"), {
  text: () => view.state.doc.toString(),
  simulate: (input) => client.call("simulate", input),
  completions: async (text, offset) => unwrap(await client.call("completions", text, offset, { policyType: "identity" }), []),
  select: (start, end) => {
    const length = view.state.doc.length;
    view.dispatch({ selection: EditorSelection.range(Math.min(start, length), Math.min(end, length)), scrollIntoView: true });
    view.focus();
  },
});

const compare = new Compare($<HTMLDetailsElement>("compare"), {
  text: () => view.state.doc.toString(),
  compare: (policy, reference) => client.call("compareWithReference", policy, reference),
  select: (start, end) => {
    const length = view.state.doc.length;
    view.dispatch({ selection: EditorSelection.range(Math.min(start, length), Math.min(end, length)), scrollIntoView: true });
    view.focus();
  },
});

// For the browser tests: read the editor's text exactly (the DOM shows only the visible lines).
Object.assign(window, {
  __iamlintText: () => view.state.doc.toString(),
  __iamlintLinksWritten: () => follower.written,
  __iamlintCoords: (pos: number) => view.coordsAtPos(pos),
  /** How many findings the editor holds (diagnostics-window.ts). */
  __iamlintMarked: () => {
    let n = 0;
    forEachDiagnostic(view.state, () => n++);
    return n;
  },
  /** The messages of the findings with `code`: as the editor holds them, and in the result shown. */
  __iamlintMessages: (code: string) => {
    const editor: string[] = [];
    forEachDiagnostic(view.state, (d) => void (d.source === code && editor.push(d.message)));
    return { editor, result: (lastResult?.findings ?? []).filter((f) => f.code === code).map((f) => f.message) };
  },
  /** How the checks were sent and answered so far (delta.ts). */
  __iamlintAnswers: () => ({ ...answers }),
  /** Make the page believe the worker holds another version of the text than it does (the next
   * check must then be answered "resync" and the text sent whole). */
  __iamlintMisplaceWorkerText: () => {
    if (workerText !== null) workerText -= 1;
  },
  /** The findings shown against a full check of the editor's text in the worker: the indices
   * where they differ (none when the deltas were applied right). */
  __iamlintCompareWithFullCheck: async () => {
    const outcome = await client.call("check", view.state.doc.toString(), checkOptions());
    if (outcome.type !== "ok" || !lastResult) return ["no result"];
    const want = outcome.value.findings;
    const got = lastResult.findings;
    const differ: (number | string)[] = got.length === want.length ? [] : [`${got.length} findings, ${want.length} wanted`];
    want.forEach((f, i) => {
      if (JSON.stringify(f) !== JSON.stringify(got[i])) differ.push(i);
    });
    return differ;
  },
  /** No check running and the findings shown are those of the editor's text. */
  __iamlintIdle: () => !inFlight && shownVersion === docVersion,
  __iamlintSelection: () => ({ from: view.state.selection.main.from, to: view.state.selection.main.to }),
  __iamlintSelect: (anchor: number, head: number) => {
    view.dispatch({ selection: EditorSelection.single(anchor, head) });
    view.focus();
  },
});

function loadPolicy(text: string, policyType: string, format = "json") {
  setPolicyType(policyType);
  setFormat(format);
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, userEvent: "input.load" });
}

function setFormat(format: string) {
  formatSelect.value = FORMATS.some((f) => f.id === format) ? format : "json";
  setEditorLanguage(view, formatSelect.value);
}

function setPolicyType(name: string) {
  if (![...typeSelect.options].some((o) => o.value === name)) {
    typeSelect.append(new Option(name, name));
  }
  typeSelect.value = name;
}

// ---- controls ----

// Each example sets the policy type, the format and the simulator (its own request, or the
// default one with the role its policy type implies), so nothing of the last one stays.
const picker = new ExamplePicker(exampleSelect, $<HTMLButtonElement>("load-example"), $("example-note"), EXAMPLES, (example) => {
  showLinkNotice(null);
  loadPolicy(example.text, example.policyType, example.format);
  if (example.simulation) simulator.load(example.simulation);
  else simulator.reset(example.policyType);
});

const follower = new FragmentFollower(
  ({ text, policyType, format }) => client.call("encodeShareLink", text, policyType, format),
  () => ({ text: view.state.doc.toString(), policyType: typeSelect.value || "auto", format: formatSelect.value || "json" }),
);

formatSelect.addEventListener("change", () => {
  setEditorLanguage(view, formatSelect.value);
  docVersion++;
  editedAt.set(docVersion, performance.now());
  requestCheck();
  follower.changed();
});

typeSelect.addEventListener("change", () => {
  docVersion++;
  editedAt.set(docVersion, performance.now());
  requestCheck();
  follower.changed();
});

fixAllButton.addEventListener("click", async () => {
  const text = view.state.doc.toString();
  const action = unwrap(await client.call("fixAll", text, options()), null);
  if (!action) statusLine.textContent = "No safe fix to apply.";
  if (action && view.state.doc.toString() === text) {
    panelFocus.remember();
    applyEdits(view, action.edits);
  }
});

$("share").addEventListener("click", async () => {
  follower.cancel();
  const link = await client.call("encodeShareLink", view.state.doc.toString(), typeSelect.value || "auto", formatSelect.value || "json");
  history.replaceState(null, "", `#${link.fragment}`);
  const { url, long } = shareUrl(link);
  let copied = true;
  try {
    await navigator.clipboard.writeText(url);
  } catch {
    copied = false;
  }
  statusLine.textContent = copied
    ? "Share link copied. The policy is in the link itself (after #), never sent anywhere."
    : "Share link is in the address bar (the policy is after #, never sent anywhere).";
  showLinkNotice(
    long
      ? {
          level: "info",
          message:
            `This link is ${url.length.toLocaleString("en")} characters long: browsers, chat tools and issue trackers may cut ` +
            `links over ${link.longLinkChars.toLocaleString("en")} characters (a cut link will not open). Share the policy as a file instead.`,
        }
      : null,
  );
});

window.addEventListener("hashchange", async () => {
  const outcome = await client.call("decodeShareLink", location.hash);
  showLinkNotice(linkNotice(outcome));
  if (outcome.type === "ok") {
    const { text, policyType, format } = outcome.value;
    if (text !== view.state.doc.toString()) loadPolicy(text, policyType, format);
    picker.reset(text);
  } else if (outcome.type === "error") {
    // Nothing of a refused link is shown; the previous policy goes too (Ctrl+Z brings it back),
    // so that it cannot be taken for the link's.
    loadPolicy("", "auto", "json");
  }
});

themeButton.addEventListener("click", () => {
  dark = !dark;
  localStorage.setItem("iamlint-theme", dark ? "dark" : "light");
  paintTheme();
  setEditorTheme(view, dark);
});

setupAudit(client);

// ---- start ----

perf.marks.editor = performance.now();
const startup = await client.call("startup");
perf.marks.startup = performance.now();
perf.marks.wasmInit = startup.initMs;
perf.marks.wasmInstantiate = startup.instantiateMs;
perf.marks.workerStart = startup.workerStartedAt - performance.timeOrigin;
perf.marks.startupCall = client.lastMs;
for (const rule of startup.rules) rules.set(rule.code, rule);
for (const name of startup.policyTypes) {
  if (![...typeSelect.options].some((o) => o.value === name)) typeSelect.append(new Option(name, name));
}
setPolicyType(initial.policyType);
setFormat(initial.format);
picker.reset(initial.text);
const c = startup.catalog;
$("catalog").textContent =
  `iamlint ${c.iamlintVersion} · AWS catalog ${c.sourcePackage} ${c.sourceVersion || "(none)"}` +
  `${c.dataDate ? ` of ${c.dataDate}` : ""} · ${c.serviceCount} services, ${c.actionCount} actions, ` +
  `${c.conditionKeyCount} condition keys`;
// Reuse boot.ts's first answer when it is for the text still in the editor.
const first = await firstCheck;
if (initial.refused && docVersion === 0) {
  // A refused share link: no policy, so nothing to check until the user types or loads one.
  statusLine.textContent = initial.notice?.message ?? "Nothing was loaded.";
  findingsBox.replaceChildren();
  perf.editorReady = true;
} else if (lastResult === null) {
  if (first.result && docVersion === 0 && first.text === view.state.doc.toString()) {
    if (first.id !== undefined && held === null) {
      // boot.ts checked it in the worker as version 0 of the text.
      held = { id: first.id, result: first.result };
      if (textVersion === 0) workerText = 0;
    }
    show(first.result, 0);
  } else requestCheck();
}
