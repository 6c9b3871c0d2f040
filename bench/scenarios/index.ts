import type { Scenario } from "../lib/scenario.js";
import accessLog from "./access-log.js";
import bundle from "./bundle.js";
import client from "./client.js";
import echo from "./echo.js";
import openStreams from "./open-streams.js";
import simulator from "./simulator.js";
import sseDecoding from "./sse-decoding.js";
import startup from "./startup.js";
import streaming from "./streaming.js";
import workers from "./workers.js";

/**
 * Every scenario by name, in the order `npm run bench` runs them: the quiet, CPU-bound ones first,
 * the ten thousand sockets last.
 */
export const SCENARIOS: readonly { name: string; title: string; run: Scenario }[] = [
  { name: "bundle", title: "bundle size for Workers", run: bundle },
  { name: "sse-decoding", title: "SSE decoding", run: sseDecoding },
  { name: "client", title: "client: one query of many events", run: client },
  { name: "startup", title: "start-up: spawn to first answer", run: startup },
  { name: "simulator", title: "time to first text through the simulator", run: simulator },
  { name: "echo", title: "echo query under load", run: echo },
  { name: "access-log", title: "echo with JSON access lines to a file, against logs off", run: accessLog },
  { name: "workers", title: "poekit serve --workers 2 against 1", run: workers },
  { name: "streaming", title: "streaming query under load", run: streaming },
  { name: "open-streams", title: "open streams", run: openStreams },
];
