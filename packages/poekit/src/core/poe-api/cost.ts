import { apiRootUrl } from "../../protocol/endpoints.js";
import { isJsonObject, parseJsonOrUndefined } from "../../protocol/json.js";
import { decodeSseStream, SseDecoder } from "../../protocol/sse-decoder.js";
import { startDeadline } from "../deadline.js";
import { describeFailure } from "../describe-failure.js";
import { CostRequestError, InsufficientFundError, InvalidParameterError } from "../errors.js";
import { keyMasker } from "../mask-key.js";
import { countUpstreamCall } from "../query-signals.js";
import { type FetchLike, readBodyText, resolveFetch } from "./transport.js";

/** How long a cost call waits for Poe by default. */
export const COST_TIMEOUT_MS = 300_000;

/** A {@link CostItem} written as a plain object. */
export interface CostItemInit {
  /** The price in thousandths of a US cent; a fraction is rounded up. */
  amount_usd_milli_cents: number;
  /** What the user pays for, shown to them by Poe. */
  description?: string | null | undefined;
}

/**
 * One amount to authorize or capture, in thousandths of a US cent (1000 = 1 cent). A fraction is
 * rounded up, so the bot never charges less than it computed.
 * @example
 * new CostItem({ amount_usd_milli_cents: 2500.2, description: "Image generation" }); // 2501
 */
export class CostItem {
  readonly amount_usd_milli_cents: number;
  readonly description: string | null;

  /** @throws InvalidParameterError when the amount is negative, not finite, or not a number. */
  constructor(init: CostItemInit) {
    const amount = init.amount_usd_milli_cents;
    if (typeof amount !== "number" || !Number.isFinite(amount) || amount < 0) {
      throw new InvalidParameterError(
        `amount_usd_milli_cents must be a finite number of at least 0, got ${String(amount)}.`,
      );
    }
    // `+ 0` turns -0 into 0.
    this.amount_usd_milli_cents = Math.ceil(amount) + 0;
    this.description = init.description ?? null;
  }
}

/** A {@link CostItem} or the plain object it is made from. */
export type CostItemLike = CostItem | CostItemInit;

/** Options of {@link authorizeCost} and {@link captureCost}. */
export interface CostOptions {
  /** The bot's access key; the call is refused without one. */
  accessKey: string | null | undefined;
  /** The API root; default `$POE_API_BASE_URL`, else `https://api.poe.com/`. */
  baseUrl?: string;
  /** The fetch to use; default the global one (or the `poekit/testing` override). */
  fetch?: FetchLike;
  /** Aborts the call; the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** How long to wait for Poe's answer, in ms; default 300 s. */
  timeoutMs?: number;
}

/** The options of `PoeBot.authorizeCost` and `PoeBot.captureCost`, which use the bot's own key. */
export type BotCostOptions = Pick<CostOptions, "baseUrl" | "fetch" | "signal">;

/** The part of a query request the cost calls need. */
export interface CostRequestTarget {
  /** The id Poe gives each query for cost calls. */
  bot_query_id?: string | null | undefined;
}

/**
 * Asks Poe to reserve `amounts` from the user's balance for this query, before the bot does expensive
 * work. Resolves when Poe agrees; throws {@link InsufficientFundError} when the user cannot pay (thrown
 * out of `getResponse`, it becomes an `insufficient_fund` error event) and {@link CostRequestError}
 * when the call itself fails.
 * @example
 * await authorizeCost(request, { amount_usd_milli_cents: 5000, description: "Video" }, { accessKey });
 */
export function authorizeCost(
  request: CostRequestTarget,
  amounts: CostItemLike | readonly CostItemLike[],
  options: CostOptions,
): Promise<void> {
  return costCall("authorize", request, amounts, options);
}

/**
 * Charges `amounts` to the user for this query, usually the actual cost once the work is done. Fails
 * as {@link authorizeCost} does.
 * @example
 * await captureCost(request, new CostItem({ amount_usd_milli_cents: 4200 }), { accessKey });
 */
export function captureCost(
  request: CostRequestTarget,
  amounts: CostItemLike | readonly CostItemLike[],
  options: CostOptions,
): Promise<void> {
  return costCall("capture", request, amounts, options);
}

