import {
  type BotResponseItem,
  ErrorResponse,
  type FetchLike,
  PartialResponse,
  PoeBot,
  PoeConfigError,
  type ProtocolMessage,
  type QueryRequest,
  type RawEvent,
  type RequestContext,
  type SettingsResponse,
} from "poekit";
import { decodeSseStream, isFunctionToolCall } from "poekit/protocol";
import { readCappedBody } from "../../query/read-capped-body.js";
import { describeFailure } from "../../query/violation-messages.js";

/**
 * The environment variable {@link OpenAIModelBot} reads its API key from when none is given:
 * `POEKIT_MODEL_API_KEY`. Leave it unset for endpoints without keys (Ollama, llama.cpp, vLLM).
 */
export const MODEL_API_KEY_ENV = "POEKIT_MODEL_API_KEY";

/** A model as `--model NAME=URL#MODEL` names it. */
export interface ModelSpec {
  /** The bot's handle in the simulator (`/bot/<name>`, `@name`). */
  name: string;
  /** The endpoint's base URL, such as `http://localhost:11434/v1`, as written. */
  baseUrl: string;
  /** The model to ask for, sent as `model`. */
  model: string;
}

/** Bot names as Poe allows them: letters, digits, `-`, `_` and `.`, up to 64 characters. */
const BOT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const SPEC_EXAMPLE = "Llama=http://localhost:11434/v1#llama3.2";

/**
 * Reads a `NAME=URL#MODEL` model spec (the `--model` option). The URL is the endpoint's base
 * (`http://localhost:11434/v1`) or its full `…/chat/completions` address; the model is everything
 * after the first `#`. Throws a {@link PoeConfigError} saying what is wrong with a bad spec.
 * @example
 * parseModelSpec("Llama=http://localhost:11434/v1#llama3.2");
 * // { name: "Llama", baseUrl: "http://localhost:11434/v1", model: "llama3.2" }
 */
export function parseModelSpec(spec: string): ModelSpec {
  const equals = spec.indexOf("=");
  if (equals === -1) {
    throw new PoeConfigError(
      `The model spec "${spec}" has no "=": write NAME=URL#MODEL, e.g. ${SPEC_EXAMPLE}.`,
    );
  }
  const name = spec.slice(0, equals).trim();
  const rest = spec.slice(equals + 1);
  const hash = rest.indexOf("#");
  if (hash === -1) {
    throw new PoeConfigError(
      `The model spec "${spec}" names no model: add "#MODEL" after the URL, e.g. ${SPEC_EXAMPLE}.`,
    );
  }
  const baseUrl = rest.slice(0, hash).trim();
  const model = rest.slice(hash + 1).trim();
  checkName(name, `The model spec "${spec}"`);
  if (model === "") {
    throw new PoeConfigError(`The model spec "${spec}" has an empty model after "#", e.g. ${SPEC_EXAMPLE}.`);
  }
  chatCompletionsUrl(baseUrl, `The model spec "${spec}"`);
  return { name, baseUrl, model };
}

function checkName(name: string, where: string): void {
  if (!BOT_NAME.test(name)) {
    throw new PoeConfigError(
      `${where} has the name "${name}": a name starts with a letter or digit and has only letters, digits, "-", "_" and "." (at most 64 characters).`,
    );
  }
}

/** The `…/chat/completions` URL of an endpoint given by its base URL or by that URL itself. */
function chatCompletionsUrl(baseUrl: string, where: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new PoeConfigError(
      `${where} has "${baseUrl}" as its URL, which is not a URL, e.g. ${SPEC_EXAMPLE}.`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new PoeConfigError(`${where} has "${baseUrl}" as its URL; only http:// and https:// URLs work.`);
  }
  const trimmed = `${url.origin}${url.pathname}`.replace(/\/+$/, "");
  const address = trimmed.endsWith("/chat/completions") ? trimmed : `${trimmed}/chat/completions`;
  return `${address}${url.search}`;
}

/** Options of an {@link OpenAIModelBot}. */
export interface OpenAIModelBotOptions {
  /** The bot's handle in the simulator; it is served on `/<name>`. */
  name: string;
  /** The endpoint's base URL (`http://localhost:11434/v1`), or its full `…/chat/completions` URL. */
  baseUrl: string;
  /** The model to ask for. */
  model: string;
  /**
   * Sent as `Authorization: Bearer <apiKey>`. Default: the `POEKIT_MODEL_API_KEY` environment variable
   * ({@link MODEL_API_KEY_ENV}); `null` (or an empty key) sends no Authorization header.
   */
  apiKey?: string | null;
  /** The `fetch` to call the endpoint with; default the global one. */
  fetch?: FetchLike;
  /** Where `POEKIT_MODEL_API_KEY` is read from; default `process.env`. */
  env?: Record<string, string | undefined>;
}

