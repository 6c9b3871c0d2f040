/** What a placeholder's value may come from: the output of a command the walk is running. */
export interface PlaceholderContext {
  /** The output so far of the running background block whose commands include `command`. */
  outputOf(command: string): string;
}

/** The access key the walk gives the deployed bot: any 32 characters do, as for a bot on Poe. */
export const BOT_ACCESS_KEY = "quick-start-access-key-".padEnd(32, "0");

/**
 * The quick start's placeholders, and what the walk writes in their place. A placeholder the table
 * does not know fails the walk, so a new one is given a value here.
 */
export const PLACEHOLDERS: Readonly<Record<string, (context: PlaceholderContext) => string>> = {
  "<the bot's access key>": () => BOT_ACCESS_KEY,
  // poekit dev makes a key for each session and prints it on its start line.
  "<the access key npm run dev printed>": (context) => {
    const printed = /with access key (\w+)/.exec(context.outputOf("npm run dev"));
    if (!printed?.[1]) throw new Error("npm run dev printed no access key.");
    return printed[1];
  },
};

/**
 * Replaces each `<placeholder>` of a block (a `<` and a letter, up to the next `>` on its line: not a
 * redirection) with its value.
 * @example
 * fillPlaceholders("curl -H 'authorization: Bearer <the bot's access key>'", context);
 */
export function fillPlaceholders(
  code: string,
  context: PlaceholderContext,
  table: Readonly<Record<string, (context: PlaceholderContext) => string>> = PLACEHOLDERS,
): string {
  return code.replace(/<[a-z][^<>\n]*>/gi, (placeholder) => {
    const value = table[placeholder];
    if (!value) throw new Error(`${placeholder} has no value in docs/quick-start/placeholders.ts.`);
    return value(context);
  });
}
