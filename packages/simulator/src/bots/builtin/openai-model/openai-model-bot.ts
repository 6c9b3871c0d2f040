import {
  type BotResponseItem,
  ErrorResponse,
  type FetchLike,
  PoeBot,
  PoeConfigError,
  type QueryRequest,
  type RequestContext,
  type SettingsResponse,
} from "poekit";
import { readCappedBody } from "../../../query/read-capped-body.js";
import { describeFailure } from "../../../query/violation-messages.js";
import { BODY_EXCERPT, bodyExcerpt } from "./body-excerpt.js";
import { toChatMessages } from "./chat-messages.js";
import { ChunkReader } from "./chunk-reader.js";
import { chatCompletionsUrl, checkBotName } from "./model-spec.js";

/**
 * The environment variable {@link OpenAIModelBot} reads its API key from when none is given:
 * `POEKIT_MODEL_API_KEY`. Leave it unset for endpoints without keys (Ollama, llama.cpp, vLLM).
 */
export const MODEL_API_KEY_ENV = "POEKIT_MODEL_API_KEY";

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
    checkBotName(options.name, "The model bot");
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
        text: `The model endpoint ${this.endpoint} answered HTTP ${response.status}: ${bodyExcerpt(body) || "(empty body)"}`,
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

/** A completion answered in one piece (an endpoint that ignored `stream: true`) is at most this big. */
const MAX_COMPLETION_BYTES = 16 * 1024 * 1024;

/** The body as text, or null past `maxBytes`: an endpoint's answer never grows the simulator without bound. */
async function readText(response: Response, maxBytes: number): Promise<string | null> {
  const bytes = await readCappedBody(response, maxBytes);
  return bytes === null ? null : new TextDecoder().decode(bytes);
}
