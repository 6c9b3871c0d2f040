import { UserError } from "../user-error.js";

/** A check as the catalog describes it: the rule it applies and where docs/protocol.md states it. */
export interface CheckInfo {
  id: string;
  group: string;
  title: string;
  rule: string;
  section: string;
}

const PART_A = "docs/protocol.md Part A, Server side";

/**
 * Every check of `poekit check`, in the order reports list them. `docs/check.md` describes each one.
 * @example
 * CHECKS.find((check) => check.id === "query-done")?.rule;
 */
export const CHECKS: readonly CheckInfo[] = [
  {
    id: "get-page",
    group: "page",
    title: "GET on the bot's URL",
    rule: "A GET on the bot's URL answers 200 with a short HTML page, without authentication (Poe never sends GET, but people and health checks do).",
    section: `${PART_A}: GET on a bot path; docs/protocol.md §1.11`,
  },
  {
    id: "settings-json",
    group: "settings",
    title: "settings answered with JSON",
    rule: "A settings request is answered 200 with a JSON object; otherwise Poe keeps the previous settings, or its defaults.",
    section: `${PART_A}: settings; docs/protocol.md §1.1, §2`,
  },
  {
    id: "settings-schema",
    group: "settings",
    title: "settings valid",
    rule: "Every settings field has the type Poe expects, unknown fields are not sent, and server_bot_dependencies allow at most 10 calls per message in all.",
    section: "docs/protocol.md §2.1, §2.3, §1.5",
  },
  {
    id: "report-feedback",
    group: "requests",
    title: "report_feedback answered",
    rule: "report_feedback is answered 200 (Poe ignores the body); 501 says the bot does not use it.",
    section: `${PART_A}: report_feedback, report_reaction, report_error; docs/protocol.md §1.6`,
  },
  {
    id: "report-reaction",
    group: "requests",
    title: "report_reaction answered",
    rule: "report_reaction is answered 200 (Poe ignores the body); 501 says the bot does not use it.",
    section: `${PART_A}: report_feedback, report_reaction, report_error; docs/protocol.md §1.6`,
  },
  {
    id: "report-error",
    group: "requests",
    title: "report_error answered",
    rule: "report_error is answered 200 (Poe ignores the body); 501 says the bot does not use it.",
    section: `${PART_A}: report_feedback, report_reaction, report_error; docs/protocol.md §1.6`,
  },
  {
    id: "unknown-type",
    group: "requests",
    title: "unknown request type",
    rule: "A request of a type the bot does not know is answered 501 Not Implemented.",
    section: `${PART_A}: unknown type → 501; docs/protocol.md §1.1`,
  },
  {
    id: "auth-missing",
    group: "auth",
    title: "no Authorization header",
    rule: "A bot with an access key refuses a request without Authorization with 401 and WWW-Authenticate: Bearer; a bot without one can be called by anybody.",
    section: `${PART_A}: POST, bot has an access key; docs/protocol.md §1.2`,
  },
  {
    id: "auth-wrong-key",
    group: "auth",
    title: "wrong access key",
    rule: "A request with a wrong key is refused with 401.",
    section: `${PART_A}: POST, bot has an access key; docs/protocol.md §1.2`,
  },
  {
    id: "auth-wrong-scheme",
    group: "auth",
    title: "wrong Authorization scheme",
    rule: "A request whose Authorization scheme is not Bearer is refused with 401, even with the right key.",
    section: `${PART_A}: POST, bot has an access key; docs/protocol.md §1.2`,
  },
  {
    id: "auth-lowercase-scheme",
    group: "auth",
    title: "lower-case bearer",
    rule: "The Bearer scheme is matched in any case: Authorization: bearer <key> is accepted.",
    section: `${PART_A}: POST, bot has an access key; docs/protocol.md §1.2, §7`,
  },
  {
    id: "auth-right-key",
    group: "auth",
    title: "right access key",
    rule: "A request with Authorization: Bearer <the bot's key> is accepted.",
    section: "docs/protocol.md §1.2",
  },
  {
    id: "query-status",
    group: "query",
    title: "query answered with an event stream",
    rule: "A query is answered 200 with Content-Type text/event-stream; anything else makes Poe show the user an error.",
    section: `${PART_A}: query; docs/protocol.md §1.1, §1.8`,
  },
  {
    id: "query-first-byte",
    group: "query",
    title: "first byte within 5 s",
    rule: "The response headers arrive within 5 seconds of the request; Poe gives up after that.",
    section: "docs/protocol.md §1.5",
  },
  {
    id: "query-event-grammar",
    group: "query",
    title: "events and their data",
    rule: "Every event is one the protocol defines, and its data is one line of JSON of the shape the event needs; Poe ignores unknown events.",
    section: `${PART_A}: SSE framing; docs/protocol.md §1.8`,
  },
  {
    id: "query-meta-first",
    group: "query",
    title: "meta first",
    rule: "A meta event, when there is one, is the first event; Poe ignores a later one.",
    section: "docs/protocol.md §1.8",
  },
  {
    id: "query-content",
    group: "query",
    title: "text or error present",
    rule: "A response holds at least one text, replace_response or error event; Poe treats an empty one as an error.",
    section: "docs/protocol.md §1.8",
  },
  {
    id: "query-done",
    group: "query",
    title: "exactly one done, last",
    rule: "A response ends with exactly one done event and nothing after it.",
    section: `${PART_A}: done; docs/protocol.md §1.8`,
  },
  {
    id: "query-total-time",
    group: "query",
    title: "complete within 600 s",
    rule: "The whole response, up to done, arrives within 600 seconds; Poe ends the request then.",
    section: "docs/protocol.md §1.5",
  },
  {
    id: "query-limits",
    group: "query",
    title: "size and event count",
    rule: "A response holds at most 100,000 characters of text and 10,000 events.",
    section: `${PART_A}: response exceeds Poe's limits; docs/protocol.md §1.5`,
  },
  {
    id: "keep-alive",
    group: "query",
    title: "keep-alive while silent",
    rule: "A stream that is silent for 15 seconds gets a comment line (`: ping`), so that proxies on the way do not drop it.",
    section: `${PART_A}: SSE framing; docs/protocol.md §1.5, §1.8`,
  },
  {
    id: "long-history",
    group: "robustness",
    title: "long conversation",
    rule: "A query with about 1,000 messages of history (Poe may send that many) is answered like a short one.",
    section: "docs/protocol.md §1.5 (conversation length), §1.7",
  },
  {
    id: "attachment",
    group: "robustness",
    title: "message with an attachment",
    rule: "A message with an attachment (url, content_type, name, parsed_content) is answered with a valid stream; an error event is an acceptable answer.",
    section: "docs/protocol.md §1.7 (Attachment)",
  },
  {
    id: "unknown-fields",
    group: "forward compatibility",
    title: "unknown fields",
    rule: "Unknown keys in the request and in its messages are ignored: Poe adds fields without notice.",
    section: `${PART_A}: unknown extra keys anywhere; docs/protocol.md §1.1, §1.4`,
  },
  {
    id: "unknown-role",
    group: "forward compatibility",
    title: "unknown message role",
    rule: "A message with a role the bot does not know is accepted (and may be ignored).",
    section: `${PART_A}: unknown role; docs/protocol.md §1.1, §1.12`,
  },
  {
    id: "unknown-content-type",
    group: "forward compatibility",
    title: "unknown message content_type",
    rule: "A message with a content_type the bot does not know is accepted.",
    section: `${PART_A}: unknown content_type; docs/protocol.md §1.1, §1.12`,
  },
  {
    id: "unknown-feedback-type",
    group: "forward compatibility",
    title: "unknown feedback_type",
    rule: "report_feedback with a feedback_type the bot does not know is accepted.",
    section: `${PART_A}: unknown feedback_type; docs/protocol.md §1.1, §1.12`,
  },
  {
    id: "malformed-not-json",
    group: "malformed bodies",
    title: "body not JSON",
    rule: "A body that is not JSON is answered 400 with a JSON detail, never 500.",
    section: `${PART_A}: body is not JSON, not an object, or has no string type; docs/protocol.md §1.11`,
  },
  {
    id: "malformed-array",
    group: "malformed bodies",
    title: "body a JSON array",
    rule: "A body that is JSON but not an object is answered 400, never 500.",
    section: `${PART_A}: body is not JSON, not an object, or has no string type; docs/protocol.md §1.11`,
  },
  {
    id: "malformed-no-type",
    group: "malformed bodies",
    title: "body without type",
    rule: "A JSON object without a string type is answered 400, never 500.",
    section: `${PART_A}: body is not JSON, not an object, or has no string type; docs/protocol.md §1.11`,
  },
  {
    id: "malformed-query-fields",
    group: "malformed bodies",
    title: "query with missing fields",
    rule: "A query whose required fields are missing is answered 400 with the issues, never 500.",
    section: `${PART_A}: known type whose required fields are missing; docs/protocol.md §1.7, §1.11`,
  },
];