/** A message of OpenAI's chat completions API, as this bot sends it. */
export type ChatMessage =
  | { role: "system" | "user"; content: string }
  | { role: "assistant"; content: string | null; tool_calls?: ChatToolCall[] }
  | { role: "tool"; tool_call_id: string; content: string; name?: string };

/** A complete tool call in a chat completions request. */
export interface ChatToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

/** How much of an endpoint's error body goes into the error the user sees. */
const BODY_EXCERPT = 500;

/**
 * A model behind any OpenAI-compatible endpoint (OpenAI, Ollama, llama.cpp, vLLM, LM Studio, …),
 * served as a Poe bot: `--model NAME=URL#MODEL`. Each query becomes a streamed
 * `POST <URL>/chat/completions` with `{model, messages, stream: true}` plus, when the request has
 * them, `tools`, `tool_choice` (from `extra_params.tool_choice`), `temperature` and `stop` (from
 * `stop_sequences`).
 *
 * - Messages: Poe's `system`, `user`, `bot` (→ `assistant`) and `tool` roles, in order; a `bot`
 *   message of type `function_call` holding a JSON list of calls becomes an assistant message with
 *   `tool_calls`, a `tool` message holding a JSON list of results one `tool` message per result.
 *   `request.tool_calls` and `tool_results` (the second call of a tool loop) come last.
 * - Answer: `delta.content` streams as `text` events; tool-call deltas are passed on as `json` events
 *   in OpenAI's chunk format, each call's first delta with its `id`, `type` and name, ending with a
 *   `finish_reason: "tool_calls"` chunk, which is what Poe's model bots send and what poekit's
 *   `streamRequest` tool loop reads. `[DONE]` ends the answer.
 * - Failures become an `error` event naming the endpoint: an HTTP error with its status and the start
 *   of its body (retry allowed for 408, 429 and 5xx), an unreachable endpoint (retry allowed), or a
 *   stream that is not JSON.
 *
 * The API key comes from `apiKey` or else the `POEKIT_MODEL_API_KEY` environment variable, and is
 * never put into any message.
 * @example
 * const bot = new OpenAIModelBot({ ...parseModelSpec("Llama=http://localhost:11434/v1#llama3.2") });
 * const response = await createTestClient(bot).query("Hello");
 */
export class OpenAIModelBot extends PoeBot {
  /** The bot's handle. */
  readonly name: string;
  /** The model asked for. */
  readonly model: string;
  /** The full `…/chat/completions` URL that is called. */
  readonly endpoint: string;
  /** What the simulator's bot list says about it (the key is not part of it). */
  readonly description: string;
  readonly #apiKey: string | null;
  readonly #fetch: FetchLike | undefined;

  /** Throws a {@link PoeConfigError} for a bad name, URL or model. */
  constructor(options: OpenAIModelBotOptions) {
    const where = `The model bot "${options.name}"`;
    checkName(options.name, "The model bot");
    const endpoint = chatCompletionsUrl(options.baseUrl, where);
    if (options.model.trim() === "") throw new PoeConfigError(`${where} has an empty model name.`);
    super({ path: `/${options.name}`, botName: options.name });
    this.name = options.name;
    this.model = options.model.trim();
    this.endpoint = endpoint;
    this.description = `model: ${this.model} at ${endpoint}`;
    const key =
      options.apiKey === undefined ? (options.env ?? process.env)[MODEL_API_KEY_ENV] : options.apiKey;
    this.#apiKey = key ? key : null;
    this.#fetch = options.fetch;
  }

  /** Whether an API key will be sent. */
  get hasApiKey(): boolean {
    return this.#apiKey !== null;
  }

