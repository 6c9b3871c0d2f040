import { Hono } from "hono";
import { z } from "zod";
import { RegistrationError } from "../bots/registry.js";
import type { SimulatorContext } from "../context.js";
import { ApiError } from "./api-error.js";
import { readJson } from "./read-json.js";

const Registration = z.strictObject({
  name: z.string().min(1).max(64),
  url: z.string().min(1).max(2048),
  accessKey: z.string().max(256).nullish(),
});

/** `/api/bots`: register, remove and refresh bots from the page. */
export function apiBotRoutes(context: SimulatorContext): Hono {
  const app = new Hono();
  const publishBots = () => context.bus.publish({ type: "bots", bots: context.registry.list() });

  app.get("/", (c) => c.json(context.registry.list()));

  app.post("/", async (c) => {
    const input = await readJson(c, Registration);
    const bot = await registrationStep(() => context.registry.register(input));
    publishBots();
    return c.json(bot, 201);
  });

  app.delete("/:name", async (c) => {
    const removed = await registrationStep(async () => context.registry.remove(c.req.param("name")));
    if (!removed) throw new ApiError(404, `There is no bot named "${c.req.param("name")}".`);
    publishBots();
    return c.body(null, 204);
  });

  app.post("/:name/settings", async (c) => {
    const bot = await registrationStep(() => context.registry.refreshSettings(c.req.param("name")));
    publishBots();
    return c.json(bot);
  });

  return app;
}

async function registrationStep<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof RegistrationError) {
      throw new ApiError(error.noSuchBot ? 404 : 400, error.message);
    }
    throw error;
  }
}
