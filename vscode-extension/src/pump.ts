// The pump that drives the language server compiled to WebAssembly (crate lsp-wasm: the same Rust
// handling as `iamlint lsp`), written once for every place it runs: the desktop's dedicated
// worker thread (server.ts) and the browser's web worker extension host (wasm.ts). Messages go in
// one at a time as JSON text, in arrival order; analyses run on a zero-delay timer when no message
// is pending, so a burst of keystrokes costs one analysis, of the last text.

import { initSync, LanguageServer } from "../wasm/iamlint_lsp_wasm.js";

export interface Pump {
  /** One JSON-RPC message from the client, as JSON text. */
  receive(json: string): void;
  /** Stop: no more output, the server's memory is freed. */
  dispose(): void;
}

let initialised = false;

/** A fresh server on the compiled module (instantiated once per thread). `post` gets each
 * non-empty batch of the server's messages as a JSON array text; `exited` runs when the client
 * sent `exit`. `warm`: decode the catalog and run the rules once now, for a server on a thread of
 * its own (the client starts meanwhile; messages wait in the thread's queue). */
export function startPump(module: WebAssembly.Module, post: (json: string) => void, exited: () => void, warm = false): Pump {
  if (!initialised) {
    initSync({ module });
    initialised = true;
  }
  let server: LanguageServer | undefined = new LanguageServer();
  if (warm) server.warm();
  let idle: ReturnType<typeof setTimeout> | undefined;
  const out = (json: string) => {
    // "[]": nothing to say; skip the message and the client's parse.
    if (json.length > 2) post(json);
  };
  const runIdle = () => {
    if (idle !== undefined || !server?.hasPending()) return;
    idle = setTimeout(() => {
      idle = undefined;
      if (!server) return;
      out(server.idle());
      runIdle();
    }, 0);
  };
  const dispose = () => {
    if (idle !== undefined) clearTimeout(idle);
    idle = undefined;
    server?.free();
    server = undefined;
  };
  return {
    receive(json) {
      if (!server) return;
      out(server.handle(json));
      if (server.exited()) {
        dispose();
        exited();
        return;
      }
      runIdle();
    },
    dispose,
  };
}