  override async *getResponseWithContext(
    request: QueryRequest,
    context: RequestContext,
  ): AsyncGenerator<BotResponseItem, void, undefined> {
    const headers: Record<string, string> = {
      "content-type": "application/json",
      accept: "text/event-stream, application/json",
    };
    if (this.#apiKey) headers.authorization = `Bearer ${this.#apiKey}`;
    let response: Response;
    try {
      // Read at call time, so a test's or the simulator's replacement of the global fetch is used.
      const fetcher = this.#fetch ?? globalThis.fetch;
      response = await fetcher(this.endpoint, {
        method: "POST",
        headers,
        body: JSON.stringify(this.requestBody(request)),
        signal: context.signal,
      });
    } catch (error) {
      if (context.signal.aborted) return; // the user left: nobody to tell
      yield new ErrorResponse({
        text: `Could not reach the model endpoint ${this.endpoint}: ${describeFailure(error)}`,
        allow_retry: true,
      });
      return;
    }
    if (!response.ok) {
      const body = (await readText(response, 64 * 1024).catch(() => "")) ?? "(a body larger than 64 KiB)";
      yield new ErrorResponse({
        text: `The model endpoint ${this.endpoint} answered HTTP ${response.status}: ${excerpt(body) || "(empty body)"}`,
        raw_response: body.slice(0, 4 * BODY_EXCERPT),
        allow_retry: response.status === 408 || response.status === 429 || response.status >= 500,
      });
      return;
    }
    const reader = new ChunkReader(this.endpoint);
    try {
      // An endpoint that ignores `stream: true` answers one JSON completion; read that too.
      if ((response.headers.get("content-type") ?? "").includes("application/json")) {
        const completion = await readText(response, MAX_COMPLETION_BYTES);
        if (completion === null)
          throw new Error(`the completion is larger than ${MAX_COMPLETION_BYTES} bytes`);
        yield* reader.completion(completion);
      } else if (response.body) {
        yield* reader.stream(response.body);
      }
    } catch (error) {
      if (context.signal.aborted) return;
      yield new ErrorResponse({
        text: `The model endpoint ${this.endpoint} broke off its answer: ${describeFailure(error)}`,
        allow_retry: !reader.deliveredAnything,
      });
      return;
    }
    if (!reader.deliveredAnything) {
      // Poe requires some text or an error; an empty answer would otherwise be a protocol violation.
      yield new ErrorResponse({
        text: `The model endpoint ${this.endpoint} answered with no text and no tool calls.`,
        allow_retry: true,
      });
    }
  }

  /** The chat completions request body for a Poe query. */
  requestBody(request: QueryRequest): Record<string, unknown> {
    const body: Record<string, unknown> = {
      model: this.model,
      messages: toChatMessages(request),
      stream: true,
    };
    if (request.tools && request.tools.length > 0) {
      body.tools = request.tools;
      // Poe's request has no tool_choice of its own; a caller may pass one through extra_params.
      const choice = request.extra_params?.tool_choice;
      if (choice !== undefined) body.tool_choice = choice;
    }
    if (request.temperature !== null) body.temperature = request.temperature;
    if (request.stop_sequences.length > 0) body.stop = request.stop_sequences;
    return body;
  }

  override async getSettings(): Promise<SettingsResponse> {
    return {
      introduction_message: `I am ${this.model}, answering through the OpenAI-compatible endpoint ${this.endpoint}.`,
    };
  }
}

/**
 * Poe's conversation as chat completions messages: `bot` becomes `assistant`, tool-call and tool-result
 * messages become their OpenAI counterparts, and the request's own `tool_calls` / `tool_results`
 * (the second call of a tool loop) are appended. Messages of roles Poe may add later are left out.
 * @example
 * toChatMessages(request); // [{ role: "system", content: "…" }, { role: "user", content: "Hi" }]
 */
export function toChatMessages(request: QueryRequest): ChatMessage[] {
  const messages: ChatMessage[] = [];
  for (const message of request.query) messages.push(...convertMessage(message));
  if (request.tool_calls && request.tool_calls.length > 0) {
    messages.push({
      role: "assistant",
      content: null,
      // Custom tools' calls have no chat-completions form here; only function calls go on.
      tool_calls: request.tool_calls.filter(isFunctionToolCall).map((call) => ({
        id: call.id,
        type: "function",
        function: { name: call.function.name, arguments: call.function.arguments },
      })),
    });
  }
  for (const result of request.tool_results ?? []) {
    messages.push({
      role: "tool",
      tool_call_id: result.tool_call_id,
      name: result.name,
      content: result.content,
    });
  }
  return messages;
}

function convertMessage(message: ProtocolMessage): ChatMessage[] {
  switch (message.role) {
    case "system":
      return [{ role: "system", content: message.content }];
    case "user":
      return [{ role: "user", content: message.content }];
    case "bot": {
      const calls = message.message_type === "function_call" ? toolCallsIn(message.content) : [];
      return calls.length > 0
        ? [{ role: "assistant", content: null, tool_calls: calls }]
        : [{ role: "assistant", content: message.content }];
    }
    case "tool": {
      const results = toolResultsIn(message.content);
      // A tool message OpenAI cannot tie to a call would be refused; the model still reads its content.
      return results.length > 0 ? results : [{ role: "user", content: `Tool result:\n${message.content}` }];
    }
    default:
      return [];
  }
}

function parseJsonList(text: string): unknown[] {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed : [parsed];
  } catch {
    return [];
  }
}

