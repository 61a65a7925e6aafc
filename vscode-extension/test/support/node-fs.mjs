// The extension's `LogFileSystem` over Node's file system, as the tests read real files with it
// (VS Code's `workspace.fs` in the extension itself).
import { promises as fsp } from "node:fs";
import path from "node:path";

export const nodeFs = {
  stat: async (p) => {
    const [s, l] = await Promise.all([fsp.stat(p), fsp.lstat(p)]);
    return { directory: s.isDirectory(), link: l.isSymbolicLink(), size: s.size, mtime: s.mtimeMs };
  },
  readDirectory: (p) => fsp.readdir(p),
  child: (p, name) => path.join(p, name),
  readFile: (p) => fsp.readFile(p),
};
