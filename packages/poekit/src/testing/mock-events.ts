/**
 * Scripted model output for mock bots: the OpenAI-style `json` events a Poe model bot streams when
 * the request offers tools.
 */

import type { RawEvent } from "../core/responses.js";

/** One tool call a mock model makes. */
export interface MockToolCall {
  /** The function to call. */
  name: string;
  /** Its arguments: an object (sent as JSON) or the JSON string itself. */
  arguments: object | string;
  /** The call's id; default `call_<index>`. */
  id?: string;
}

/** Options of {@link mockToolCalls} and {@link mockTextChunks}. */
export interface MockChunkOptions {
  /** Characters per streamed piece; default 8. */
  chunkSize?: number;
}

const DEFAULT_CHUNK_SIZE = 8;

/**
 * The events of a model answering with tool calls, streamed as Poe's model bots do: for each call a
 * first piece with its id and function name, then its JSON arguments in pieces of `chunkSize`
 * characters, the pieces of parallel calls interleaved, and a last chunk with `finish_reason: "tool_calls"`.
 * @example
 * using mocks = mockBots({
 *   "GPT-4o-Mini": (request) =>
 *     request.tool_results ? "It is 22 °C in Paris." : mockToolCalls([{ name: "get_weather", arguments: { city: "Paris" } }]),
 * });
 */
export function mockToolCalls(calls: readonly MockToolCall[], options: MockChunkOptions = {}): RawEvent[] {
  const size = chunkSize(options);
  const pieces = calls.map((call) =>
    chunks(typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments), size),
  );
  const events = calls.map((call, index) =>
    delta({
      tool_calls: [
        {
          index,
          id: call.id ?? `call_${index}`,
          type: "function",
          function: { name: call.name, arguments: "" },
        },
      ],
    }),
  );
  const rounds = Math.max(0, ...pieces.map((list) => list.length));
  for (let round = 0; round < rounds; round++) {
    pieces.forEach((list, index) => {
      const piece = list[round];
      if (piece !== undefined)
        events.push(delta({ tool_calls: [{ index, function: { arguments: piece } }] }));
    });
  }
  events.push(finish("tool_calls"));
  return events;
}

/**
 * The events of a model answering with text while tools were offered: `json` events whose
 * `choices[0].delta.content` carries the text in pieces, and a last chunk with `finish_reason: "stop"`.
 * (A mock bot may also answer with plain strings, which become `text` events.)
 * @example
 * mockBots({ "GPT-4o-Mini": () => mockTextChunks("No tool needed.") });
 */
export function mockTextChunks(text: string, options: MockChunkOptions = {}): RawEvent[] {
  const events = chunks(text, chunkSize(options)).map((content) => delta({ content }));
  events.push(finish("stop"));
  return events;
}

function chunkSize(options: MockChunkOptions): number {
  const size = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError(`chunkSize must be a whole number of at least 1, got ${String(size)}.`);
  }
  return size;
}

/** Splits by code points, so no piece ends in half a character. */
function chunks(text: string, size: number): string[] {
  const characters = Array.from(text);
  const pieces: string[] = [];
  for (let at = 0; at < characters.length; at += size) pieces.push(characters.slice(at, at + size).join(""));
  return pieces;
}

function delta(content: Record<string, unknown>): RawEvent {
  return { event: "json", data: { choices: [{ index: 0, delta: content, finish_reason: null }] } };
}

function finish(reason: string): RawEvent {
  return { event: "json", data: { choices: [{ index: 0, delta: {}, finish_reason: reason }] } };
}
