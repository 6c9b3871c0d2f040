import { checkTimeoutMs } from "../core/deadline.js";
import { InvalidParameterError } from "../core/errors.js";
import { consoleLogger } from "../core/logger.js";
import { type RetryOptions, retryPolicy } from "../core/poe-api/retry.js";
import { bearer, currentOverride, type FetchLike, resolveFetch } from "../core/poe-api/transport.js";
import { countUpstreamCall, querySignalOf } from "../core/query-signals.js";
import { buildQueryRequest } from "../protocol/build-query-request.js";
import { botBaseUrl, isPoeUrl } from "../protocol/endpoints.js";
import {
  FIRST_RESPONSE_TIMEOUT_MS,
  PING_INTERVAL_MS,
  TOTAL_RESPONSE_TIMEOUT_MS,
} from "../protocol/limits.js";
import { MISSING_ACCESS_KEY, type QueryRequestInit, QueryRequestSchema } from "../protocol/query-request.js";
import { formatIssues } from "../protocol/request-schemas.js";
import { offersTools } from "../protocol/tool-call-chunks.js";
import type { ToolCallDefinition, ToolResultDefinition } from "../protocol/tools.js";
import { PROTOCOL_VERSION } from "../protocol/version.js";
import { type BotQuery, type OnError, queryBot } from "./bot-query.js";
import type { BotMessage } from "./response-reader.js";
import { normalizeTools, type ToolInput } from "./tool-definitions.js";
import { toolLoop } from "./tool-loop.js";
import { executablesByName, type ToolExecutable, type ToolExecutables } from "./tool-runner.js";

/** Options of {@link streamRequest}; all optional. */
export interface StreamRequestOptions {
  /** Tools the model may call: Poe's `ToolDefinition`s, or `{ name, description, parameters }` with JSON Schema or zod. */
  tools?: readonly ToolInput[];
  /**
   * The functions behind `tools` (an array, matched by function name, or `{ toolName: fn }`; tools made
   * with `defineTool` bring their own). Given these, the client runs the tool loop itself; without
   * them, tool-call pieces are yielded.
   */
  toolExecutables?: ToolExecutables;
  /** How many times the model may call tools before its final answer; default 1, as fastapi_poe. */
  maxToolRounds?: number;
  /** The bot query API; default `$POE_API_BASE_URL/bot/` when that is set, else `https://api.poe.com/bot/`. */
  baseUrl?: string;
  /**
   * Aborts the call. Inside a bot, a call made with the request it was given (or a copy keeping one
   * of its messages) is also cancelled when the user leaves, without this; pass `context.signal`
   * for a request built from scratch.
   */
  signal?: AbortSignal;
  /** Tries in total (default 2), or backoff options. Never retried once output reached you. */
  retries?: number | RetryOptions;
  /** Extra HTTP headers; they win over the client's own. */
  headers?: Record<string, string>;
  /** The `fetch` to use; default the global one (or `mockBots`' in tests). */
  fetch?: FetchLike;
  /** Told about every failed try and protocol violation; default a console warning. */
  onError?: OnError;
  /** Send `report_error` to a bot that breaks the protocol, as Poe does; default true. */
  reportErrors?: boolean;
  /** Longest a response may take, per try; default 600 s (Poe's limit); `Infinity` for none. */
  timeoutMs?: number;
  /**
   * Longest wait for the response headers, per try; default 15 s: Poe gives a bot 5 s to start its
   * response, and the rest is room for the network, Poe's own hop and a serverless bot's cold start.
   * A try that runs out is tried again (nothing has reached you yet). `Infinity` for none.
   */
  connectTimeoutMs?: number;
  /**
   * Longest wait, after the headers, for the first bytes of the body (an event or a `: ping`), per
   * try; default 60 s: a server speaking Poe's protocol sends a ping every 15 s while its bot is
   * silent, so four missed pings mean it is gone. Tried again like a failed connection. `Infinity` for none.
   */
  firstByteTimeoutMs?: number;
  /**
   * Longest silence between two pieces of the body once it has started; default 60 s (four missed
   * pings, as for `firstByteTimeoutMs`). Tried again only while nothing has reached you; after that it
   * is thrown. `Infinity` for none.
   */
  idleTimeoutMs?: number;
  /** Largest single event accepted; default 16 MiB. */
  maxEventBytes?: number;
}

const DEFAULT_MAX_EVENT_BYTES = 16 * 1024 * 1024;
/** Three times Poe's first-response limit: the bot's 5 s, plus the network, Poe's hop, a cold start. */
const DEFAULT_CONNECT_TIMEOUT_MS = 3 * FIRST_RESPONSE_TIMEOUT_MS;
/** Four keep-alive pings missed. */
const DEFAULT_SILENCE_TIMEOUT_MS = 4 * PING_INTERVAL_MS;

const warnOnError: OnError = (error, message) => consoleLogger.warn(`${message}: ${error.message}`);

/**
 * Calls another bot (or model) on Poe and streams its answer. Inside a bot pass `request.access_key`
 * (and declare the bot in `server_bot_dependencies`); from a script, an API key from poe.com/api_key.
 * The stream is one-shot; leaving the loop early cancels the HTTP request. `data` events arrive as
 * `DataResponse`, everything else as `PartialResponse` (and `MetaResponse`); an `error` event throws
 * `BotError` (or `BotErrorNoRetry`), a malformed response `ProtocolError`, a non-2xx answer `HTTPError`.
 * @example
 * async *getResponse(request: QueryRequest) {
 *   for await (const msg of streamRequest(request, "GPT-4o-Mini", request.access_key)) yield msg;
 * }
 */
