// The playground link (moved here unchanged from logic.ts so the browser bundle, which has no
// node:zlib, does not load it; the desktop host registers the command).

import { deflateRawSync } from "node:zlib";

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
