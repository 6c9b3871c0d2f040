import { type Context, Hono } from "hono";
import { InvalidSettingsError } from "../bots/settings.js";
import type { SimulatorContext } from "../context.js";
import { TOO_DEEP, tooDeep } from "./read-json.js";

/**
 * Poe's settings sync, which `syncBotSettings` (and `makeApp`'s start-up sync) call:
 * - `POST /bot/fetch_settings/:bot/:key/:version?` asks the bot server for its settings again;
 * - `POST /bot/update_settings/:bot/:key/:version?` stores the JSON body as the bot's settings.
 *
 * The key in the path must be the access key the bot was registered with. Both answer
 * `{"status": "ok", "settings": <the settings JSON as stored>}`; failures answer 4xx/502 with
 * `{"detail"}`. Paths are absolute: mount with `app.route("/", settingsSyncRoutes(context))`.
 *
 * @example
 * app.route("/", settingsSyncRoutes(context));
 * // a bot then runs: syncBotSettings("MyBot", key, { settings, baseUrl: `${origin}/bot/` })
 */
export function settingsSyncRoutes(context: SimulatorContext): Hono {
  const app = new Hono();
  const publishBots = () => context.bus.publish({ type: "bots", bots: context.registry.list() });

  app.post("/bot/fetch_settings/:bot/:key/:version?", async (c) => {
    const name = c.req.param("bot");
    const refused = refuseKey(c, context, name, c.req.param("key"));
    if (refused) return refused;
    const bot = await context.registry.refreshSettings(name);
    publishBots();
    // After a refresh the error is set only when this fetch failed (a successful one clears it).
    if (bot.settingsError !== null) {
      return c.json(
        {
          detail: `The simulator could not fetch the settings of bot "${name}", so the previous ones stay in force: ${bot.settingsError}`,
        },
        502,
      );
    }
    return c.json({ status: "ok", settings: bot.settings.raw });
  });

  app.post("/bot/update_settings/:bot/:key/:version?", async (c) => {
    const name = c.req.param("bot");
    const refused = refuseKey(c, context, name, c.req.param("key"));
    if (refused) return refused;
    const json: unknown = await c.req.json().catch(() => undefined);
    if (typeof json !== "object" || json === null || Array.isArray(json)) {
      return c.json({ detail: "The body must be the bot's settings as a JSON object." }, 400);
    }
    if (tooDeep(json)) return c.json({ detail: TOO_DEEP }, 400);
    let bot: ReturnType<typeof context.registry.setSettings>;
    try {
      bot = context.registry.setSettings(name, json as Record<string, unknown>);
    } catch (error) {
      if (!(error instanceof InvalidSettingsError)) throw error;
      return c.json({ detail: `The settings were not stored: ${error.message}` }, 400);
    }
    publishBots();
    return c.json({ status: "ok", settings: bot.settings.raw });
  });

  return app;
}

/** The answer refusing the call when the bot is unknown or the key is not its own; null when it may go on. */
function refuseKey(c: Context, context: SimulatorContext, name: string, key: string): Response | null {
  const bot = context.registry.get(name);
  if (!bot) return c.json({ detail: `There is no bot named "${name}" in the simulator.` }, 404);
  if (bot.kind !== "url") {
    return c.json(
      {
        detail: `"${name}" is run by the simulator itself and has no access key; its settings are its own and cannot be synced.`,
      },
      401,
    );
  }
  if (!bot.hasAccessKey) {
    return c.json(
      {
        detail: `Bot "${name}" was registered without an access key, so its settings cannot be synced. Register it with its key: --bot ${name}=URL#KEY (or give the key on the page).`,
      },
      401,
    );
  }
  if (!context.registry.keyMatches(name, key)) {
    return c.json(
      {
        detail: `The access key in the URL is not the key bot "${name}" was registered with in the simulator.`,
      },
      401,
    );
  }
  return null;
}
