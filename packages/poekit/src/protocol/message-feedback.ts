import * as z from "zod/mini";
import { looseObjectWithDefaults, openEnum } from "./schema-helpers.js";

/** Feedback kinds Poe sends today; others are accepted and kept as strings. */
export const FEEDBACK_TYPES = ["like", "dislike"] as const;
export const FeedbackTypeSchema = openEnum(FEEDBACK_TYPES);
export type FeedbackType = z.output<typeof FeedbackTypeSchema>;

/**
 * A like or dislike on a bot message, with an optional reason.
 * @example
 * const feedback: MessageFeedback = { type: "dislike", reason: "too long" };
 */
export const MessageFeedbackSchema = looseObjectWithDefaults(
  { type: FeedbackTypeSchema, reason: z.nullish(z.string()) },
  { reason: () => null },
);
export type MessageFeedback = z.output<typeof MessageFeedbackSchema>;
