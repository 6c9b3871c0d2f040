import { queryRequestBody } from "@poekit/simulator/exchange";
import type { ProtocolMessage } from "poekit";
import {
  buildProtocolMessage,
  MAX_CONVERSATION_MESSAGES,
  makeIdentifier,
  PROTOCOL_VERSION,
} from "poekit/protocol";

/**
 * What the normal query asks; short, so that a bot calling a paid model spends little.
 * @example
 * message("user", NORMAL_QUESTION);
 */
export const NORMAL_QUESTION = "Hello from poekit check. Please answer in one short sentence.";

/**
 * A message of the conversation with every field Poe sends, as Poe fills them in.
 * @example
 * message("user", "Hi", { content_type: "text/plain" });
 */
export function message(
  role: string,
  content: string,
  extra: Partial<ProtocolMessage> = {},
): ProtocolMessage {
  return buildProtocolMessage({
    role,
    content,
    timestamp: Date.now() * 1000,
    message_id: makeIdentifier("m"),
    ...extra,
  });
}

/**
 * A whole query as Poe sends one, with fresh ids: every query of a run is a message of its own, so a
 * bot that calls other bots is never over its per-message allowance.
 * @example
 * const body = queryBody([message("user", "Hi")]);
 */
export function queryBody(query: readonly ProtocolMessage[]): Record<string, unknown> {
  // New user, conversation and message ids are the builder's own defaults.
  return queryRequestBody({ query });
}

/**
 * The normal query: one short user message.
 * @example
 * await sendQuery(target, normalQuery());
 */
export function normalQuery(): Record<string, unknown> {
  return queryBody([message("user", NORMAL_QUESTION)]);
}

/**
 * A conversation as long as Poe sends them: an introduction from the bot, then user and bot taking
 * turns, the user's message last.
 * @example
 * (longHistoryQuery().query as unknown[]).length; // 1000
 */
export function longHistoryQuery(length = MAX_CONVERSATION_MESSAGES): Record<string, unknown> {
  const query: ProtocolMessage[] = [];
  for (let at = 0; at < length - 1; at++) {
    const role = at % 2 === 0 ? "bot" : "user";
    query.push(message(role, `Message ${at + 1} of a long conversation (${role}).`));
  }
  query.push(message("user", NORMAL_QUESTION));
  return queryBody(query);
}

/**
 * The name and text of the file the attachment check serves.
 * @example
 * response.end(ATTACHED_FILE.text);
 */
export const ATTACHED_FILE = {
  name: "poekit-check.txt",
  contentType: "text/plain",
  text: "This small text file was attached by poekit check.\n",
};

/**
 * A user message with one text attachment at `url`, already parsed as Poe parses text files.
 * @example
 * attachmentQuery("http://127.0.0.1:41234/poekit-check.txt");
 */
export function attachmentQuery(url: string): Record<string, unknown> {
  return queryBody([
    message("user", "What does the attached file say? Please answer in one short sentence.", {
      attachments: [
        {
          url,
          content_type: ATTACHED_FILE.contentType,
          name: ATTACHED_FILE.name,
          inline_ref: null,
          parsed_content: ATTACHED_FILE.text,
        },
      ],
    }),
  ]);
}

/**
 * The normal query with keys no version of the protocol has, at the top and in a message.
 * @example
 * unknownFieldsQuery().future_request_option; // "anything"
 */
export function unknownFieldsQuery(): Record<string, unknown> {
  return {
    ...queryBody([
      message("user", NORMAL_QUESTION, {
        poekit_check_future_field: { nested: [1, "two", null] },
        translation: "a field Poe might add one day",
      }),
    ]),
    poekit_check_future_field: { nested: true },
    future_request_option: "anything",
  };
}

/**
 * A conversation with a message of a role no version of the protocol has.
 * @example
 * await sendQuery(target, unknownRoleQuery());
 */
export function unknownRoleQuery(): Record<string, unknown> {
  return queryBody([
    message("narrator", "A message whose role the bot cannot know."),
    message("user", NORMAL_QUESTION),
  ]);
}

/**
 * The normal question with a content_type no version of the protocol has.
 * @example
 * await sendQuery(target, unknownContentTypeQuery());
 */
export function unknownContentTypeQuery(): Record<string, unknown> {
  return queryBody([message("user", NORMAL_QUESTION, { content_type: "text/x-poekit-future" })]);
}

/**
 * A `report_feedback` request, with `feedbackType` as the feedback.
 * @example
 * feedbackReport("like");
 */
export function feedbackReport(feedbackType: string): Record<string, unknown> {
  return {
    version: PROTOCOL_VERSION,
    type: "report_feedback",
    message_id: makeIdentifier("m"),
    user_id: makeIdentifier("u"),
    conversation_id: makeIdentifier("c"),
    feedback_type: feedbackType,
  };
}

/**
 * A `report_reaction` request.
 * @example
 * await context.post(reactionReport());
 */
export function reactionReport(): Record<string, unknown> {
  return {
    version: PROTOCOL_VERSION,
    type: "report_reaction",
    message_id: makeIdentifier("m"),
    user_id: makeIdentifier("u"),
    conversation_id: makeIdentifier("c"),
    reaction: "like",
  };
}

/**
 * A `report_error` request, as Poe sends when a response broke the protocol.
 * @example
 * await context.post(errorReport());
 */
export function errorReport(): Record<string, unknown> {
  return {
    version: PROTOCOL_VERSION,
    type: "report_error",
    message: "poekit check: this is a test report; nothing went wrong.",
    metadata: { message_id: makeIdentifier("m"), source: "poekit check" },
  };
}

/**
 * A `settings` request.
 * @example
 * await context.post(settingsRequest());
 */
export function settingsRequest(): Record<string, unknown> {
  return { version: PROTOCOL_VERSION, type: "settings" };
}
