// A typed, promise-based handle on the worker. If the wasm ever traps, the worker is replaced
// and the pending calls fail with the error instead of hanging.
import type { Api, Method, ModuleMessage, Request, Response } from "./protocol";

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

export class CoreClient {
  private worker!: Worker;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  /** Milliseconds the last call spent inside the wasm (for the status line). */
  lastMs = 0;

  /** `module`: the compiled wasm, handed to each worker (a replacement too) so none compiles it again. */
  constructor(private readonly module: Promise<WebAssembly.Module | null>) {
    this.start();
  }

  private start() {
    this.worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
    const worker = this.worker;
    // Posted before any call: the worker handles messages in order.
    void this.module.then((module) => worker.postMessage({ module } satisfies ModuleMessage));
    this.worker.onmessage = (event: MessageEvent<Response>) => this.receive(event.data);
    this.worker.onerror = (event) => this.failAll(`worker error: ${event.message}`);
  }

  private receive(reply: Response) {
    const p = this.pending.get(reply.id);
    this.pending.delete(reply.id);
    if (reply.ok) {
      this.lastMs = reply.ms;
      p?.resolve(reply.result);
      return;
    }
    p?.reject(new Error(reply.error));
    if (reply.fatal) {
      this.failAll("the checker stopped and was restarted");
      this.worker.terminate();
      this.start();
    }
  }

  private failAll(message: string) {
    for (const p of this.pending.values()) p.reject(new Error(message));
    this.pending.clear();
  }

  call<M extends Method>(method: M, ...args: Parameters<Api[M]>): Promise<ReturnType<Api[M]>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, method, args } as Request);
    });
  }
}
