// Starts `vite preview` on 127.0.0.1 for the playground benchmarks and waits until it answers.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/** `web`: web-demo's directory; `outDir`: the built page to serve (default web-demo/dist). */
export async function startServer(web, port, outDir = path.join(web, "dist")) {
  const base = `http://127.0.0.1:${port}/`;
  if (!fs.existsSync(path.join(outDir, "index.html"))) {
    throw new Error(`${outDir} is missing: run scripts/playground-build.sh first`);
  }
  const args = ["preview", "--host", "127.0.0.1", "--port", String(port), "--strictPort", "--outDir", outDir];
  const server = spawn(path.join(web, "node_modules/.bin/vite"), args, { cwd: web, stdio: ["ignore", "ignore", "inherit"] });
  for (let i = 0; i < 100; i++) {
    if (server.exitCode !== null) throw new Error(`vite preview exited (${server.exitCode}); is port ${port} taken?`);
    try {
      if ((await fetch(base)).ok) return server;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  server.kill();
  throw new Error("vite preview did not answer");
}
