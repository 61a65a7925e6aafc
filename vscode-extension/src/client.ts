// The VS Code client, shared by both entries (node.ts for the desktop's Node extension host,
// browser.ts for the web worker extension host): it starts the language server for IAM policy
// documents and adds the commands and the status bar item. Analysis, hovers, completions and
// fixes all come from the server, which is iamlint's Rust language server compiled to
// WebAssembly (or, by choice, a native `iamlint lsp`).

import * as vscode from "vscode";
import type {
  BaseLanguageClient,
  LanguageClientOptions,
  MessageTransports,
  StaticFeature,
} from "vscode-languageclient";
import {
  LatencyLog,
  documentSelector,
  gatherLogs,
  generateSummary,
  LANGUAGES,
  mayBePolicy,
  principalProblem,
  readActivityFiles,
  readSettings,
  resolveServer,
  serverSettings,
  statusText,
  toBase64,
  type GenerateResult,
  type LogFileSystem,
} from "./logic";
import { playgroundLink } from "./playground";
import { loadServerModule, transportsOver, type ServerChannel } from "./wasm";

/** What differs between the two extension hosts. */
export interface Host {
  name: "desktop" | "browser";
  /** Start the built-in server where it runs, on the module (which may still be compiling:
   * the server's thread starts meanwhile); `mark` hears start-up phases. */
  serverChannel(module: Promise<WebAssembly.Module>, context: vscode.ExtensionContext, mark: (phase: string) => void): ServerChannel;
  /** A client over the given transports. */
  client(options: LanguageClientOptions, transports: () => Promise<MessageTransports>): BaseLanguageClient;
  /** A client running a native `iamlint lsp` (desktop only). */
  nativeClient?(path: string, options: LanguageClientOptions): BaseLanguageClient;
  /** Read a file the quickest way this host has (the desktop reads its own disk directly; VS
   * Code's file system API may go through the browser and back). */
  readFile(uri: vscode.Uri): Promise<Uint8Array>;
  /** Inflate gzip bytes where the host has something quicker than `DecompressionStream` (the
   * desktop's zlib: about ten times quicker there for the server module). */
  inflate?(gz: Uint8Array): Promise<Uint8Array>;
}

/** The server module as the .vsix carries it: gzipped (inflated by loadServerModule). */
const WASM_FILE = ["wasm", "iamlint_lsp_wasm_bg.wasm.gz"];

let client: BaseLanguageClient | undefined;
let serverKind = "";
let status: vscode.StatusBarItem;
let output: vscode.LogOutputChannel;
let latency: LatencyLog;

function settings() {
  const config = vscode.workspace.getConfiguration("iamlint");
  return readSettings((key) => config.get(key));
}

/** The client announces that it reads files for the server (iamlint.toml through VS Code's file
 * system API, so it is found in remote and browser workspaces too). */
const readFileFeature: StaticFeature = {
  fillClientCapabilities(capabilities) {
    capabilities.experimental = { ...(capabilities.experimental as object | undefined), iamlintReadFile: true };
  },
  initialize() {},
  getState: () => ({ kind: "static" }),
  clear() {},
};

/** How long an iamlint.toml read ahead stays usable. */
const READ_AHEAD_MS = 10_000;

/** iamlint.toml files read ahead while the server starts, by URI: right after the first policy
 * opens, the server asks for those of its folder and each folder above it up to the workspace
 * folder, one after the other; reading them all at once, early, takes those round trips off the
 * way to the first diagnostics. Each is used at most once, and only soon after (a later ask
 * reads the file again). */
const readAhead = new Map<string, { at: number; text: Promise<string | null> }>();

function readText(host: Host, uri: vscode.Uri): Promise<string | null> {
  return host.readFile(uri).then(
    (bytes) => new TextDecoder().decode(bytes),
    () => null,
  );
}

function readConfigsAhead(host: Host, doc: vscode.TextDocument): void {
  readAhead.clear();
  const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
  if (!folder) return;
  const root = folder.uri.path.replace(/\/$/, "");
  let dir = doc.uri.path.slice(0, doc.uri.path.lastIndexOf("/"));
  for (let depth = 0; depth < 16 && (dir === root || dir.startsWith(`${root}/`)); depth++) {
    const uri = doc.uri.with({ path: `${dir}/iamlint.toml`, query: "", fragment: "" });
    readAhead.set(uri.toString(), { at: Date.now(), text: readText(host, uri) });
    if (dir === root) break;
    dir = dir.slice(0, dir.lastIndexOf("/"));
  }
}

function readFile(host: Host, params: { base: string; path: string }): Promise<string | null> {
  const uri = vscode.Uri.parse(params.base).with({ path: params.path, query: "", fragment: "" });
  const key = uri.toString();
  const ahead = readAhead.get(key);
  readAhead.delete(key);
  if (ahead && Date.now() - ahead.at < READ_AHEAD_MS) return ahead.text;
  return readText(host, uri);
}

