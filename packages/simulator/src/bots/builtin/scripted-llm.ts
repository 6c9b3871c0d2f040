import {
  type BotResponseItem,
  ErrorResponse,
  PartialResponse,
  PoeBot,
  type PoeBotOptions,
  type ProtocolMessage,
  type QueryRequest,
  type RawEvent,
  type RequestContext,
  type SettingsResponse,
  type ToolCallDefinition,
  type ToolResultDefinition,
} from "poekit";
import { isFunctionToolCall, isFunctionToolDefinition } from "poekit/protocol";
import {
  chooseToolCalls,
  fragments,
  parseToolCommands,
  readControls,
  type ScriptedToolCall,
  wordChunks,
} from "./scripted-rules.js";

/** Characters of a tool call's arguments per streamed delta. */
const ARGUMENT_PIECE = 8;

const INTRODUCTION = [
  "I am ScriptedLLM, a stand-in for a language model: my answers follow fixed rules, so a bot that calls me can be developed and tested without any API key.",
  "",
  '- Plain chat: I repeat your last message (`You said: "…"`) and count your messages, a few words per chunk.',
  "- Offered tools: I call every tool that shares a word with your message (else the first), filling required arguments from it (places after in/for/at, enum values you mention, the first number). `/tool <name> <json-args>` calls exactly that. `/notool` answers in text instead.",
  "- Given tool results: I say what the tools returned.",
  "- `/error` answers with an error (retry allowed); `/slow <ms>` pauses between chunks (at most 2 s each).",
].join("\n");

/**
 * A deterministic stand-in for a language model on Poe, so that a bot using a model (plain chat or a
 * function-calling loop) can be developed offline. Its answer depends only on the request:
 *
 * 1. **`/error`** anywhere in the last user message: an `error` event with `allow_retry: true`.
 * 2. **Tool results** (`request.tool_results`, or `tool` messages ending the conversation, as a
 *    hand-written loop sends them): `Here is what the tools returned: <name> → <content>; … .`, as
 *    text.
 * 3. **Tools offered** (`request.tools`) and no `/notool`: tool calls, streamed as Poe's model bots
 *    do through the bot query API — `json` events in OpenAI's chunk format, each call's first delta
 *    carrying its `index`, `id` (`call_<n>`), `type` and function name, its arguments JSON following
 *    in pieces of a few characters, then a chunk with `finish_reason: "tool_calls"`. Which calls:
 *    - every line `/tool <name> <json-args>` calls that tool with those arguments, passed on as
 *      written (invalid JSON and unoffered names included, to test how a bot copes; no arguments
 *      means `{}`);
 *    - otherwise every tool whose name or description shares a meaningful word with the message (the
 *      first tool when none does). Required arguments are always filled, optional ones only when the
 *      message states them: an enum gets the value the message mentions (case-insensitively), else
 *      the first; a string named like location/city/place gets the capitalised phrase after
 *      "in"/"for"/"at" ("What's the weather in San Francisco?" → "San Francisco"), other strings the
 *      whole message; a number or integer the first number in the message, else 0; a boolean false.
 *      A tool with a place-like argument is called once per place named ("Tokyo and Paris").
 * 4. **Plain chat**: `You said: "<last user message>". You have sent <n> message(s) in this
 *    conversation.`, streamed a word or two per `text` event.
 *
 * `/slow <ms>` pauses that long between chunks (capped at 2 s each); `/error`, `/slow` and `/notool`
 * are taken out of the message before the rules above read it. No `meta` event is sent: a bot that
 * passes a model's stream on would otherwise write a `meta` in the middle of its own answer.
 * @example
 * const app = makeApp(new ScriptedLLM(), { allowWithoutKey: true });
 * for await (const msg of streamRequest(request, "ScriptedLLM", null, {
 *   baseUrl: "http://scripted.local/",
 *   fetch: (input, init) => app.fetch(new Request(input, init)),
 *   tools: [weatherTool],
 *   toolExecutables: { get_current_weather },
 * })) console.log(msg);
 */
export class ScriptedLLM extends PoeBot {
  /** What the simulator's bot list says about it. */
  readonly description = "built-in: a scripted, deterministic language model with tool calls";

  /** Served on `/ScriptedLLM` under the name `ScriptedLLM` unless the options say otherwise. */
  constructor(options: PoeBotOptions = {}) {
    super({ ...options, path: options.path ?? "/ScriptedLLM", botName: options.botName ?? "ScriptedLLM" });
  }

