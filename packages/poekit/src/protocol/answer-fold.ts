import type { ErrorEventData, FileEventData, MetaEventData, ResponseEvent } from "./response-events.js";

/**
 * Folding a response's events into the answer Poe shows, in one place: the simulator's messages,
 * `poekit chat`, `poekit check`, the test client and `getFinalResponse` all build their answer with
 * these functions, and the server's limits monitor and the simulator's grader measure it with them.
 */

/** How Poe shows an answer: as Markdown, or as plain text. */
export type DisplayedContentType = "text/markdown" | "text/plain";

/**
 * An answer built from a response's events. `File` and `Failure` are how the files and the error are
 * kept: the events' own data by default, or whatever {@link AnswerRecords} makes of it.
 */
export interface Answer<File = FileEventData, Failure = ErrorEventData> {
  /** The text as Poe shows it: `text` events appended, a `replace_response` starting it over. */
  content: string;
  /** How the text is shown, as the `meta` event declared it. */
  contentType: DisplayedContentType;
  /** The texts of the `suggested_reply` events, in order. */
  suggestedReplies: string[];
  /** The files of the `file` events, in order. */
  files: File[];
  /** The last `data` event's metadata (the one Poe keeps with the message), or null. */
  metadata: string | null;
  /** The first `error` event (Poe ends the response there), or null. */
  error: Failure | null;
  /** Whether `done` arrived. */
  done: boolean;
  /** The `meta` event asked Poe to fetch the bot's settings again (`refetch_settings`). */
  refetchSettings: boolean;
}

/** How an answer keeps a `file` event and an `error` event. */
export interface AnswerRecords<File, Failure> {
  file(data: FileEventData): File;
  error(data: ErrorEventData): Failure;
}

/** Keeps the events' data as it came. */
const AS_SENT: AnswerRecords<FileEventData, ErrorEventData> = {
  file: (data) => data,
  error: (data) => data,
};

/**
 * An answer before any event: empty Markdown.
 * @example
 * const answer = emptyAnswer();
 */
export function emptyAnswer<File = FileEventData, Failure = ErrorEventData>(): Answer<File, Failure> {
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
 * copying per event would be wasted), and returns it. Expects the events `ResponseSequence`
 * passes on: valid, and `meta` only as the first. `json` changes nothing.
 * @example
 * const answer = emptyAnswer();
 * foldAnswer(answer, { event: "text", data: { text: "Hello" } });
 * answer.content; // "Hello"
 */
export function foldAnswer(answer: Answer, event: ResponseEvent): Answer;
export function foldAnswer<File, Failure>(
  answer: Answer<File, Failure>,
  event: ResponseEvent,
  records: AnswerRecords<File, Failure>,
): Answer<File, Failure>;
export function foldAnswer<File, Failure>(
  answer: Answer<File, Failure>,
  event: ResponseEvent,
  records = AS_SENT as unknown as AnswerRecords<File, Failure>,
): Answer<File, Failure> {
  switch (event.event) {
    case "meta":
      answer.contentType = displayedContentType(event.data);
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
      answer.files.push(records.file(event.data));
      break;
    case "data":
      answer.metadata = event.data.metadata;
      break;
    case "error":
      answer.error ??= records.error(event.data);
      break;
    case "done":
      answer.done = true;
      break;
    case "json":
      break;
  }
  return answer;
}

/**
 * How Poe shows an answer whose `meta` declared `content_type` (docs/protocol.md §1.8): Markdown when absent;
 * any type other than Markdown as plain text, which is never wrong, where rendering an unknown format
 * as Markdown could be.
 * @example
 * displayedContentType({ content_type: "text/html" }); // "text/plain"
 */
export function displayedContentType(meta: Pick<MetaEventData, "content_type">): DisplayedContentType {
  const declared = meta.content_type;
  return declared == null || declared === "text/markdown" ? "text/markdown" : "text/plain";
}

/**
 * Whether an `error` event lets the user retry: an absent (or `null`) `allow_retry` does.
 * @example
 * errorAllowsRetry({ text: "busy" }); // true
 */
export function errorAllowsRetry(error: Pick<ErrorEventData, "allow_retry">): boolean {
  return error.allow_retry !== false;
}

/**
 * The answer's text after one more text event: `text` appends, `replace_response` (`replaces`) starts
 * it over.
 * @example
 * contentAfter("Hel", false, "lo"); // "Hello"
 */
export function contentAfter(content: string, replaces: boolean, text: string): string {
  return replaces ? text : content + text;
}

/**
 * The answer's length after one more text event of `characters` characters, for code that measures
 * the answer without keeping it (Poe's limit is on the text it shows, which a replacement starts over).
 * @example
 * answerLengthAfter(10, true, 3); // 3
 */
export function answerLengthAfter(length: number, replaces: boolean, characters: number): number {
  return replaces ? characters : length + characters;
}
