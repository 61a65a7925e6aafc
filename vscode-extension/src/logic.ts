// The extension's own decisions, free of the VS Code API so they can be unit-tested in Node:
// which documents wake the server, which server runs, how settings travel to the server, and the
// timings it reports. Everything the extension shows about a policy comes from the server.

/** The settings the extension reads (section `iamlint`). */
export interface ExtensionSettings {
  serverPath: string;
  policyType: string;
  disabledRules: string[];
  categoryOverrides: Record<string, string>;
  policyGlobs: Record<string, string>;
  playgroundUrl: string;
}

export const DEFAULT_SETTINGS: ExtensionSettings = {
  serverPath: "",
  policyType: "auto",
  disabledRules: [],
  categoryOverrides: {},
  policyGlobs: {},
  playgroundUrl: "http://127.0.0.1:5173/",
};

/** Read settings from a getter such as `workspace.getConfiguration("iamlint").get`, keeping the
 * defaults for values of the wrong type (a hand-edited settings.json can hold anything). */
export function readSettings(get: (key: string) => unknown): ExtensionSettings {
  const str = (key: string, fallback: string) => {
    const v = get(key);
    return typeof v === "string" ? v : fallback;
  };
  const strings = (key: string) => {
    const v = get(key);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  };
  const record = (key: string) => {
    const v = get(key);
    const out: Record<string, string> = {};
    if (v && typeof v === "object" && !Array.isArray(v)) {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (typeof x === "string") out[k] = x;
      }
    }
    return out;
  };
  return {
    serverPath: str("server.path", DEFAULT_SETTINGS.serverPath).trim(),
    policyType: str("policyType", DEFAULT_SETTINGS.policyType),
    disabledRules: strings("disabledRules"),
    categoryOverrides: record("categoryOverrides"),
    policyGlobs: record("policyGlobs"),
    playgroundUrl: str("playgroundUrl", DEFAULT_SETTINGS.playgroundUrl),
  };
}

/** What the server receives under `iamlint` (workspace/configuration and
 * didChangeConfiguration). The binary's path never goes to the server. */
export function serverSettings(s: ExtensionSettings): Record<string, unknown> {
  return {
    policyType: s.policyType,
    disabledRules: s.disabledRules,
    categoryOverrides: s.categoryOverrides,
    policyGlobs: s.policyGlobs,
  };
}

/** Document languages the extension watches: policies and CloudFormation templates in JSON,
 * templates in YAML, and Terraform when the HashiCorp extension gives `.tf` files a language. */
export const LANGUAGES = ["json", "jsonc", "yaml", "terraform"];

/** Files watched whatever their language: VS Code has no built-in language for Terraform, and
 * `.template` CloudFormation files have none either. */
export const FILE_PATTERNS = ["**/*.tf", "**/*.template"];

/** True when a document may hold an IAM policy: a JSON policy (a `"Statement"` or `"Version"`
 * key), a CloudFormation template (`AWS::` resource types), a Terraform file naming IAM policies,
 * or configured globs that could name it. The server decides exactly (a policy has one of those
 * keys at its top level, `iamlint_core::host::detect`, and it publishes nothing for any other
 * JSON or YAML); this only decides whether starting it is worth it, so package.json,
 * tsconfig.json or docker-compose.yml alone never start it. */
export function mayBePolicy(languageId: string, text: string, settings: ExtensionSettings, fileName = ""): boolean {
  const terraform = languageId === "terraform" || /\.tf$/i.test(fileName);
  const template = /\.template$/i.test(fileName);
  if (!LANGUAGES.includes(languageId) && !terraform && !template) return false;
  if (Object.keys(settings.policyGlobs).length > 0 && languageId.startsWith("json")) return true;
  if (terraform) return /policy|aws_iam_/.test(text);
  return /"(Statement|Version)"\s*:/.test(text) || /AWS::[A-Za-z0-9]+::/.test(text);
}

/** The server that runs: the WebAssembly build inside the extension (every platform, desktop
 * and browser), or a native `iamlint` binary the user chose with `iamlint.server.path`. */
export interface ServerResolution {
  kind: "wasm" | "native";
  /** The binary, for `native`. */
  path?: string;
  /** Why a configured path was not used, for a one-time notice. */
  ignored?: string;
}

/** `iamlint.server.path` is honoured only on the desktop (a process can be started) and in a
 * trusted workspace (VS Code enforces the setting's machine scope; the trust check is ours). */
