import * as z from "zod/mini";
import type * as core from "zod/v4/core";
import { BotError, BotErrorNoRetry, ProtocolError } from "../errors.js";
import { isJsonObject } from "../internal/json.js";
import {
  DataEventDataSchema,
  ErrorEventDataSchema,
  FileEventDataSchema,
  MetaEventDataSchema,
  type TextEventData,
  TextEventDataSchema,
} from "../protocol/response-events.js";
import type { SseEvent } from "../protocol/sse-decoder.js";
import { DataResponse, MetaResponse, PartialResponse, textResponse } from "../server/responses.js";

/** What a client stream yields: response pieces, and `DataResponse` for `data` events. */
export type BotMessage = PartialResponse | DataResponse;

/** A protocol violation to tell the misbehaving bot about with `report_error`. */
export interface Violation {
  message: string;
  metadata: Record<string, unknown>;
}

/**
 * The reader's verdict on an event that carries no message. A message is returned as it is, with no
 * wrapper: most events are messages, and the wrapper would be one more object for each.
 */
export type Verdict =
  | { type: "ignored" }
  /** Reported, and the stream goes on. */
  | { type: "violation"; violation: Violation }
  /** Reported, then `error` is thrown: the stream cannot be trusted. */
  | { type: "fatal"; violation: Violation; error: ProtocolError }
  | { type: "done"; violation?: Violation };

const IGNORED: Verdict = { type: "ignored" };
const DONE: Verdict = { type: "done" };

const MAX_REPORTED_NAME = 100;
const MAX_REPORTED_DATA = 500;

/**
 * Turns the events of one response into response objects, checking each against the protocol
 * (protocol.md §4.3 and Part A): data that is not JSON or has fields of the wrong type is fatal;
 * unknown events and a late `meta` are reported and skipped; `error` events throw `BotError`.
 * One reader per HTTP response.
 */
export class ResponseReader {
  readonly #botName: string;
  readonly #messageId: string;
  readonly #toolsSent: boolean;
  #events = 0;
  #sawText = false;

  constructor(options: { botName: string; messageId: string; toolsSent: boolean }) {
    this.#botName = options.botName;
    this.#messageId = options.messageId;
    this.#toolsSent = options.toolsSent;
  }

