import * as z from "zod/mini";
import { ErrorTypeSchema } from "./error-type.js";
import { useEnglishMessages } from "./zod-messages.js";

useEnglishMessages();

/**
 * The events of a query response (the SSE stream a bot sends), as data schemas by event name.
 * `index` marks which of several responses an event belongs to; only clients read it.
 * Optional fields take `null` as absent, as fastapi_poe's models write it.
 */

const index = { index: z.nullish(z.int()) };

/** `meta`: how Poe should display the response. Should be the first event. */
export const MetaEventDataSchema = z.looseObject({
  content_type: z.nullish(z.string()),
  suggested_replies: z.nullish(z.boolean()),
  /** @deprecated */
  linkify: z.nullish(z.boolean()),
  /** @deprecated Poe may rate-limit refetches. */
  refetch_settings: z.nullish(z.boolean()),
  ...index,
});
export type MetaEventData = z.output<typeof MetaEventDataSchema>;

/** `text`, `replace_response` and `suggested_reply` carry one string. */
export const TextEventDataSchema = z.looseObject({ text: z.string(), ...index });
export type TextEventData = z.output<typeof TextEventDataSchema>;

/** `data`: metadata stored with the bot message and sent back as `ProtocolMessage.metadata`. */
export const DataEventDataSchema = z.looseObject({ metadata: z.string(), ...index });
export type DataEventData = z.output<typeof DataEventDataSchema>;

/** `file`: a file attached to the bot message; must come before text that references it inline. */
export const FileEventDataSchema = z.looseObject({
  url: z.string(),
  content_type: z.string(),
  name: z.string(),
  inline_ref: z.nullish(z.string()),
  ...index,
});
export type FileEventData = z.output<typeof FileEventDataSchema>;

/** `error`: Poe ends the response and shows an error; `allow_retry` absent (or `null`) allows retry. */
export const ErrorEventDataSchema = z.looseObject({
  allow_retry: z.nullish(z.boolean()),
  text: z.nullish(z.string()),
  raw_response: z.optional(z.unknown()),
  error_type: z.nullish(ErrorTypeSchema),
  ...index,
});
export type ErrorEventData = z.output<typeof ErrorEventDataSchema>;

/** The event names of the protocol, with the schema of each one's data. `json` and `done` take any JSON. */
export const RESPONSE_EVENT_SCHEMAS = {
  meta: MetaEventDataSchema,
  text: TextEventDataSchema,
  replace_response: TextEventDataSchema,
  suggested_reply: TextEventDataSchema,
  json: z.unknown(),
  data: DataEventDataSchema,
  file: FileEventDataSchema,
  error: ErrorEventDataSchema,
  done: z.unknown(),
} as const;
export type ResponseEventName = keyof typeof RESPONSE_EVENT_SCHEMAS;

/**
 * One event of a query response with its parsed data.
 * @example
 * const event: ResponseEvent = { event: "text", data: { text: "Hello" } };
 */
export type ResponseEvent = {
  [K in ResponseEventName]: { event: K; data: z.input<(typeof RESPONSE_EVENT_SCHEMAS)[K]> };
}[ResponseEventName];

/** Whether `name` is one of the protocol's response events. */
export function isResponseEventName(name: string): name is ResponseEventName {
  return Object.hasOwn(RESPONSE_EVENT_SCHEMAS, name);
}
