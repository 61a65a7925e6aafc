// The CodeMirror 6 editor and the editor features it gets from the core: findings as lint marks
// (pushed by main.ts), hover tooltips, completions, and a keyboard quick-fix menu. Every answer
// comes from the worker; nothing here knows anything about IAM.
import {
  autocompletion,
  closeBrackets,
  closeBracketsKeymap,
  completionKeymap,
  pickedCompletion,
  snippet,
  type Completion as CmCompletion,
  type CompletionContext,
  type CompletionResult,
} from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { json } from "@codemirror/lang-json";
import {
  bracketMatching,
  defaultHighlightStyle,
  foldGutter,
  foldKeymap,
  HighlightStyle,
  indentOnInput,
  syntaxHighlighting,
} from "@codemirror/language";
import { lintGutter, lintKeymap, nextDiagnostic } from "@codemirror/lint";
import { highlightSelectionMatches, searchKeymap } from "@codemirror/search";
import { Compartment, EditorState, Prec, StateEffect, StateField, type ChangeSet, type Extension, type Text } from "@codemirror/state";
import { tags } from "@lezer/highlight";
import { oneDark } from "@codemirror/theme-one-dark";
import {
  EditorView,
  drawSelection,
  highlightActiveLine,
  closeHoverTooltips,
  hasHoverTooltips,
  highlightActiveLineGutter,
  hoverTooltip,
  keymap,
  lineNumbers,
  showTooltip,
  type Tooltip,
} from "@codemirror/view";
import type { CodeAction, Completion, CompletionKind, Edit, HoverInfo } from "./protocol";
import { renderMarkdown } from "./markdown";

export interface EditorHooks {
  /** `changes`: from the text before the update to the text after it. */
  onDocChanged(changes: ChangeSet): void;
  hover(text: string, offset: number): Promise<HoverInfo | null>;
  /** `doc`: the editor's text the completions are for (a large one is not copied out). */
  completions(doc: Text, offset: number): Promise<Completion[]>;
  codeActions(text: string, start: number, end: number): Promise<CodeAction[]>;
}

const themeCompartment = new Compartment();
const languageCompartment = new Compartment();

/** JSON highlighting and bracket handling for policies; plain text for Terraform and YAML. */
function languageExtension(format: string): Extension {
  return format === "json" || format === "cloudformation-json" ? json() : [];
}

/** Switch the editor's language when the format changes. */
export function setEditorLanguage(view: EditorView, format: string) {
  view.dispatch({ effects: languageCompartment.reconfigure(languageExtension(format)) });
}

