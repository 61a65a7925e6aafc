// The pump between the language client and the language server compiled to WebAssembly (crate
// lsp-wasm: the same Rust handling as `iamlint lsp`). The same code runs in the desktop's Node
// extension host and in the browser's web worker extension host: the module's bytes are read
// through VS Code's file system API from the extension's own files (no fetch, no
// `import.meta.url`, no MIME type to trust), compiled, and instantiated.

import {
  AbstractMessageReader,
  AbstractMessageWriter,
  type DataCallback,
  type Disposable,
  type Message,
  type MessageReader,
  type MessageTransports,
  type MessageWriter,
} from "vscode-languageclient";
import { initSync, LanguageServer } from "../wasm/iamlint_lsp_wasm.js";
import { LatencyLog } from "./logic";

let compiled: WebAssembly.Module | undefined;

/** Compile the module once per extension host (a restart of the server reuses it). */
export async function loadServerModule(read: () => Promise<Uint8Array>): Promise<void> {
  if (compiled) return;
  const bytes = await read();
  compiled = await WebAssembly.compile(bytes as BufferSource);
  initSync({ module: compiled });
}

class Reader extends AbstractMessageReader implements MessageReader {
  callback: DataCallback | undefined;
  listen(callback: DataCallback): Disposable {
    this.callback = callback;
    return { dispose: () => (this.callback = undefined) };
  }
}

class Writer extends AbstractMessageWriter implements MessageWriter {
  constructor(private readonly deliver: (message: Message) => void) {
    super();
  }
  async write(message: Message): Promise<void> {
    this.deliver(message);
  }
  end(): void {}
}

/** A fresh server instance and the transports the language client talks to it through.
 * Messages are handled in arrival order; analyses run when no message is pending (a timer of 0),
 * so a burst of keystrokes costs one analysis, of the last text. */
export function startWasmServer(latency: LatencyLog): MessageTransports {
  if (!compiled) throw new Error("iamlint: the WebAssembly module is not loaded");
  const server = new LanguageServer();
  const reader = new Reader();
  let idle: ReturnType<typeof setTimeout> | undefined;
  const send = (json: string) => {
    const messages = JSON.parse(json) as Message[];
    if (messages.length === 0) return;
    // Delivered after the current write returns: the client never sees a reply inside its own
    // send call.
    void Promise.resolve().then(() => {
      for (const m of messages) {
        latency.received(m);
        reader.callback?.(m);
      }
    });
  };
  const runIdle = () => {
    if (idle !== undefined || !server.hasPending()) return;
    idle = setTimeout(() => {
      idle = undefined;
      send(server.idle());
      runIdle();
    }, 0);
  };
  const writer = new Writer((message) => {
    latency.sent(message);
    send(server.handle(JSON.stringify(message)));
    runIdle();
    if (server.exited()) {
      if (idle !== undefined) clearTimeout(idle);
      server.free();
    }
  });
  return { reader, writer };
}
