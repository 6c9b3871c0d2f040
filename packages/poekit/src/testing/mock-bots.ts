/**
 * Scripted stand-ins for the bots a bot calls (and for Poe's file, settings and cost APIs), so a
 * bot's tests run offline. Every client call that was not given its own `fetch` is routed here.
 */

import { installFetchOverride } from "../client/transport.js";
import { type QueryRequest, QueryRequestSchema } from "../protocol/query-request.js";
import { encodeEvent } from "../protocol/sse-encoder.js";
import type { ToolCallDefinition, ToolDefinition, ToolResultDefinition } from "../protocol/tools.js";
import { silentLogger } from "../server/logger.js";
import { makeApp, type PoeApp } from "../server/make-app.js";
import { PoeBot } from "../server/poe-bot.js";
import type { RequestContext } from "../server/request-context.js";
import type { BotResponseItem } from "../server/responses.js";

/** One call a mock bot received, in the order the calls arrived. */
export interface MockBotCall {
  /** The mock bot's name, as given to {@link mockBots}. */
  botName: string;
  /** The query as the client sent it, parsed (absent fields filled with the protocol's defaults). */
  request: QueryRequest;
  /** The key sent as `Authorization: Bearer <key>`, or null when there was none. */
  accessKey: string | null;
  /** `request.tools`: the tools offered, or null. */
  tools: ToolDefinition[] | null;
  /** `request.tool_calls`: the tool calls sent back (second call of a tool loop), or null. */
  toolCalls: ToolCallDefinition[] | null;
  /** `request.tool_results`: the results of those calls, or null. */
  toolResults: ToolResultDefinition[] | null;
  /** How many calls this bot received before this one (0 for the first). */
  callIndex: number;
  /** Aborts when the caller gives up on this call (it left its loop, or its own signal aborted). */
  signal: AbortSignal;
}

/** What a mock bot answers: one item, several, or a stream of them (strings are `text` events). */
export type MockReply = BotResponseItem | Iterable<BotResponseItem> | AsyncIterable<BotResponseItem>;

/**
 * A mock bot: a function of the request (it may throw, which makes the bot's `error` event), or a
 * fixed answer (a string, or an array of items).
 */
export type MockBotHandler =
  | string
  | readonly BotResponseItem[]
  | ((request: QueryRequest, call: MockBotCall) => MockReply | Promise<MockReply>);

/** A file uploaded to the mock file API. */
export interface MockUpload {
  /** The file's name: the multipart part's filename, `download_filename`, or the URL's last segment. */
  name: string;
  /** The MIME type answered: the part's own, else guessed from the name, else `application/octet-stream`. */
  contentType: string;
  /** The uploaded content; null when a `download_url` was given instead. */
  bytes: Uint8Array | null;
  /** The URL Poe was asked to download the file from; null when the content was uploaded. */
  downloadUrl: string | null;
  /** The `attachment_url` answered: `https://files.mock.poekit.test/<n>/<name>`. */
  url: string;
}

/** A settings sync (`fetch_settings` or `update_settings`) the mock received. */
export interface MockSettingsSync {
  mode: "fetch" | "update";
  botName: string;
  /** The access key from the URL, masked: its first 4 characters and `…` (only `…` for a key shorter than 16). */
  maskedAccessKey: string;
  /** The protocol version segment of the URL, or null when there was none. */
  version: string | null;
  /** The settings sent (update mode), or null. */
  settings: unknown;
}

/** A cost call (`authorize` or `capture`) the mock received. */
export interface MockCostCall {
  action: "authorize" | "capture";
  botQueryId: string;
  /** The `amounts` as sent. */
  amounts: unknown;
  /** The `access_key` of the body, masked as in {@link MockSettingsSync}; null when there was none. */
  maskedAccessKey: string | null;
}

/** A `report_error` a client sent to a bot (they are not counted as calls). */
export interface MockReport {
  /** The bot name in the URL. */
  botName: string;
  message: string;
  metadata: unknown;
}

/** Options of {@link mockBots}. */
export interface MockBotsOptions {
  /** How cost calls are answered: `"success"` (default) or `"insufficient"` (the user cannot pay). */
  cost?: "success" | "insufficient";
}

