import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { isKnownRole, MetaResponse, makeApp, PoeBot, type QueryRequest, silentLogger } from "poekit";
import { toNodeHandler } from "poekit/node";
import { readRecordedHttp } from "../../../../poekit/src/test-support/recorded-http.js";
import type { CheckTuning } from "../check-context.js";

/** The key every fixture bot is served with (and `poekit check` is given). */
export const FIXTURE_KEY = "fixture0123456789abcdefghijklmno";

/** A request as a fixture sees it: the body already read, and parsed when it is JSON. */
export interface Incoming {
  request: Request;
  text: string;
  /** The parsed body, or undefined when it is not JSON. */
  json: unknown;
}

/**
 * How a fixture answers: by hand, or by passing the request on to a well-behaved poekit bot (with
 * another Authorization header when `authorization` is given).
 */
export type Handler = (
  incoming: Incoming,
  next: (authorization?: string) => Promise<Response>,
) => Response | Promise<Response>;

/** A bot that breaks some rules on purpose, and the checks that must catch exactly that. */
export interface BrokenBot {
  /** What it breaks. */
  name: string;
  handle: Handler;
  /** How the well-behaved bot behind it answers queries. */
  bot?: { pauseMs?: number; pingIntervalMs?: number };
  /** Limits lowered for this fixture. */
  tuning?: CheckTuning;
  /** Its checks measure time: run it alone, so that other fixtures' work does not delay its timers. */
  timed?: boolean;
  /** The ids of the checks that must fail, and of those that must warn; every other one passes or skips. */
  fails: string[];
  warns: string[];
  /** Checks that must pass rather than be skipped. */
  passes?: string[];
}

/**
 * A well-behaved bot: meta, its answer in two parts, done. When asked, it pauses between the parts
 * of its first answer only: that is the normal query, which poekit check sends before any other, and
 * the other queries stay quick.
 */
class FixtureBot extends PoeBot {
  #pauseMs: number;

  constructor(pauseMs: number) {
    super();
    this.#pauseMs = pauseMs;
  }

  override async *getResponse(request: QueryRequest) {
    yield new MetaResponse({ content_type: "text/markdown" });
    yield "You said: ";
    const pauseMs = this.#pauseMs;
    this.#pauseMs = 0;
    if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    yield request.query.at(-1)?.content ?? "";
  }

  override async getSettings() {
    return { introduction_message: "I repeat what you say." };
  }

  /** poekit check sends a report_error on purpose; the test output need not show it. */
  override async onError() {}
}

