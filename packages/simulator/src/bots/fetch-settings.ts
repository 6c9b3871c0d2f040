import { PROTOCOL_VERSION } from "poekit/protocol";
import { readCappedBody } from "../query/read-capped-body.js";
import { botRequestHeaders, type ExchangeTarget, fetchFor } from "../query/target.js";
import { describeFailure } from "../query/violation-messages.js";
import { normalizeSettings } from "./settings.js";

/** How long a bot gets to answer a settings request. */
export const SETTINGS_TIMEOUT_MS = 10_000;

/** The largest settings answer read: settings are a few kilobytes, and a bot must not fill the memory. */
export const MAX_SETTINGS_BYTES = 1024 * 1024;

/** The outcome of asking a bot for its settings. */
export type SettingsFetch =
  | { ok: true; settings: Record<string, unknown> }
  | {
      ok: false;
      /** What was wrong and how to fix it, as sentences. */
      error: string;
      /** The bot answered 501: it has no settings, defaults apply. */
      notImplemented: boolean;
      /**
       * The bot answered (or took too long to): a reply of the wrong shape, which Poe reports to the
       * bot with `report_error`. False when no connection could be made, or the fetch was cancelled.
       */
      answered: boolean;
    };

const HOW_TO_ANSWER =
  'Answer a "settings" request with HTTP 200 and the settings as a JSON object, e.g. {"response_version": 2}, or 501 when the bot has none.';

/**
 * Sends `{"type": "settings"}` to the bot as Poe does and checks the answer. Never throws: a failure
 * is described (what was wrong, and how to fix it) so that it can be shown beside the bot, and Poe
 * keeps the previous settings then.
 *
 * @example
 * const result = await fetchBotSettings(target);
 * if (!result.ok) console.log(result.error);
 */
export async function fetchBotSettings(target: ExchangeTarget, signal?: AbortSignal): Promise<SettingsFetch> {
  const headers = botRequestHeaders(target, "application/json");
  const timeout = AbortSignal.timeout(SETTINGS_TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetchFor(target)(target.url, {
      method: "POST",
      headers,
      body: JSON.stringify({ version: PROTOCOL_VERSION, type: "settings" }),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
  } catch (error) {
    if (timeout.aborted) {
      return wrongShape(
        `The bot did not answer the settings request within ${SETTINGS_TIMEOUT_MS / 1000} s. Answer it at once: settings do not depend on the user.`,
      );
    }
    return {
      ok: false,
      notImplemented: false,
      answered: false,
      error: `Could not reach ${target.url}: ${describeFailure(error)}`,
    };
  }
  if (response.status === 501) {
    await response.body?.cancel().catch(() => undefined);
    return {
      ok: false,
      notImplemented: true,
      answered: true,
      error: "The bot answered 501: it has no settings, Poe's defaults apply.",
    };
  }
  let body: Uint8Array | null;
  try {
    body = await readCappedBody(response, MAX_SETTINGS_BYTES);
  } catch (error) {
    return wrongShape(`The settings answer broke off: ${describeFailure(error)}. ${HOW_TO_ANSWER}`);
  }
  const text = body === null ? "" : new TextDecoder().decode(body);
  if (response.status !== 200) {
    return wrongShape(
      `The settings request got HTTP ${response.status}: ${text.slice(0, 500)} ${HOW_TO_ANSWER}`,
    );
  }
  if (body === null) {
    return wrongShape(
      `The settings answer is larger than ${MAX_SETTINGS_BYTES / (1024 * 1024)} MB. Settings are a few kilobytes: check what the bot sends.`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return wrongShape(`The settings answer is not JSON: ${text.slice(0, 200)} ${HOW_TO_ANSWER}`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json))
    return wrongShape(`The settings answer is not a JSON object. ${HOW_TO_ANSWER}`);
  try {
    normalizeSettings(json as Record<string, unknown>);
  } catch (error) {
    return wrongShape(
      `${describeFailure(error)}. Fix that field in the settings the bot returns (its getSettings).`,
    );
  }
  return { ok: true, settings: json as Record<string, unknown> };
}

function wrongShape(error: string): SettingsFetch {
  return { ok: false, notImplemented: false, answered: true, error };
}