export function resolveServer(opts: { settings: ExtensionSettings; trusted: boolean; canSpawn: boolean }): ServerResolution {
  const path = opts.settings.serverPath;
  if (!path) return { kind: "wasm" };
  if (!opts.canSpawn) {
    return { kind: "wasm", ignored: "iamlint.server.path is ignored here (no processes in the browser); the built-in server runs instead." };
  }
  if (!opts.trusted) {
    return { kind: "wasm", ignored: "iamlint.server.path is ignored in an untrusted workspace; the built-in server runs instead." };
  }
  return { kind: "native", path };
}

/** URI schemes of the documents the server checks: local and remote files, unsaved buffers, and
 * the virtual file systems of VS Code in the browser (vscode.dev, github.dev). */
export const SCHEMES = ["file", "untitled", "vscode-remote", "vscode-vfs", "vscode-test-web"];

/** The documents the language client sends to the server. */
export function documentSelector(): ({ scheme: string; language: string } | { scheme: string; pattern: string })[] {
  return [
    ...LANGUAGES.flatMap((language) => SCHEMES.map((scheme) => ({ scheme, language }))),
    // Terraform has no built-in language in VS Code (and .template files none either).
    ...FILE_PATTERNS.flatMap((pattern) => SCHEMES.map((scheme) => ({ scheme, pattern }))),
  ];
}

/** The status bar text for the active editor. */
export function statusText(findings: number | undefined): string {
  if (findings === undefined) return "$(shield) iamlint";
  if (findings === 0) return "$(pass) iamlint: no findings";
  return `$(warning) iamlint: ${findings} finding${findings === 1 ? "" : "s"}`;
}

/** Timings of the built-in server, as the client sees them: from the extension's activation
 * (or a restart) to the first diagnostics, with the start-up phases on the way (reading and
 * compiling the module, the server's thread, initialize, didOpen, the server's requests to the
 * client, diagnostics received and shown), and from each didChange sent to the diagnostics of
 * that version. */
export class LatencyLog {
  /** When activate() ran, on this host's clock (performance.now() counts from the extension
   * host's own start: the process on the desktop, the worker in the browser). */
  readonly activatedAt: number;
  /** When the server was last asked to start: at activation when a policy is open then, else
   * when the first one opens; again at each restart. */
  startedAt: number;
  /** From `startedAt`. */
  firstDiagnostics: number | undefined;
  /** From activation, for the first start. */
  firstFromActivation: number | undefined;
  /** Start-up phases, ms after activation, each the first time it happened, in that order. */
  readonly phases: [string, number][] = [];
  private pending = new Map<string, number>();
  /** Methods of the requests in flight, by id, either way ("c" from the client, "s" from the server). */
  private requests = new Map<string, string>();
  readonly keystrokes: number[] = [];
  /** The client's requests by method (what else the server is asked while the user types). */
  readonly asked = new Map<string, number>();

  constructor(activatedAt = now()) {
    this.activatedAt = activatedAt;
    this.startedAt = activatedAt;
  }

  /** The server is starting (again, for a restart): time its first diagnostics from now. */
  start(): void {
    this.startedAt = now();
    this.firstDiagnostics = undefined;
    this.mark("server start");
  }

  /** A start-up phase is reached (only the first time counts). */
  mark(phase: string): void {
    if (!this.phases.some(([p]) => p === phase)) this.phases.push([phase, now() - this.activatedAt]);
  }

  sent(message: unknown): void {
    const m = message as { id?: number | string; method?: string; params?: { textDocument?: { uri?: string; version?: number } } };
    if (m.method === "textDocument/didChange" && m.params?.textDocument?.uri) {
      this.pending.set(`${m.params.textDocument.uri}#${m.params.textDocument.version}`, now());
    } else if (m.method !== undefined && START_MESSAGES.includes(m.method)) {
      this.mark(`${m.method} sent`);
    }
    if (m.id === undefined) return;
    if (m.method !== undefined) {
      this.requests.set(`c${m.id}`, m.method);
      this.asked.set(m.method, (this.asked.get(m.method) ?? 0) + 1);
    } else {
      const asked = this.requests.get(`s${m.id}`);
      this.requests.delete(`s${m.id}`);
      if (asked) this.mark(`${asked} answered`);
    }
  }

