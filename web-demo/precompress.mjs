// Precompressed files for the playground (issue 18, item 5): `vite build` writes a brotli (.br)
// and a gzip (.gz) copy beside each text asset and the wasm in dist/, and `vite preview` (what
// scripts/playground.sh serves) answers with them when the browser accepts the encoding, with the
// right Content-Type and Content-Encoding. Vite's own preview compression gzips JavaScript and CSS
// on the fly but sends the 2.6 MB wasm as it is.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

const TYPES = {
  ".wasm": "application/wasm",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".html": "text/html; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
};
/** Smaller files are not worth a second request's worth of bytes saved. */
const MIN_BYTES = 1024;

function* files(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (TYPES[path.extname(entry.name)]) yield full;
  }
}

/** Write `file.br` (quality 11) and `file.gz` (level 9) for every asset of `dir`. */
export function compressDir(dir) {
  for (const file of files(dir)) {
    const bytes = fs.readFileSync(file);
    if (bytes.length < MIN_BYTES) continue;
    const br = zlib.brotliCompressSync(bytes, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
        [zlib.constants.BROTLI_PARAM_MODE]: file.endsWith(".wasm") ? zlib.constants.BROTLI_MODE_GENERIC : zlib.constants.BROTLI_MODE_TEXT,
      },
    });
    fs.writeFileSync(`${file}.br`, br);
    fs.writeFileSync(`${file}.gz`, zlib.gzipSync(bytes, { level: 9 }));
  }
}

/** Which precompressed copy of `file` to send for this Accept-Encoding, if any. */
export function pickEncoding(file, acceptEncoding = "") {
  const accepted = acceptEncoding
    .split(",")
    .map((part) => part.trim().split(";"))
    .filter(([, q]) => !q || Number(q.trim().replace(/^q=/, "")) > 0)
    .map(([name]) => name.trim());
  for (const [encoding, suffix] of [["br", ".br"], ["gzip", ".gz"]]) {
    if (accepted.includes(encoding) && fs.existsSync(file + suffix)) return { encoding, file: file + suffix };
  }
  return null;
}

/** The Vite plugin: compress after the build, serve the copies in preview. */
export function precompressed() {
  let outDir = "dist";
  return {
    name: "iamlint-precompressed",
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle: {
      order: "post",
      handler() {
        if (fs.existsSync(outDir)) compressDir(outDir);
      },
    },
    configurePreviewServer(server) {
      const root = path.resolve(server.config.root, server.config.build.outDir);
      // Added before Vite's own middlewares (its on-the-fly compression and static files).
      server.middlewares.use((req, res, next) => {
        if (req.method !== "GET" && req.method !== "HEAD") return next();
        let pathname;
        try {
          pathname = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
        } catch {
          return next();
        }
        if (pathname.endsWith("/")) pathname += "index.html";
        const file = path.join(root, path.normalize(pathname));
        const type = TYPES[path.extname(file)];
        if (!type || !file.startsWith(root + path.sep) || !fs.existsSync(file)) return next();
        const pick = pickEncoding(file, req.headers["accept-encoding"]);
        if (!pick) return next();
        const body = fs.readFileSync(pick.file);
        res.statusCode = 200;
        res.setHeader("Content-Type", type);
        res.setHeader("Content-Encoding", pick.encoding);
        res.setHeader("Content-Length", String(body.length));
        res.setHeader("Vary", "Accept-Encoding");
        // Built assets carry a content hash in their names; the page itself must be revalidated.
        res.setHeader("Cache-Control", pathname.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache");
        res.end(req.method === "HEAD" ? undefined : body);
      });
    },
  };
}
