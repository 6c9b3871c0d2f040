import type { ResponseEvent } from "poekit/protocol";
import type { MessageError, MessageFile } from "../model.js";

/** What the page shows of a bot's answer, built from its events. */
export interface AnswerState {
  content: string;
  contentType: "text/markdown" | "text/plain";
  suggestedReplies: string[];
  /** Files the bot attached with `file` events. */
  files: MessageFile[];
  /** The last `data` event's metadata. */
  metadata: string | null;
  error: MessageError | null;
  /** Whether `done` arrived. */
  done: boolean;
  /** The `meta` event asked Poe to fetch the bot's settings again (`refetch_settings`). */
  refetchSettings: boolean;
}

/** An answer before any event: empty Markdown. */
export function createAnswer(): AnswerState {
  return {
    content: "",
    contentType: "text/markdown",
    suggestedReplies: [],
    files: [],
    metadata: null,
    error: null,
    done: false,
    refetchSettings: false,
  };
}

/**
 * Applies one more event to `answer`, in place (a streaming answer gets thousands of events, and
 * copying per event would be wasted), and returns it. Expects events as `runExchange` passes them on:
 * valid, and `meta` only as the first; `json` changes nothing.
 * @example
 * const answer = createAnswer();
 * applyEvent(answer, { event: "text", data: { text: "Hello" } });
 */
export function applyEvent(answer: AnswerState, event: ResponseEvent): AnswerState {
  switch (event.event) {
    case "meta":
      // protocol.md §1.8: Markdown by default; any other declared type is shown as plain text, which is
      // never wrong, where rendering an unknown format as Markdown could be.
      answer.contentType =
        event.data.content_type === undefined || event.data.content_type === "text/markdown"
          ? "text/markdown"
          : "text/plain";
      answer.refetchSettings = event.data.refetch_settings === true;
      break;
    case "text":
      answer.content += event.data.text;
      break;
    case "replace_response":
      answer.content = event.data.text;
      break;
    case "suggested_reply":
      answer.suggestedReplies.push(event.data.text);
      break;
    case "file":
      answer.files.push(toMessageFile(event.data));
      break;
    case "data":
      answer.metadata = event.data.metadata;
      break;
    case "error":
      answer.error = toMessageError(event.data);
      break;
    case "done":
      answer.done = true;
      break;
    case "json":
      break;
  }
  return answer;
}

function toMessageFile(data: Extract<ResponseEvent, { event: "file" }>["data"]): MessageFile {
  return {
    // The store's business: whoever keeps the message recognises URLs the simulator serves itself.
    fileId: null,
    url: data.url,
    name: data.name,
    contentType: data.content_type,
    inlineRef: data.inline_ref ?? null,
  };
}

function toMessageError(data: Extract<ResponseEvent, { event: "error" }>["data"]): MessageError {
  const raw = data.raw_response;
  return {
    text: data.text ?? "",
    // Omitted means the user may retry, per the protocol.
    allowRetry: data.allow_retry ?? true,
    errorType: data.error_type ?? null,
    rawResponse:
      raw === undefined || raw === null ? null : typeof raw === "string" ? raw : JSON.stringify(raw),
  };
}
