// Shared by the playground benchmarks: the `vite preview` server, medians, and writing a table
// into docs/benchmarks.md between its markers.
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

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Put `table` into `doc` between `<!-- NAME:start -->` and `<!-- NAME:end -->`, replacing what
 * was there; a new section goes after the `after` marker (or at the end of the Playground part). */
export function recordSection(doc, name, table, after = "<!-- playground-size:end -->") {
  const START = `<!-- ${name}:start -->`;
  const END = `<!-- ${name}:end -->`;
  let text = fs.existsSync(doc) ? fs.readFileSync(doc, "utf8") : "# Benchmarks\n";
  const body = `${START}\n${table}\n${END}`;
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  if (a >= 0 && b > a) {
    text = text.slice(0, a) + body + text.slice(b + END.length);
  } else if (text.includes(after)) {
    const at = text.indexOf(after) + after.length;
    text = `${text.slice(0, at)}\n\n${body}${text.slice(at)}`;
  } else if (text.includes("## Playground")) {
    const at = text.indexOf("## Playground") + "## Playground".length;
    text = `${text.slice(0, at)}\n\n${body}${text.slice(at)}`;
  } else {
    text = `${text.trimEnd()}\n\n## Playground\n\n${body}\n`;
  }
  fs.writeFileSync(doc, text);
}
