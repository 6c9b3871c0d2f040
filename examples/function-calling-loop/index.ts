import {
  BotError,
  DataResponse,
  ErrorResponse,
  InvalidParameterError,
  MetaResponse,
  PartialResponse,
  PoeBot,
  type PoeBotOptions,
  PoeError,
  type QueryRequest,
  type RequestContext,
  type SettingsResponse,
  streamRequest,
  type ToolCallDefinition,
  type ToolCallDefinitionDelta,
  type ToolResultDefinition,
} from "poekit";
import { get_current_weather, weatherArguments, weatherTool } from "../function-calling/index.js";
import { encodeToolTurn, type ToolTurn, withToolHistory } from "./tool-history.js";

/** The one tool the model is offered: the weather lookup of the function-calling example. */
const WEATHER_TOOL = "get_current_weather";

/** Options of {@link FunctionCallingLoopBot}: those of every bot, plus the model and its budget. */
export interface FunctionCallingLoopBotOptions extends PoeBotOptions {
  /** The Poe model that answers and decides when to call the tool; default "GPT-4o-Mini". */
  model?: string;
  /** Most calls to the model per answer (each tool round costs one); default 5, at most 10 (Poe's limit). */
  maxModelCalls?: number;
}

/**
 * Offers a model the weather tool and runs the model → tool → model loop itself, rather than letting
 * `streamRequest` do it: each call streams the model's text through and collects the pieces of its
 * tool calls; the bot runs the calls and calls the model again with every call and result so far,
 * until the model answers without tools (or the budget of calls is spent). The turn's calls and
 * results are kept in the answer's metadata (`DataResponse`), and sent back to the model as part of
 * the conversation in later turns, so it remembers what the tool told it.
 */
export class FunctionCallingLoopBot extends PoeBot {
  readonly model: string;
  readonly maxModelCalls: number;

  constructor(options: FunctionCallingLoopBotOptions = {}) {
    const { model = "GPT-4o-Mini", maxModelCalls = 5, ...botOptions } = options;
    super(botOptions);
    if (!Number.isInteger(maxModelCalls) || maxModelCalls < 1 || maxModelCalls > 10) {
      throw new InvalidParameterError(
        `maxModelCalls must be a whole number from 1 to 10 (Poe allows 10 calls per message), got ${maxModelCalls}.`,
      );
    }
    this.model = model;
    this.maxModelCalls = maxModelCalls;
  }

  override async *getResponseWithContext(request: QueryRequest, context: RequestContext) {
    const turn: ToolTurn = { tool_calls: [], tool_results: [] };
    const query = withToolHistory(request.query);
    let wroteText = false;
    try {
      for (let call = 1; ; call++) {
        const pieces: ToolCallDefinitionDelta[] = [];
        const ask = {
          ...request,
          query,
          tool_calls: turn.tool_calls.length > 0 ? turn.tool_calls : null,
          tool_results: turn.tool_results.length > 0 ? turn.tool_results : null,
        };
        // Given `tools` without executables, streamRequest yields text, and tool calls in pieces.
        for await (const message of streamRequest(ask, this.model, request.access_key, {
          tools: [weatherTool],
          signal: context.signal,
        })) {
          if (!(message instanceof PartialResponse) || message instanceof MetaResponse) continue;
          if (message.is_suggested_reply) continue;
          if (message.tool_calls.length > 0) pieces.push(...message.tool_calls);
          else if (message.text !== "" || message.is_replace_response) {
            yield new PartialResponse({
              text: message.text,
              is_replace_response: message.is_replace_response,
            });
            wroteText = true;
          }
        }
        const calls = assembleToolCalls(pieces);
        if (calls.length === 0) break;
        if (call === this.maxModelCalls) {
          yield `${wroteText ? "\n\n" : ""}_I stopped after ${call} ${call === 1 ? "call" : "calls"} to ${this.model}, which still wanted to use its tool._`;
          break;
        }
        turn.tool_calls.push(...calls);
        turn.tool_results.push(...calls.map(runToolCall));
      }
    } catch (error) {
      if (!(error instanceof PoeError)) throw error;
      yield new ErrorResponse({
        text: `${this.model} could not answer: ${error.message}`,
        allow_retry: error instanceof BotError && error.allowRetry,
      });
      return;
    }
    if (turn.tool_calls.length > 0) yield new DataResponse({ metadata: encodeToolTurn(turn) });
  }

  override async getSettings(): Promise<SettingsResponse> {
    return {
      introduction_message:
        "Ask me about the weather in Tokyo, San Francisco or Paris, then ask more about it.",
      server_bot_dependencies: { [this.model]: this.maxModelCalls },
    };
  }
}

/**
 * Puts streamed tool-call pieces together: the piece that carries an id and a function name starts a
 * call at its `index`, and later pieces of that index add to its arguments.
 * @example
 * assembleToolCalls([
 *   { index: 0, id: "call_0", type: "function", function: { name: "f", arguments: '{"a"' } },
 *   { index: 0, id: null, type: null, function: { name: null, arguments: ":1}" } },
 * ]); // [{ id: "call_0", type: "function", function: { name: "f", arguments: '{"a":1}' } }]
 */
export function assembleToolCalls(pieces: readonly ToolCallDefinitionDelta[]): ToolCallDefinition[] {
  const byIndex = new Map<number, ToolCallDefinition>();
  for (const piece of pieces) {
    const index = piece.index ?? 0;
    const call = byIndex.get(index);
    if (call) call.function.arguments += piece.function.arguments ?? "";
    else if (piece.id && piece.function.name) {
      byIndex.set(index, {
        id: piece.id,
        type: piece.type ?? "function",
        function: { name: piece.function.name, arguments: piece.function.arguments ?? "" },
      });
    }
  }
  return [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, call]) => call);
}

/**
 * Runs one call of the model. A call the bot cannot run (an unknown tool, arguments that are not
 * JSON or do not fit the tool) gets an error as its result, so the model can correct itself.
 * @example
 * runToolCall({ id: "c1", type: "function", function: { name: "get_current_weather", arguments: '{"location":"Paris"}' } });
 * // { role: "tool", name: "get_current_weather", tool_call_id: "c1", content: '{"location":"Paris","temperature":22,"unit":"celsius"}' }
 */
export function runToolCall(call: ToolCallDefinition): ToolResultDefinition {
  const result = (content: unknown): ToolResultDefinition => ({
    role: "tool",
    name: call.function.name,
    tool_call_id: call.id,
    content: JSON.stringify(content),
  });
  if (call.function.name !== WEATHER_TOOL) {
    return result({ error: `There is no tool named ${call.function.name}; use ${WEATHER_TOOL}.` });
  }
  let args: unknown;
  try {
    args = JSON.parse(call.function.arguments || "{}");
  } catch {
    return result({ error: "The arguments are not valid JSON." });
  }
  const parsed = weatherArguments.safeParse(args);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return result({ error: `Invalid arguments: ${issue?.path.join(".") || "arguments"}: ${issue?.message}` });
  }
  return result(get_current_weather(parsed.data));
}

export default new FunctionCallingLoopBot();
