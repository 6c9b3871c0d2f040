/**
 * Poe's documented limits. The server flags responses that break them; the simulator and
 * `poekit check` grade against them.
 * @example
 * if (countCharacters(answer) > MAX_RESPONSE_CHARACTERS) console.warn("Poe will cut this answer");
 */

/** Poe gives up on a bot that has not started its response within 5 seconds. */
export const FIRST_RESPONSE_TIMEOUT_MS = 5_000;
/** Poe ends a response that is not complete within 600 seconds. */
export const TOTAL_RESPONSE_TIMEOUT_MS = 600_000;
/** The total length of a response's text (all `text` events together), in code points: see `countCharacters`. */
export const MAX_RESPONSE_CHARACTERS = 100_000;
/** The number of events in one query response. */
export const MAX_RESPONSE_EVENTS = 10_000;
/** Poe may truncate a conversation beyond this many messages. */
export const MAX_CONVERSATION_MESSAGES = 1_000;
/** Calls to other bots through the bot query API, per user message, over all dependencies. */
export const MAX_BOT_CALLS_PER_MESSAGE = 10;
/** Files a bot may attach to one message. */
export const MAX_OUTPUT_FILES_PER_MESSAGE = 20;
/** The size of one file a bot attaches. */
export const MAX_OUTPUT_FILE_BYTES = 50 * 1024 * 1024;
/** Poe access keys are exactly this many characters. */
export const ACCESS_KEY_LENGTH = 32;
/** Interval of the keep-alive comment on a silent stream. */
export const PING_INTERVAL_MS = 15_000;
/** Default limit on a request body accepted by the server (ours, not Poe's). */
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