/** The calls in a `function_call` bot message: a JSON list of `{id, type, function: {name, arguments}}`. */
function toolCallsIn(content: string): ChatToolCall[] {
  return parseJsonList(content).flatMap((item) => {
    const call = item as { id?: unknown; function?: { name?: unknown; arguments?: unknown } } | null;
    if (typeof call?.id !== "string" || typeof call.function?.name !== "string") return [];
    const args = call.function.arguments;
    return [
      {
        id: call.id,
        type: "function" as const,
        function: {
          name: call.function.name,
          arguments: typeof args === "string" ? args : JSON.stringify(args ?? {}),
        },
      },
    ];
  });
}

/** The results in a `tool` message: a JSON list of `{tool_call_id, name?, content}`. */
function toolResultsIn(content: string): ChatMessage[] {
  return parseJsonList(content).flatMap((item) => {
    const result = item as { tool_call_id?: unknown; name?: unknown; content?: unknown } | null;
    if (typeof result?.tool_call_id !== "string") return [];
    const text = typeof result.content === "string" ? result.content : JSON.stringify(result.content ?? null);
    const chat: ChatMessage = { role: "tool", tool_call_id: result.tool_call_id, content: text };
    if (typeof result.name === "string") chat.name = result.name;
    return [chat];
  });
}

/** What one chunk of an OpenAI stream may hold, as far as this bot reads it. */
interface StreamChunk {
  choices?: Array<{
    delta?: { content?: unknown; tool_calls?: unknown };
    message?: { content?: unknown; tool_calls?: unknown };
    finish_reason?: unknown;
  }>;
  error?: unknown;
}

/**
 * Turns an endpoint's chunks into Poe events. Servers differ in small ways; this evens them out so
 * that poekit's (and fastapi_poe's) tool loops always see the same shape.
 */
class ChunkReader {
  /** Whether any text or tool call was passed on. */
  deliveredAnything = false;
  readonly #endpoint: string;
  #sawToolCalls = false;
  #finished = false;
  // Servers that leave out `index` (some send whole calls one per chunk) get one assigned per call id.
  readonly #indexById = new Map<string, number>();
  #nextIndex = 0;
  #lastIndex = 0;

  constructor(endpoint: string) {
    this.#endpoint = endpoint;
  }

  async *stream(body: ReadableStream<Uint8Array>): AsyncGenerator<BotResponseItem, void, undefined> {
    for await (const event of decodeSseStream(body)) {
      const data = event.data.trim();
      if (data === "") continue;
      if (data === "[DONE]") break;
      let chunk: StreamChunk;
      try {
        chunk = JSON.parse(data) as StreamChunk;
      } catch {
        yield new ErrorResponse({
          text: `The model endpoint ${this.#endpoint} streamed something that is not JSON: ${excerpt(data)}`,
          allow_retry: false,
        });
        return;
      }
      const failure = streamError(chunk);
      if (failure !== undefined) {
        yield new ErrorResponse({
          text: `The model endpoint ${this.#endpoint} reported an error: ${failure}`,
          allow_retry: !this.deliveredAnything,
        });
        return;
      }
      const choice = chunk.choices?.[0];
      if (!choice) continue; // e.g. a closing chunk with only token usage
      yield* this.#read(choice.delta, choice.finish_reason);
    }
    yield* this.#finish();
  }

  /** A whole (non-streamed) completion, answered by servers that ignore `stream: true`. */
  async *completion(text: string): AsyncGenerator<BotResponseItem, void, undefined> {
    let parsed: StreamChunk;
    try {
      parsed = JSON.parse(text) as StreamChunk;
    } catch {
      yield new ErrorResponse({
        text: `The model endpoint ${this.#endpoint} answered with something that is not JSON: ${excerpt(text)}`,
        allow_retry: false,
      });
      return;
    }
    const failure = streamError(parsed);
    if (failure !== undefined) {
      yield new ErrorResponse({
        text: `The model endpoint ${this.#endpoint} reported an error: ${failure}`,
        allow_retry: true,
      });
      return;
    }
    const choice = parsed.choices?.[0];
    yield* this.#read(choice?.message, choice?.finish_reason);
    yield* this.#finish();
  }

