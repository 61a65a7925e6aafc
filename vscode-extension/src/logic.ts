// The extension's own decisions, free of the VS Code API so they can be unit-tested in Node:
// which documents wake the server, which binary runs, how settings travel to the server, and the
// playground link. Everything the extension shows about a policy comes from the server.

import { deflateRawSync } from "node:zlib";

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

/** Document languages the extension watches. */
export const LANGUAGES = ["json", "jsonc"];

/** True when a JSON document may be an IAM policy: a `"Statement"` key, or configured globs
 * that could name it (the server applies the globs and the exact test; this only decides
 * whether starting the server is worth it, so package.json alone never starts it). */
export function mayBePolicy(languageId: string, text: string, settings: ExtensionSettings): boolean {
  if (!LANGUAGES.includes(languageId)) return false;
  if (Object.keys(settings.policyGlobs).length > 0) return true;
  return /"Statement"\s*:/.test(text);
}

export interface ServerResolution {
  path: string;
  source: "setting" | "bundled";
  /** Why a configured path was not used, for a one-time notice. */
  ignored?: string;
}

/** Which binary to run: `iamlint.server.path` when the workspace is trusted and the setting
 * is machine-scoped (VS Code enforces the scope; the trust check is ours), else the binary
 * bundled in the extension's `server/` folder for this platform. */
export function resolveServer(opts: {
  settings: ExtensionSettings;
  trusted: boolean;
  extensionPath: string;
  platform: string;
}): ServerResolution {
  const exe = opts.platform === "win32" ? "iamlint.exe" : "iamlint";
  const sep = opts.platform === "win32" ? "\\" : "/";
  const bundled = `${opts.extensionPath.replace(/[\\/]+$/, "")}${sep}server${sep}${exe}`;
  if (opts.settings.serverPath) {
    if (!opts.trusted) {
      return {
        path: bundled,
        source: "bundled",
        ignored: "iamlint.server.path is ignored in an untrusted workspace; the bundled server runs instead.",
      };
    }
    return { path: opts.settings.serverPath, source: "setting" };
  }
  return { path: bundled, source: "bundled" };
}

/** A playground link holding the policy in the URL fragment (never sent to a server), in the
 * playground's format: `#type=<policy type>&z=<base64url(deflate-raw(text))>`. */
export function playgroundLink(base: string, text: string, policyType: string): string {
  const z = deflateRawSync(Buffer.from(text, "utf8"))
    .toString("base64")
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
  const params = new URLSearchParams({ type: policyType || "auto", z });
  return `${base.replace(/#.*$/, "")}#${params.toString()}`;
}

/** The status bar text for the active editor. */
export function statusText(findings: number | undefined): string {
  if (findings === undefined) return "$(shield) iamlint";
  if (findings === 0) return "$(pass) iamlint: no findings";
  return `$(warning) iamlint: ${findings} finding${findings === 1 ? "" : "s"}`;
}

/** The rule documentation link of a diagnostic: its codeDescription when the server gave one,
 * else the rule reference's anchor for the code. */
export function ruleDocsUrl(code: string, href: string | undefined, base: string): string {
  if (href) return href;
  return `${base.replace(/\/+$/, "")}/blob/main/docs/rules.md#${code.toLowerCase()}`;
}
