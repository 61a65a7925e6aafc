// The example picker. Choosing an example replaces the editor's policy, so it takes an explicit
// choice: picking with the mouse (or Enter in the open list) loads it, but moving through the
// options with the arrow keys on the closed select only shows which one Enter (or the Load
// button) would load. The select says "Custom policy" whenever the editor holds anything else
// than the example it names (after an edit, or when the page was opened from a share link).
import type { Example } from "./examples";

const CUSTOM = "";
const NAVIGATION_KEYS = new Set(["ArrowDown", "ArrowUp", "ArrowLeft", "ArrowRight", "Home", "End", "PageUp", "PageDown"]);

export class ExamplePicker {
  /** The example the editor holds, if it still holds it unchanged. */
  private loaded: Example | null = null;
  /** The select's value changed by keys, not yet loaded. */
  private browsing = false;

  constructor(
    private readonly select: HTMLSelectElement,
    private readonly button: HTMLButtonElement,
    private readonly note: HTMLElement,
    private readonly examples: Example[],
    private readonly load: (example: Example) => void,
  ) {
    select.append(new Option("Custom policy", CUSTOM));
    for (const example of examples) select.append(new Option(example.title, example.id));
    let keyed = false;
    select.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        this.choose();
      } else if (NAVIGATION_KEYS.has(event.key) || event.key.length === 1) {
        // Chromium and Firefox change a closed select's value on these keys (change fires
        // right after the keydown); remember that this change is browsing, not a choice.
        keyed = true;
        setTimeout(() => (keyed = false), 0);
      }
    });
    select.addEventListener("change", () => {
      if (keyed) {
        this.browsing = true;
        this.paintNote();
      } else {
        this.choose();
      }
    });
    select.addEventListener("blur", () => {
      // Leaving without choosing: show again what the editor holds.
      if (this.browsing) this.show(this.loaded);
    });
    button.addEventListener("click", () => this.choose());
  }

  private choose() {
    const example = this.examples.find((e) => e.id === this.select.value);
    this.browsing = false;
    if (!example) {
      this.show(this.loaded);
      return;
    }
    this.loaded = example;
    this.load(example);
    this.show(example);
  }

  private show(example: Example | null) {
    this.browsing = false;
    this.select.value = example?.id ?? CUSTOM;
    this.paintNote();
  }

  private paintNote() {
    const pending = this.browsing && this.select.value !== CUSTOM;
    this.button.disabled = this.select.value === CUSTOM;
    this.note.hidden = !pending;
    this.note.textContent = pending ? "Press Enter or Load to replace the policy with this example." : "";
  }

  /** The editor's text changed (`text` reads it, only when an example is shown): keep showing
   * the example only while the text is still the example's. */
  sync(text: () => string) {
    if (this.loaded && this.loaded.text !== text()) this.loaded = null;
    if (!this.browsing) this.show(this.loaded);
  }

  /** The editor was filled from elsewhere (start-up, a share link). */
  reset(text: string) {
    this.loaded = this.examples.find((e) => e.text === text) ?? null;
    this.show(this.loaded);
  }
}
