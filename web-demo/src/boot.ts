// Starts the worker (and so the wasm download and compile) before the editor's code is even
// parsed; main.ts, the rest of the page, is loaded after this by entry.ts.
import { CoreClient } from "./client";

/** Timings the benchmark and the tests read (see bench/playground.mjs). */
export interface Perf {
  /** performance.now() when the first findings were on screen (0 = navigation start). */
  firstFindingsAt: number | null;
  /** For each shown result: ms from the last edit it covers to its findings in the page (DOM
   * and editor updated). */
  latencies: number[];
  /** The same, up to the next animation frame (when the browser paints them). */
  paintLatencies: number[];
  /** Results shown so far. */
  shown: number;
  /** Named moments of the start-up (ms since navigation start) and the wasm's own timings. */
  marks: Record<string, number>;
}
export const perf: Perf = { firstFindingsAt: null, latencies: [], paintLatencies: [], shown: 0, marks: { script: performance.now() } };
(window as unknown as { __iamlint: Perf }).__iamlint = perf;

export const client = new CoreClient();
