/**
 * The bot behind each name given to `mockBots`: a real `PoeBot` that answers with what its handler
 * returns, so the reply goes through the server's event encoding like any bot's.
 */

import type { BotResponseItem } from "../core/responses.js";
import type { QueryRequest } from "../protocol/query-request.js";
import type { AnyToolCallDefinition, AnyToolDefinition, ToolResultDefinition } from "../protocol/tools.js";
import { PoeBot } from "../server/poe-bot.js";
import type { RequestContext } from "../server/request-context.js";

/** One call a mock bot received, in the order the calls arrived. */
export interface MockBotCall {
  /** The mock bot's name, as given to {@link mockBots}. */
  botName: string;
  /** The query as the client sent it, parsed (absent fields filled with the protocol's defaults). */
  request: QueryRequest;
  /** The key sent as `Authorization: Bearer <key>`, or null when there was none. */
  accessKey: string | null;
  /** `request.tools`: the tools offered, or null. */
  tools: AnyToolDefinition[] | null;
  /** `request.tool_calls`: the tool calls sent back (second call of a tool loop), or null. */
  toolCalls: AnyToolCallDefinition[] | null;
  /** `request.tool_results`: the results of those calls, or null. */
  toolResults: ToolResultDefinition[] | null;
  /** How many calls this bot received before this one (0 for the first). */
  callIndex: number;
  /** Aborts when the caller gives up on this call (it left its loop, or its own signal aborted). */
  signal: AbortSignal;
}

/** What a mock bot answers: one item, several, or a stream of them (strings are `text` events). */
export type MockReply = BotResponseItem | Iterable<BotResponseItem> | AsyncIterable<BotResponseItem>;

/**
 * A mock bot: a function of the request (it may throw, which makes the bot's `error` event), or a
 * fixed answer (a string, or an array of items).
 */
export type MockBotHandler =
  | string
  | readonly BotResponseItem[]
  | ((request: QueryRequest, call: MockBotCall) => MockReply | Promise<MockReply>);

/**
 * A mock bot: a real PoeBot, so its answer goes through the server's event encoding.
 * @internal Used by `mockBots`, which records each call and finds it again with `callOf`.
 * @example
 * const bot = new MockBot("GPT-4o-Mini", "Bonjour !", (request) => callOf.get(request));
 */
export class MockBot extends PoeBot {
  constructor(
    name: string,
    private readonly handler: MockBotHandler,
    private readonly callOf: (request: Request) => MockBotCall | undefined,
  ) {
    // The handler sees the query as the client sent it, without attachment messages added.
    super({ botName: name, shouldInsertAttachmentMessages: false });
  }

  override getResponseWithContext(
    _request: QueryRequest,
    context: RequestContext,
  ): AsyncIterable<BotResponseItem> {
    const call = this.callOf(context.request);
    if (!call) throw new Error("mockBots: a query reached a mock bot without being recorded.");
    call.signal = context.signal;
    return replyOf(this.handler, call.request, call);
  }

  override async onError(): Promise<void> {}
}

async function* replyOf(
  handler: MockBotHandler,
  request: QueryRequest,
  call: MockBotCall,
): AsyncGenerator<BotResponseItem> {
  const reply: MockReply = typeof handler === "function" ? await handler(request, call) : handler;
  if (typeof reply === "string") {
    yield reply;
  } else if (isAsyncIterable(reply)) {
    yield* reply;
  } else if (isIterable(reply)) {
    yield* reply;
  } else {
    yield reply;
  }
}

/**
 * Throws a `TypeError` naming the bot unless `handler` is something a mock bot can answer with.
 * @internal Used by `mockBots`.
 * @example
 * checkHandler("GPT-4o-Mini", 42); // throws: must be a function, a string or an array of items
 */
export function checkHandler(name: string, handler: unknown): void {
  if (typeof handler === "function" || typeof handler === "string" || Array.isArray(handler)) return;
  throw new TypeError(
    `mockBots: the bot ${name} must be a function (request, call) => reply, a string or an array of items.`,
  );
}

function isAsyncIterable(value: unknown): value is AsyncIterable<BotResponseItem> {
  return typeof (value as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] === "function";
}

function isIterable(value: unknown): value is Iterable<BotResponseItem> {
  return typeof (value as Iterable<unknown> | null)?.[Symbol.iterator] === "function";
}
