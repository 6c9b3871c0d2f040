import { DEFAULT_DB_PATH, DEFAULT_SIMULATOR_PORT } from "@poekit/simulator/defaults";
import type { Command } from "commander";
import { DEFAULT_PORT } from "../dev/default-port.js";
// A type-only import, gone from the built file: the action still loads only when the command runs.
import type { DevFlags } from "./dev-action.js";

const EXAMPLES = `
Examples:
  $ poekit dev examples/echo
      serve the echo bot with reload on save, and chat with it in the simulator's page
  $ poekit dev bot.ts --port 3000 --sim-port 0
      the bot on port 3000, the simulator on a free port
  $ poekit dev examples/function-calling --alias GPT-4o-Mini=ScriptedLLM
      a bot that calls GPT-4o-Mini, answered offline by the simulator's scripted model

The bot runs in a process of its own with POE_API_BASE_URL pointing at the simulator, so its calls to
other bots, file uploads and settings reach the simulator. On each save of a .ts, .js or .json file in
the module's folder, a new process starts; once it loads (and, with a tsconfig.json, type-checks),
new requests go to it while the previous one finishes the answers it is streaming. Variables in ./.env
are loaded first (those already in the environment win); the bot's process has them too.`;

/**
 * Adds `poekit dev <module>` to the program. What it does is loaded only when it runs.
 * @example
 * addDevCommand(new Command("poekit"));
 */
export function addDevCommand(program: Command): void {
  program
    .command("dev")
    .summary("serve a bot with reload on save, and chat with it in the simulator")
    .description(
      "Serve a bot with reload on save, start the simulator with the bot registered, and print the address of a chat with it. A save that does not load or type-check leaves the previous version serving.",
    )
    .argument(
      "<module>",
      "a .ts, .mts, .js or .mjs file, or a folder with an index.ts or index.js (as for poekit serve)",
    )
    .option(
      "-p, --port <port>",
      `port of the bot on 127.0.0.1 (default: ${DEFAULT_PORT}; 0 picks a free one)`,
    )
    .option(
      "--sim-port <port>",
      `port of the simulator's chat page and APIs (default: ${DEFAULT_SIMULATOR_PORT}; 0 picks a free one)`,
    )
    .option("--db <file>", "SQLite file for bots and conversations, or :memory:", DEFAULT_DB_PATH)
    .option(
      "--model <NAME=URL#MODEL>",
      "a bot answered by an OpenAI-compatible endpoint; key from $POEKIT_MODEL_API_KEY (repeatable)",
      collect,
      [],
    )
    .option(
      "--alias <NAME=BUILTIN>",
      "answer NAME with a built-in bot, so bots that call Poe models run offline (repeatable)",
      collect,
      [],
    )
    .option("--no-type-check", "reload without type-checking, even with a tsconfig.json")
    .option(
      "--poll",
      "watch by polling the folder, for bind mounts and shares that report no changes (also POEKIT_POLL=1)",
    )
    .option("--dotenv <file>", "load environment variables from this file rather than ./.env")
    .option("--no-dotenv", "do not load ./.env")
    .addHelpText("after", EXAMPLES)
    .action(async (module: string, flags: DevFlags) => {
      const { devAction } = await import("./dev-action.js");
      await devAction(module, flags);
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
