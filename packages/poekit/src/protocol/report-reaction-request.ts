import * as z from "zod/mini";

/**
 * A user reacted to a bot message.
 * @example
 * ReportReactionRequestSchema.parse({ version: "1.2", type: "report_reaction", message_id: "m-…",
 *   user_id: "u-…", conversation_id: "c-…", reaction: "👍" });
 */
export const ReportReactionRequestSchema = z.looseObject({
  version: z.string(),
  type: z.literal("report_reaction"),
  message_id: z.string(),
  user_id: z.string(),
  conversation_id: z.string(),
  reaction: z.string(),
});
export type ReportReactionRequest = z.output<typeof ReportReactionRequestSchema>;
