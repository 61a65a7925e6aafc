// The language client's side of the built-in server (the language server compiled to
// WebAssembly, crate lsp-wasm, driven by the pump in pump.ts). The module's bytes (gzipped in the
// .vsix) are read from the extension's own files by the host (host.readFile), inflated and
// compiled once per extension host. Where the server runs differs:
// - desktop (Node extension host): in a dedicated worker thread (server.ts), so analyses never
//   block the extension host;
// - browser (web worker extension host, itself a worker): in this thread.
// Either way the client's messages go to the pump as JSON text and its answers come back as JSON
// array text; the timings are taken here, as the client sees them.

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
import { gunzip, isGzip, LatencyLog } from "./logic";
import { type Pump, startPump } from "./pump";

let compiled: Promise<WebAssembly.Module> | undefined;

/** Compile the module once per extension host (a restart of the server reuses it; a failed
 * read is tried again next time). `mark` hears the start-up phases. */
export function loadServerModule(
  read: () => Promise<Uint8Array>,
  mark: (phase: string) => void = () => {},
  inflate: (gz: Uint8Array) => Promise<Uint8Array> = gunzip,
): Promise<WebAssembly.Module> {
  if (!compiled) {
    const loading = (async () => {
      let bytes = await read();
      mark("wasm read");
      if (isGzip(bytes)) {
        bytes = await inflate(bytes);
        mark("wasm inflated");
      }
      const module = await WebAssembly.compile(bytes as BufferSource);
      mark("wasm compiled");
      return module;
    })();
    compiled = loading;
    loading.catch(() => {
      if (compiled === loading) compiled = undefined;
    });
  }
  return compiled;
}

/** Messages posted before the server runs wait here, in order; `ready` sends them on. */
export class Pending {
  private queue: string[] | undefined = [];
  constructor(private readonly send: (json: string) => void) {}
  post(json: string): void {
    if (this.queue) this.queue.push(json);
    else this.send(json);
  }
  ready(): void {
    const queued = this.queue ?? [];
    this.queue = undefined;
    for (const json of queued) this.send(json);
  }
}

class Reader extends AbstractMessageReader implements MessageReader {
  callback: DataCallback | undefined;
  listen(callback: DataCallback): Disposable {
    this.callback = callback;
    return { dispose: () => (this.callback = undefined) };
  }
  closed(): void {
    this.fireClose();
  }
  failed(error: Error): void {
    this.fireError(error);
  }
}

class Writer extends AbstractMessageWriter implements MessageWriter {
  constructor(
    private readonly deliver: (message: Message) => void,
    private readonly onEnd: () => void = () => {},
  ) {
    super();
  }
  async write(message: Message): Promise<void> {
    this.deliver(message);
  }
  end(): void {
    this.onEnd();
  }
}

/** Where the server runs: `post` takes one client message as JSON text; the channel calls
 * `receive` with each batch of the server's messages (a JSON array text). */
export interface ServerChannel {
  post(json: string): void;
  listen(receive: (json: string) => void, closed: () => void, failed: (e: Error) => void): void;
  end(): void;
}

/** The language client's transports over a channel to the server. */
export function transportsOver(channel: ServerChannel, latency: LatencyLog): MessageTransports {
  const reader = new Reader();
  channel.listen(
    (json) => {
      for (const m of JSON.parse(json) as Message[]) {
        latency.received(m);
        reader.callback?.(m);
      }
    },
    () => reader.closed(),
    (e) => reader.failed(e),
  );
  const writer = new Writer(
    (message) => {
      latency.sent(message);
      channel.post(JSON.stringify(message));
    },
    () => channel.end(),
  );
  return { reader, writer };
}

/** The server in this thread (the browser's web worker extension host), once the module is
 * compiled. Answers are delivered after the current write returns: the client never sees a
 * reply inside its own send call. */
export function inThisThread(module: Promise<WebAssembly.Module>): ServerChannel {
  let receive: (json: string) => void = () => {};
  let closed: () => void = () => {};
  let failed: (e: Error) => void = () => {};
  let pump: Pump | undefined;
  let ended = false;
  const pending = new Pending((json) => pump?.receive(json));
  module.then(
    (m) => {
      if (ended) return;
      pump = startPump(
        m,
        (json) => void Promise.resolve().then(() => receive(json)),
        () => closed(),
      );
      pending.ready();
    },
    (e) => failed(e instanceof Error ? e : new Error(String(e))),
  );
  return {
    post: (json) => pending.post(json),
    listen(r, c, f) {
      receive = r;
      closed = c;
      failed = f;
    },
    end: () => {
      ended = true;
      pump?.dispose();
    },
  };
}
