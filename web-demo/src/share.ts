// Share links: the policy and its type travel in the URL fragment (after '#'), which browsers
// never send to a server. The text is deflated and base64url-encoded to keep links short.

export interface Shared {
  text: string;
  policyType: string;
  /** The format selector's value; policy JSON when a link has none. */
  format?: string;
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

export async function encodeShare(shared: Shared): Promise<string> {
  const deflated = await pipe(new TextEncoder().encode(shared.text), new CompressionStream("deflate-raw"));
  const params = new URLSearchParams({ type: shared.policyType, z: toBase64Url(deflated) });
  if (shared.format && shared.format !== "json") params.set("format", shared.format);
  return `#${params.toString()}`;
}

/** The shared policy in a fragment, or null when the fragment holds none (or is damaged). */
export async function decodeShare(hash: string): Promise<Shared | null> {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const z = params.get("z");
  if (!z) return null;
  try {
    const bytes = await pipe(fromBase64Url(z), new DecompressionStream("deflate-raw"));
    return {
      text: new TextDecoder().decode(bytes),
      policyType: params.get("type") ?? "auto",
      format: params.get("format") ?? "json",
    };
  } catch {
    return null;
  }
}
