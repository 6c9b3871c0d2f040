import type { BotRecord } from "@poekit/simulator";
import type { Colors } from "../terminal.js";

/** What the banner of `poekit sim` needs to know. */
export interface BannerInput {
  simulator: { url: string; bots: readonly BotRecord[] };
  host: string;
}

/**
 * The lines `poekit sim` prints once it runs: where it listens, each bot (with the key it is sent when
 * it was given none, and any settings failure), and a warning when it listens beyond this machine.
 * @example
 * console.log(simBanner(running, colorsFor(process.stdout)));
 */
export function simBanner(running: BannerInput, colors: Colors): string {
  const { simulator } = running;
  const lines = [`${colors.bold("poekit simulator")} on ${colors.cyan(simulator.url)}`];
  for (const bot of simulator.bots) {
    // A made-up key may be shown: the bot accepts any. A key the user gave never is.
    const key =
      bot.kind === "url" && bot.generatedAccessKey !== null
        ? colors.dim(`  (no key given; sent ${bot.generatedAccessKey})`)
        : "";
    const problem = bot.settingsError ? colors.yellow(`  (settings: ${bot.settingsError})`) : "";
    lines.push(`  ${bot.name.padEnd(20)} ${colors.dim(bot.url)}${key}${problem}`);
  }
  if (!["127.0.0.1", "localhost", "::1"].includes(running.host)) {
    lines.push(
      colors.yellow(
        `warning: listening on ${running.host}: anyone who can reach this machine can use the simulator and its bots.`,
      ),
    );
  }
  lines.push(
    colors.dim(`Bots reach Poe's APIs here with POE_API_BASE_URL=${simulator.url}   (Ctrl-C stops)`),
  );
  return lines.join("\n");
}
