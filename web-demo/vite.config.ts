import { defineConfig, type Plugin } from "vite";
import { precompressed } from "./precompress.mjs";

// Start the wasm's download with the HTML (boot.ts compiles it). The editor's chunk is not
// preloaded: on a busy 2-core machine, a modulepreload of its 430 KB competed with the critical
// path (first findings 0.4 s without it, 0.8 s with it, same build otherwise).
function preloadWasm(): Plugin {
  return {
    name: "iamlint-preload-wasm",
    apply: "build",
    transformIndexHtml: {
      order: "post",
      handler(_html, ctx) {
        const files = Object.values(ctx.bundle ?? {});
        const wasm = files.find((c) => c.type === "asset" && c.fileName.endsWith(".wasm"));
        if (!wasm) return [];
        // boot.ts fetches it in CORS mode (as crossorigin asks here), so the preload is reused.
        return [{ tag: "link", attrs: { rel: "preload", as: "fetch", type: "application/wasm", crossorigin: true, href: `./${wasm.fileName}` }, injectTo: "head" }];
      },
    },
  };
}

// The playground is a static page: everything it needs is in dist/, served from 127.0.0.1 only.
export default defineConfig({
  base: "./",
  build: { target: "es2022", assetsInlineLimit: 0 },
  worker: { format: "es" },
  plugins: [preloadWasm(), precompressed()],
  server: { host: "127.0.0.1", port: 5173, strictPort: true },
  preview: { host: "127.0.0.1", port: 4173, strictPort: true },
});
