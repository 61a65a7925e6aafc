// The desktop's dedicated server thread (a Node `worker_threads` worker, bundled as dist/server.js):
// the pump and the WebAssembly server run here, so an analysis never blocks the extension host.
// The compiled module comes from the extension host (compiled once, shared by restarts); messages
// cross as JSON text in both directions.

import { parentPort, workerData } from "node:worker_threads";
import { startPump } from "./pump";

const port = parentPort;
if (port) {
  const pump = startPump(
    (workerData as { module: WebAssembly.Module }).module,
    (json) => port.postMessage(json),
    () => port.close(),
    true,
  );
  port.on("message", (json: string) => pump.receive(json));
}
