import type { Logger } from "../core/logger.js";
import { keyMasker } from "../core/mask-key.js";
import { syncBotSettings } from "../core/poe-api/sync-bot-settings.js";
import { PROTOCOL_VERSION } from "../protocol/version.js";
import { incomingFromRequest } from "./incoming.js";
import { LazyAbort } from "./lazy-abort.js";
import type { PoeBot } from "./poe-bot.js";
import { LiveRequestContext } from "./request-context.js";

/**
 * Sends the settings of every bot that has both a name and an access key to Poe (`update_settings`),
 * as the server starts. Failures are logged as warnings, never thrown: a bot serves without it.
 * Resolves when every sync has ended; at once when no bot has both.
 * @example
 * const synced = syncSettingsAtStartup(app.bots.values(), logger);
 * await synced; // only tests and scripts wait for it
 */
export function syncSettingsAtStartup(bots: Iterable<PoeBot>, logger: Logger): Promise<void> {
  const syncs: Promise<void>[] = [];
  const names: string[] = [];
  for (const bot of bots) {
    const { botName, accessKey } = bot;
    if (accessKey === null) continue;
    if (!botName) {
      logger.info(
        `Settings of the bot at ${bot.path} are not synced to Poe: it has no botName. Set botName to sync them at start-up.`,
      );
      continue;
    }
    names.push(botName);
    syncs.push(syncOne(bot, botName, accessKey, logger));
  }
  if (syncs.length === 0) return Promise.resolve();
  // Said once, so an outgoing call to Poe is never a surprise; each sync then logs how it went.
  logger.info(`Syncing the settings of ${names.join(", ")} to Poe (syncSettings: false turns this off)`);
  return Promise.all(syncs).then(() => undefined);
}

async function syncOne(bot: PoeBot, botName: string, accessKey: string, logger: Logger): Promise<void> {
  try {
    // Let makeApp return before the bot's code runs.
    await Promise.resolve();
    // Through the context hook, as a settings request would go: a bot may override only that one.
    const request = incomingFromRequest(startupRequest(bot.path));
    const context = new LiveRequestContext(request, SETTINGS_BODY, new LazyAbort());
    const settings = await bot.getSettingsWithContext(
      { version: PROTOCOL_VERSION, type: "settings" },
      context,
    );
    await syncBotSettings(botName, accessKey, { settings });
    logger.info(`Settings of ${botName} synced to Poe`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    logger.warn(
      `Settings of ${botName} were not synced to Poe (the bot is served anyway): ${keyMasker(accessKey)(reason)}`,
    );
  }
}

/** The settings request the hooks see at start-up: there is no HTTP request, so one is made up. */
const SETTINGS_BODY = JSON.stringify({ version: PROTOCOL_VERSION, type: "settings" });

function startupRequest(path: string): Request {
  return new Request(new URL(path, "http://startup.poekit.invalid"), {
    method: "POST",
    headers: { "content-type": "application/json", "x-poekit-startup-sync": "1" },
    body: SETTINGS_BODY,
  });
}
