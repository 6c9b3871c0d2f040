import type { Command } from "commander";
// A type-only import, gone from the built file: the action still loads only when the command runs.
import type { SyncSettingsFlags } from "./sync-settings-action.js";

const EXAMPLES = `
Examples:
  $ POE_ACCESS_KEY=<key> poekit sync-settings MyBot --module bot.ts
      send the settings bot.ts's getSettings returns to Poe for the bot named MyBot
  $ poekit sync-settings MyBot --settings settings.json --access-key <key>
      send the settings in a JSON file
  $ poekit sync-settings MyBot --access-key <key>
      ask Poe to fetch the settings from the bot server itself (it must be running and reachable)
  $ POE_API_BASE_URL=http://127.0.0.1:7777/ poekit sync-settings MyBot --module bot.ts
      send them to the simulator instead of Poe

The key is the bot's access key from its settings page on Poe; it is never printed.`;

/**
 * Adds `poekit sync-settings <bot-name>` to the program. What it does is loaded only when it runs.
 * @example
 * addSyncSettingsCommand(new Command("poekit"));
 */
export function addSyncSettingsCommand(program: Command): void {
  program
    .command("sync-settings")
    .summary("send a bot's settings to Poe (or the simulator)")
    .description(
      "Send a bot's settings to Poe, taken from a bot module's getSettings or a JSON file, or ask Poe to fetch them from the bot server. Goes to the simulator when POE_API_BASE_URL is set. Prints what was sent and what came back.",
    )
    .argument("<bot-name>", "the bot's name on Poe (or in the simulator)")
    .option("--access-key <key>", "the bot's 32-character access key (default: $POE_ACCESS_KEY)")
    .option("--module <module>", "a bot module whose getSettings gives the settings (as for poekit serve)")
    .option("--settings <file>", "a JSON file with the settings")
    .option(
      "--base-url <url>",
      "the bot API base, e.g. http://127.0.0.1:7777/bot/ (default: $POE_API_BASE_URL/bot/, else Poe's)",
    )
    .option("--timeout <seconds>", "how long to wait for an answer", "15")
    .addHelpText("after", EXAMPLES)
    .action(async (botName: string, flags: SyncSettingsFlags) => {
      const { syncSettingsAction } = await import("./sync-settings-action.js");
      await syncSettingsAction(botName, flags);
    });
}
