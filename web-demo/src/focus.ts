// Keyboard focus across re-renders of the findings panel. Applying a fix from the panel (Enter
// on a fix button, or "Apply all safe fixes") changes the text, and the next results replace
// the panel's buttons, which would drop the focus to the page (the next Tab going back to the
// top). The panel remembers which finding the user was at and, once the new findings are in,
// focuses the finding now at that place (the next one, since the fixed one went away).

export class PanelFocus {
  /** The index (in panel order) of the finding to focus after the next results. */
  private pending: number | null = null;

  constructor(
    private readonly container: HTMLElement,
    private readonly fallback: () => HTMLElement | null,
  ) {}

  private findings(): HTMLElement[] {
    return [...this.container.querySelectorAll<HTMLElement>("li.finding")];
  }

  /** Before a fix from the panel: remember where the focus is (the first finding when it is
   * not inside one, as for "Apply all safe fixes"). */
  remember() {
    const at = this.findings().findIndex((li) => li.contains(document.activeElement));
    this.pending = Math.max(0, at);
  }

  /** After the panel was rendered with new results. */
  restore() {
    if (this.pending === null) return;
    const items = this.findings();
    const item = items[Math.min(this.pending, items.length - 1)];
    this.pending = null;
    const target = item?.querySelector<HTMLElement>("button.goto") ?? this.fallback();
    target?.focus();
  }
}