  received(message: unknown): void {
    const m = message as { id?: number | string; method?: string; params?: { uri?: string; version?: number } };
    if (m.id !== undefined) {
      if (m.method !== undefined) {
        this.requests.set(`s${m.id}`, m.method);
        this.mark(`${m.method} asked`);
      } else {
        const asked = this.requests.get(`c${m.id}`);
        this.requests.delete(`c${m.id}`);
        if (asked !== undefined && START_MESSAGES.includes(asked)) this.mark(`${asked} answered`);
      }
    }
    if (m.method !== "textDocument/publishDiagnostics") return;
    const at = now();
    if (this.firstDiagnostics === undefined) {
      this.firstDiagnostics = at - this.startedAt;
      this.firstFromActivation ??= at - this.activatedAt;
      this.mark("diagnostics received");
    }
    const key = `${m.params?.uri}#${m.params?.version}`;
    const start = this.pending.get(key);
    if (start !== undefined) {
      this.keystrokes.push(at - start);
      // Versions at or before this one will not be published any more.
      for (const k of this.pending.keys()) if (k.startsWith(`${m.params?.uri}#`)) this.pending.delete(k);
    }
  }

  report(): string {
    const ms = (t: number | undefined) => (t === undefined ? "none yet" : `${t.toFixed(0)} ms`);
    const ks = [...this.keystrokes].sort((a, b) => a - b);
    const pick = (q: number) => ks[Math.min(ks.length - 1, Math.floor(q * ks.length))].toFixed(1);
    const typing = ks.length === 0 ? "no edits yet" : `p50 ${pick(0.5)} ms, p95 ${pick(0.95)} ms over ${ks.length} edits`;
    const phases = this.phases.map(([p, t]) => `${p} ${t.toFixed(0)}`).join(", ");
    const asked = [...this.asked].map(([method, n]) => `${method} ${n}`).join(", ");
    // The wall-clock time of activation lets a test place it on the page's own timeline.
    const epoch = Date.now() - (now() - this.activatedAt);
    return (
      `activation to first diagnostics ${ms(this.firstFromActivation)}, server start to first diagnostics ${ms(this.firstDiagnostics)}; ` +
      `keystroke to diagnostics ${typing}; ` +
      `host start to activation ${this.activatedAt.toFixed(0)} ms, activated at epoch ${epoch.toFixed(0)}; ` +
      `phases (ms after activation): ${phases || "none"}; requests: ${asked || "none"}`
    );
  }
}

/** The client's messages whose first sending marks a start-up phase. */
const START_MESSAGES = ["initialize", "initialized", "textDocument/didOpen"];

/** This host's monotonic clock, in ms. */
export function now(): number {
  return globalThis.performance?.now() ?? Date.now();
}

// ---------------------------------------------------------------- policy generation from logs

/** CloudTrail log files as delivered to S3 (`.json`, `.json.gz`) and `lookup-events` output,
 * the extension in any case: the rule of the core's `is_log_file_name`, which the command line
 * and the server's own folder walks use (core/src/activity/record.rs, tested with the same names). */
export function isLogFile(name: string): boolean {
  return /\.json(\.gz)?$/i.test(name);
}

/** What gathering log files needs of a file system (VS Code's `workspace.fs` in the extension). */
export interface LogFileSystem<U> {
  /** What `uri` is, through a link; `link` says `uri` itself is a link. */
  stat(uri: U): Promise<{ directory: boolean; link: boolean; size: number; mtime: number }>;
  /** The names in a folder. */
  readDirectory(uri: U): Promise<string[]>;
  child(uri: U, name: string): U;
  readFile(uri: U): Promise<Uint8Array>;
}

/** A log file found, with the stamps that say whether it changed. */
export interface FoundLog<U> {
  uri: U;
  size: number;
  mtime: number;
}

/** The log files at `root`: the file itself whatever its name (the server says if it is no log),
 * or, for a folder, its `.json` and `.json.gz` files searched recursively in name order, links to
 * folders not followed (the rule of the core's `activity::folder`, which the command line and the
 * native server follow: a link back up the tree would read the same logs once per lap). A root
 * that cannot be read throws. */
