import type { Command } from "commander";
// A type-only import, gone from the built file: the action still loads only when the command runs.
import type { ChatFlags } from "./chat-action.js";

const EXAMPLES = `
Examples:
  $ poekit chat http://127.0.0.1:8080/
      chat with a bot served by poekit serve (POE_ACCESS_KEY is sent when set)
  $ poekit chat http://127.0.0.1:8080/echo --access-key <key>
      chat with the bot on /echo, sending its access key
  $ printf 'hello\\n/clear\\nagain\\n' | poekit chat http://127.0.0.1:8080/
      send each line in turn, then exit

Type a message and press Enter; /help lists the commands. Protocol violations are shown in yellow and
reported to the bot with report_error, as Poe does.`;

/**
 * Adds `poekit chat <url>` to the program. What it does is loaded only when it runs.
 * @example
 * addChatCommand(new Command("poekit"));
 */
export function addChatCommand(program: Command): void {
  program
    .command("chat")
    .summary("chat with a running bot server in the terminal")
    .description(
      "Chat with a bot server in the terminal, sending requests as Poe does and checking every answer against the protocol. Reads lines from stdin, so a script can be piped in.",
    )
    .argument("<url>", "the bot's URL, e.g. http://127.0.0.1:8080/ (the path matters with several bots)")
    .option("--access-key <key>", "sent as Authorization: Bearer <key> (default: $POE_ACCESS_KEY)")
    .option("--user <id>", "the user_id of every request (default: a new one)")
    .addHelpText("after", EXAMPLES)
    .action(async (url: string, flags: ChatFlags) => {
      const { chatAction } = await import("./chat-action.js");
      await chatAction(url, flags);
    });
}
