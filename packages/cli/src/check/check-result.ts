/**
 * What one check of `poekit check` found. `fail`: Poe would show the user an error, or the bot is
 * insecure or wrong in a way Poe notices. `warn`: the bot deviates from the protocol or from good
 * practice but works on Poe today. `skip`: the check cannot apply (never a failure).
 */
export type CheckStatus = "pass" | "warn" | "fail" | "skip";

/** Every status, in the order reports count them. */
export const CHECK_STATUSES: readonly CheckStatus[] = ["pass", "warn", "fail", "skip"];

/** A request a check sent, as a report shows it (the access key is masked before anything is shown). */
export interface SentRequest {
  method: "GET" | "POST";
  url: string;
  headers: Record<string, string>;
  /** The body, cut when it is long (the cut says how long the whole was). */
  body?: string;
}

/** One event of a response, as it arrived. */
export interface ReceivedEvent {
  /** Milliseconds after the request was sent. */
  atMs: number;
  /** The event's name, `:` for a comment line (a keep-alive). */
  event: string;
  /** The event's data (the comment's text), cut when it is long. */
  data: string;
}

/** What came back for a request. */
export interface ReceivedResponse {
  /** The HTTP status, or null when no response arrived. */
  status: number | null;
  contentType: string | null;
  /** The start of a plain body. */
  body?: string;
  /** The first events of an event stream. */
  events?: ReceivedEvent[];
  /** How many events there were in all, when there were more than `events` holds. */
  eventCount?: number;
  /** Why no response (or no whole response) arrived: a network error, a timeout. */
  error?: string;
}

/** The outcome of one check, with the evidence behind it. */
export interface CheckResult {
  /** Kebab-case, usable with `--only`. */
  id: string;
  group: string;
  title: string;
  status: CheckStatus;
  /** One sentence: what was expected and what came back. */
  message: string;
  /** The rule the check applies. */
  rule: string;
  /** Where docs/protocol.md states it. */
  section: string;
  request?: SentRequest;
  response?: ReceivedResponse;
  /** How long the check's request took, in milliseconds. */
  durationMs: number;
}

/** A whole run of `poekit check`, as `--json` prints it. */
export interface CheckReport {
  tool: "poekit check";
  version: string;
  url: string;
  /** The access key as shown (masked), or null when none was given. */
  accessKey: string | null;
  startedAt: string;
  durationMs: number;
  /** True when no check failed (and the checks could run). */
  ok: boolean;
  counts: Record<CheckStatus, number>;
  /** Why no check could run (the bot could not be reached), when none could. */
  error?: string;
  checks: CheckResult[];
}
