import type { ExchangeLimits } from "@poekit/simulator/exchange";
import { FIRST_RESPONSE_TIMEOUT_MS, PING_INTERVAL_MS, TOTAL_RESPONSE_TIMEOUT_MS } from "poekit/protocol";
import { type AttachmentServer, startAttachmentServer } from "./attachment-server.js";
import type { CheckResult } from "./check-result.js";
import { type PlainProbe, sendPlain } from "./http-probe.js";
import { normalQuery } from "./query-bodies.js";
import { type QueryProbe, sendQuery } from "./query-probe.js";

/**
 * Sent as the key when none was given: Poe always sends a Bearer token, and a bot without a key of
 * its own (fastapi_poe's allow_without_key above all) still expects one.
 */
export const STAND_IN_KEY = "poekit-check-no-access-key-given";

/** Limits and timeouts of a run: Poe's by default, lowered by tests. */
export interface CheckTuning {
  /** The limits queries are graded against (first byte, total time, events, characters). */
  limits?: Partial<ExchangeLimits>;
  /** The keep-alive interval a silent stream is held to; default 15 s. */
  keepAliveMs?: number;
  /** How long a request that is not a query may take to answer; default 30 s. */
  requestTimeoutMs?: number;
  /** How many checks run at once; default 4. */
  concurrency?: number;
}

/** What every check works with: the bot, its key, the limits, and what checks share. */
export interface CheckContext {
  url: string;
  /** The key given with --access-key or POE_ACCESS_KEY, or null. */
  accessKey: string | null;
  /** The key sent as the right one: the given one, or {@link STAND_IN_KEY}. */
  sentKey: string;
  limits: Partial<ExchangeLimits>;
  firstByteMs: number;
  totalMs: number;
  keepAliveMs: number;
  requestTimeoutMs: number;
  /** POSTs a JSON body (or the text given) with `authorization` (default: the right key; null: none). */
  post(body: unknown, authorization?: string | null, maxBytes?: number): Promise<PlainProbe>;
  /** Sends a query as Poe does and grades the answer. */
  query(body: Record<string, unknown>): Promise<QueryProbe>;
  /** The normal query, sent once and shared by every check that compares against it. */
  baseline(): Promise<QueryProbe>;
  /** The URL of a small text file served on loopback for the attachment check. */
  attachmentUrl(): Promise<string>;
}

/** A group of checks that share requests: it runs once and returns a result for each of its ids. */
export interface CheckUnit {
  ids: readonly string[];
  /** It awaits the normal query ({@link CheckContext.baseline}), which is then started first. */
  usesBaseline?: boolean;
  run(context: CheckContext): Promise<CheckResult[]>;
}

/** A context and what must be released when the run ends. */
export interface OpenContext {
  context: CheckContext;
  close(): Promise<void>;
}

/**
 * The context of one run against `url`.
 * @example
 * const { context, close } = openCheckContext("http://127.0.0.1:8080/", key, {});
 */
export function openCheckContext(url: string, accessKey: string | null, tuning: CheckTuning): OpenContext {
  const limits = tuning.limits ?? {};
  const sentKey = accessKey ?? STAND_IN_KEY;
  const requestTimeoutMs = tuning.requestTimeoutMs ?? 30_000;
  let baseline: Promise<QueryProbe> | null = null;
  let files: Promise<AttachmentServer> | null = null;
  const query = (body: Record<string, unknown>) => sendQuery({ url, key: sentKey, limits }, body);
  const context: CheckContext = {
    url,
    accessKey,
    sentKey,
    limits,
    firstByteMs: limits.firstByteMs ?? FIRST_RESPONSE_TIMEOUT_MS,
    totalMs: limits.totalMs ?? TOTAL_RESPONSE_TIMEOUT_MS,
    keepAliveMs: tuning.keepAliveMs ?? PING_INTERVAL_MS,
    requestTimeoutMs,
    post: (body, authorization = `Bearer ${sentKey}`, maxBytes) =>
      sendPlain({
        method: "POST",
        url,
        headers: {
          "content-type": "application/json",
          accept: "application/json",
          ...(authorization !== null && { authorization }),
        },
        body: typeof body === "string" ? body : JSON.stringify(body),
        timeoutMs: requestTimeoutMs,
        ...(maxBytes !== undefined && { maxBytes }),
      }),
    query,
    baseline: () => {
      baseline ??= query(normalQuery());
      return baseline;
    },
    attachmentUrl: async () => {
      files ??= startAttachmentServer();
      return (await files).fileUrl;
    },
  };
  return {
    context,
    close: async () => {
      if (files) await (await files).close();
    },
  };
}
