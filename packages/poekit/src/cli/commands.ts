// The commands of `poekit`, by the package they come with: what its help lists, and what the bin
// hands over to @poekit/cli.

/** A command of `poekit`, for its help. */
export interface CommandSummary {
  name: string;
  /** Its arguments, as usage shows them. */
  args: string;
  summary: string;
}

/** The commands that come with poekit itself: what a deployed bot needs. */
export const SDK_COMMANDS: readonly CommandSummary[] = [
  { name: "serve", args: "<module...>", summary: "serve bots over HTTP, as Poe calls them" },
];

/** The package of the development commands, and how to get it. */
export const CLI_PACKAGE = "@poekit/cli";
export const CLI_INSTALL = `npm install -D ${CLI_PACKAGE}`;

/** The commands of @poekit/cli: developing and testing, with the simulator, prompts and TypeScript. */
export const CLI_COMMANDS: readonly CommandSummary[] = [
  {
    name: "dev",
    args: "<module>",
    summary: "serve a bot with reload on save, and chat with it in the simulator",
  },
  { name: "sim", args: "[module...]", summary: "a local Poe: chat page, protocol inspector and Poe's APIs" },
  { name: "chat", args: "<url>", summary: "chat with a running bot server in the terminal" },
  { name: "check", args: "<url>", summary: "grade any bot server against the protocol" },
  { name: "new", args: "<dir>", summary: "a new bot project from a template (also npm create poekit)" },
  { name: "sync-settings", args: "<bot-name>", summary: "send a bot's settings to Poe" },
];
