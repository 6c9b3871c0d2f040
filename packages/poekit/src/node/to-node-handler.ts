import type { IncomingMessage, ServerResponse } from "node:http";
import { answerers } from "../server/answerers.js";
import type { PoeApp } from "../server/poe-app.js";
import { fetchListener } from "./fetch-listener.js";
import { incomingFromNode } from "./node-incoming.js";
import { writeAnswer } from "./write-answer.js";

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
 * An app from `makeApp` is answered straight from node:http (no web `Request` or `Response` in
 * between, which is most of the cost of a small query); any other fetch handler through an adapter.
 * @example
 * const server = express();
 * server.use("/poe", toNodeHandler(makeApp(new EchoBot(), { allowWithoutKey: true })));
 */
export function toNodeHandler(app: Pick<PoeApp, "fetch">): NodeHandler {
  const answer = answerers.get(app as PoeApp);
  if (answer === undefined) return fetchListener((request) => app.fetch(request));
  return async (request, response) => {
    // Never rejects: a failure inside is answered with 500.
    const answered = await answer(incomingFromNode(request));
    try {
      // A whole answer is written at once; only a stream is waited for.
      if (answered.stream === undefined) writeAnswer(answered, response);
      else await writeAnswer(answered, response);
    } catch {
      // Only a broken socket gets here: nothing can be sent any more.
      response.destroy();
    }
  };
}
