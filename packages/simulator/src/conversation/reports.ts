import { PROTOCOL_VERSION } from "poekit/protocol";
import type { SimulatorContext } from "../context.js";
import type { FeedbackRecord, MessageRecord } from "../model.js";
import { sendReport } from "../query/send-report.js";
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

/** How long a bot has to take a report; the page waits for the outcome. */
const REPORT_TIMEOUT_MS = 10_000;

async function report(
  context: SimulatorContext,
  message: MessageRecord,
  fields: Record<string, unknown>,
): Promise<ReportDelivery> {
  const target = context.registry.target(message.botName as string);
  if (!target) return { delivered: false, detail: `There is no bot named "${message.botName}" any more.` };
  const conversation = getConversation(context, message.conversationId);
  const body = {
    version: PROTOCOL_VERSION,
    message_id: message.id,
    user_id: conversation.userId,
    conversation_id: message.contextId,
    ...fields,
  };
  const answer = await sendReport(target, body, {
    timeoutMs: REPORT_TIMEOUT_MS,
    signal: context.tasks.signal,
  });
  if ("failure" in answer) return { delivered: false, detail: `Could not reach the bot: ${answer.failure}.` };
  return answer.status >= 200 && answer.status < 300
    ? { delivered: true, detail: null }
    : { delivered: false, detail: `The bot answered HTTP ${answer.status}.` };
}
