import { PROTOCOL_VERSION } from "poekit/protocol";
import { readCappedBody } from "../query/read-capped-body.js";
import { botRequestHeaders, type ExchangeTarget, fetchFor } from "../query/target.js";
import { describeFailure } from "../query/violation-messages.js";
import { normalizeSettings } from "./settings.js";

/** How long a bot gets to answer a settings request. */
const SETTINGS_TIMEOUT_MS = 10_000;

/** The largest settings answer read: settings are a few kilobytes, and a bot must not fill the memory. */
export const MAX_SETTINGS_BYTES = 1024 * 1024;

/** The outcome of asking a bot for its settings. */
export type SettingsFetch =
  | { ok: true; settings: Record<string, unknown> }
  | {
      ok: false;
      error: string;
      /** The bot answered 501: it has no settings, defaults apply. */
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
    return failure(`Could not reach ${target.url}: ${describeFailure(error)}`);
  }
  if (response.status === 501) {
    await response.body?.cancel().catch(() => undefined);
    return {
      ok: false,
      notImplemented: true,
      error: "The bot answered 501: it has no settings, Poe's defaults apply.",
    };
  }
  let body: Uint8Array | null;
  try {
    body = await readCappedBody(response, MAX_SETTINGS_BYTES);
  } catch (error) {
    return failure(`The settings answer broke off: ${describeFailure(error)}`);
  }
  const text = body === null ? "" : new TextDecoder().decode(body);
  if (response.status !== 200) {
    return failure(`The settings request got HTTP ${response.status}: ${text.slice(0, 500)}`);
  }
  if (body === null) {
    return failure(`The settings answer is larger than ${MAX_SETTINGS_BYTES / (1024 * 1024)} MB.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return failure(`The settings answer is not JSON: ${text.slice(0, 200)}`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json))
    return failure("The settings answer is not a JSON object.");
  try {
    normalizeSettings(json as Record<string, unknown>);
  } catch (error) {
    return failure(describeFailure(error));
  }
  return { ok: true, settings: json as Record<string, unknown> };
}

function failure(error: string): SettingsFetch {
  return { ok: false, notImplemented: false, error };
}
