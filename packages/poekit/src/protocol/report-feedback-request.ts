import * as z from "zod/mini";
import { FeedbackTypeSchema } from "./message-feedback.js";

/**
 * A user liked or disliked a bot message.
 * @example
 * bot.onFeedback = async (request: ReportFeedbackRequest) => console.log(request.feedback_type);
 */
export const ReportFeedbackRequestSchema = z.looseObject({
  version: z.string(),
  type: z.literal("report_feedback"),
  message_id: z.string(),
  user_id: z.string(),
  conversation_id: z.string(),
  feedback_type: FeedbackTypeSchema,
});
export type ReportFeedbackRequest = z.output<typeof ReportFeedbackRequestSchema>;
