import type { ProtocolMessage, QueryRequest } from "poekit";
import { isFunctionToolCall } from "poekit/protocol";

/** A message of OpenAI's chat completions API, as this bot sends it. */
export type ChatMessage =
  | { role: "system" | "user"; content: string }
  | { role: "assistant"; content: string | null; tool_calls?: ChatToolCall[] }
  | { role: "tool"; tool_call_id: string; content: string; name?: string };

/** A complete tool call in a chat completions request. */
export interface ChatToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

/**
 * Poe's conversation as chat completions messages: `bot` becomes `assistant`, tool-call and tool-result
 * messages become their OpenAI counterparts, and the request's own `tool_calls` / `tool_results`
 * (the second call of a tool loop) are appended. Messages of roles Poe may add later are left out.
 * @example
 * toChatMessages(request); // [{ role: "system", content: "…" }, { role: "user", content: "Hi" }]
 */
export function toChatMessages(request: QueryRequest): ChatMessage[] {
  const messages: ChatMessage[] = [];
  for (const message of request.query) messages.push(...convertMessage(message));
  if (request.tool_calls && request.tool_calls.length > 0) {
    messages.push({
      role: "assistant",
      content: null,
      // Custom tools' calls have no chat-completions form here; only function calls go on.
      tool_calls: request.tool_calls.filter(isFunctionToolCall).map((call) => ({
        id: call.id,
        type: "function",
        function: { name: call.function.name, arguments: call.function.arguments },
      })),
    });
  }
  for (const result of request.tool_results ?? []) {
    messages.push({
      role: "tool",
      tool_call_id: result.tool_call_id,
      name: result.name,
      content: result.content,
    });
  }
  return messages;
}

function convertMessage(message: ProtocolMessage): ChatMessage[] {
  switch (message.role) {
    case "system":
      return [{ role: "system", content: message.content }];
    case "user":
      return [{ role: "user", content: message.content }];
    case "bot": {
      const calls = message.message_type === "function_call" ? toolCallsIn(message.content) : [];
      return calls.length > 0
        ? [{ role: "assistant", content: null, tool_calls: calls }]
        : [{ role: "assistant", content: message.content }];
    }
    case "tool": {
      const results = toolResultsIn(message.content);
      // A tool message OpenAI cannot tie to a call would be refused; the model still reads its content.
      return results.length > 0 ? results : [{ role: "user", content: `Tool result:\n${message.content}` }];
    }
    default:
      return [];
  }
}

function parseJsonList(text: string): unknown[] {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed : [parsed];
  } catch {
    return [];
  }
}

/** The calls in a `function_call` bot message: a JSON list of `{id, type, function: {name, arguments}}`. */
function toolCallsIn(content: string): ChatToolCall[] {
  return parseJsonList(content).flatMap((item) => {
    const call = item as { id?: unknown; function?: { name?: unknown; arguments?: unknown } } | null;
    if (typeof call?.id !== "string" || typeof call.function?.name !== "string") return [];
    const args = call.function.arguments;
    return [
      {
        id: call.id,
        type: "function" as const,
        function: {
          name: call.function.name,
          arguments: typeof args === "string" ? args : JSON.stringify(args ?? {}),
        },
      },
    ];
  });
}

/** The results in a `tool` message: a JSON list of `{tool_call_id, name?, content}`. */
function toolResultsIn(content: string): ChatMessage[] {
  return parseJsonList(content).flatMap((item) => {
    const result = item as { tool_call_id?: unknown; name?: unknown; content?: unknown } | null;
    if (typeof result?.tool_call_id !== "string") return [];
    const text = typeof result.content === "string" ? result.content : JSON.stringify(result.content ?? null);
    const chat: ChatMessage = { role: "tool", tool_call_id: result.tool_call_id, content: text };
    if (typeof result.name === "string") chat.name = result.name;
    return [chat];
  });
}
