import {
  frame,
  type RawRoute,
  type RawSseServer,
  SSE_HEADERS,
  sendSse,
  startRawSseServer,
} from "../../../poekit/src/test-support/raw-sse-server.js";

/** Answers a settings request with `{}`; true when it did. */
function settings(exchange: Parameters<RawRoute>[0]): boolean {
  if (exchange.body.type !== "settings") return false;
  exchange.response.writeHead(200, { "content-type": "application/json" });
  exchange.response.end("{}");
  return true;
}

const route =
  (answer: RawRoute): RawRoute =>
  (exchange) => {
    if (!settings(exchange)) answer(exchange);
  };

const meta = frame("meta", '{"content_type":"text/markdown"}');
const done = frame("done", "{}");

/**
 * Bots that break the protocol on purpose, one rule each, served from one raw HTTP server; each
 * route's name is the bot's path. `report_error`s they receive are recorded.
 */
export const BROKEN_BOTS: Record<string, RawRoute> = {
  "no-done": route(({ response }) => sendSse(response, meta, frame("text", '{"text":"and then"}'))),
  "late-meta": route(({ response }) => sendSse(response, frame("text", '{"text":"hi"}'), meta, done)),
  "invalid-json": route(({ response }) => sendSse(response, meta, frame("text", "{not json"), done)),
  "too-many-events": route(({ response }) => {
    response.writeHead(200, SSE_HEADERS);
    const text = frame("text", '{"text":"."}');
    response.write(meta);
    response.write(text.repeat(10_000));
    response.end(done);
  }),
  silent: route(({ response }) => {
    const timer = setTimeout(
      () => sendSse(response, meta, frame("text", '{"text":"too late"}'), done),
      6_000,
    );
    response.on("close", () => clearTimeout(timer));
  }),
  garbage: route(({ response }) => {
    response.writeHead(200, SSE_HEADERS);
    response.end(
      Buffer.from([0xff, 0xfe, 0x00, 0x0a, 0x0d, 0x3a, 0x9f, 0x0a, 0x0a, 0x65, 0x76, 0x3a, 0x0a, 0x0a]),
    );
  }),
  "never-ends": route(({ response }) => {
    response.writeHead(200, SSE_HEADERS);
    response.write(meta);
    response.write(frame("text", '{"text":"still thinking"}'));
  }),
  "closes-mid-event": route(({ response }) => {
    response.writeHead(200, SSE_HEADERS);
    response.write(meta);
    response.write('event: text\r\ndata: {"text": "half');
    setTimeout(() => response.destroy(), 50);
  }),
  "events-after-done": route(({ response }) =>
    sendSse(response, frame("text", '{"text":"hi"}'), done, frame("text", '{"text":"more"}')),
  ),
  "unknown-event": route(({ response }) =>
    sendSse(response, frame("purr", "{}"), frame("text", '{"text":"hi"}'), done),
  ),
  "server-error": route(({ response }) => {
    response.writeHead(500, { "content-type": "text/html" });
    response.end("<h1>Internal Server Error</h1>");
  }),
  "wrong-content-type": route(({ response }) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end('{"text":"hi"}');
  }),
  "no-text": route(({ response }) => sendSse(response, meta, done)),
};

/** Starts the broken bots on 127.0.0.1. */
export function startBrokenBots(): Promise<RawSseServer> {
  return startRawSseServer(BROKEN_BOTS);
}
