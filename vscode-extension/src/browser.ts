// The browser entry (`browser`, web worker extension host: vscode.dev, github.dev, code-server):
// the built-in WebAssembly server, in this worker.

import type * as vscode from "vscode";
import { LanguageClient } from "vscode-languageclient/browser";
import { activateWith, deactivateClient } from "./client";
import { inThisThread } from "./wasm";

export function activate(context: vscode.ExtensionContext): void {
  activateWith(context, {
    name: "browser",
    // The web worker extension host is itself a worker: the server runs in it.
    serverChannel: (module) => inThisThread(module),
    client: (options, transports) => new LanguageClient("iamlint", "iamlint", transports, options),
  });
}

export const deactivate = deactivateClient;