const baseTheme = EditorView.theme({
  "&": { height: "100%", fontSize: "14px" },
  ".cm-scroller": { fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace" },
  ".cm-tooltip.iamlint-hover, .cm-tooltip.iamlint-popup": { maxWidth: "32rem", padding: "4px 8px" },
  // The finding tooltip (F8, or hovering a mark): as wide as a paragraph, a few lines high,
  // scrolling inside, so it covers neither the panel nor the lines around the finding.
  ".cm-tooltip-hover:has(.cm-tooltip-lint)": { maxWidth: "min(36rem, 90vw)" },
  ".cm-tooltip-lint": { maxHeight: "12em", overflowY: "auto" },
});

/** Escape closes a hover tooltip (the one F8 opens on the next finding, or a hover). */
function closeHover(view: EditorView): boolean {
  if (!hasHoverTooltips(view.state)) return false;
  view.dispatch({ effects: closeHoverTooltips });
  return true;
}

// One Dark with the colours that were below WCAG's 4.5:1 on its background lightened (axe-core):
// line numbers (#7d8799, 3.86:1), property names such as JSON keys (#e06c75, 4.38:1) and
// true/false/null (#c678dd, 4.44:1 on the active line).
const darkContrast: Extension = [
  Prec.highest(EditorView.theme({ "&.cm-editor .cm-gutters": { color: "#9aa2b1" } }, { dark: true })),
  Prec.highest(
    syntaxHighlighting(
      HighlightStyle.define([
        { tag: tags.propertyName, color: "#e8838b" },
        { tag: [tags.bool, tags.null, tags.keyword], color: "#d58ae6" },
      ]),
    ),
  ),
];

export function themeExtension(dark: boolean): Extension {
  return dark ? [oneDark, darkContrast] : [syntaxHighlighting(defaultHighlightStyle, { fallback: true })];
}

export function setEditorTheme(view: EditorView, dark: boolean) {
  view.dispatch({ effects: themeCompartment.reconfigure(themeExtension(dark)) });
}

/** Apply edits (UTF-16 offsets against the current text) as one undoable change. */
export function applyEdits(view: EditorView, edits: Edit[], userEvent = "input.fix") {
  view.dispatch({
    changes: edits.map((e) => ({ from: e.start, to: e.end, insert: e.text })),
    userEvent,
    scrollIntoView: true,
  });
}

// ---- keyboard popups (explain at cursor, quick fixes) ----

const setPopup = StateEffect.define<Tooltip | null>();

const popupField = StateField.define<Tooltip | null>({
  create: () => null,
  update(value, tr) {
    for (const e of tr.effects) if (e.is(setPopup)) return e.value;
    return tr.docChanged ? null : value;
  },
  provide: (f) => showTooltip.from(f),
});

function closePopup(view: EditorView): boolean {
  if (!view.state.field(popupField)) return false;
  view.dispatch({ effects: setPopup.of(null) });
  view.focus();
  return true;
}

function showPopup(view: EditorView, pos: number, build: () => HTMLElement, focusFirst: boolean) {
  view.dispatch({
    effects: setPopup.of({
      pos,
      above: false,
      create: () => {
        const dom = document.createElement("div");
        dom.className = "iamlint-popup";
        dom.append(build());
        dom.addEventListener("keydown", (event) => {
          if (event.key === "Escape") {
            event.preventDefault();
            closePopup(view);
          }
        });
        return {
          dom,
          mount: () => {
            if (focusFirst) dom.querySelector<HTMLElement>("button")?.focus();
          },
        };
      },
    }),
  });
}

function explainAtCursor(hooks: EditorHooks) {
  return (view: EditorView): boolean => {
    const text = view.state.doc.toString();
    const pos = view.state.selection.main.head;
    hooks.hover(text, pos).then((info) => {
      if (view.state.doc.toString() !== text) return;
      const build = () => {
        const dom = document.createElement("div");
        dom.className = "iamlint-hover";
        dom.append(info ? renderMarkdown(info.markdown) : document.createTextNode("Nothing to explain here."));
        return dom;
      };
      showPopup(view, pos, build, false);
    });
    return true;
  };
}

function quickFixMenu(hooks: EditorHooks) {
  return (view: EditorView): boolean => {
    const text = view.state.doc.toString();
    const { from, to } = view.state.selection.main;
    hooks.codeActions(text, from, to).then((actions) => {
      if (view.state.doc.toString() !== text) return;
      const build = () => {
        const dom = document.createElement("div");
        dom.setAttribute("role", "menu");
        dom.setAttribute("aria-label", "Quick fixes");
        if (actions.length === 0) dom.append("No quick fix here.");
        for (const action of actions) {
          const b = document.createElement("button");
          b.type = "button";
          b.className = `popup-action safety-${action.safety}`;
          b.setAttribute("role", "menuitem");
          b.textContent = action.title;
          b.addEventListener("click", () => {
            if (view.state.doc.toString() === text) applyEdits(view, action.edits);
            closePopup(view);
          });
          dom.append(b);
        }
        dom.addEventListener("keydown", (event) => {
          const buttons = [...dom.querySelectorAll<HTMLButtonElement>("button")];
          const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
          if (event.key === "ArrowDown" || event.key === "ArrowUp") {
            event.preventDefault();
            const next = (at + (event.key === "ArrowDown" ? 1 : -1) + buttons.length) % buttons.length;
            buttons[next]?.focus();
          }
        });
        return dom;
      };
      showPopup(view, from, build, true);
    });
    return true;
  };
}

// ---- completion ----

const KIND_TYPE: Record<CompletionKind, string> = {
  element: "property",
  value: "constant",
  service: "namespace",
  action: "function",
  actionWildcard: "function",
  operator: "keyword",
  conditionKey: "variable",
  arn: "text",
};

/** LSP-style "$1" stops become CodeMirror's "${1}". */
function cmSnippet(template: string): string {
  return template.replace(/\$(\d+)/g, "$${$1}");
}

function completionSource(hooks: EditorHooks) {
  return async (context: CompletionContext): Promise<CompletionResult | null> => {
    const items = await hooks.completions(context.state.doc, context.pos);
    if (context.aborted || items.length === 0) return null;
    // All proposals replace the same token; take its range from the first. CodeMirror filters
    // the list by the text from `from` to `to`, so `to` is the cursor (what is typed so far, as
    // the core filtered it), and applying replaces the whole token, including its part after
    // the cursor (in `"dynam|odb:*"`, `odb:*` too): `tail` characters past CodeMirror's range.
    const from = items[0].start;
    const to = Math.max(context.pos, from);
    const tail = Math.max(0, items[0].end - to);
    const sorted = [...items].sort((a, b) => (a.sortText < b.sortText ? -1 : a.sortText > b.sortText ? 1 : 0));
    const options: CmCompletion[] = sorted.map((item, rank) => ({
      label: item.label,
      detail: item.detail ?? undefined,
      type: KIND_TYPE[item.kind],
      boost: Math.max(-99, 99 - rank),
      info: item.documentation ? () => renderMarkdown(item.documentation ?? "") : undefined,
      apply: (view: EditorView, completion: CmCompletion, applyFrom: number, applyTo: number) => {
        const end = Math.min(applyTo + tail, view.state.doc.length);
        if (item.snippet) {
          snippet(cmSnippet(item.snippet))(view, completion, applyFrom, end);
          return;
        }
        view.dispatch({
          changes: { from: applyFrom, to: end, insert: item.insertText },
          selection: { anchor: applyFrom + item.insertText.length },
          userEvent: "input.complete",
          annotations: pickedCompletion.of(completion),
          scrollIntoView: true,
        });
      },
    }));
    return { from, to, options };
  };
}

// ---- hover ----

function hoverSource(hooks: EditorHooks) {
  return hoverTooltip(
    async (view, pos) => {
      const text = view.state.doc.toString();
      const info = await hooks.hover(text, pos);
      if (!info || view.state.doc.toString() !== text) return null;
      return {
        pos: info.start,
        end: info.end,
        above: true,
        create: () => {
          const dom = document.createElement("div");
          dom.className = "iamlint-hover";
          dom.append(renderMarkdown(info.markdown));
          return { dom };
        },
      };
    },
    { hoverTime: 250 },
  );
}

export function createEditor(parent: HTMLElement, doc: string, dark: boolean, hooks: EditorHooks): EditorView {
  const state = EditorState.create({
    doc,
    extensions: [
      lineNumbers(),
      highlightActiveLineGutter(),
      foldGutter(),
      lintGutter(),
      history(),
      drawSelection(),
      indentOnInput(),
      bracketMatching(),
      closeBrackets(),
      highlightActiveLine(),
      highlightSelectionMatches(),
      languageCompartment.of(json()),
      autocompletion({ override: [completionSource(hooks)], activateOnTypingDelay: 50 }),
      hoverSource(hooks),
      popupField,
      keymap.of([
        { key: "Mod-i", run: explainAtCursor(hooks) },
        { key: "Mod-.", run: quickFixMenu(hooks) },
        { key: "F8", run: nextDiagnostic },
        { key: "Escape", run: (view) => closePopup(view) || closeHover(view) },
        ...closeBracketsKeymap,
        ...defaultKeymap,
        ...searchKeymap,
        ...historyKeymap,
        ...foldKeymap,
        ...completionKeymap,
        ...lintKeymap,
      ]),
      EditorView.lineWrapping,
      EditorView.contentAttributes.of({ "aria-label": "IAM policy (JSON)" }),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) hooks.onDocChanged(update.changes);
      }),
      baseTheme,
      themeCompartment.of(themeExtension(dark)),
    ],
  });
  return new EditorView({ state, parent });
}
