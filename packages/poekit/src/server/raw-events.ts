import type { RawEvent } from "../core/responses.js";
import type { ErrorType } from "../protocol/error-type.js";
import type { ContentType } from "../protocol/protocol-message.js";

/**
 * Builders of raw events, for code that prefers events to response objects (fastapi_poe's
 * `text_event` and friends). Each returns a {@link RawEvent} to yield.
 */

/** @example yield textEvent("Hello"); */
export function textEvent(text: string): RawEvent {
  return { event: "text", data: { text } };
}

/** @example yield replaceResponseEvent("Start again"); */
export function replaceResponseEvent(text: string): RawEvent {
  return { event: "replace_response", data: { text } };
}

/** @example yield suggestedReplyEvent("Tell me more"); */
export function suggestedReplyEvent(text: string): RawEvent {
  return { event: "suggested_reply", data: { text } };
}

/** @example yield dataEvent(JSON.stringify(state)); */
export function dataEvent(metadata: string): RawEvent {
  return { event: "data", data: { metadata } };
}

/** @example yield fileEvent({ url, content_type: "image/png", name: "cat.png", inline_ref: "ab12" }); */
export function fileEvent(file: {
  url: string;
  content_type: string;
  name: string;
  inline_ref?: string | null;
}): RawEvent {
  return {
    event: "file",
    data: {
      url: file.url,
      content_type: file.content_type,
      name: file.name,
      inline_ref: file.inline_ref ?? null,
    },
  };
}

/** @example yield metaEvent({ content_type: "text/plain" }); */
export function metaEvent(
  options: {
    content_type?: ContentType;
    refetch_settings?: boolean;
    linkify?: boolean;
    suggested_replies?: boolean;
  } = {},
): RawEvent {
  return {
    event: "meta",
    data: {
      content_type: options.content_type ?? "text/markdown",
      refetch_settings: options.refetch_settings ?? false,
      linkify: options.linkify ?? true,
      suggested_replies: options.suggested_replies ?? false,
    },
  };
}

/** @example yield errorEvent({ text: "Upstream failed", allow_retry: true }); */
export function errorEvent(
  options: {
    text?: string | null;
    raw_response?: unknown;
    allow_retry?: boolean;
    error_type?: ErrorType | null;
  } = {},
): RawEvent {
  const data: Record<string, unknown> = { allow_retry: options.allow_retry ?? true };
  if (options.text != null) data.text = options.text;
  if (options.raw_response != null) data.raw_response = options.raw_response;
  if (options.error_type != null) data.error_type = options.error_type;
  return { event: "error", data };
}

/** The last event of every response. Written by the server itself; bots need not yield it. */
export function doneEvent(): RawEvent {
  return { event: "done", data: {} };
}
