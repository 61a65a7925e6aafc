// The desktop entry (`main`, Node extension host): the built-in WebAssembly server in a worker
// thread, or a native `iamlint lsp` when the user set iamlint.server.path (machine-scoped,
// trusted workspaces only).

import { join } from "node:path";
import { Worker } from "node:worker_threads";
import type * as vscode from "vscode";
import { LanguageClient } from "vscode-languageclient/node";
import { activateWith, deactivateClient } from "./client";
import type { ServerChannel } from "./wasm";

/** The built-in server in a worker thread of its own (dist/server.js), on the module compiled
 * here: analyses never block the extension host. */
function inWorker(module: WebAssembly.Module, context: vscode.ExtensionContext): ServerChannel {
  const worker = new Worker(join(context.extensionPath, "dist", "server.js"), { workerData: { module } });
  return {
    post: (json) => worker.postMessage(json),
    listen(receive, closed, failed) {
      worker.on("message", receive);
      worker.on("exit", closed);
      worker.on("error", failed);
    },
    end: () => void worker.terminate(),
  };
}

export function activate(context: vscode.ExtensionContext): void {
  activateWith(context, {
    name: "desktop",
    serverChannel: inWorker,
    client: (options, transports) => new LanguageClient("iamlint", "iamlint", transports, options),
    nativeClient: (path, options) => new LanguageClient("iamlint", "iamlint", { command: path, args: ["lsp"] }, options),
  });
}

export const deactivate = deactivateClient;
