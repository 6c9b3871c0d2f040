import { type Context, Hono } from "hono";
import { encodeEvent } from "poekit/protocol";
import { z } from "zod";
import type { SimulatorContext } from "../context.js";
import { TOO_DEEP, tooDeep } from "./read-json.js";
import { SSE_HEADERS } from "./sse-headers.js";

/** One amount as `authorizeCost` / `captureCost` send it. */
const CostItemSchema = z.object({
  amount_usd_milli_cents: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  description: z.string().max(10_000).nullish(),
});

const CostCallSchema = z.object({
  amounts: z.union([CostItemSchema, z.array(CostItemSchema).min(1).max(1000)]),
  access_key: z.string(),
});

/**
 * Poe's cost API, which `authorizeCost` / `captureCost` call with `{amounts, access_key}`:
 * - `POST /bot/cost/:botQueryId/authorize` succeeds when the simulator's balance covers the sum;
 * - `POST /bot/cost/:botQueryId/capture` also deducts the sum from the balance (and tells the page).
 *
 * Both answer 200 with one SSE `result` event, `{"status": "success"}` or `{"status": "insufficient_funds"}`.
 * A call that cannot be made (unknown `bot_query_id`, a key that is not the queried bot's, an invalid
 * body) answers 4xx with an SSE `error` event whose `message` the client turns into a
 * `CostRequestError`. Paths are absolute: mount with `app.route("/", costRoutes(context))`.
 *
 * @example
 * app.route("/", costRoutes(context));
 * // a bot then runs: await this.authorizeCost(request, { amount_usd_milli_cents: 500 }, { baseUrl: origin })
 */
export function costRoutes(context: SimulatorContext): Hono {
  const app = new Hono();

  app.post("/bot/cost/:botQueryId/:action{authorize|capture}", async (c) => {
    const action = c.req.param("action") as "authorize" | "capture";
    const botQueryId = c.req.param("botQueryId");
    let json: unknown;
    try {
      json = await c.req.json();
    } catch {
      return refuse(
        c,
        400,
        `The body of a cost ${action} call must be JSON: {"amounts": [...], "access_key": "..."}.`,
      );
    }
    if (tooDeep(json)) return refuse(c, 400, TOO_DEEP);
    const parsed = CostCallSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? issue.path.join(".") : "body";
      return refuse(c, 400, `Invalid cost ${action} call: ${where}: ${issue?.message ?? "invalid"}.`);
    }

    const exchange = context.store.exchanges.findByBotQueryId(botQueryId);
    if (!exchange) {
      return refuse(
        c,
        404,
        `No query with bot_query_id "${botQueryId}" was sent by this simulator. Cost calls must name the bot_query_id of the query being answered (request.bot_query_id).`,
      );
    }
    const bot = context.registry.get(exchange.botName);
    if (!bot?.hasAccessKey) {
      return refuse(
        c,
        401,
        `Bot "${exchange.botName}" has no access key in the simulator, so its cost calls cannot be checked. Register it with its key: --bot ${exchange.botName}=URL#KEY.`,
      );
    }
    if (!context.registry.keyMatches(bot.name, parsed.data.access_key)) {
      return refuse(
        c,
        401,
        `The access_key is not the key of bot "${bot.name}", which was queried with bot_query_id "${botQueryId}".`,
      );
    }

    const items = Array.isArray(parsed.data.amounts) ? parsed.data.amounts : [parsed.data.amounts];
    const total = items.reduce((sum, item) => sum + item.amount_usd_milli_cents, 0);
    if (!Number.isSafeInteger(total))
      return refuse(c, 400, "The amounts add up to more than can be charged.");
    // Read and written without an await between them, so concurrent captures cannot overdraw.
    const balance = context.balance.get();
    if (total > balance) return result(c, "insufficient_funds");
    if (action === "capture") {
      context.balance.set(balance - total);
      context.bus.publish({ type: "balance", balance: balance - total });
    }
    return result(c, "success");
  });

  return app;
}

function result(c: Context, status: "success" | "insufficient_funds"): Response {
  return c.body(encodeEvent("result", { status }), 200, SSE_HEADERS);
}

/** A refusal as Poe's cost API sends one: an event stream whose events carry a `message`. */
function refuse(c: Context, status: 400 | 401 | 404, message: string): Response {
  return c.body(encodeEvent("error", { message }), status, SSE_HEADERS);
}