async function startClient(context: vscode.ExtensionContext, host: Host, doc?: vscode.TextDocument): Promise<void> {
  if (client) return;
  latency.start();
  if (doc) readConfigsAhead(host, doc);
  const resolved = resolveServer({ settings: settings(), trusted: vscode.workspace.isTrusted, canSpawn: host.nativeClient !== undefined });
  if (resolved.ignored) output.warn(resolved.ignored);
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(),
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
  let next: BaseLanguageClient;
  if (resolved.kind === "native" && resolved.path && host.nativeClient) {
    next = host.nativeClient(resolved.path, clientOptions);
    serverKind = `native server ${resolved.path}`;
  } else {
    const mark = (phase: string) => latency.mark(phase);
    const module = loadServerModule(() => host.readFile(vscode.Uri.joinPath(context.extensionUri, ...WASM_FILE)), mark, host.inflate);
    module.catch((e) => {
      void vscode.window.showErrorMessage(`iamlint: cannot load the language server (${String(e)}). Reinstall the extension.`);
    });
    // Everything at once: the module is read and compiled, the server's thread starts and the
    // client is built while each of the others is under way; the client's first messages wait
    // in the channel until the server runs.
    let first: ServerChannel | undefined = host.serverChannel(module, context, mark);
    next = host.client(clientOptions, async () => {
      const channel = first ?? host.serverChannel(module, context, mark);
      first = undefined;
      return transportsOver(channel, latency);
    });
    serverKind = `built-in server (WebAssembly, ${host.name} extension host, ${host.name === "desktop" ? "in a worker thread" : "in its worker"})`;
  }
  next.registerFeature(readFileFeature);
  next.onRequest("iamlint/readFile", (params: { base: string; path: string }) => readFile(host, params));
  next.onRequest("iamlint/readActivityFiles", (params: Parameters<typeof readActivityFiles>[3] & { base: string }) => {
    const base = vscode.Uri.parse(params.base);
    return readActivityFiles(workspaceFs(host), (path) => base.with({ path, query: "", fragment: "" }), (uri) => uri.path, params);
  });
  client = next;
  latency.mark("client created");
  await next.start();
  output.info(`iamlint: ${serverKind} started`);
}

/** VS Code's file system (remote and browser workspaces too), as the log gatherer reads it. */
function workspaceFs(host: Host): LogFileSystem<vscode.Uri> {
  return {
    stat: async (uri) => {
      const s = await vscode.workspace.fs.stat(uri);
      return {
        directory: (s.type & vscode.FileType.Directory) !== 0,
        link: (s.type & vscode.FileType.SymbolicLink) !== 0,
        size: s.size,
        mtime: s.mtime,
      };
    },
    readDirectory: async (uri) => (await vscode.workspace.fs.readDirectory(uri)).map(([name]) => name),
    child: (uri, name) => vscode.Uri.joinPath(uri, name),
    readFile: (uri) => host.readFile(uri),
  };
}

/** The log files under the chosen files and folders (folders searched recursively). */
async function logFiles(host: Host, picked: readonly vscode.Uri[]): Promise<vscode.Uri[]> {
  const out: vscode.Uri[] = [];
  for (const uri of picked) for (const f of await gatherLogs(workspaceFs(host), uri)) out.push(f.uri);
  return out;
}

/** "iamlint: Generate policy from CloudTrail": the server (the core, as WebAssembly or the native
 * binary) reads the logs the user picks and generates a least-privilege policy for a principal;
 * each policy opens in a new editor. Nothing leaves the machine. */