  override async *getResponseWithContext(
    request: QueryRequest,
    context: RequestContext,
  ): AsyncGenerator<BotResponseItem, void, undefined> {
    const message = lastUserMessage(request.query);
    const controls = readControls(message);
    if (controls.error) {
      yield new ErrorResponse({
        text: "ScriptedLLM failed on purpose: the message asked for /error.",
        allow_retry: true,
      });
      return;
    }
    const pause = () => sleep(controls.slowMs, context.signal);

    const results = toolResultsOf(request);
    if (results) {
      yield* streamText(describeResults(results), pause, context.signal);
      return;
    }
    // The scripted model calls function tools only; custom tools are offered but never chosen.
    const tools = (request.tools ?? []).filter(isFunctionToolDefinition);
    if (tools.length > 0 && !controls.noTool) {
      // `/tool` lines are read from the message as sent, so their arguments arrive exactly as written.
      const calls = parseToolCommands(message) ?? chooseToolCalls(controls.text, tools);
      // Ids stay unique across rounds when earlier calls are sent back with the request.
      yield* streamToolCalls(calls, request.tool_calls?.length ?? 0, pause, context.signal);
      return;
    }
    const sent = request.query.filter((entry) => entry.role === "user").length;
    const reply =
      `You said: "${controls.text}". ` +
      `You have sent ${sent} ${sent === 1 ? "message" : "messages"} in this conversation.`;
    yield* streamText(reply, pause, context.signal);
  }

  override async getSettings(): Promise<SettingsResponse> {
    return { introduction_message: INTRODUCTION };
  }
}

/** The content of the last user message; "" when there is none. */
function lastUserMessage(query: readonly ProtocolMessage[]): string {
  for (let at = query.length - 1; at >= 0; at--) {
    const message = query[at];
    if (message?.role === "user") return message.content;
  }
  return "";
}

/** A tool result as the answer names it. */
interface NamedResult {
  name: string;
  content: string;
}

/**
 * The tool results to answer from: `request.tool_results` (poekit's and fastapi_poe's loops), or the
 * `tool` messages that end the conversation (a hand-written loop appends its results there).
 */
function toolResultsOf(request: QueryRequest): NamedResult[] | undefined {
  if (request.tool_results && request.tool_results.length > 0) {
    return request.tool_results.map((result) => ({
      name: result.name || callName(request.tool_calls?.filter(isFunctionToolCall) ?? null, result),
      content: result.content,
    }));
  }
  const trailing: ProtocolMessage[] = [];
  for (let at = request.query.length - 1; at >= 0 && request.query[at]?.role === "tool"; at--) {
    const message = request.query[at];
    if (message) trailing.unshift(message);
  }
  if (trailing.length === 0) return undefined;
  return trailing.flatMap((message) => resultsInMessage(message.content));
}

function callName(calls: readonly ToolCallDefinition[] | null, result: ToolResultDefinition): string {
  return calls?.find((call) => call.id === result.tool_call_id)?.function.name ?? "tool";
}

/** A `tool` message holds a JSON list of results by convention; anything else is one result. */
function resultsInMessage(content: string): NamedResult[] {
  try {
    const parsed: unknown = JSON.parse(content);
    const list = Array.isArray(parsed) ? parsed : [parsed];
    const results = list.flatMap((item) => {
      if (typeof item !== "object" || item === null || !("content" in item)) return [];
      const { name, content: value } = item as { name?: unknown; content: unknown };
      return [
        {
          name: typeof name === "string" && name !== "" ? name : "tool",
          content: typeof value === "string" ? value : JSON.stringify(value),
        },
      ];
    });
    if (results.length > 0) return results;
  } catch {
    // Not JSON: the message itself is the result.
  }
  return [{ name: "tool", content }];
}

function describeResults(results: readonly NamedResult[]): string {
  const parts = results.map((result) => `${result.name} → ${result.content}`);
  return `Here is what the tools returned: ${parts.join("; ")}.`;
}

async function* streamText(
  text: string,
  pause: () => Promise<void>,
  signal: AbortSignal,
): AsyncGenerator<BotResponseItem, void, undefined> {
  const chunks = wordChunks(text);
  for (const [at, chunk] of chunks.entries()) {
    if (at > 0) await pause();
    if (signal.aborted) return;
    yield new PartialResponse({ text: chunk });
  }
}

async function* streamToolCalls(
  calls: readonly ScriptedToolCall[],
  firstId: number,
  pause: () => Promise<void>,
  signal: AbortSignal,
): AsyncGenerator<BotResponseItem, void, undefined> {
  const events: RawEvent[] = [];
  // Calls are streamed one after the other, as OpenAI's models do: a call's first delta names it,
  // the following ones carry only its index and more of its arguments.
  calls.forEach((call, index) => {
    events.push(
      toolCallChunk({
        index,
        id: `call_${firstId + index}`,
        type: "function",
        function: { name: call.name, arguments: "" },
      }),
    );
    for (const piece of fragments(call.arguments, ARGUMENT_PIECE)) {
      events.push(toolCallChunk({ index, function: { arguments: piece } }));
    }
  });
  events.push({ event: "json", data: { choices: [{ index: 0, delta: {}, finish_reason: "tool_calls" }] } });
  for (const [at, event] of events.entries()) {
    if (at > 0) await pause();
    if (signal.aborted) return;
    yield event;
  }
}

function toolCallChunk(delta: Record<string, unknown>): RawEvent {
  return {
    event: "json",
    data: { choices: [{ index: 0, delta: { tool_calls: [delta] }, finish_reason: null }] },
  };
}

/** Waits `ms` (nothing for 0), ending early when the caller goes away. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
