import { UserError } from "./user-error.js";

/**
 * The bot URL a command was given, when it is an http(s) URL; otherwise a {@link UserError} saying
 * what to give instead.
 * @example
 * parseBotUrl("http://127.0.0.1:8080/"); // URL { href: "http://127.0.0.1:8080/" }
 */
export function parseBotUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UserError(
      `${JSON.stringify(url)} is not a URL; give the bot's full address, like http://127.0.0.1:8080/.`,
    );
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new UserError(
      `${JSON.stringify(url)} is not an http or https URL; give the bot's address, like http://127.0.0.1:8080/.`,
    );
  }
  return parsed;
}
