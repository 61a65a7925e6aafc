// The playground link: the policy in the URL fragment (never sent to a server), written by the
// core's share-link encoder in the WebAssembly module the extension already ships (the same code
// the playground reads links with), so it works in both extension hosts.

import { initSync, longShareLinkChars, shareLinkFragment } from "../wasm/iamlint_lsp_wasm.js";

/** A playground link for `text` (from a file named `fileName`, which tells the core whether it is
 * a policy, a Terraform file or a CloudFormation template), and whether it is long enough that
 * chat tools and browsers may cut it. `module` is the compiled server module (instantiated in
 * this thread once; on the desktop the server itself runs in a worker thread). */
export function playgroundLink(
  module: WebAssembly.Module,
  base: string,
  text: string,
  policyType: string,
  fileName: string,
): { link: string; long: boolean } {
  initSync({ module });
  const link = `${base.replace(/#.*$/, "")}#${shareLinkFragment(text, policyType || "auto", fileName)}`;
  return { link, long: link.length > longShareLinkChars() };
}