export function streamRequest(
  request: QueryRequestInit,
  botName: string,
  accessKey?: string | null,
  options: StreamRequestOptions = {},
): AsyncGenerator<BotMessage, void, undefined> {
  // Checked now rather than on first iteration, so mistakes point at the call.
  const prepared = prepare(request, botName, accessKey, options);
  if (!options.tools || options.tools.length === 0) return queryBot(prepared.query(undefined));
  const tools = normalizeTools(options.tools);
  const maxRounds = options.maxToolRounds ?? 1;
  if (!Number.isInteger(maxRounds) || maxRounds < 1) {
    throw new InvalidParameterError(`maxToolRounds must be a whole number of at least 1, got ${maxRounds}.`);
  }
  return toolLoop({
    call: (toolCalls, toolResults) =>
      queryBot(
        prepared.query({ tools: tools.definitions, tool_calls: toolCalls, tool_results: toolResults }),
      ),
    executables: executablesOf(tools.executables, options.toolExecutables),
    schemas: tools.schemas,
    maxRounds,
  });
}

/** The tools' own functions and `toolExecutables` together; undefined when there are none at all. */
function executablesOf(
  own: ReadonlyMap<string, ToolExecutable>,
  given: ToolExecutables | undefined,
): Map<string, ToolExecutable> | undefined {
  if (!given && own.size === 0) return undefined;
  const all = new Map(own);
  for (const [name, fn] of given ? executablesByName(given) : []) {
    if (all.has(name)) {
      throw new InvalidParameterError(
        `Tool "${name}" has its own execute function and an entry in toolExecutables; keep one.`,
      );
    }
    all.set(name, fn);
  }
  return all;
}

function prepare(
  request: QueryRequestInit,
  botName: string,
  accessKey: string | null | undefined,
  options: StreamRequestOptions,
) {
  if (typeof botName !== "string" || botName.trim() === "") {
    throw new InvalidParameterError(
      'streamRequest needs the name of the bot to call, such as "GPT-4o-Mini".',
    );
  }
  const parsed = QueryRequestSchema.safeParse(request);
  if (!parsed.success) {
    const first = formatIssues(parsed.error.issues)[0];
    throw new InvalidParameterError(
      `streamRequest got an invalid query request: ${first?.path}: ${first?.message}`,
    );
  }
  const timeoutMs = options.timeoutMs ?? TOTAL_RESPONSE_TIMEOUT_MS;
  checkTimeoutMs(timeoutMs);
  const silence = {
    connectMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    firstByteMs: options.firstByteTimeoutMs ?? DEFAULT_SILENCE_TIMEOUT_MS,
    idleMs: options.idleTimeoutMs ?? DEFAULT_SILENCE_TIMEOUT_MS,
  };
  checkTimeoutMs(silence.connectMs, "connectTimeoutMs");
  checkTimeoutMs(silence.firstByteMs, "firstByteTimeoutMs");
  checkTimeoutMs(silence.idleMs, "idleTimeoutMs");
  const url = `${botBaseUrl(options.baseUrl)}${encodeURIComponent(botName)}`;
  const key = accessKey && accessKey !== MISSING_ACCESS_KEY ? accessKey : null;
  // Under mockBots nothing reaches Poe, so a bot under test needs no key.
  if (!key && isPoeUrl(url) && !currentOverride()) {
    throw new InvalidParameterError(
      `Calling bot ${botName} on Poe needs a key: inside a bot pass request.access_key (give your bot its access key), from a script an API key from https://poe.com/api_key.`,
    );
  }
  const headers = {
    accept: "text/event-stream",
    "content-type": "application/json",
    "cache-control": "no-store",
    ...bearer(key),
    ...options.headers,
  };
  // The key travels in the Authorization header only: a forwarding bot's request carries its own key
  // in access_key / api_key, which the bot it calls has no business seeing.
  // Rebuilt, not only parsed: the body then has every field in the protocol's order, as fastapi_poe's.
  const base = buildQueryRequest({
    ...parsed.data,
    version: PROTOCOL_VERSION,
    access_key: MISSING_ACCESS_KEY,
    api_key: MISSING_ACCESS_KEY,
  });
  countUpstreamCall(request);
  const shared = {
    url,
    botName,
    messageId: parsed.data.message_id,
    headers,
    fetch: resolveFetch(options.fetch),
    signal: callSignal(options.signal, querySignalOf(request)),
    policy: retryPolicy(options.retries),
    timeoutMs,
    silence,
    maxEventBytes: options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES,
    reportErrors: options.reportErrors ?? true,
    onError: options.onError ?? currentOverride()?.onError ?? warnOnError,
  };
  return {
    query(
      tools:
        | { tools: unknown; tool_calls?: ToolCallDefinition[]; tool_results?: ToolResultDefinition[] }
        | undefined,
    ): BotQuery {
      const body = tools
        ? {
            ...base,
            tools: tools.tools,
            tool_calls: tools.tool_calls ?? base.tool_calls,
            tool_results: tools.tool_results ?? base.tool_results,
          }
        : base;
      return { ...shared, body: JSON.stringify(body), toolsSent: offersTools(body) };
    },
  };
}

/**
 * The caller's signal and that of the query being answered (when `request` is, or was built from,
 * the one the server gave the bot): either cancels the call.
 */
function callSignal(given: AbortSignal | undefined, query: AbortSignal | undefined): AbortSignal | undefined {
  if (query === undefined || query === given) return given;
  return given === undefined ? query : AbortSignal.any([given, query]);
}
