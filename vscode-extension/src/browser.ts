// The browser entry (`browser`, web worker extension host: vscode.dev, github.dev, code-server):
// the built-in WebAssembly server, in this worker.

import * as vscode from "vscode";
import { LanguageClient } from "vscode-languageclient/browser";
import { activateWith, deactivateClient } from "./client";
import { inThisThread } from "./wasm";

/** One of the extension's own files (the server's module): an HTTP request to where the
 * workbench serves the extension (code-server: the page's own origin), several times quicker
 * here than VS Code's file system API, which hands the bytes through the window; that API when
 * the request fails. */
async function readOwnFile(uri: vscode.Uri): Promise<Uint8Array> {
  try {
    const response = await fetch(uri.toString(true));
    if (response.ok) return new Uint8Array(await response.arrayBuffer());
  } catch {
    // Not served over HTTP here: VS Code's API reads it.
  }
  return vscode.workspace.fs.readFile(uri);
}

export function activate(context: vscode.ExtensionContext): void {
  activateWith(context, {
    name: "browser",
    // The web worker extension host is itself a worker: the server runs in it.
    serverChannel: (module) => inThisThread(module),
    client: (options, transports) => new LanguageClient("iamlint", "iamlint", transports, options),
    readFile: (uri) => (uri.toString().startsWith(`${context.extensionUri.toString()}/`) ? readOwnFile(uri) : Promise.resolve(vscode.workspace.fs.readFile(uri))),
  });
}

export const deactivate = deactivateClient;