export async function gatherLogs<U>(fs: LogFileSystem<U>, root: U): Promise<FoundLog<U>[]> {
  const out: FoundLog<U>[] = [];
  const visit = async (uri: U, name: string, chosen: boolean): Promise<void> => {
    const stat = await fs.stat(uri);
    if (stat.directory && stat.link && !chosen) return;
    if (stat.directory) {
      const names = (await fs.readDirectory(uri)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      for (const n of names) await visit(fs.child(uri, n), n, false);
    } else if (chosen || isLogFile(name)) {
      out.push({ uri, size: stat.size, mtime: stat.mtime });
    }
  };
  await visit(root, "", true);
  return out;
}

/** `iamlint/readActivityFiles`: the files of an iamlint.toml `[[activity]]` entry, read for a
 * server without a disk (the built-in WebAssembly one). `paths` are paths on the file system of
 * the request's `base` URI (`at` makes them URIs); the bytes of a file the server already holds
 * with the same size and mtime (`known`) are not sent again. */
export async function readActivityFiles<U>(
  fs: LogFileSystem<U>,
  at: (path: string) => U,
  pathOf: (uri: U) => string,
  params: { paths: string[]; known?: { path: string; size: number; mtime: number | null }[] },
): Promise<{ files: { path: string; size: number; mtime: number; base64?: string }[]; errors: { path: string; message: string }[] }> {
  const known = new Map((params.known ?? []).map((k) => [k.path, k]));
  const files = [];
  const errors = [];
  const why = (e: unknown) => (e instanceof Error ? e.message : String(e));
  for (const path of params.paths) {
    let found: FoundLog<U>[];
    try {
      found = await gatherLogs(fs, at(path));
    } catch (e) {
      errors.push({ path, message: why(e) });
      continue;
    }
    for (const f of found) {
      const p = pathOf(f.uri);
      const k = known.get(p);
      if (k && k.size === f.size && k.mtime === f.mtime) {
        files.push({ path: p, size: f.size, mtime: f.mtime });
        continue;
      }
      try {
        files.push({ path: p, size: f.size, mtime: f.mtime, base64: toBase64(await fs.readFile(f.uri)) });
      } catch (e) {
        errors.push({ path: p, message: why(e) });
      }
    }
  }
  return { files, errors };
}

/** Why `text` cannot be a principal ARN, or undefined when it may be one (the server checks it
 * fully and answers with the reason). */
export function principalProblem(text: string): string | undefined {
  const t = text.trim();
  if (t === "") return "Give the ARN of a role, user or assumed-role session.";
  if (!/^arn:[^:]+:(iam|sts):[^:]*:[^:]*:.+$/.test(t)) {
    return "An ARN such as arn:aws:iam::111122223333:role/name (a role counts its sessions), arn:aws:iam::111122223333:user/name or arn:aws:sts::111122223333:assumed-role/role/session.";
  }
  return undefined;
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Standard base64 with padding: how log bytes (gzipped or not) travel to the server. */
export function toBase64(bytes: Uint8Array): string {
  const out: string[] = [];
  let chunk = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    chunk += B64[(n >> 18) & 63] + B64[(n >> 12) & 63];
    chunk += i + 1 < bytes.length ? B64[(n >> 6) & 63] : "=";
    chunk += i + 2 < bytes.length ? B64[n & 63] : "=";
    // Join in pieces: one string grown by millions of small appends is slow in some engines.
    if (chunk.length >= 65536) {
      out.push(chunk);
      chunk = "";
    }
  }
  out.push(chunk);
  return out.join("");
}

/** The server's answer to `iamlint/generatePolicy`. */
export interface GenerateResult {
  policies: string[];
  actions: { action: string; events: number; lastSeen: string }[];
  unmapped: { eventSource: string; eventName: string; events: number }[];
  notes: string[];
  errors: string[];
}

/** One line for the notification after generation. */
export function generateSummary(r: GenerateResult, files: number): string {
  const events = r.actions.reduce((n, a) => n + a.events, 0);
  const parts = [
    `${r.actions.length} action${r.actions.length === 1 ? "" : "s"} from ${events} event${events === 1 ? "" : "s"} in ${files} file${files === 1 ? "" : "s"}`,
  ];
  if (r.policies.length > 1) parts.push(`split into ${r.policies.length} policies at the managed-policy size quota`);
  const unmapped = r.unmapped.reduce((n, u) => n + u.events, 0);
  if (unmapped > 0) parts.push(`${unmapped} event${unmapped === 1 ? "" : "s"} with no known action`);
  if (r.errors.length > 0) parts.push(`${r.errors.length} problem${r.errors.length === 1 ? "" : "s"} reading the files`);
  if (r.notes.length > 0) parts.push("see the iamlint output for notes");
  return `iamlint: ${parts.join("; ")}.`;
}

/** The .vsix carries the module gzipped (xtask/src/vscode.rs says why); a plain module (tests,
 * benches) is taken as it is. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Inflate gzip bytes with the platform's own decoder (Node 18+ and browsers alike). */
export async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