  /** Reads one event. Throws `BotError` / `BotErrorNoRetry` for `error` events. */
  read(event: SseEvent): BotMessage | Verdict {
    if (event.event === "ping") return IGNORED;
    const first = this.#events === 0;
    this.#events++;
    switch (event.event) {
      case "text":
      case "replace_response":
      case "suggested_reply":
        return this.#readText(event);
      case "meta": {
        const data = this.#parse(event, MetaEventDataSchema);
        if (!data.ok) return data.result;
        if (!first) {
          return this.#violation(
            "A 'meta' event must be the first event of a response; this one was ignored.",
            {
              event_data: clip(event.data, MAX_REPORTED_DATA),
            },
          );
        }
        return new MetaResponse({
          raw_response: data.value,
          content_type: data.value.content_type ?? "text/markdown",
          // The wire default differs from MetaResponse's own: absent means no suggested replies.
          suggested_replies: data.value.suggested_replies ?? false,
          linkify: data.value.linkify ?? false,
          refetch_settings: data.value.refetch_settings ?? false,
          index: data.value.index ?? null,
        });
      }
      case "json": {
        const data = this.#parseJson(event);
        if (!data.ok) return data.result;
        if (!isJsonObject(data.value)) {
          return this.#fatal(`Expected a JSON object in 'json' event`, event);
        }
        const index = data.value.index;
        return new PartialResponse({
          text: "",
          data: data.value,
          raw_response: data.value,
          index: Number.isInteger(index) ? (index as number) : null,
        });
      }
      case "file": {
        const data = this.#parse(event, FileEventDataSchema);
        if (!data.ok) return data.result;
        const { url, content_type, name, inline_ref } = data.value;
        return new PartialResponse({
          text: "",
          raw_response: data.value,
          attachment: { url, content_type, name, inline_ref: inline_ref ?? null, parsed_content: null },
          index: data.value.index ?? null,
        });
      }
      case "data": {
        const data = this.#parse(event, DataEventDataSchema);
        if (!data.ok) return data.result;
        return new DataResponse({ metadata: data.value.metadata });
      }
      case "error": {
        const data = this.#parse(event, ErrorEventDataSchema);
        if (!data.ok) return data.result;
        const details = {
          botName: this.#botName,
          errorType: data.value.error_type ?? null,
          rawResponse: data.value,
        };
        const text = data.value.text || `Bot ${this.#botName} answered with an error.`;
        if (data.value.allow_retry === false) throw new BotErrorNoRetry(text, details);
        throw new BotError(text, { ...details, allowRetry: true });
      }
      case "done": {
        const data = this.#parseJson(event);
        if (!data.ok) return data.result;
        if (this.#sawText || this.#toolsSent) return DONE;
        return {
          type: "done",
          violation: {
            message: "Bot returned no text in response",
            metadata: { message_id: this.#messageId },
          },
        };
      }
      default:
        return this.#violation(`Unknown event type: ${clip(event.event, MAX_REPORTED_NAME)}`, {
          event_data: clip(event.data, MAX_REPORTED_DATA),
        });
    }
  }

  /**
   * Most events are text, and most text events are `{"text": "..."}` without escapes: those are read by
   * hand, at a fraction of JSON.parse's cost. Any other is parsed, checked by hand when well-formed,
   * and by the schema (which words the error) when not.
   */
  #readText(event: SseEvent): BotMessage | Verdict {
    const plain = plainText(event.data);
    let data: TextEventData;
    if (plain !== undefined) {
      data = { text: plain };
    } else {
      const json = this.#parseJson(event);
      if (!json.ok) return json.result;
      const parsed = isTextData(json.value)
        ? { ok: true as const, value: json.value }
        : this.#parseValue(event, json.value, TextEventDataSchema);
      if (!parsed.ok) return parsed.result;
      data = parsed.value;
    }
    if (event.event !== "suggested_reply") this.#sawText = true;
    return textResponse(data, event.event === "replace_response", event.event === "suggested_reply");
  }

  /** The stream ended without `done`. */
  endedWithoutDone(): { violation: Violation; error: ProtocolError } {
    const message = "Bot exited without sending 'done' event";
    return {
      violation: { message, metadata: { message_id: this.#messageId } },
      error: new ProtocolError(
        `Bot ${this.#botName} ended its response without a 'done' event, so it may be incomplete.`,
        { botName: this.#botName },
      ),
    };
  }

  #violation(text: string, metadata: Record<string, unknown>): Verdict {
    return {
      type: "violation",
      violation: { message: text, metadata: { ...metadata, message_id: this.#messageId } },
    };
  }

  #fatal(report: string, event: SseEvent): { type: "fatal"; violation: Violation; error: ProtocolError } {
    return {
      type: "fatal",
      violation: {
        message: report,
        metadata: { event_data: clip(event.data, MAX_REPORTED_DATA), message_id: this.#messageId },
      },
      error: new ProtocolError(`Bot ${this.#botName} broke the protocol: ${report}.`, {
        botName: this.#botName,
        event: event.event,
        data: event.data,
      }),
    };
  }

  #parseJson(event: SseEvent): { ok: true; value: unknown } | { ok: false; result: Verdict } {
    try {
      return { ok: true, value: JSON.parse(event.data) };
    } catch {
      return { ok: false, result: this.#fatal(`Invalid JSON in '${event.event}' event`, event) };
    }
  }

  #parse<S extends core.$ZodType>(
    event: SseEvent,
    schema: S,
  ): { ok: true; value: core.output<S> } | { ok: false; result: Verdict } {
    const json = this.#parseJson(event);
    if (!json.ok) return json;
    return this.#parseValue(event, json.value, schema);
  }

  #parseValue<S extends core.$ZodType>(
    event: SseEvent,
    value: unknown,
    schema: S,
  ): { ok: true; value: core.output<S> } | { ok: false; result: Verdict } {
    if (!isJsonObject(value)) {
      return { ok: false, result: this.#fatal(`Expected a JSON object in '${event.event}' event`, event) };
    }
    const parsed = z.safeParse(schema, value);
    if (parsed.success) return { ok: true, value: parsed.data };
    const issue = parsed.error.issues[0];
    const field = issue?.path.join(".") || "data";
    return {
      ok: false,
      result: this.#fatal(`Invalid '${field}' field in '${event.event}' event: ${issue?.message}`, event),
    };
  }
}

/**
 * `{"text":"…"}` (or `{"text": "…"}`, as Python writes it) with no quote, backslash or control
 * character inside: JSON that means `{ text: "…" }` as it stands. One regex test is cheaper than
 * JSON.parse, and than testing the string by hand.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: raw control characters are what JSON forbids in a string.
const PLAIN_TEXT = /^\{"text": ?"[^"\\\u0000-\u001f]*"\}$/;

/** The text of `data` when it is plain as {@link PLAIN_TEXT} says, which is what JSON.parse would find; else undefined. */
export function plainText(data: string): string | undefined {
  if (!PLAIN_TEXT.test(data)) return undefined;
  // The value starts after `{"text":"`, or after `{"text": "`.
  return data.slice(data.charCodeAt(8) === 0x22 ? 9 : 10, data.length - 2);
}

function isTextData(value: unknown): value is TextEventData {
  if (!isJsonObject(value) || typeof value.text !== "string") return false;
  const index = value.index;
  return index === undefined || index === null || Number.isInteger(index);
}

function clip(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit - 3)}...` : text;
}
