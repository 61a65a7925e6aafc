// The desktop's dedicated server thread (a Node `worker_threads` worker, bundled as dist/server.js):
// the pump and the WebAssembly server run here, so an analysis never blocks the extension host.
// The compiled module comes from the extension host (compiled once, shared by restarts) as the
// first message: the thread starts while the module is still compiling. Then messages cross as
// JSON text in both directions.

import { parentPort } from "node:worker_threads";
import { type Pump, startPump } from "./pump";

const port = parentPort;
if (port) {
  let pump: Pump | undefined;
  port.on("message", (message: string | { module: WebAssembly.Module }) => {
    if (typeof message === "string") {
      pump?.receive(message);
    } else if (!pump) {
      pump = startPump(message.module, (json) => port.postMessage(json), () => port.close(), true);
    }
  });
}
