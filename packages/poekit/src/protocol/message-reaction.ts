import * as z from "zod/mini";

/**
 * A reaction a user left on a message.
 * @example
 * const reaction: MessageReaction = { user_id: "u-…", reaction: "❤️" };
 */
export const MessageReactionSchema = z.looseObject({
  user_id: z.string(),
  reaction: z.string(),
});
export type MessageReaction = z.output<typeof MessageReactionSchema>;