async function costCall(
  action: "authorize" | "capture",
  request: CostRequestTarget,
  amounts: CostItemLike | readonly CostItemLike[],
  options: CostOptions,
): Promise<void> {
  const accessKey = options.accessKey;
  if (!accessKey) {
    throw new CostRequestError(
      `Cannot ${action} a cost without the bot's access key: set the bot's accessKey (new MyBot({ accessKey }), or POE_ACCESS_KEY).`,
    );
  }
  const queryId = request.bot_query_id;
  if (typeof queryId !== "string" || queryId === "") {
    throw new InvalidParameterError(
      `Cannot ${action} a cost: the request has no bot_query_id. Pass the query request Poe sent to getResponse.`,
    );
  }
  const list = (Array.isArray(amounts) ? amounts : [amounts]) as readonly CostItemLike[];
  if (list.length === 0) throw new InvalidParameterError(`Cannot ${action} a cost: no amounts given.`);
  const items = list.map((item) => (item instanceof CostItem ? item : new CostItem(item)));

  countUpstreamCall(request);
  const url = `${apiRootUrl(options.baseUrl)}bot/cost/${encodeURIComponent(queryId)}/${action}`;
  const timeoutMs = options.timeoutMs ?? COST_TIMEOUT_MS;
  const deadline = startDeadline(timeoutMs, options.signal);
  const hide = keyMasker(accessKey);
  const fail = (error: unknown): unknown => {
    if (error instanceof InsufficientFundError || error instanceof CostRequestError) return error;
    if (deadline.timedOut) {
      return new CostRequestError(
        `The cost ${action} call to Poe timed out after ${timeoutMs / 1000} s. Check the connection to Poe and try again.`,
      );
    }
    if (options.signal?.aborted) return options.signal.reason;
    return new CostRequestError(
      hide(
        `The cost ${action} call to Poe (${url}) failed: ${describeFailure(error)}. Check the network connection.`,
      ),
    );
  };

  try {
    const response = await deadline.race(
      resolveFetch(options.fetch)(url, {
        method: "POST",
        headers: {
          accept: "text/event-stream",
          "cache-control": "no-store",
          "content-type": "application/json",
        },
        body: JSON.stringify({ amounts: items, access_key: accessKey }),
        signal: deadline.signal,
      }),
    );
    if (response.status !== 200) {
      const body = hide(await deadline.race(readBodyText(response)));
      const messages = eventMessages(body) || body.trim() || "(empty answer)";
      const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ""}`;
      throw new CostRequestError(`${status}: ${messages}`, { status: response.status, body });
    }
    const outcome = response.body ? await deadline.race(firstResult(response.body)) : undefined;
    if (outcome === undefined) {
      throw new InsufficientFundError(
        `Poe's answer to the cost ${action} call had no result; treated as refused.`,
      );
    }
    if (outcome !== "success") {
      throw new InsufficientFundError(`Poe refused the cost ${action} (status ${JSON.stringify(outcome)}).`);
    }
  } catch (error) {
    throw fail(error);
  } finally {
    deadline.clear();
  }
}

/** The `status` of the first `result` event (`null` when it has none), or `undefined` without one. */
async function firstResult(body: ReadableStream<Uint8Array>): Promise<unknown> {
  for await (const event of decodeSseStream(body)) {
    if (event.event !== "result") continue;
    // Leaving the loop cancels the rest of the stream.
    const data = parseJsonOrUndefined(event.data);
    return isJsonObject(data) ? (data.status ?? null) : null;
  }
  return undefined;
}

/** The `message` fields of the SSE events in `text`, joined; "" when there are none. */
function eventMessages(text: string): string {
  const decoder = new SseDecoder();
  const events = [...decoder.push(text), ...decoder.push("\n\n"), ...decoder.end()];
  const messages: string[] = [];
  for (const event of events) {
    const data = parseJsonOrUndefined(event.data);
    if (isJsonObject(data) && typeof data.message === "string" && data.message !== "")
      messages.push(data.message);
  }
  return messages.join("; ");
}