const SSE_HEADERS = { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" };

/** One SSE frame with `data` exactly as given (so it may be malformed on purpose). */
function frame(event: string, data: string): string {
  return `event: ${event}\r\ndata: ${data}\r\n\r\n`;
}

const META = frame("meta", '{"content_type":"text/markdown"}');
const TEXT = frame("text", '{"text":"Hello."}');
const DONE = frame("done", "{}");

function sse(...frames: string[]): Response {
  return new Response(frames.join(""), { status: 200, headers: SSE_HEADERS });
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

/** The body's `type`, or undefined. */
function typeOf(body: unknown): unknown {
  return typeof body === "object" && body !== null && !Array.isArray(body)
    ? (body as { type?: unknown }).type
    : undefined;
}

/** The messages of a query body (empty for anything else). */
function messagesOf(body: unknown): Array<Record<string, unknown>> {
  const query = typeOf(body) === "query" ? (body as { query?: unknown }).query : undefined;
  return Array.isArray(query) ? query : [];
}

/**
 * Answers queries with `answer` where the good bot would stream its answer; everything else
 * (settings, refused keys, malformed queries) as the good bot does.
 */
function onQuery(answer: (incoming: Incoming) => Response | Promise<Response>): Handler {
  return async (incoming, next) => {
    const good = await next();
    if (typeOf(incoming.json) !== "query" || good.status !== 200) return good;
    await good.body?.cancel();
    return answer(incoming);
  };
}

/** The request's Authorization header, or "". */
function authorization(incoming: Incoming): string {
  return incoming.request.headers.get("authorization") ?? "";
}

/** Whether a POST's body is what a good bot answers 400 to: not JSON, not an object, no type, or a bare query. */
function malformed(incoming: Incoming): boolean {
  if (incoming.request.method !== "POST") return false;
  const type = typeOf(incoming.json);
  if (typeof type !== "string") return true;
  return type === "query" && !Array.isArray((incoming.json as { query?: unknown }).query);
}

/**
 * The fixtures, each named for what it breaks. Those whose name ends in "(good)" break nothing: they
 * make sure that what they exercise passes.
 */
export const BROKEN_BOTS: readonly BrokenBot[] = [
  { name: "conforming (good)", handle: (_incoming, next) => next(), fails: [], warns: [] },
  {
    name: "answers an attachment with an error event (good)",
    handle: onQuery(async (incoming) => {
      const attached = messagesOf(incoming.json).some(
        (message) => Array.isArray(message.attachments) && message.attachments.length > 0,
      );
      return attached
        ? sse(META, frame("error", '{"text":"I cannot read files.","allow_retry":false}'), DONE)
        : sse(META, TEXT, DONE);
    }),
    fails: [],
    warns: [],
  },
  {
    name: "pings while it pauses (good)",
    handle: (_incoming, next) => next(),
    bot: { pauseMs: 1_500, pingIntervalMs: 100 },
    tuning: { keepAliveMs: 500 },
    timed: true,
    fails: [],
    warns: [],
    passes: ["keep-alive"],
  },
  {
    name: "sends no done",
    handle: onQuery(() => sse(META, TEXT)),
    fails: ["query-done"],
    warns: [],
  },
  {
    name: "sends meta after text",
    handle: onQuery(() => sse(TEXT, META, DONE)),
    fails: ["query-meta-first"],
    warns: [],
  },
  {
    name: "sends invalid JSON data",
    handle: onQuery(() => sse(META, frame("text", "{not json"), DONE)),
    fails: ["query-event-grammar"],
    warns: [],
  },
  {
    name: "sends an event after done",
    handle: onQuery(() => sse(META, TEXT, DONE, TEXT)),
    fails: ["query-done"],
    warns: [],
  },
  {
    name: "answers queries with the wrong content type",
    handle: onQuery(() => json(200, { text: "Hello." })),
    fails: ["query-status"],
    warns: [],
  },
  {
    name: "answers with neither text nor error",
    handle: onQuery(() => sse(META, DONE)),
    fails: ["query-content"],
    warns: [],
  },
  {
    name: "sends an unknown event",
    handle: onQuery(() => sse(META, frame("purr", "{}"), TEXT, DONE)),
    fails: [],
    warns: ["query-event-grammar"],
  },
  {
    name: "sends too many events",
    handle: onQuery(() => sse(META, ...Array.from({ length: 60 }, () => TEXT), DONE)),
    tuning: { limits: { maxEvents: 50 } },
    fails: ["query-limits"],
    warns: [],
  },
  {
    name: "starts its response too late",
    handle: onQuery(async (_incoming) => {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      return sse(META, TEXT, DONE);
    }),
    tuning: { limits: { firstByteMs: 500 } },
    timed: true,
    fails: ["query-first-byte"],
    warns: [],
  },
  {
    name: "never finishes its response",
    handle: onQuery(
      () =>
        new Response(
          new ReadableStream<string>({
            start: (controller) => controller.enqueue(META + TEXT),
          }).pipeThrough(new TextEncoderStream()),
          { status: 200, headers: SSE_HEADERS },
        ),
    ),
    tuning: { limits: { totalMs: 1_000 } },
    timed: true,
    fails: ["query-total-time"],
    warns: [],
  },
  {
    name: "goes silent without keep-alives",
    handle: (_incoming, next) => next(),
    bot: { pauseMs: 1_500, pingIntervalMs: 60_000 },
    tuning: { keepAliveMs: 500 },
    timed: true,
    fails: ["keep-alive"],
    warns: [],
  },
  {
    name: "crashes on a long history",
    handle: (incoming, next) =>
      messagesOf(incoming.json).length > 100
        ? new Response("Internal Server Error", { status: 500 })
        : next(),
    fails: ["long-history"],
    warns: [],
  },
  {
    name: "crashes on an unknown role",
    handle: (incoming, next) =>
      messagesOf(incoming.json).some((message) => !isKnownRole(String(message.role)))
        ? new Response("Internal Server Error", { status: 500 })
        : next(),
    fails: [],
    warns: ["unknown-role"],
  },
  {
    name: "answers 500 to malformed bodies",
    handle: (incoming, next) =>
      malformed(incoming) ? new Response("Internal Server Error", { status: 500 }) : next(),
    fails: [],
    warns: ["malformed-not-json", "malformed-array", "malformed-no-type", "malformed-query-fields"],
  },
  {
    name: "answers 200 to an unknown type",
    handle: (incoming, next) =>
      typeof typeOf(incoming.json) === "string" &&
      !["query", "settings", "report_feedback", "report_reaction", "report_error"].includes(
        typeOf(incoming.json) as string,
      )
        ? json(200, {})
        : next(),
    fails: [],
    warns: ["unknown-type"],
  },
  {
    name: "answers 500 to reports",
    handle: (incoming, next) =>
      String(typeOf(incoming.json)).startsWith("report_") ? json(500, { detail: "oops" }) : next(),
    fails: [],
    warns: ["report-feedback", "report-reaction", "report-error", "unknown-feedback-type"],
  },
  {
    name: "accepts a wrong key",
    handle: (incoming, next) =>
      /^bearer \S+$/i.test(authorization(incoming)) ? next(`Bearer ${FIXTURE_KEY}`) : next(),
    fails: ["auth-wrong-key"],
    warns: [],
  },
  {
    name: "checks no key at all",
    handle: (_incoming, next) => next(`Bearer ${FIXTURE_KEY}`),
    fails: ["auth-missing", "auth-wrong-key", "auth-wrong-scheme"],
    warns: [],
  },
  {
    name: "refuses with 403 as old FastAPI does",
    handle: (incoming, next) => {
      if (incoming.request.method !== "POST") return next();
      const header = authorization(incoming);
      return header === "" || !/^bearer\s/i.test(header)
        ? json(403, { detail: "Not authenticated" })
        : next();
    },
    fails: [],
    warns: ["auth-missing", "auth-wrong-scheme"],
  },
  {
    name: "refuses a lower-case bearer",
    handle: (incoming, next) =>
      authorization(incoming).startsWith("bearer ") ? json(401, { detail: "Invalid access key" }) : next(),
    fails: [],
    warns: ["auth-lowercase-scheme"],
  },
  {
    name: "answers 404 to GET",
    handle: (incoming, next) =>
      incoming.request.method === "GET" ? json(404, { detail: "Not Found" }) : next(),
    fails: [],
    warns: ["get-page"],
  },
  {
    name: "sends settings with an invalid field",
    handle: (incoming, next) =>
      typeOf(incoming.json) === "settings" ? json(200, { allow_attachments: "yes" }) : next(),
    fails: ["settings-schema"],
    warns: [],
  },
  {
    name: "sends settings with a misspelt field",
    handle: (incoming, next) =>
      typeOf(incoming.json) === "settings"
        ? json(200, { response_version: 2, introduction_mesage: "Hi" })
        : next(),
    fails: [],
    warns: ["settings-schema"],
  },
  {
    name: "answers settings with something that is not JSON",
    handle: (incoming, next) =>
      typeOf(incoming.json) === "settings"
        ? new Response("allow_attachments=true", { status: 200, headers: { "content-type": "text/plain" } })
        : next(),
    fails: ["settings-json"],
    warns: [],
  },
  {
    // A Python bot's settings: every unset optional field, nested ones included, sent as null.
    name: "sends fastapi_poe's recorded settings with every parameter control",
    handle: (incoming, next) =>
      typeOf(incoming.json) === "settings"
        ? new Response(readRecordedHttp("response-settings-parameter-controls.http").body, {
            status: 200,
            headers: { "content-type": "application/json" },
          })
        : next(),
    fails: [],
    warns: [],
    passes: ["settings-schema"],
  },
  {
    name: "behaves like fastapi_poe",
    handle: fastapiPoeLike,
    fails: [],
    warns: [
      "auth-lowercase-scheme",
      "unknown-role",
      "unknown-content-type",
      "unknown-feedback-type",
      "malformed-not-json",
      "malformed-array",
      "malformed-no-type",
      "malformed-query-fields",
    ],
  },
];

/**
 * What the Python library does, as docs/protocol.md §1.11 records it: 401 for a missing header, an exact
 * `Bearer` scheme, 500 for whatever pydantic rejects (an unknown role, content type or feedback type,
 * a malformed body), 501 for an unknown type.
 */
function fastapiPoeLike(
  incoming: Incoming,
  next: (authorization?: string) => Promise<Response>,
): Response | Promise<Response> {
  if (incoming.request.method !== "POST") return next();
  const header = authorization(incoming);
  if (header === "" || !/^bearer\s/i.test(header)) return json(401, { detail: "Not authenticated" });
  if (!header.startsWith("Bearer ")) return json(401, { detail: "Invalid access key" });
  const crash = () =>
    new Response("Internal Server Error", { status: 500, headers: { "content-type": "text/plain" } });
  if (malformed(incoming)) return crash();
  const messages = messagesOf(incoming.json);
  const known = (message: Record<string, unknown>) =>
    isKnownRole(String(message.role)) &&
    (message.content_type === undefined ||
      ["text/markdown", "text/plain"].includes(String(message.content_type)));
  if (!messages.every(known)) return crash();
  const body = incoming.json as { type?: unknown; feedback_type?: unknown };
  if (body.type === "report_feedback" && !["like", "dislike"].includes(String(body.feedback_type)))
    return crash();
  return next();
}

/** Serves `fixture` on 127.0.0.1 on a free port. */
export async function serveBrokenBot(fixture: BrokenBot): Promise<{ url: string; close(): Promise<void> }> {
  const app = makeApp(new FixtureBot(fixture.bot?.pauseMs ?? 0), {
    accessKey: FIXTURE_KEY,
    logger: silentLogger,
    ...(fixture.bot?.pingIntervalMs !== undefined && { pingIntervalMs: fixture.bot.pingIntervalMs }),
  });
  const fetch = async (request: Request): Promise<Response> => {
    const text = request.method === "POST" ? await request.text() : "";
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const next = (authorization?: string) => {
      const headers = new Headers(request.headers);
      if (authorization !== undefined) headers.set("authorization", authorization);
      return app.fetch(
        new Request(request.url, {
          method: request.method,
          headers,
          ...(request.method === "POST" && { body: text }),
        }),
      );
    };
    return fixture.handle({ request, text, json: parsed }, next);
  };
  const server = createServer(toNodeHandler({ fetch }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
