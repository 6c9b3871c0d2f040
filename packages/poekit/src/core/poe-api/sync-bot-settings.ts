import { botBaseUrl } from "../../protocol/endpoints.js";
import type { SettingsResponse } from "../../protocol/settings-response.js";
import { PROTOCOL_VERSION } from "../../protocol/version.js";
import { startDeadline } from "../deadline.js";
import { describeFailure } from "../describe-failure.js";
import { HTTPError, InvalidParameterError, PoeError } from "../errors.js";
import { keyMasker } from "../mask-key.js";
import { serializeSettings } from "../serialize-settings.js";
import { type FetchLike, readBodyText, resolveFetch } from "./transport.js";

/** How long {@link syncBotSettings} waits for Poe by default. */
export const SYNC_SETTINGS_TIMEOUT_MS = 15_000;

/** Options of {@link syncBotSettings}. */
export interface SyncBotSettingsOptions {
  /**
   * The settings to send (update mode). Without them Poe is asked to fetch the settings from the
   * bot server itself (fetch mode), which must then be running and reachable by Poe.
   */
  settings?: SettingsResponse;
  /** The bot API base; default `$POE_API_BASE_URL/bot/`, else `https://api.poe.com/bot/`. */
  baseUrl?: string;
  /** The fetch to use; default the global one (or the `poekit/testing` override). */
  fetch?: FetchLike;
  /** Aborts the call; the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** How long to wait for Poe's answer, in ms; default 15 s. */
  timeoutMs?: number;
}

/** What {@link syncBotSettings} sent and what Poe answered. */
export interface SyncBotSettingsResult {
  /** `"update"` when the settings were sent, `"fetch"` when Poe was asked to fetch them. */
  mode: "fetch" | "update";
  /** The URL called, with the access key replaced by `***`. */
  url: string;
  /** The settings as sent (only the fields set, plus `response_version`); in fetch mode `undefined`. */
  settings: Record<string, unknown> | undefined;
  /** Poe's HTTP status (2xx). */
  status: number;
  /** Poe's answer: parsed JSON when it is JSON, else its text. */
  body: unknown;
}

const BODY_START_CHARS = 300;

/**
 * Tells Poe a bot's settings. With `settings`, sends them (`update_settings`; the bot server need not be
 * running); without, asks Poe to fetch them from the bot server (`fetch_settings`). Invalid settings are
 * refused before anything is sent. The access key never appears in errors: it is shown as `***`.
 * @example
 * const result = await syncBotSettings("MyBot", process.env.POE_ACCESS_KEY!, {
 *   settings: { introduction_message: "Hi!", server_bot_dependencies: { "GPT-4o": 1 } },
 * });
 * console.log(result.status, result.body);
 */
export async function syncBotSettings(
  botName: string,
  accessKey: string,
  options: SyncBotSettingsOptions = {},
): Promise<SyncBotSettingsResult> {
  if (typeof botName !== "string" || botName.trim() === "") {
    throw new InvalidParameterError("syncBotSettings needs the bot's name on Poe (botName).");
  }
  if (typeof accessKey !== "string" || accessKey === "") {
    throw new InvalidParameterError(
      "syncBotSettings needs the bot's access key (shown on the bot's settings page on Poe).",
    );
  }
  const mask = keyMasker(accessKey);
  const mode = options.settings === undefined ? "fetch" : "update";
  let settings: Record<string, unknown> | undefined;
  if (options.settings !== undefined) {
    const serialized = serializeSettings(options.settings);
    if (!serialized.ok) {
      throw new InvalidParameterError(
        mask(`The settings of bot ${botName} are invalid, so nothing was sent: ${serialized.detail}`),
      );
    }
    settings = serialized.settings;
  }
  const segments = [
    mode === "fetch" ? "fetch_settings" : "update_settings",
    botName,
    accessKey,
    PROTOCOL_VERSION,
  ];
  const url = botBaseUrl(options.baseUrl) + segments.map(encodeURIComponent).join("/");
  const shownUrl = mask(url);
  const init: RequestInit =
    settings === undefined
      ? { method: "POST", headers: { accept: "application/json" } }
      : {
          method: "POST",
          headers: { accept: "application/json", "content-type": "application/json" },
          body: JSON.stringify(settings),
        };
  const timeoutMs = options.timeoutMs ?? SYNC_SETTINGS_TIMEOUT_MS;
  const deadline = startDeadline(timeoutMs, options.signal);
  const fail = (error: unknown): unknown => {
    if (deadline.timedOut) {
      const hint =
        mode === "fetch"
          ? " Poe fetches the settings from the bot server while this call waits. Check that the bot server is running and reachable by Poe at the URL on the bot's settings page."
          : " Check the connection to Poe and try again.";
      return new PoeError(
        `Syncing the settings of bot ${botName} timed out after ${timeoutMs / 1000} s.${hint}`,
        "TIMEOUT",
      );
    }
    if (options.signal?.aborted) return options.signal.reason;
    return new PoeError(
      mask(
        `Could not reach Poe to sync the settings of bot ${botName} (${shownUrl}): ${describeFailure(error)}. Check the network connection and the base URL.`,
      ),
      "CONNECTION",
    );
  };

  try {
    let response: Response;
    try {
      response = await deadline.race(resolveFetch(options.fetch)(url, { ...init, signal: deadline.signal }));
    } catch (error) {
      throw fail(error);
    }
    if (!response.ok) {
      let body: string;
      try {
        body = mask(await deadline.race(readBodyText(response)));
      } catch (error) {
        throw fail(error);
      }
      throw new HTTPError(statusMessage(mode, botName, response, body), {
        status: response.status,
        body,
        url: shownUrl,
      });
    }
    let text: string;
    try {
      text = mask(await deadline.race(response.text()));
    } catch (error) {
      throw fail(error);
    }
    return {
      mode,
      url: shownUrl,
      settings,
      status: response.status,
      body: parseAnswer(text, response.headers.get("content-type")),
    };
  } finally {
    deadline.clear();
  }
}

function statusMessage(mode: "fetch" | "update", botName: string, response: Response, body: string): string {
  const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`;
  const answered = body.trim() === "" ? "Poe's answer was empty." : `Poe answered: ${bodyStart(body)}`;
  let check: string;
  if (response.status === 401 || response.status === 403 || response.status === 404) {
    check = "Check the bot name and the access key (both are on the bot's settings page on Poe).";
  } else if (mode === "fetch") {
    check =
      "Poe could not get the settings from the bot server: check that it is running, reachable by Poe at the URL on the bot's settings page, and answers settings requests.";
  } else if (response.status >= 500) {
    check = "Poe had a problem; try again later.";
  } else {
    check = "Check the settings sent against Poe's answer.";
  }
  const verb = mode === "fetch" ? "have Poe fetch" : "send";
  return `Could not ${verb} the settings of bot ${botName}: ${status}. ${check} ${answered}`;
}

function bodyStart(body: string): string {
  const trimmed = body.trim();
  return trimmed.length > BODY_START_CHARS ? `${trimmed.slice(0, BODY_START_CHARS)}…` : trimmed;
}

function parseAnswer(text: string, contentType: string | null): unknown {
  if (contentType?.includes("json") || /^\s*[[{]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      // Not JSON after all: the text is the answer.
    }
  }
  return text;
}