/** What {@link mockBots} returns: what was called, and `restore()` to stop mocking. */
export interface MockBots extends Disposable {
  /** Every query received by a mock bot, in order (retries included, `report_error` not). */
  readonly calls: readonly MockBotCall[];
  /** The calls to one bot (its name as given to `mockBots`, compared ignoring case). */
  callsTo(botName: string): MockBotCall[];
  readonly uploads: readonly MockUpload[];
  readonly settingsSyncs: readonly MockSettingsSync[];
  readonly costCalls: readonly MockCostCall[];
  readonly reports: readonly MockReport[];
  /** Stops routing client calls here. Safe to call more than once. */
  restore(): void;
  /** Same as `restore()`, for `using mocks = mockBots(…)`. */
  [Symbol.dispose](): void;
}

const FILES_ORIGIN = "https://files.mock.poekit.test";
const APP_ORIGIN = "http://mock.poekit.test/";
const OCTET_STREAM = "application/octet-stream";

/**
 * Makes the client calls of the code under test (`streamRequest`, `getBotResponse`, `getFinalResponse`,
 * `uploadFile`, `postMessageAttachment`, settings sync, cost calls) reach scripted bots instead of the
 * network, until `restore()`. Each mock bot is a real bot served by `makeApp`, so the whole wire
 * protocol is exercised. Calls given their own `fetch` are not intercepted.
 * @example
 * using mocks = mockBots({ "GPT-4o-Mini": (request) => `You said: ${request.query.at(-1)?.content}` });
 * const response = await createTestClient(new MyBot({ accessKey })).query("Hi");
 * expect(response.text).toBe("You said: Hi");
 * expect(mocks.callsTo("GPT-4o-Mini")).toHaveLength(1);
 */
