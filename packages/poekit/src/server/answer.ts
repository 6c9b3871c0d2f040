import type { QueryStream } from "./query-stream.js";

/**
 * What the app answers to one request, before it becomes a web `Response` (in `fetch`) or is
 * written straight to node:http (in `run` and `toNodeHandler`), which skips building a `Response`.
 */
export type Answer = WholeAnswer | StreamAnswer;

/** An answer whose body is complete: JSON, the index page, or a response the bot finished at once. */
export interface WholeAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  stream?: undefined;
}

/** A response still streaming: `initial` is what the bot had ready at once, the rest comes from `stream`. */
export interface StreamAnswer {
  status: 200;
  headers: Record<string, string>;
  initial: string;
  stream: QueryStream;
}

/**
 * The web `Response` of an answer.
 * @example
 * const response = toResponse({ status: 404, headers: {}, body: "" });
 */
export function toResponse(answer: Answer): Response {
  const init = { status: answer.status, headers: answer.headers };
  if (answer.stream === undefined) return new Response(answer.body, init);
  return new Response(answer.stream.toReadableStream(answer.initial), init);
}
