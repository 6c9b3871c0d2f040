import { PROTOCOL_VERSION } from "poekit";
import { botRequestHeaders, type ExchangeTarget, fetchFor } from "../query/target.js";
import { normalizeSettings } from "./settings.js";

/** How long a bot gets to answer a settings request. */
const SETTINGS_TIMEOUT_MS = 10_000;

/** The outcome of asking a bot for its settings. */
export type SettingsFetch =
  | { ok: true; settings: Record<string, unknown> }
  | {
      ok: false;
      error: string /** The bot answered 501: it has no settings, defaults apply. */;
      notImplemented: boolean;
    };

/**
 * Sends `{"type": "settings"}` to the bot as Poe does and checks the answer. Never throws: a failure
 * is described so that it can be shown beside the bot, and Poe keeps the previous settings then.
 *
 * @example
 * const result = await fetchBotSettings(target);
 * if (!result.ok) console.log(result.error);
 */
export async function fetchBotSettings(target: ExchangeTarget): Promise<SettingsFetch> {
  const headers = botRequestHeaders(target, "application/json");
  let response: Response;
  try {
    response = await fetchFor(target)(target.url, {
      method: "POST",
      headers,
      body: JSON.stringify({ version: PROTOCOL_VERSION, type: "settings" }),
      signal: AbortSignal.timeout(SETTINGS_TIMEOUT_MS),
    });
  } catch (error) {
    return { ok: false, notImplemented: false, error: `Could not reach ${target.url}: ${describe(error)}` };
  }
  const text = await response.text().catch(() => "");
  if (response.status === 501) {
    return {
      ok: false,
      notImplemented: true,
      error: "The bot answered 501: it has no settings, Poe's defaults apply.",
    };
  }
  if (response.status !== 200) {
    return {
      ok: false,
      notImplemented: false,
      error: `The settings request got HTTP ${response.status}: ${text.slice(0, 500)}`,
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return {
      ok: false,
      notImplemented: false,
      error: `The settings answer is not JSON: ${text.slice(0, 200)}`,
    };
  }
  if (typeof json !== "object" || json === null || Array.isArray(json))
    return { ok: false, notImplemented: false, error: "The settings answer is not a JSON object." };
  try {
    normalizeSettings(json as Record<string, unknown>);
  } catch (error) {
    return { ok: false, notImplemented: false, error: describe(error) };
  }
  return { ok: true, settings: json as Record<string, unknown> };
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : "";
    return `${error.message}${cause}`;
  }
  return String(error);
}