export function mockBots(
  bots: Readonly<Record<string, MockBotHandler>>,
  options: MockBotsOptions = {},
): MockBots {
  const calls: MockBotCall[] = [];
  const uploads: MockUpload[] = [];
  const settingsSyncs: MockSettingsSync[] = [];
  const costCalls: MockCostCall[] = [];
  const reports: MockReport[] = [];
  const callOf = new WeakMap<Request, MockBotCall>();
  const cost = options.cost ?? "success";
  if (cost !== "success" && cost !== "insufficient") {
    throw new TypeError(
      `mockBots: option cost must be "success" or "insufficient", got ${JSON.stringify(cost)}.`,
    );
  }

  const apps = new Map<string, { name: string; app: PoeApp }>();
  for (const [name, handler] of Object.entries(bots)) {
    if (name.trim() === "") throw new TypeError("mockBots: a bot name is empty.");
    checkHandler(name, handler);
    const key = name.toLowerCase();
    const other = apps.get(key);
    if (other) throw new TypeError(`mockBots: "${other.name}" and "${name}" are the same bot name on Poe.`);
    const bot = new MockBot(name, handler, (request) => callOf.get(request));
    apps.set(key, { name, app: makeApp(bot, { allowWithoutKey: true, logger: silentLogger, env: {} }) });
  }
  const mockedNames = () => [...apps.values()].map((entry) => entry.name).join(", ") || "(none)";

  async function queryBot(name: string, request: Request, signal: AbortSignal | null): Promise<Response> {
    const text = await request.text();
    const json = parseJson(text);
    const type = isRecord(json) ? json.type : undefined;
    if (type === "report_error" && isRecord(json)) {
      reports.push({ botName: name, message: String(json.message), metadata: json.metadata ?? null });
      return jsonResponse(200, {});
    }
    const entry = apps.get(name.toLowerCase());
    if (!entry)
      return jsonResponse(404, { detail: `mockBots: no bot named ${name}; mocked: ${mockedNames()}` });
    const forwarded = new Request(APP_ORIGIN, { method: "POST", headers: request.headers, body: text });
    if (type === "query") {
      const parsed = QueryRequestSchema.safeParse(json);
      // An invalid query goes on to the bot server unrecorded, which answers 400 as a real one would.
      if (parsed.success) {
        const query = parsed.data as QueryRequest;
        const call: MockBotCall = {
          botName: entry.name,
          request: query,
          accessKey: bearerKey(request.headers.get("authorization")),
          tools: query.tools ?? null,
          toolCalls: query.tool_calls ?? null,
          toolResults: query.tool_results ?? null,
          callIndex: calls.filter((earlier) => earlier.botName === entry.name).length,
          // Replaced by the bot's own signal when it starts answering.
          signal: signal ?? new AbortController().signal,
        };
        calls.push(call);
        callOf.set(forwarded, call);
      }
    }
    return abortable(await entry.app.fetch(forwarded), signal);
  }

  async function upload(request: Request): Promise<Response> {
    let form: FormData;
    try {
      form = await request.formData();
    } catch {
      return jsonResponse(400, { detail: "mockBots: the upload is not a multipart or URL-encoded form." });
    }
    const file = form.get("file");
    const downloadUrl = form.get("download_url");
    let name: string;
    let bytes: Uint8Array | null = null;
    let ownType = "";
    if (file !== null && typeof file !== "string") {
      name = file.name || "file";
      bytes = new Uint8Array(await file.arrayBuffer());
      ownType = file.type;
    } else if (typeof downloadUrl === "string" && downloadUrl !== "") {
      const given = form.get("download_filename");
      name = (typeof given === "string" && given !== "" ? given : urlFileName(downloadUrl)) ?? "file";
    } else {
      return jsonResponse(400, {
        detail: "mockBots: the upload has neither a `file` part nor a `download_url`.",
      });
    }
    const contentType = ownType !== "" && ownType !== OCTET_STREAM ? ownType : guessMimeType(name);
    const url = `${FILES_ORIGIN}/${uploads.length + 1}/${encodeURIComponent(name)}`;
    uploads.push({
      name,
      contentType,
      bytes,
      downloadUrl: typeof downloadUrl === "string" && bytes === null ? downloadUrl : null,
      url,
    });
    return jsonResponse(200, { attachment_url: url, mime_type: contentType });
  }

  async function syncSettings(match: RegExpMatchArray, request: Request): Promise<Response> {
    const [, mode, botName, key, version] = match;
    const text = await request.text();
    settingsSyncs.push({
      mode: mode === "fetch_settings" ? "fetch" : "update",
      botName: decode(botName ?? ""),
      maskedAccessKey: maskKey(decode(key ?? "")),
      version: version === undefined ? null : decode(version),
      settings: text === "" ? null : parseJson(text),
    });
    return jsonResponse(200, {});
  }

  async function costCall(match: RegExpMatchArray, request: Request): Promise<Response> {
    const [, queryId, action] = match;
    const body = parseJson(await request.text());
    const key = isRecord(body) && typeof body.access_key === "string" ? body.access_key : null;
    costCalls.push({
      action: action === "capture" ? "capture" : "authorize",
      botQueryId: decode(queryId ?? ""),
      amounts: isRecord(body) ? body.amounts : undefined,
      maskedAccessKey: key === null ? null : maskKey(key),
    });
    const status = cost === "success" ? "success" : "failure";
    return new Response(encodeEvent("result", { status }), {
      status: 200,
      headers: { "content-type": "text/event-stream; charset=utf-8" },
    });
  }

  async function route(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const request = new Request(input, init);
    const signal = init?.signal ?? (input instanceof Request ? input.signal : null);
    signal?.throwIfAborted();
    const path = new URL(request.url).pathname;
    if (request.method === "POST") {
      if (/\/file_upload_3RD_PARTY_POST\/?$/.test(path)) return upload(request);
      const settings = path.match(
        /\/bot\/(fetch_settings|update_settings)\/([^/]+)\/([^/]+)(?:\/([^/]+))?\/?$/,
      );
      if (settings) return syncSettings(settings, request);
      const costPath = path.match(/\/bot\/cost\/([^/]+)\/(authorize|capture)\/?$/);
      if (costPath) return costCall(costPath, request);
      const bot = path.match(/\/bot\/([^/]+)\/?$/);
      if (bot) return queryBot(decode(bot[1] ?? ""), request, signal);
    }
    return jsonResponse(404, {
      detail: `mockBots: nothing is mocked at ${request.method} ${path}. Mocked: POST …/bot/<name> (${mockedNames()}), file uploads, settings sync and cost calls.`,
    });
  }

  const uninstall = installFetchOverride(route);
  const restore = () => uninstall();
  return {
    calls,
    callsTo: (botName) => calls.filter((call) => call.botName.toLowerCase() === botName.toLowerCase()),
    uploads,
    settingsSyncs,
    costCalls,
    reports,
    restore,
    [Symbol.dispose]: restore,
  };
}

