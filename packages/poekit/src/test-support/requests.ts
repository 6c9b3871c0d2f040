import type { Logger } from "../core/logger.js";
import { SseDecoder } from "../protocol/sse-decoder.js";

/** A valid 32-character access key for tests. */
export const TEST_KEY = `${"k".repeat(16)}0123456789abcdef`;

/** A minimal valid query body; `overrides` replace top-level fields. */
export function queryBody(
  content = "hello",
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    version: "1.2",
    type: "query",
    query: [{ role: "user", content }],
    user_id: "u-1",
    conversation_id: "c-1",
    message_id: "m-1",
    ...overrides,
  };
}

/** A POST request to `path` with a JSON (or raw string) body. */
export function post(body: unknown, headers: Record<string, string> = {}, path = "/"): Request {
  return new Request(`http://bot.test${path}`, {
    method: "POST",
    body: typeof body === "string" ? body : JSON.stringify(body),
    headers: { "content-type": "application/json", ...headers },
  });
}

/** Every event of an SSE response, with data parsed as JSON. */
export async function readEvents(response: Response): Promise<Array<{ event: string; data: unknown }>> {
  const decoder = new SseDecoder();
  const events = decoder.push(new Uint8Array(await response.arrayBuffer()));
  events.push(...decoder.end());
  return events.map((e) => ({ event: e.event, data: JSON.parse(e.data) }));
}

/** A logger that records what it was told. */
export function recordingLogger(): Logger & { lines: string[]; errors: unknown[] } {
  const lines: string[] = [];
  const errors: unknown[] = [];
  return {
    lines,
    errors,
    info: (message) => lines.push(`info ${message}`),
    warn: (message) => lines.push(`warn ${message}`),
    error: (message, error) => {
      lines.push(`error ${message}`);
      errors.push(error);
    },
  };
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
