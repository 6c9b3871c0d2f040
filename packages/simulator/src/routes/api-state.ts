import { Hono } from "hono";
import { z } from "zod";
import type { SimulatorContext } from "../context.js";
import type { SimulatorState } from "../model.js";
import { readJson } from "./read-json.js";

const BalanceBody = z.strictObject({ balance: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) });

/** `/api/state` and `/api/balance`. */
export function apiStateRoutes(context: SimulatorContext, version: string): Hono {
  const app = new Hono();

  app.get("/state", (c) => {
    const state: SimulatorState = {
      version,
      bots: context.registry.list(),
      staleBots: context.staleBots.list(),
      conversations: context.store.conversations.list(),
      balance: context.balance.get(),
      fileTtlSeconds: context.fileUrls.ttlSeconds,
    };
    return c.json(state);
  });

  app.get("/balance", (c) => c.json({ balance: context.balance.get() }));

  app.put("/balance", async (c) => {
    const { balance } = await readJson(c, BalanceBody);
    context.balance.set(balance);
    context.bus.publish({ type: "balance", balance });
    return c.json({ balance });
  });

  return app;
}
