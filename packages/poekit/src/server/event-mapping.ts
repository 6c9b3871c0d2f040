import {
  DataResponse,
  ErrorResponse,
  MetaResponse,
  PartialResponse,
  type RawEvent,
} from "../core/responses.js";
import { countCharacters } from "../protocol/count-characters.js";
import { checkResponseEventData, type EventViolation } from "../protocol/event-rules.js";
import { encodeEvent, encodeTextEvent } from "../protocol/sse-encoder.js";

/** What one yielded item turned into: the SSE text to write and what the limits monitor counts. */
export interface MappedItem {
  sse: string;
  events: number;
  /** Characters appended to the answer, or the new length after a replacement. */
  textChars: number;
  replacesText: boolean;
  /** The bot yielded a raw `done`: the response ends here. */
  done: boolean;
  /** The bot yielded a raw event that breaks a rule of the protocol (it is sent all the same). */
  violation?: EventViolation;
}

/** Thrown for an item that is not a response; the stream turns it into an `error` event. */
export class InvalidResponseItemError extends TypeError {
  constructor(item: unknown) {
    super(
      `getResponse yielded ${describe(item)}, which is not a response. Yield a string, a PartialResponse, ErrorResponse, MetaResponse, DataResponse or { event, data }.`,
    );
    this.name = "InvalidResponseItemError";
  }
}

function describe(item: unknown): string {
  if (item === null) return "null";
  if (typeof item === "object") return `an object of type ${item.constructor?.name ?? "Object"}`;
  return `a value of type ${typeof item}`;
}

function mapped(sse: string, textChars = 0, replacesText = false): MappedItem {
  return { sse, events: 1, textChars, replacesText, done: false };
}

/**
 * Maps one yielded item to SSE text, in fastapi_poe's order of checks: error, meta, data, suggested
 * reply, replacement, text. A response carrying an `attachment` is preceded by its `file` event.
 */
export function mapResponseItem(item: unknown): MappedItem {
  if (typeof item === "string") return mapped(encodeTextEvent(item), countCharacters(item));
  if (item instanceof PartialResponse) {
    if (!item.attachment) return mapPartial(item);
    const { url, content_type, name, inline_ref } = item.attachment;
    const file = encodeEvent("file", { url, content_type, name, inline_ref: inline_ref ?? null });
    // A file on its own (as a forwarded `file` event arrives) needs no empty text event after it.
    if (item.text === "" && isPlainText(item)) return mapped(file);
    const result = mapPartial(item);
    result.sse = file + result.sse;
    result.events += 1;
    return result;
  }
  if (item instanceof DataResponse) return mapped(encodeEvent("data", { metadata: item.metadata }));
  if (isRawEvent(item)) {
    if (item.event === "done") return { sse: "", events: 0, textChars: 0, replacesText: false, done: true };
    const checked = checkResponseEventData(item.event, item.data);
    if ("rule" in checked) {
      const result = mapped(encodeEvent(item.event, item.data));
      result.violation = checked;
      return result;
    }
    const counts = checked.event === "text" || checked.event === "replace_response";
    return mapped(
      encodeEvent(item.event, item.data),
      counts ? countCharacters(checked.data.text) : 0,
      checked.event === "replace_response",
    );
  }
  throw new InvalidResponseItemError(item);
}

function mapPartial(item: PartialResponse): MappedItem {
  if (item instanceof ErrorResponse) {
    const data: Record<string, unknown> = { allow_retry: item.allow_retry, text: item.text };
    if (item.raw_response != null) data.raw_response = String(item.raw_response);
    if (item.error_type != null) data.error_type = item.error_type;
    return mapped(encodeEvent("error", data));
  }
  if (item instanceof MetaResponse) {
    return mapped(
      encodeEvent("meta", {
        content_type: item.content_type,
        refetch_settings: item.refetch_settings,
        linkify: item.linkify,
        suggested_replies: item.suggested_replies,
      }),
    );
  }
  if (item.is_suggested_reply) return mapped(encodeEvent("suggested_reply", { text: item.text }));
  if (item.is_replace_response) {
    return mapped(encodeEvent("replace_response", { text: item.text }), countCharacters(item.text), true);
  }
  // A plain JavaScript caller may have set `text` to anything; encodeEvent words that as before.
  const text: unknown = item.text;
  if (typeof text !== "string") {
    return mapped(encodeEvent("text", { text }), (text as { length: number }).length);
  }
  return mapped(encodeTextEvent(text), countCharacters(text));
}

function isPlainText(item: PartialResponse): boolean {
  return (
    !(item instanceof ErrorResponse || item instanceof MetaResponse) &&
    !item.is_suggested_reply &&
    !item.is_replace_response
  );
}

function isRawEvent(item: unknown): item is RawEvent {
  return (
    typeof item === "object" &&
    item !== null &&
    typeof (item as RawEvent).event === "string" &&
    "data" in item &&
    Object.getPrototypeOf(item) === Object.prototype
  );
}
