import type { Command } from "commander";

/** The flags of `poekit serve`, as commander parses them. */
export interface ServeFlags {
  port?: string;
  host: string;
  accessKey?: string;
  botName?: string;
  allowWithoutKey?: boolean;
  grace?: string;
  /** false with --no-sync-settings. */
  syncSettings?: boolean;
  /** A whole number of processes, or "auto". */
  workers?: string;
}

/** The port `poekit serve` listens on when neither `--port` nor `PORT` is given. */
export const DEFAULT_PORT = 8080;

/** How long open responses may go on after Ctrl-C or SIGTERM when `--grace` is not given. */
export const DEFAULT_GRACE_SECONDS = 10;

/** An option of `poekit serve`, in commander's terms. */
export interface ServeOption {
  /** Commander's syntax: `-p, --port <port>`, `--allow-without-key`, `--no-sync-settings`. */
  flags: string;
  description: string;
  defaultValue?: string;
}

/** The options of `poekit serve`, in the order help lists them; parseServeArgs reads them too. */
export const SERVE_OPTIONS: readonly ServeOption[] = [
  { flags: "-p, --port <port>", description: `port to listen on (default: $PORT, else ${DEFAULT_PORT})` },
  {
    flags: "--host <host>",
    description: "address to listen on; 127.0.0.1 accepts this machine only",
    defaultValue: "0.0.0.0",
  },
  {
    flags: "--access-key <key>",
    description: "the bot's 32-character access key from its settings page on Poe (default: $POE_ACCESS_KEY)",
  },
  {
    flags: "--bot-name <name>",
    description: "the bot's name on Poe, for a single bot (its settings are synced at start-up)",
  },
  {
    flags: "--allow-without-key",
    description: "serve bots that have no access key, accepting any request (local testing)",
  },
  {
    flags: "--grace <seconds>",
    description: `on Ctrl-C or SIGTERM, how long open responses may go on before they are ended (default: ${DEFAULT_GRACE_SECONDS})`,
  },
  {
    flags: "--no-sync-settings",
    description: "do not send the settings of bots that have a botName and an access key to Poe at start-up",
  },
  {
    flags: "--workers <count>",
    description:
      "how many processes serve on the same port (node:cluster), or auto for one per CPU (default: 1)",
  },
];

const EXAMPLES = `
Examples:
  $ poekit serve examples/echo --allow-without-key
      serve the echo bot on http://127.0.0.1:8080/ for local testing, without an access key
  $ POE_ACCESS_KEY=<32 characters> poekit serve bot.ts --port 3000
      serve bot.ts on port 3000; requests must carry "Authorization: Bearer <key>"
  $ poekit serve bot.ts --access-key <key> --bot-name MyBot
      serve bot.ts and send its settings to Poe for the bot named MyBot
  $ poekit serve examples/* --allow-without-key
      serve several bots on one server, each on /<folder or file name>
  $ poekit serve bot.ts --workers auto
      serve bot.ts from one process per CPU, all on the same port

Each module must default-export a PoeBot instance (export default new MyBot()) or an array of them.`;

/**
 * Adds `poekit serve <module...>` to the program. What it does is loaded only when it runs.
 * @example
 * addServeCommand(new Command("poekit"));
 */
export function addServeCommand(program: Command): void {
  const command = program
    .command("serve")
    .summary("serve bots over HTTP, as Poe calls them")
    .description(
      "Serve one or more bots over HTTP, the way Poe calls them. Several modules share one server, and a bot on / moves to /<folder or file name>.",
    )
    .argument(
      "<module...>",
      "a .ts, .mts, .js or .mjs file, or a folder with an index.ts or index.js (or a package.json main)",
    );
  for (const { flags, description, defaultValue } of SERVE_OPTIONS) {
    command.option(flags, description, defaultValue);
  }
  command.addHelpText("after", EXAMPLES).action(async (modules: string[], flags: ServeFlags) => {
    const { serveAction } = await import("./serve-action.js");
    await serveAction(modules, flags);
  });
}
