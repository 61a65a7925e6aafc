// The desktop entry (`main`, Node extension host): the built-in WebAssembly server in a worker
// thread, or a native `iamlint lsp` when the user set iamlint.server.path (machine-scoped,
// trusted workspaces only).

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { Worker } from "node:worker_threads";
import { gunzip } from "node:zlib";
import * as vscode from "vscode";
import { LanguageClient } from "vscode-languageclient/node";
import { activateWith, deactivateClient } from "./client";
import { Pending, type ServerChannel } from "./wasm";

const inflateGzip = promisify(gunzip);

/** The built-in server in a worker thread of its own (dist/server.js), on the module compiled
 * here: analyses never block the extension host. The thread starts at once, while the module
 * is still being read and compiled; the module is its first message. */
function inWorker(module: Promise<WebAssembly.Module>, context: vscode.ExtensionContext, mark: (phase: string) => void): ServerChannel {
  const worker = new Worker(join(context.extensionPath, "dist", "server.js"));
  worker.once("online", () => mark("server thread online"));
  const pending = new Pending((json) => worker.postMessage(json));
  let failed: (e: Error) => void = () => {};
  module.then(
    (m) => {
      worker.postMessage({ module: m });
      pending.ready();
    },
    (e) => {
      failed(e instanceof Error ? e : new Error(String(e)));
      void worker.terminate();
    },
  );
  return {
    post: (json) => pending.post(json),
    listen(receive, closed, f) {
      failed = f;
      worker.on("message", receive);
      worker.on("exit", closed);
      worker.on("error", f);
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
    // Files of this machine straight from the disk: VS Code's API would fetch them through the
    // window (in code-server, through the browser and back).
    readFile: (uri) => (uri.scheme === "file" ? readFile(uri.fsPath) : Promise.resolve(vscode.workspace.fs.readFile(uri))),
    inflate: async (gz) => new Uint8Array(await inflateGzip(gz)),
  });
}

export const deactivate = deactivateClient;
