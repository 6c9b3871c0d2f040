import { type BotResponseItem, ErrorResponse, PartialResponse, type RawEvent } from "poekit";
import { decodeSseStream } from "poekit/protocol";
import { bodyExcerpt } from "./body-excerpt.js";
import { ToolCallDeltas } from "./tool-call-deltas.js";

/** What one chunk of an OpenAI stream may hold, as far as this reader reads it. */
interface StreamChunk {
  choices?: Array<{
    delta?: { content?: unknown; tool_calls?: unknown };
    message?: { content?: unknown; tool_calls?: unknown };
    finish_reason?: unknown;
  }>;
  error?: unknown;
}

/**
 * Turns an OpenAI-compatible endpoint's answer into Poe events: `delta.content` as text, tool-call
 * deltas as `json` events in OpenAI's chunk format (normalized by {@link ToolCallDeltas}) closed by one
 * `finish_reason: "tool_calls"` chunk, and an `{"error": …}` chunk or a line that is not JSON as an
 * `error` event naming the endpoint. One reader per answer.
 * @example
 * const reader = new ChunkReader("http://localhost:11434/v1/chat/completions");
 * for await (const item of reader.stream(response.body)) yield item;
 * if (!reader.deliveredAnything) yield new ErrorResponse({ text: "empty answer" });
 */
export class ChunkReader {
  /** Whether any text or tool call was passed on. */
  deliveredAnything = false;
  readonly #endpoint: string;
  readonly #toolCalls = new ToolCallDeltas();
  #sawToolCalls = false;
  #finished = false;

  /** `endpoint` is named in the error events. */
  constructor(endpoint: string) {
    this.#endpoint = endpoint;
  }

  /** A streamed answer: server-sent `data:` lines of chunks, up to `[DONE]` or the end of the body. */
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
          text: `The model endpoint ${this.#endpoint} streamed something that is not JSON: ${bodyExcerpt(data)}`,
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
        text: `The model endpoint ${this.#endpoint} answered with something that is not JSON: ${bodyExcerpt(text)}`,
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
        const normalized = this.#toolCalls.normalize(piece);
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
}

/** The message of an `{"error": …}` chunk, as OpenAI-compatible servers send mid-stream. */
function streamError(chunk: StreamChunk): string | undefined {
  if (chunk.error === undefined || chunk.error === null) return undefined;
  if (typeof chunk.error === "string") return chunk.error;
  const message = (chunk.error as { message?: unknown }).message;
  return typeof message === "string" ? message : bodyExcerpt(JSON.stringify(chunk.error));
}
