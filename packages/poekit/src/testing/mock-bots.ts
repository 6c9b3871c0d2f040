/**
 * Scripted stand-ins for the bots a bot calls (and for Poe's file, settings and cost APIs), so a
 * bot's tests run offline. Every client call that was not given its own `fetch` is routed here.
 */

import { silentLogger } from "../core/logger.js";
import { urlFileName } from "../core/poe-api/file-input.js";
import { installFetchOverride } from "../core/poe-api/transport.js";
import { isJsonObject, parseJsonOrUndefined } from "../protocol/json.js";
import { type QueryRequest, QueryRequestSchema } from "../protocol/query-request.js";
import { encodeEvent } from "../protocol/sse-encoder.js";
import { makeApp } from "../server/make-app.js";
import type { PoeApp } from "../server/poe-app.js";
import { checkHandler, MockBot, type MockBotCall, type MockBotHandler } from "./mock-bot.js";
import {
  abortable,
  bearerKey,
  decode,
  guessMimeType,
  jsonResponse,
  maskKey,
  OCTET_STREAM,
} from "./mock-http.js";

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
  /**
   * Whether the client waits for real between tries (its backoff and `retry-after`); default false:
   * retries happen at once, so a test of a retried error takes no time. A call's own `retries.sleep` wins.
   */
  realBackoff?: boolean;
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
  /**
   * What the client would have printed as warnings (failed tries, protocol violations), for calls
   * without an `onError` of their own; kept here instead of the console.
   */
  readonly warnings: readonly string[];
  /** Stops routing client calls here. Safe to call more than once. */
  restore(): void;
  /** Same as `restore()`, for `using mocks = mockBots(…)`. */
  [Symbol.dispose](): void;
}

const FILES_ORIGIN = "https://files.mock.poekit.test";
const APP_ORIGIN = "http://mock.poekit.test/";

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
    apps.set(key, {
      name,
      app: makeApp(bot, { allowWithoutKey: true, logger: silentLogger, env: {}, syncSettings: false }),
    });
  }
  const mockedNames = () => [...apps.values()].map((entry) => entry.name).join(", ") || "(none)";

  async function queryBot(name: string, request: Request, signal: AbortSignal | null): Promise<Response> {
    const text = await request.text();
    const json = parseJsonOrUndefined(text);
    const type = isJsonObject(json) ? json.type : undefined;
    if (type === "report_error" && isJsonObject(json)) {
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
      settings: text === "" ? null : parseJsonOrUndefined(text),
    });
    return jsonResponse(200, {});
  }

  async function costCall(match: RegExpMatchArray, request: Request): Promise<Response> {
    const [, queryId, action] = match;
    const body = parseJsonOrUndefined(await request.text());
    const key = isJsonObject(body) && typeof body.access_key === "string" ? body.access_key : null;
    costCalls.push({
      action: action === "capture" ? "capture" : "authorize",
      botQueryId: decode(queryId ?? ""),
      amounts: isJsonObject(body) ? body.amounts : undefined,
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

  const warnings: string[] = [];
  const uninstall = installFetchOverride({
    fetch: route,
    onError: (error, message) => warnings.push(`${message}: ${error.message}`),
    ...(options.realBackoff ? {} : { sleep: instantSleep }),
  });
  const restore = () => uninstall();
  return {
    calls,
    callsTo: (botName) => calls.filter((call) => call.botName.toLowerCase() === botName.toLowerCase()),
    uploads,
    settingsSyncs,
    costCalls,
    reports,
    warnings,
    restore,
    [Symbol.dispose]: restore,
  };
}

/** A wait that does not wait, but still ends when the call is cancelled. */
function instantSleep(_ms: number, signal?: AbortSignal): Promise<void> {
  return signal?.aborted ? Promise.reject(signal.reason) : Promise.resolve();
}