  *#read(
    delta: { content?: unknown; tool_calls?: unknown } | undefined,
    finishReason: unknown,
  ): Generator<BotResponseItem, void, undefined> {
    if (typeof delta?.content === "string" && delta.content !== "") {
      this.deliveredAnything = true;
      yield new PartialResponse({ text: delta.content });
    }
    if (Array.isArray(delta?.tool_calls)) {
      for (const piece of delta.tool_calls) {
        const normalized = this.#normalize(piece);
        if (!normalized) continue;
        this.deliveredAnything = true;
        this.#sawToolCalls = true;
        yield {
          event: "json",
          data: { choices: [{ index: 0, delta: { tool_calls: [normalized] }, finish_reason: null }] },
        };
      }
    }
    if (finishReason !== null && finishReason !== undefined) yield* this.#finish();
  }

  /** The closing `finish_reason: "tool_calls"` chunk, once, when the answer held tool calls. */
  *#finish(): Generator<RawEvent, void, undefined> {
    if (!this.#sawToolCalls || this.#finished) return;
    this.#finished = true;
    yield { event: "json", data: { choices: [{ index: 0, delta: {}, finish_reason: "tool_calls" }] } };
  }

  /**
   * One tool-call delta in the shape Poe's models send: `index` always, and on a call's first delta
   * its `id`, `type` ("function" when the server left it out) and function name; `arguments` always
   * a string (some servers send an object).
   */
  #normalize(value: unknown): Record<string, unknown> | undefined {
    if (typeof value !== "object" || value === null) return undefined;
    const piece = value as { index?: unknown; id?: unknown; type?: unknown; function?: unknown };
    const fn = (typeof piece.function === "object" && piece.function !== null ? piece.function : {}) as {
      name?: unknown;
      arguments?: unknown;
    };
    const id = typeof piece.id === "string" && piece.id !== "" ? piece.id : undefined;
    const index = this.#indexOf(piece.index, id);
    const args = fn.arguments;
    const normalized: Record<string, unknown> = { index };
    if (id !== undefined) {
      normalized.id = id;
      normalized.type = typeof piece.type === "string" ? piece.type : "function";
    }
    const call: Record<string, unknown> = {};
    if (typeof fn.name === "string" && fn.name !== "") call.name = fn.name;
    call.arguments =
      typeof args === "string" ? args : args === undefined || args === null ? "" : JSON.stringify(args);
    normalized.function = call;
    return normalized;
  }

  #indexOf(given: unknown, id: string | undefined): number {
    let index: number;
    if (typeof given === "number" && Number.isInteger(given)) index = given;
    else if (id !== undefined) index = this.#indexById.get(id) ?? this.#nextIndex;
    else index = this.#lastIndex; // a continuation without index belongs to the call being streamed
    if (id !== undefined) this.#indexById.set(id, index);
    this.#nextIndex = Math.max(this.#nextIndex, index + 1);
    this.#lastIndex = index;
    return index;
  }
}

/** The message of an `{"error": …}` chunk, as OpenAI-compatible servers send mid-stream. */
function streamError(chunk: StreamChunk): string | undefined {
  if (chunk.error === undefined || chunk.error === null) return undefined;
  if (typeof chunk.error === "string") return chunk.error;
  const message = (chunk.error as { message?: unknown }).message;
  return typeof message === "string" ? message : excerpt(JSON.stringify(chunk.error));
}

/** The start of a body on one line, for an error message. */
function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > BODY_EXCERPT ? `${flat.slice(0, BODY_EXCERPT - 1)}…` : flat;
}

/** A completion answered in one piece (an endpoint that ignored `stream: true`) is at most this big. */
const MAX_COMPLETION_BYTES = 16 * 1024 * 1024;

/** The body as text, or null past `maxBytes`: an endpoint's answer never grows the simulator without bound. */
async function readText(response: Response, maxBytes: number): Promise<string | null> {
  const bytes = await readCappedBody(response, maxBytes);
  return bytes === null ? null : new TextDecoder().decode(bytes);
}
