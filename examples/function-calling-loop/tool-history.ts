/**
 * Keeping a turn's tool calls and results with the bot's message, and giving them back to the model in
 * later turns. Poe shows the user only the answer; the calls and results travel in the message's
 * metadata (a `data` event), which Poe returns with that message in every later query.
 */
import type { ProtocolMessage, ToolCallDefinition, ToolResultDefinition } from "poekit";
import { ToolCallDefinitionSchema, ToolResultDefinitionSchema } from "poekit/protocol";
import { z } from "zod";

/** The tool calls one answer made, and their results, in order. */
export interface ToolTurn {
  tool_calls: ToolCallDefinition[];
  tool_results: ToolResultDefinition[];
}

const ToolTurnSchema = z.object({
  tool_calls: z.array(ToolCallDefinitionSchema),
  tool_results: z.array(ToolResultDefinitionSchema),
});

/**
 * The metadata to keep with the answer.
 * @example
 * yield new DataResponse({ metadata: encodeToolTurn(turn) });
 */
export function encodeToolTurn(turn: ToolTurn): string {
  return JSON.stringify({ tool_calls: turn.tool_calls, tool_results: turn.tool_results });
}

/**
 * The tool turn kept in a message's metadata; undefined when there is none, or it is something else
 * (metadata written by an older version of the bot, say).
 * @example
 * decodeToolTurn(message.metadata)?.tool_results.length;
 */
export function decodeToolTurn(metadata: string | null): ToolTurn | undefined {
  if (!metadata) return undefined;
  try {
    const parsed = ToolTurnSchema.safeParse(JSON.parse(metadata));
    return parsed.success && parsed.data.tool_calls.length > 0 ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The conversation as the model should see it: before each of the bot's answers that used tools, the
 * model's tool calls (a bot message of type `function_call` whose content is the calls as JSON) and
 * their results (a `tool` message whose content is the results as JSON), as they happened. The
 * metadata itself is left out: it was written for this bot, not for the model.
 * @example
 * const query = withToolHistory(request.query);
 */
export function withToolHistory(query: readonly ProtocolMessage[]): ProtocolMessage[] {
  return query.flatMap((message) => {
    if (message.role !== "bot") return [message];
    const turn = decodeToolTurn(message.metadata);
    const answer = { ...message, metadata: null };
    if (!turn) return [answer];
    const calls: ProtocolMessage = {
      ...answer,
      message_id: "",
      message_type: "function_call",
      content: JSON.stringify(turn.tool_calls),
      attachments: [],
    };
    const results: ProtocolMessage = {
      ...answer,
      message_id: "",
      role: "tool",
      content: JSON.stringify(turn.tool_results),
      attachments: [],
    };
    return [calls, results, answer];
  });
}
