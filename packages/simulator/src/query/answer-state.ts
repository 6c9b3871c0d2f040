import {
  type Answer,
  type AnswerRecords,
  emptyAnswer,
  errorAllowsRetry,
  foldAnswer,
  type ResponseEvent,
} from "poekit/protocol";
import type { MessageError, MessageFile } from "../model.js";

/**
 * What the page shows of a bot's answer, built from its events by poekit's `foldAnswer`, with files
 * and the error kept as the simulator stores them.
 */
export type AnswerState = Answer<MessageFile, MessageError>;

/** An answer before any event: empty Markdown. */
export function createAnswer(): AnswerState {
  return emptyAnswer();
}

/**
 * Applies one more event to `answer`, in place, and returns it (see `foldAnswer`). Expects events as
 * `runExchange` passes them on: valid, and `meta` only as the first; `json` changes nothing.
 * @example
 * const answer = createAnswer();
 * applyEvent(answer, { event: "text", data: { text: "Hello" } });
 */
export function applyEvent(answer: AnswerState, event: ResponseEvent): AnswerState {
  return foldAnswer(answer, event, AS_STORED);
}

const AS_STORED: AnswerRecords<MessageFile, MessageError> = {
  file: (data) => ({
    // The store's business: whoever keeps the message recognises URLs the simulator serves itself.
    fileId: null,
    url: data.url,
    name: data.name,
    contentType: data.content_type,
    inlineRef: data.inline_ref ?? null,
  }),
  error: (data) => {
    const raw = data.raw_response;
    return {
      text: data.text ?? "",
      allowRetry: errorAllowsRetry(data),
      errorType: data.error_type ?? null,
      rawResponse:
        raw === undefined || raw === null ? null : typeof raw === "string" ? raw : JSON.stringify(raw),
    };
  },
};
