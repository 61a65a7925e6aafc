// Share links: the policy, its type and its format travel in the URL fragment (after '#'), which
// browsers never send to a server. The link format (compression, integrity check, versions) is
// the core's (iamlint_core::share_link) through the wasm; the VS Code extension writes the same
// links with the same code. This module only decides what the page does with them.
import type { LinkOutcome, ShareLink } from "./protocol";

export type { LinkOutcome, ShareLink };

/** A message about the link to show above the editor. */
export interface LinkNotice {
  /** "error": nothing was loaded; "info": loaded, with a remark. */
  level: "error" | "info";
  message: string;
}

/** The notice a decoded link calls for, if any. */
export function linkNotice(outcome: LinkOutcome): LinkNotice | null {
  if (outcome.type === "error") return { level: "error", message: outcome.message };
  if (outcome.type === "ok") {
    const remarks = [...outcome.value.notices];
    if (!outcome.value.checked) {
      remarks.push("This link was made before links carried an integrity check: if it was damaged on the way, the policy may differ from the one shared.");
    }
    if (remarks.length > 0) return { level: "info", message: remarks.join(" ") };
  }
  return null;
}

/** Show (or hide, with null) the notice in the page's notice bar. */
export function showLinkNotice(notice: LinkNotice | null) {
  const bar = document.getElementById("link-notice");
  if (!bar) return;
  bar.hidden = notice === null;
  bar.textContent = notice?.message ?? "";
  if (notice) bar.dataset.level = notice.level;
  else delete bar.dataset.level;
}

/** The whole URL of the page with `fragment`, and whether it is long enough to be cut. */
export function shareUrl(link: ShareLink): { url: string; long: boolean } {
  const url = `${location.href.replace(/#.*$/, "")}#${link.fragment}`;
  return { url, long: url.length > link.longLinkChars };
}

export interface Shown {
  text: string;
  policyType: string;
  format: string;
}

/** Keeps the address bar's link in step with the editor once the page shows a link (opened from
 * one, or after "Share link"): each change rewrites the fragment (a moment after the last one),
 * so a reload shows the latest edit, not the policy as it was when shared. */
export class FragmentFollower {
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Fragments written so far (the tests wait on it). */
  written = 0;

  constructor(
    private readonly encode: (shown: Shown) => Promise<ShareLink>,
    private readonly current: () => Shown,
    private readonly delayMs = 400,
  ) {}

  /** The policy, its type or its format changed. */
  changed() {
    if (location.hash.length <= 1) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.write(), this.delayMs);
  }

  private async write() {
    const shown = this.current();
    const link = await this.encode(shown);
    const now = this.current();
    if (now.text !== shown.text || now.policyType !== shown.policyType || now.format !== shown.format) return;
    if (location.hash.length <= 1) return;
    history.replaceState(null, "", `#${link.fragment}`);
    this.written++;
  }

  /** The page wrote a new link itself ("Share link"): nothing pending is needed. */
  cancel() {
    clearTimeout(this.timer);
  }
}
