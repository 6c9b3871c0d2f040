import type { IncomingMessage, ServerResponse } from "node:http";
import { getRequestListener } from "@hono/node-server";
import type { PoeApp } from "../server/make-app.js";

/**
 * A node:http request listener.
 * @example
 * const handler: NodeHandler = toNodeHandler(app);
 * http.createServer(handler).listen(8080);
 */
export type NodeHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

/**
 * Adapts a bot app to node:http, so it mounts in an existing server. Mount it before any body
 * parser: the bot reads the raw body itself. Client disconnects stop the bot; slow readers slow it.
 * @example
 * const server = express();
 * server.use("/poe", toNodeHandler(makeApp(new EchoBot(), { allowWithoutKey: true })));
 */
export function toNodeHandler(app: Pick<PoeApp, "fetch">): NodeHandler {
  const listener = getRequestListener((request) => app.fetch(request));
  return (request, response) => listener(request, response);
}