/** A mock bot: a real PoeBot, so its answer goes through the server's event encoding. */
class MockBot extends PoeBot {
  constructor(
    name: string,
    private readonly handler: MockBotHandler,
    private readonly callOf: (request: Request) => MockBotCall | undefined,
  ) {
    // The handler sees the query as the client sent it, without attachment messages added.
    super({ botName: name, shouldInsertAttachmentMessages: false });
  }

  override getResponseWithContext(
    _request: QueryRequest,
    context: RequestContext,
  ): AsyncIterable<BotResponseItem> {
    const call = this.callOf(context.request);
    if (!call) throw new Error("mockBots: a query reached a mock bot without being recorded.");
    call.signal = context.signal;
    return replyOf(this.handler, call.request, call);
  }

  override async onError(): Promise<void> {}
}

async function* replyOf(
  handler: MockBotHandler,
  request: QueryRequest,
  call: MockBotCall,
): AsyncGenerator<BotResponseItem> {
  const reply: MockReply = typeof handler === "function" ? await handler(request, call) : handler;
  if (typeof reply === "string") {
    yield reply;
  } else if (isAsyncIterable(reply)) {
    yield* reply;
  } else if (isIterable(reply)) {
    yield* reply;
  } else {
    yield reply;
  }
}

function checkHandler(name: string, handler: unknown): void {
  if (typeof handler === "function" || typeof handler === "string" || Array.isArray(handler)) return;
  throw new TypeError(
    `mockBots: the bot ${name} must be a function (request, call) => reply, a string or an array of items.`,
  );
}

function isAsyncIterable(value: unknown): value is AsyncIterable<BotResponseItem> {
  return typeof (value as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] === "function";
}

function isIterable(value: unknown): value is Iterable<BotResponseItem> {
  return typeof (value as Iterable<unknown> | null)?.[Symbol.iterator] === "function";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

function bearerKey(header: string | null): string | null {
  const match = header?.match(/^Bearer\s+(.+)$/i);
  return match?.[1]?.trim() || null;
}

/** The first 4 characters of a real key, enough to tell keys apart; nothing of a short one. */
function maskKey(key: string): string {
  return key.length >= 16 ? `${key.slice(0, 4)}…` : "…";
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function urlFileName(url: string): string | undefined {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return undefined;
  }
  return decode(path.slice(path.lastIndexOf("/") + 1)) || undefined;
}

const MIME_TYPES: Readonly<Record<string, string>> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  svg: "image/svg+xml",
  pdf: "application/pdf",
  json: "application/json",
  txt: "text/plain",
  md: "text/markdown",
  csv: "text/csv",
  html: "text/html",
  mp3: "audio/mpeg",
  wav: "audio/wav",
  mp4: "video/mp4",
  zip: "application/zip",
};

function guessMimeType(name: string): string {
  const dot = name.lastIndexOf(".");
  return (dot === -1 ? undefined : MIME_TYPES[name.slice(dot + 1).toLowerCase()]) ?? OCTET_STREAM;
}

/**
 * The response with a body that fails when `signal` aborts, as `fetch`'s does, so a client that
 * gives up also stops the mock bot.
 */
function abortable(response: Response, signal: AbortSignal | null): Response {
  const source = response.body;
  if (!signal || !source) return response;
  const reader = source.getReader();
  let onAbort: () => void = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      onAbort = () => {
        reader.cancel(signal.reason).catch(() => undefined);
        try {
          controller.error(signal.reason);
        } catch {
          // Already closed.
        }
      };
      // The caller may have given up while the mock bot was starting.
      if (signal.aborted) onAbort();
      else signal.addEventListener("abort", onAbort, { once: true });
    },
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          signal.removeEventListener("abort", onAbort);
          controller.close();
        } else {
          controller.enqueue(value);
        }
      } catch (error) {
        signal.removeEventListener("abort", onAbort);
        controller.error(error);
      }
    },
    cancel(reason) {
      signal.removeEventListener("abort", onAbort);
      return reader.cancel(reason);
    },
  });
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}
