// CodeMirror's lint state is rebuilt from every diagnostic it is given on each update: 5,000
// findings cost 90-160 ms of main thread per result on the 2-core test machine (marks, gutter
// markers, sorting), time in which keystrokes wait. With many findings the editor gets only those
// around what is on screen (underlines and gutter markers only show there anyway), and the window
// follows the viewport as the user scrolls or jumps (F8 moves the window along with it).
import type { Finding } from "./protocol";

/** Up to this many findings go to the editor all at once. Each result gives the editor its
 * window again when a finding in it changed (the policy-size finding's message counts the
 * characters, so every keystroke changes it), at a cost that grows with the window: 150 covers
 * the screen and a good margin around it. */
export const EDITOR_LIMIT = 150;

export class DiagnosticsWindow {
  private order: number[] = [];
  private findings: Finding[] = [];
  /** The finding indices handed to the editor last time, as "first..last" of `order`. */
  private shown = "";

  /** A new result: indices of its findings sorted by position. */
  reset(findings: Finding[]) {
    this.findings = findings;
    this.order = findings.map((_, i) => i);
    // The core lists a policy's findings mostly by position already: sort only when not.
    const sorted = findings.every((f, i) => i === 0 || findings[i - 1].start <= f.start);
    if (findings.length > EDITOR_LIMIT && !sorted) this.order.sort((a, b) => findings[a].start - findings[b].start);
    this.shown = "";
  }

  /** Indices (into the result's findings) for the editor with `from..to` on screen, or null when
   * they are the ones already given. */
  pick(from: number, to: number): number[] | null {
    let first = 0;
    let last = this.order.length;
    if (this.order.length > EDITOR_LIMIT) {
      // The first finding at or after the top of the screen; half the window above it.
      let lo = 0;
      let hi = this.order.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.findings[this.order[mid]].end < from) lo = mid + 1;
        else hi = mid;
      }
      // Everything on screen, then the rest of the window split above and below.
      let onScreen = lo;
      while (onScreen < this.order.length && this.findings[this.order[onScreen]].start <= to) onScreen++;
      const room = Math.max(0, EDITOR_LIMIT - (onScreen - lo));
      first = Math.max(0, lo - (room >> 1));
      last = Math.min(this.order.length, Math.max(onScreen, first + EDITOR_LIMIT));
      first = Math.max(0, Math.min(first, last - EDITOR_LIMIT));
    }
    const key = `${first}..${last}`;
    if (key === this.shown) return null;
    this.shown = key;
    return this.order.slice(first, last);
  }
}
