import { BotError, BotErrorNoRetry, ProtocolError } from "../core/errors.js";
import { DataResponse, MetaResponse, PartialResponse, textResponse } from "../core/responses.js";
import { errorAllowsRetry } from "../protocol/answer-fold.js";
import {
  EVENT_RULES,
  type EventViolation,
  KEEP_ALIVE,
  ResponseSequence,
  type RuleConsequence,
} from "../protocol/event-rules.js";
import { isJsonObject } from "../protocol/json.js";
import type { SseEvent } from "../protocol/sse-decoder.js";

export { plainText } from "../protocol/event-rules.js";

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
 * (docs/protocol.md §4.3 and Part A): data that is not JSON or has fields of the wrong type is fatal;
 * unknown events and a late `meta` are reported and skipped; `error` events throw `BotError`.
 * One reader per HTTP response.
 */
export class ResponseReader {
  readonly #botName: string;
  readonly #messageId: string;
  readonly #sequence: ResponseSequence;
  /** What the client does about an answer without content (see `EVENT_RULES`). */
  readonly #noContent: RuleConsequence;

  constructor(options: { botName: string; messageId: string; toolsSent: boolean }) {
    this.#botName = options.botName;
    this.#messageId = options.messageId;
    this.#sequence = new ResponseSequence({ toolsOffered: options.toolsSent });
    const rule = EVENT_RULES["no-text-or-error"];
    this.#noContent = (options.toolsSent && rule.clientWithTools) || rule.client;
  }

  /** Reads one event. Throws `BotError` / `BotErrorNoRetry` for `error` events. */
  read(event: SseEvent): BotMessage | Verdict {
    const checked = this.#sequence.read(event);
    if (checked === KEEP_ALIVE) return IGNORED;
    if ("rule" in checked) return this.#broken(checked, event);
    switch (checked.event) {
      case "text":
      case "replace_response":
      case "suggested_reply":
        return textResponse(
          checked.data,
          checked.event === "replace_response",
          checked.event === "suggested_reply",
        );
      case "meta": {
        const data = checked.data;
        return new MetaResponse({
          raw_response: data,
          content_type: data.content_type ?? "text/markdown",
          // The wire default differs from MetaResponse's own: absent means no suggested replies.
          suggested_replies: data.suggested_replies ?? false,
          linkify: data.linkify ?? false,
          refetch_settings: data.refetch_settings ?? false,
          index: data.index ?? null,
        });
      }
      case "json": {
        const data = checked.data;
        // Poe takes any JSON here; the client's `PartialResponse.data` is an object.
        if (!isJsonObject(data)) return this.#fatal(`Expected a JSON object in 'json' event`, event);
        const index = data.index;
        return new PartialResponse({
          text: "",
          data,
          raw_response: data,
          index: Number.isInteger(index) ? (index as number) : null,
        });
      }
      case "file": {
        const { url, content_type, name, inline_ref, index } = checked.data;
        return new PartialResponse({
          text: "",
          raw_response: checked.data,
          attachment: { url, content_type, name, inline_ref: inline_ref ?? null, parsed_content: null },
          index: index ?? null,
        });
      }
      case "data":
        return new DataResponse({ metadata: checked.data.metadata });
      case "error": {
        const data = checked.data;
        const details = {
          botName: this.#botName,
          errorType: data.error_type ?? null,
          rawResponse: data,
        };
        const text = data.text || `Bot ${this.#botName} answered with an error.`;
        if (!errorAllowsRetry(data)) throw new BotErrorNoRetry(text, details);
        throw new BotError(text, { ...details, allowRetry: true });
      }
      case "done":
        // A report at most: the answer stands.
        if (this.#sequence.hasContent || this.#noContent === "not-checked") return DONE;
        return {
          type: "done",
          violation: {
            message: "Bot returned no text in response",
            metadata: { message_id: this.#messageId },
          },
        };
    }
  }

  /** What the client does about an event that broke a rule: reports it, and gives up when the rule says so. */
  #broken(violation: EventViolation, event: SseEvent): Verdict {
    const report = reportOf(violation);
    if (EVENT_RULES[violation.rule].client === "fail-response") return this.#fatal(report, event);
    return this.#violation(report, { event_data: clip(event.data, MAX_REPORTED_DATA) });
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
}

/** The wording of a broken rule in the `report_error` sent to the bot, in fastapi_poe's client's words where it has them. */
function reportOf(violation: EventViolation): string {
  switch (violation.rule) {
    case "unknown-event":
      return `Unknown event type: ${clip(violation.name, MAX_REPORTED_NAME)}`;
    case "invalid-json":
      return `Invalid JSON in '${violation.name}' event`;
    case "invalid-event-data":
      return violation.notAnObject
        ? `Expected a JSON object in '${violation.name}' event`
        : `Invalid '${violation.field}' field in '${violation.name}' event: ${violation.problem}`;
    case "meta-not-first":
      return "A 'meta' event must be the first event of a response; this one was ignored.";
    case "event-after-done":
      return `Event '${clip(violation.name, MAX_REPORTED_NAME)}' after 'done' was ignored`;
  }
}

function clip(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit - 3)}...` : text;
}
