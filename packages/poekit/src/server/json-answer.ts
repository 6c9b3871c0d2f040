import type { WholeAnswer } from "./answer.js";

// Frozen: shared by answers, and writers may cache what they derive from it.
const JSON_HEADERS = Object.freeze({ "content-type": "application/json" });

/**
 * A JSON answer; the shape of every answer of the server but the index page and query streams.
 * @example
 * return jsonAnswer(400, { detail: "The body is not valid JSON." });
 */
export function jsonAnswer(status: number, body: unknown, headers?: Record<string, string>): WholeAnswer {
  return {
    status,
    headers: headers ? { ...JSON_HEADERS, ...headers } : JSON_HEADERS,
    body: JSON.stringify(body),
  };
}

/** An error answer: `{"detail": "..."}` plus any extra fields. */
export function errorAnswer(
  status: number,
  detail: string,
  extra?: Record<string, unknown>,
  headers?: Record<string, string>,
): WholeAnswer {
  return jsonAnswer(status, extra ? { detail, ...extra } : { detail }, headers);
}
