import { PROTOCOL_VERSION } from "poekit/protocol";
import type { CheckUnit } from "./check-context.js";
import { makeResult } from "./make-result.js";
import { normalQuery } from "./query-bodies.js";

/** A malformed body and how a message names it. */
interface Malformed {
  id: string;
  what: string;
  body: () => string;
}

const MALFORMED: readonly Malformed[] = [
  {
    id: "malformed-not-json",
    what: "a body that is not JSON",
    body: () => `{"version": "${PROTOCOL_VERSION}", "type": "query", "query": [`,
  },
  {
    id: "malformed-array",
    what: "a JSON array",
    body: () => JSON.stringify([{ version: PROTOCOL_VERSION, type: "query" }]),
  },
  {
    id: "malformed-no-type",
    what: "a JSON object without type",
    body: () => JSON.stringify(without(normalQuery(), ["type"])),
  },
  {
    id: "malformed-query-fields",
    what: "a query without query, user_id, conversation_id and message_id",
    body: () => JSON.stringify(without(normalQuery(), ["query", "user_id", "conversation_id", "message_id"])),
  },
];

/** A valid request with `keys` taken out: broken in that one way only. */
function without(body: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([key]) => !keys.includes(key)));
}

/**
 * Malformed bodies, which Poe never sends but anyone else may: a 4xx says the request was wrong, a
 * 5xx says the server broke (the Python library answers 500), so a 5xx is a warning.
 * @example
 * const [result] = await malformedChecks[0].run(context);
 */
export const malformedChecks: readonly CheckUnit[] = MALFORMED.map(({ id, what, body }) => ({
  ids: [id],
  async run(context) {
    const probe = await context.post(body());
    const { status } = probe;
    if (status !== null && status >= 400 && status <= 499) {
      return [makeResult(id, "pass", `The bot answered ${what} with ${status}.`, probe)];
    }
    const got = status === null ? `no answer (${probe.response.error})` : `HTTP ${status}`;
    const why =
      status !== null && status >= 500
        ? ", which says the server broke rather than that the request was wrong"
        : "";
    return [makeResult(id, "warn", `Expected 400 for ${what}; got ${got}${why}.`, probe)];
  },
}));
