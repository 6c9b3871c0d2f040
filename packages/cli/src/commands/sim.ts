import {
  DEFAULT_DB_PATH,
  DEFAULT_FILE_TTL_SECONDS,
  DEFAULT_SIMULATOR_PORT,
} from "@poekit/simulator/defaults";
import type { Command } from "commander";
// A type-only import, gone from the built file: the action still loads only when the command runs.
import type { SimFlags } from "./sim-action.js";

const EXAMPLES = `
Examples:
  $ poekit sim
      the simulator with its built-in bots (Echo, ScriptedLLM) on http://127.0.0.1:${DEFAULT_SIMULATOR_PORT}
  $ poekit sim examples/echo examples/function-calling
      also serves these bot modules and registers them (each answers at /<folder name>)
  $ poekit sim --bot MyBot=http://127.0.0.1:8080/#<access key>
      registers a bot server that is already running
  $ POEKIT_MODEL_API_KEY=sk-... poekit sim --model GPT-4o-Mini=https://api.openai.com/v1#gpt-4o-mini
      a bot name answered by an OpenAI-compatible endpoint
  $ poekit sim examples/function-calling --alias GPT-4o-Mini=ScriptedLLM
      the function-calling example, offline: its model calls are answered by the scripted model
  $ poekit sim --db :memory:
      keep nothing on disk

Bots served or registered here reach the simulator's bot query API, file upload, settings sync and cost
calls when POE_API_BASE_URL points at it (set for you for modules served by poekit sim). Variables in
./.env are loaded first (those already in the environment win).`;

/**
 * Adds `poekit sim [module...]` to the program. What it does is loaded only when it runs.
 * @example
 * addSimCommand(new Command("poekit"));
 */
export function addSimCommand(program: Command): void {
  program
    .command("sim")
    .summary("run a local Poe: chat page, inspector and Poe's APIs")
    .description(
      "Run the simulator: a local stand-in for Poe with a chat page, a protocol inspector, the bot query API, file upload, settings sync and cost calls. Modules given are served on a free port and registered.",
    )
    .argument("[module...]", "bot modules to serve and register (as for poekit serve)")
    .option(
      "-p, --port <port>",
      `port of the chat page and APIs (default: ${DEFAULT_SIMULATOR_PORT}; 0 picks a free one)`,
    )
    .option(
      "--host <host>",
      "address to listen on; anything but 127.0.0.1 exposes your bots to the network",
      "127.0.0.1",
    )
    .option("--db <file>", "SQLite file for bots and conversations, or :memory:", DEFAULT_DB_PATH)
    .option("--bot <NAME=URL#KEY>", "register a running bot server (repeatable; #KEY optional)", collect, [])
    .option(
      "--model <NAME=URL#MODEL>",
      "a bot answered by an OpenAI-compatible endpoint; key from $POEKIT_MODEL_API_KEY (repeatable)",
      collect,
      [],
    )
    .option(
      "--alias <NAME=BUILTIN>",
      "answer NAME with a built-in bot, so bots that call Poe models run offline (repeatable; e.g. GPT-4o-Mini=ScriptedLLM)",
      collect,
      [],
    )
    .option(
      "--vision-model <NAME>",
      "the bot that describes images for bots with enable_image_comprehension (default: from the image's metadata)",
    )
    .option("--file-ttl <seconds>", "how long file URLs work", String(DEFAULT_FILE_TTL_SECONDS))
    .option("--balance <milli-cents>", "balance of a new database for cost calls (1000000 = $10)")
    .option("--dotenv <file>", "load environment variables from this file rather than ./.env")
    .option("--no-dotenv", "do not load ./.env")
    .addHelpText("after", EXAMPLES)
    .action(async (modules: string[], flags: SimFlags) => {
      const { simAction } = await import("./sim-action.js");
      await simAction(modules, flags);
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
