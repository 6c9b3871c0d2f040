/**
 * The wording of each violation: what the bot did wrong and what Poe does about it. Kept in one
 * place so the inspector and the bot's `report_error` read alike.
 */

const QUOTED_DATA_CHARS = 200;

/** `text` cut to `limit` characters, marked when cut. */
export function clip(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function bodyPart(body: string): string {
  return body === "" ? " The body was empty." : ` The body began: ${body}`;
}

/** Sentences for each rule, by the situation that breaks it. */
export const violationMessages = {
  httpStatus: (status: number, body: string) =>
    `The bot answered the query with HTTP status ${status} instead of 200; Poe shows the user an error instead of an answer.${bodyPart(body)}`,
  contentType: (contentType: string | null, body: string) =>
    `The bot answered with ${contentType === null ? "no content type" : `content type "${contentType}"`} instead of text/event-stream; Poe cannot read such a response and shows the user an error.${bodyPart(body)}`,
  firstByteTimeout: (limitMs: number) =>
    `The bot sent no response headers within ${seconds(limitMs)}; Poe gives up at that point and shows the user an error. Send the headers at once and stream the answer afterwards.`,
  totalTimeout: (limitMs: number) =>
    `The response was not complete (no "done" event) within ${seconds(limitMs)}; Poe ends the request at that point and shows the user an error.`,
  metaNotFirst: (position: number) =>
    `A "meta" event arrived as event ${position} of the response; Poe applies "meta" only as the first event, so it ignored this one.`,
  invalidJson: (event: string, data: string) =>
    `The data of a "${event}" event is not valid JSON; Poe stops reading the response and treats it as failed. The data was: ${clip(data, QUOTED_DATA_CHARS)}`,
  invalidEventData: (event: string, field: string, problem: string, data: string) =>
    `The data of a "${event}" event has the wrong shape (${field}: ${problem}); Poe cannot use such an event and ignores it. The data was: ${clip(data, QUOTED_DATA_CHARS)}`,
  unknownEvent: (event: string) =>
    `"${clip(event, 100)}" is not an event of the Poe protocol; Poe ignores unknown events and goes on reading.`,
  noTextOrError: () =>
    `The response contained no "text", "replace_response" or "error" event; Poe treats a response without content as an error.`,
  missingDone: () =>
    `The response ended without a "done" event; Poe treats a response that stops without "done" as incomplete.`,
  eventAfterDone: (what: string) =>
    `The bot sent ${what} after the "done" event; "done" must be the last event, and Poe closes the connection when it arrives, so anything after it is lost.`,
  tooManyCharacters: (limit: number) =>
    `The response text is longer than ${limit.toLocaleString("en-US")} characters, the most Poe accepts in one response.`,
  hardStop: (factor: number) =>
    `The response went on to ${factor} times Poe's limit; the simulator stopped reading it there.`,
  tooManyEvents: (limit: number) =>
    `The response has more than ${limit.toLocaleString("en-US")} events, the most Poe accepts in one response; the inspector records no further events.`,
  eventTooLarge: (limitBytes: number) =>
    `An event grew beyond ${limitBytes.toLocaleString("en-US")} bytes without ending; the stream was abandoned there, as Poe would abandon a malformed response.`,
  couldNotConnect: (url: string, reason: string) =>
    `The request to the bot at ${url} failed before any response arrived (${reason}); Poe shows the user an error.`,
  connectionBroke: (reason: string) =>
    `The connection broke while the response was streaming (${reason}); Poe treats the response as failed.`,
  closedMidEvent: () =>
    `The bot closed the connection in the middle of an event; the unfinished event is lost and Poe treats the response as failed.`,
} as const;

/** A short description of why a request or a read failed, with the network error's code when known. */
export function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  const detail =
    typeof cause?.code === "string" ? cause.code : typeof cause?.message === "string" ? cause.message : null;
  return detail === null || error.message.includes(detail) ? error.message : `${error.message}: ${detail}`;
}
