// The VS Code client: starts the `iamlint lsp` server for IAM policy documents and adds the
// commands and the status bar item. Analysis, hovers, completions and fixes all come from the
// server (and through it from iamlint's core).

import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as vscode from "vscode";
import { LanguageClient, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";
import {
  LANGUAGES,
  mayBePolicy,
  playgroundLink,
  readSettings,
  resolveServer,
  ruleDocsUrl,
  serverSettings,
  statusText,
} from "./logic";

const REPOSITORY = "https://example.invalid/iamlint";
let client: LanguageClient | undefined;
let status: vscode.StatusBarItem;
let output: vscode.LogOutputChannel;

function settings() {
  const config = vscode.workspace.getConfiguration("iamlint");
  return readSettings((key) => config.get(key));
}

function serverPath(context: vscode.ExtensionContext): string {
  const resolved = resolveServer({
    settings: settings(),
    trusted: vscode.workspace.isTrusted,
    extensionPath: context.extensionPath,
    platform: process.platform,
  });
  if (resolved.ignored) output.warn(resolved.ignored);
  return resolved.path;
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  if (client) return;
  const command = serverPath(context);
  if (!fs.existsSync(command)) {
    void vscode.window.showErrorMessage(
      `iamlint: the language server ${command} does not exist. Set iamlint.server.path or reinstall the extension.`,
    );
    return;
  }
  const serverOptions: ServerOptions = { command, args: ["lsp"] };
  const clientOptions: LanguageClientOptions = {
    documentSelector: LANGUAGES.flatMap((language) => [
      { scheme: "file", language },
      { scheme: "untitled", language },
    ]),
    outputChannel: output,
    synchronize: { configurationSection: "iamlint" },
    middleware: {
      workspace: {
        // Hand the server its settings in its own shape (without the binary's path).
        configuration: async (params, token, next) => {
          const values = await next(params, token);
          if (!Array.isArray(values)) return values;
          return values.map((v, i) => (params.items[i]?.section === "iamlint" ? serverSettings(settings()) : v));
        },
      },
    },
  };
  client = new LanguageClient("iamlint", "iamlint", serverOptions, clientOptions);
  await client.start();
}

function updateStatus(): void {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !LANGUAGES.includes(editor.document.languageId) || !client) {
    status.hide();
    return;
  }
  const findings = vscode.languages.getDiagnostics(editor.document.uri).filter((d) => d.source === "iamlint").length;
  status.text = statusText(findings);
  status.tooltip = "iamlint is checking this policy";
  status.show();
}

function maybeStart(context: vscode.ExtensionContext, doc: vscode.TextDocument): void {
  if (!client && mayBePolicy(doc.languageId, doc.getText(), settings())) {
    void startClient(context).then(updateStatus);
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("iamlint", { log: true });
  status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 10);
  status.command = "workbench.actions.view.problems";
  context.subscriptions.push(output, status);

  context.subscriptions.push(
    vscode.commands.registerCommand("iamlint.restartServer", async () => {
      if (client) {
        const old = client;
        client = undefined;
        await old.stop();
      }
      await startClient(context);
      updateStatus();
    }),
    vscode.commands.registerCommand("iamlint.showCatalogVersion", () => {
      execFile(serverPath(context), ["--version"], (error, stdout) => {
        if (error) {
          void vscode.window.showErrorMessage(`iamlint: ${error.message}`);
        } else {
          void vscode.window.showInformationMessage(stdout.trim());
        }
      });
    }),
    vscode.commands.registerCommand("iamlint.openRuleDocs", async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) return;
      const here = vscode.languages
        .getDiagnostics(editor.document.uri)
        .filter((d) => d.source === "iamlint" && d.range.contains(editor.selection.active));
      const items = here.map((d) => {
        const code = typeof d.code === "object" ? d.code : { value: d.code ?? "", target: undefined };
        return { label: String(code.value), description: d.message, url: ruleDocsUrl(String(code.value), code.target?.toString(), REPOSITORY) };
      });
      if (items.length === 0) {
        void vscode.window.showInformationMessage("iamlint: no finding under the cursor.");
        return;
      }
      const pick = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items);
      if (pick) await vscode.env.openExternal(vscode.Uri.parse(pick.url));
    }),
    vscode.commands.registerCommand("iamlint.copyPlaygroundLink", async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) return;
      const s = settings();
      await vscode.env.clipboard.writeText(playgroundLink(s.playgroundUrl, editor.document.getText(), s.policyType));
      void vscode.window.showInformationMessage("iamlint: playground link copied (the policy is in the link's fragment only).");
    }),
    vscode.workspace.onDidOpenTextDocument((doc) => maybeStart(context, doc)),
    vscode.workspace.onDidChangeTextDocument((e) => maybeStart(context, e.document)),
    vscode.window.onDidChangeActiveTextEditor(updateStatus),
    vscode.languages.onDidChangeDiagnostics(updateStatus),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration("iamlint.server.path") && client) {
        await vscode.commands.executeCommand("iamlint.restartServer");
      }
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(async () => {
      if (client && settings().serverPath) await vscode.commands.executeCommand("iamlint.restartServer");
    }),
  );
  for (const doc of vscode.workspace.textDocuments) maybeStart(context, doc);
}

export async function deactivate(): Promise<void> {
  if (client) await client.stop();
}