/**
 * The catalog entry of a check.
 * @throws Error for an id that is not in the catalog: a bug in the suite.
 * @example
 * checkInfo("keep-alive").section; // "docs/protocol.md Part A, Server side: SSE framing; …"
 */
export function checkInfo(id: string): CheckInfo {
  const info = CHECKS.find((check) => check.id === id);
  if (!info) throw new Error(`No check has the id ${JSON.stringify(id)}.`);
  return info;
}

/**
 * The check ids `--only` selects: names given one per flag or comma-separated, each a check id or a
 * group name (spaces in a group name may be written as dashes). No names selects every check.
 * @throws UserError for a name that is neither, listing the valid ones.
 * @example
 * selectChecks(["query-done,auth"]); // query-done and every auth-* check
 */
export function selectChecks(names: readonly string[]): Set<string> {
  const wanted = names
    .flatMap((name) => name.split(","))
    .map((name) => name.trim())
    .filter((name) => name !== "");
  if (wanted.length === 0) return new Set(CHECKS.map((check) => check.id));
  const selected = new Set<string>();
  const unknown: string[] = [];
  for (const name of wanted) {
    const matches = CHECKS.filter((check) => check.id === name || groupKey(check.group) === groupKey(name));
    if (matches.length === 0) unknown.push(name);
    for (const check of matches) selected.add(check.id);
  }
  if (unknown.length > 0) {
    const groups = [...new Set(CHECKS.map((check) => groupKey(check.group)))];
    throw new UserError(
      `--only ${unknown.map((name) => JSON.stringify(name)).join(", ")} ${unknown.length === 1 ? "is not a check" : "are not checks"}; give check ids (${CHECKS.map((check) => check.id).join(", ")}) or groups (${groups.join(", ")}).`,
    );
  }
  return selected;
}

function groupKey(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, "-");
}
