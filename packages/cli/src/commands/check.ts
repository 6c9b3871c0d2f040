import type { Command } from "commander";
// A type-only import, gone from the built file: the action still loads only when the command runs.
import type { CheckFlags } from "./check-action.js";

const EXAMPLES = `
Examples:
  $ poekit check http://127.0.0.1:8080/ --access-key <key>
      every check against a bot served locally (the key is never printed)
  $ POE_ACCESS_KEY=<key> poekit check https://my-bot.example.com/poe --json > check.json
      in CI: one JSON document on stdout; the exit code is 1 when a check failed
  $ poekit check http://127.0.0.1:8080/ --only auth,query-done
      only the authentication checks and query-done

Checks pass, warn (works on Poe, but deviates from the protocol or good practice), fail (Poe would
show an error, or the bot is insecure) or are skipped. Every check is described in docs/check.md.`;

/**
 * Adds `poekit check <url>` to the program. What it does is loaded only when it runs.
 * @example
 * addCheckCommand(new Command("poekit"));
 */
export function addCheckCommand(program: Command): void {
  program
    .command("check")
    .summary("check a bot server, in any language, against the Poe protocol")
    .description(
      "Send real requests to a bot server as Poe does and grade every answer against the protocol: the page, settings, reports, authentication, the query's event stream and its timings, long conversations, attachments, forward compatibility and malformed bodies.",
    )
    .argument("<url>", "the bot's URL, e.g. http://127.0.0.1:8080/ (the path matters with several bots)")
    .option("--access-key <key>", "the bot's access key (default: $POE_ACCESS_KEY); never printed")
    .option("--json", "print one JSON document for CI instead of the report")
    .option(
      "--only <names>",
      "run only these checks or groups (repeatable, or comma-separated)",
      (value: string, previous: string[]) => [...previous, value],
      [],
    )
    .option("--timeout <seconds>", "how long a query may take to finish (default: Poe's limit, 600)")
    .addHelpText("after", EXAMPLES)
    .action(async (url: string, flags: CheckFlags) => {
      const { checkAction } = await import("./check-action.js");
      await checkAction(url, flags);
    });
}
