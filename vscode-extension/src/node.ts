// The desktop entry (`main`, Node extension host): the built-in WebAssembly server, or a native
// `iamlint lsp` when the user set iamlint.server.path (machine-scoped, trusted workspaces only).

import type * as vscode from "vscode";
import { LanguageClient } from "vscode-languageclient/node";
import { activateWith, deactivateClient } from "./client";
import { playgroundLink } from "./playground";

export function activate(context: vscode.ExtensionContext): void {
  activateWith(context, {
    name: "desktop",
    client: (options, transports) => new LanguageClient("iamlint", "iamlint", transports, options),
    nativeClient: (path, options) => new LanguageClient("iamlint", "iamlint", { command: path, args: ["lsp"] }, options),
    copyPlaygroundLink: playgroundLink,
  });
}

export const deactivate = deactivateClient;
