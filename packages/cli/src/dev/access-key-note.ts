import type { ServedBot } from "./bot-process-messages.js";

/**
 * The words of `poekit dev`'s start line that say which key requests to the bot must carry. The
 * session's key is printed in full: poekit dev made it for this run, on loopback only, and `curl` or
 * `poekit check` against the bot need it. A key a bot brings itself may be its real one: never shown.
 * @example
 * accessKeyNote([{ name: "echo", path: "/", accessKey: "3f9c…" }], "3f9c…"); // "with access key 3f9c…"
 */
export function accessKeyNote(bots: readonly ServedBot[], sessionKey: string): string {
  const own = bots.filter((bot) => bot.accessKey !== sessionKey);
  if (own.length === 0) return `with access key ${sessionKey}`;
  if (own.length === bots.length)
    return own.length === 1 ? "with its own access key" : "with their own access keys";
  const names = own.map((bot) => bot.name).join(", ");
  return `with access key ${sessionKey} (${names} ${own.length === 1 ? "has its" : "have their"} own)`;
}
