import { PROTOCOL_VERSION } from "poekit";
import type { SimulatorContext } from "../context.js";
import type { FeedbackRecord, MessageRecord } from "../model.js";
import { botRequestHeaders, fetchFor } from "../query/target.js";
import { botMessage, getConversation, saveMessage } from "./conversations.js";

/** What became of a report sent to a bot: Poe ignores the answer, but the page shows failures. */
export interface ReportDelivery {
  delivered: boolean;
  detail: string | null;
}

/** Records a like or dislike and sends it to the bot as `report_feedback`. */
export async function sendFeedback(
  context: SimulatorContext,
  messageId: string,
  feedback: FeedbackRecord,
): Promise<{ message: MessageRecord; delivery: ReportDelivery }> {
  const message = botMessage(context, messageId);
  message.feedback = [feedback];
  saveMessage(context, message);
  const delivery = await report(context, message, { type: "report_feedback", feedback_type: feedback.type });
  return { message, delivery };
}

/** Records a reaction and sends it to the bot as `report_reaction`. */
export async function sendReaction(
  context: SimulatorContext,
  messageId: string,
  reaction: string,
): Promise<{ message: MessageRecord; delivery: ReportDelivery }> {
  const message = botMessage(context, messageId);
  if (!message.reactions.includes(reaction)) message.reactions = [...message.reactions, reaction];
  saveMessage(context, message);
  const delivery = await report(context, message, { type: "report_reaction", reaction });
  return { message, delivery };
}

async function report(
  context: SimulatorContext,
  message: MessageRecord,
  fields: Record<string, unknown>,
): Promise<ReportDelivery> {
  const target = context.registry.target(message.botName as string);
  if (!target) return { delivered: false, detail: `There is no bot named "${message.botName}" any more.` };
  const conversation = getConversation(context, message.conversationId);
  const headers = botRequestHeaders(target, "application/json");
  try {
    const response = await fetchFor(target)(target.url, {
      method: "POST",
      headers,
      body: JSON.stringify({
        version: PROTOCOL_VERSION,
        message_id: message.id,
        user_id: conversation.userId,
        conversation_id: message.contextId,
        ...fields,
      }),
      signal: AbortSignal.timeout(10_000),
    });
    await response.body?.cancel();
    return response.ok
      ? { delivered: true, detail: null }
      : { delivered: false, detail: `The bot answered HTTP ${response.status}.` };
  } catch (error) {
    return { delivered: false, detail: `Could not reach the bot: ${(error as Error).message}` };
  }
}
