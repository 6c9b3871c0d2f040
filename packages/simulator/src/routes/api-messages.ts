import { Hono } from "hono";
import { z } from "zod";
import type { SimulatorContext } from "../context.js";
import { botMessage, retryMessage } from "../conversation/conversations.js";
import { sendFeedback, sendReaction } from "../conversation/reports.js";
import type { ExchangeRecord, RawEventRecord } from "../model.js";
import { withFreshUrls } from "./fresh-urls.js";
import { readJson } from "./read-json.js";

const Feedback = z.strictObject({
  type: z.enum(["like", "dislike"]),
  reason: z.string().max(2000).nullish(),
});
const Reaction = z.strictObject({ reaction: z.string().min(1).max(32) });

/** `/api/messages/:id`: retry, feedback, reactions and the inspector's record of a bot message. */
export function apiMessageRoutes(context: SimulatorContext): Hono {
  const app = new Hono();

  app.post("/:id/retry", (c) => c.json({ botMessage: retryMessage(context, c.req.param("id")) }, 202));

  app.post("/:id/feedback", async (c) => {
    const { type, reason } = await readJson(c, Feedback);
    const { message, delivery } = await sendFeedback(context, c.req.param("id"), {
      type,
      reason: reason ?? null,
    });
    return c.json({ ...withFreshUrls(context, message), delivery });
  });

  app.post("/:id/reactions", async (c) => {
    const { reaction } = await readJson(c, Reaction);
    const { message, delivery } = await sendReaction(context, c.req.param("id"), reaction);
    return c.json({ ...withFreshUrls(context, message), delivery });
  });

  app.get("/:id/exchanges", (c) => {
    const message = botMessage(context, c.req.param("id"));
    const exchanges: ExchangeRecord[] = context.store.exchanges.listForMessage(message.id);
    const events: RawEventRecord[] = exchanges.flatMap((exchange) =>
      context.store.exchanges.rawEvents(exchange.id),
    );
    return c.json({ exchanges, events });
  });

  return app;
}