async function generateFromCloudTrail(context: vscode.ExtensionContext, host: Host): Promise<void> {
  const picked = await vscode.window.showOpenDialog({
    title: "iamlint: CloudTrail logs to generate a policy from",
    openLabel: "Use these logs",
    canSelectFiles: true,
    canSelectFolders: true,
    canSelectMany: true,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  if (!picked || picked.length === 0) return;
  const principal = await vscode.window.showInputBox({
    title: "iamlint: whose activity?",
    prompt: "The principal's ARN: a role (its sessions count), a user, or an assumed-role session",
    placeHolder: "arn:aws:iam::111122223333:role/name",
    ignoreFocusOut: true,
    validateInput: principalProblem,
  });
  if (!principal) return;
  if (!client) await startClient(context, host);
  const running = client;
  if (!running) return;
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: "iamlint: generating a policy from CloudTrail logs", cancellable: true },
      async (_progress, token) => {
        const uris = await logFiles(host, picked);
        const files = [];
        for (const uri of uris) files.push({ name: vscode.workspace.asRelativePath(uri), base64: toBase64(await host.readFile(uri)) });
        return { count: uris.length, answer: await running.sendRequest<GenerateResult>("iamlint/generatePolicy", { principal: principal.trim(), files }, token) };
      },
    );
    const r = result.answer;
    for (const e of r.errors) output.warn(e);
    for (const n of r.notes) output.info(n);
    for (const u of r.unmapped) output.info(`no known IAM action: ${u.eventSource} ${u.eventName} (${u.events} events)`);
    for (const text of r.policies) {
      const doc = await vscode.workspace.openTextDocument({ language: "json", content: text });
      await vscode.window.showTextDocument(doc, { preview: false });
    }
    void vscode.window.showInformationMessage(generateSummary(r, result.count));
  } catch (e) {
    void vscode.window.showErrorMessage(`iamlint: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function updateStatus(): void {
  const editor = vscode.window.activeTextEditor;
  const watched =
    editor && (LANGUAGES.includes(editor.document.languageId) || /\.(tf|template)$/i.test(editor.document.fileName));
  if (!editor || !watched || !client) {
    status.hide();
    return;
  }
  const findings = vscode.languages.getDiagnostics(editor.document.uri).filter((d) => d.source === "iamlint").length;
  if (findings > 0) latency.mark("diagnostics shown");
  status.text = statusText(findings);
  status.tooltip = `iamlint: ${serverKind}`;
  status.show();
}

function maybeStart(context: vscode.ExtensionContext, host: Host, doc: vscode.TextDocument): void {
  if (!client && mayBePolicy(doc.languageId, doc.getText(), settings(), doc.fileName)) {
    void startClient(context, host, doc).then(updateStatus);
  }
}

export function activateWith(context: vscode.ExtensionContext, host: Host): void {
  latency = new LatencyLog();
  output = vscode.window.createOutputChannel("iamlint", { log: true });
  status = vscode.window.createStatusBarItem("iamlint.status", vscode.StatusBarAlignment.Left, 10);
  status.name = "iamlint";
  status.command = "workbench.actions.view.problems";
  context.subscriptions.push(output, status);

  const restart = async () => {
    if (client) {
      const old = client;
      client = undefined;
      await old.stop();
    }
    await startClient(context, host);
    updateStatus();
  };
  context.subscriptions.push(
    vscode.commands.registerCommand("iamlint.restartServer", restart),
    vscode.commands.registerCommand("iamlint.showCatalogVersion", () => {
      const info = client?.initializeResult?.serverInfo;
      void vscode.window.showInformationMessage(info ? `iamlint ${info.version ?? ""}` : "iamlint: the server is not running (open a policy first).");
    }),
    vscode.commands.registerCommand("iamlint.showTimings", () => {
      void vscode.window.showInformationMessage(`iamlint timings (${serverKind || "not started"}): ${latency.report()}`);
    }),
    vscode.commands.registerCommand("iamlint.openRuleDocs", async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) return;
      // The server links every finding to its rule's section (codeDescription, from the core).
      const items = vscode.languages
        .getDiagnostics(editor.document.uri)
        .filter((d) => d.source === "iamlint" && d.range.contains(editor.selection.active))
        .flatMap((d) => (typeof d.code === "object" && d.code.target ? [{ label: String(d.code.value), description: d.message, target: d.code.target }] : []));
      if (items.length === 0) {
        void vscode.window.showInformationMessage("iamlint: no finding under the cursor.");
        return;
      }
      const pick = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items);
      if (pick) await vscode.env.openExternal(pick.target);
    }),
    vscode.commands.registerCommand("iamlint.generateFromCloudTrail", () => generateFromCloudTrail(context, host)),
    vscode.commands.registerCommand("iamlint.copyPlaygroundLink", async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) return;
      // The core's encoder is in the server's module (compiled already unless a native server runs).
      const module = await loadServerModule(() => host.readFile(vscode.Uri.joinPath(context.extensionUri, ...WASM_FILE)), undefined, host.inflate);
      const s = settings();
      const { link, long } = playgroundLink(module, s.playgroundUrl, editor.document.getText(), s.policyType, editor.document.uri.path);
      await vscode.env.clipboard.writeText(link);
      void vscode.window.showInformationMessage(
        long
          ? `iamlint: playground link copied, but it is ${link.length} characters long: chat tools and browsers may cut it (a cut link will not open). Share the file instead.`
          : "iamlint: playground link copied (the policy is in the link's fragment only).",
      );
    }),
    vscode.workspace.onDidOpenTextDocument((doc) => maybeStart(context, host, doc)),
    vscode.workspace.onDidChangeTextDocument((e) => maybeStart(context, host, e.document)),
    vscode.window.onDidChangeActiveTextEditor(updateStatus),
    vscode.languages.onDidChangeDiagnostics(updateStatus),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration("iamlint.server.path") && client) await restart();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(async () => {
      if (client && settings().serverPath) await restart();
    }),
  );
  for (const doc of vscode.workspace.textDocuments) maybeStart(context, host, doc);
}

export async function deactivateClient(): Promise<void> {
  if (client) await client.stop();
}
