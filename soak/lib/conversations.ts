import { Agent, request } from "node:http";
import { createParser } from "eventsource-parser";
import { emptyAnswer, foldAnswer, KEEP_ALIVE, ResponseSequence } from "poekit/protocol";
import { QUERY_HEADERS, queryBody, type Turn } from "./query-body.js";
import { streamedText, streamMessage } from "./soak-bot.js";

/** How the conversations are shaped. */
export interface ConversationLoad {
  url: string;
  /** Conversations open at once, each on a keep-alive connection of its own. */
  conversations: number;
  /** Turns every conversation has at least; it goes on until `keepGoing` resolves. */
  minTurns: number;
  /** Text events per answer, and the pause between them. */
  events: number;
  intervalMs: number;
  /** When given, conversations take further turns until it settles. */
  keepGoing?: Promise<unknown>;
}

/** What the conversations saw. */
export interface ConversationResult {
  /** Streaming queries sent (turns). */
  tried: number;
  /** Answered 200 with exactly the expected text, then `done`, and nothing after it. */
  ok: number;
  non2xx: number;
  /** Ended without `done`, or with events after it. */
  lostDone: number;
  /** Ended with `done` but with other text than the bot sent. */
  wrongText: number;
  /** Connection errors. */
  errors: number;
  /** Conversations that took fewer turns than asked. */
  short: number;
  /** The most conversations in progress at the same moment (a turn asked for and not yet answered in full). */
  peakOpen: number;
  /** The first few failures, described. */
  failures: string[];
}

/** Requests waiting for their first headers at most at a time: a flood would overflow the listen backlog. */
const MAX_CONNECTING = 64;

/**
 * Holds `conversations` streaming conversations open at once, turn after turn, checking every answer.
 * @example
 * const result = await runConversations({ url, conversations: 1000, minTurns: 3, events: 20, intervalMs: 100 });
 */
export async function runConversations(load: ConversationLoad): Promise<ConversationResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  const result: ConversationResult = {
    tried: 0,
    ok: 0,
    non2xx: 0,
    lostDone: 0,
    wrongText: 0,
    errors: 0,
    short: 0,
    peakOpen: 0,
    failures: [],
  };
  let open = 0;
  const fail = (message: string) => {
    if (result.failures.length < 10) result.failures.push(message);
  };
  let stop = load.keepGoing === undefined;
  void load.keepGoing?.finally(() => {
    stop = true;
  });
  const message = streamMessage(load.events, load.intervalMs);
  const expected = streamedText(load.events);
  const slots = new Slots(MAX_CONNECTING);

  const converse = async (index: number) => {
    const turns: Turn[] = [];
    let taken = 0;
    while (taken < load.minTurns || !stop) {
      turns.push({ role: "user", content: message });
      result.tried++;
      const first = taken === 0;
      if (first) await slots.take();
      // From one turn to the next a conversation stays in progress: the next is asked for at once.
      open++;
      result.peakOpen = Math.max(result.peakOpen, open);
      const answer = await streamTurn(
        load.url,
        agent,
        queryBody(turns, `c-soak-${index}`, `m-${index}-${taken}`),
        () => {
          if (first) slots.give();
        },
      );
      open--;
      taken++;
      if (answer.error !== undefined) {
        result.errors++;
        fail(`conversation ${index}, turn ${taken}: ${answer.error}`);
        break;
      }
      if (answer.status !== 200) {
        result.non2xx++;
        fail(`conversation ${index}, turn ${taken}: HTTP ${answer.status}`);
        break;
      }
      if (!answer.done || answer.afterDone > 0) {
        result.lostDone++;
        fail(
          `conversation ${index}, turn ${taken}: ${answer.done ? `${answer.afterDone} event(s) after done` : "no done"}`,
        );
        break;
      }
      if (answer.text !== expected) {
        result.wrongText++;
        fail(`conversation ${index}, turn ${taken}: text ${JSON.stringify(answer.text.slice(0, 80))}`);
        break;
      }
      result.ok++;
      turns.push({ role: "bot", content: answer.text });
    }
    if (taken < load.minTurns) result.short++;
  };

  await Promise.all(Array.from({ length: load.conversations }, (_, index) => converse(index)));
  agent.destroy();
  return result;
}

interface TurnAnswer {
  status: number;
  text: string;
  done: boolean;
  /** Events that came after `done`. */
  afterDone: number;
  error?: string;
}

/** Sends one turn and reads its answer; `headersIn` is called once, when the headers came or the turn failed. */
function streamTurn(url: string, agent: Agent, body: string, headersIn: () => void): Promise<TurnAnswer> {
  return new Promise((resolve) => {
    const answer: TurnAnswer = { status: 0, text: "", done: false, afterDone: 0 };
    let headersSeen = false;
    const onHeaders = () => {
      if (headersSeen) return;
      headersSeen = true;
      headersIn();
    };
    let settled = false;
    const settle = (error?: string) => {
      if (settled) return;
      settled = true;
      onHeaders();
      if (error !== undefined) answer.error = error;
      resolve(answer);
    };
    const req = request(url, { method: "POST", agent, headers: QUERY_HEADERS }, (res) => {
      onHeaders();
      answer.status = res.statusCode ?? 0;
      const sequence = new ResponseSequence();
      const folded = emptyAnswer();
      const parser = createParser({
        onEvent(sse) {
          const event = sequence.read({ event: sse.event ?? "message", data: sse.data });
          if (event !== KEEP_ALIVE && !("rule" in event)) foldAnswer(folded, event);
        },
      });
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => parser.feed(chunk));
      res.on("end", () => {
        answer.text = folded.content;
        answer.done = sequence.done;
        answer.afterDone = sequence.eventsAfterDone;
        settle();
      });
      res.on("error", (error) => settle(error.message));
    });
    req.on("error", (error) => settle(error.message));
    req.end(body);
  });
}

/** A counting semaphore. */
class Slots {
  #free: number;
  readonly #waiting: Array<() => void> = [];

  constructor(size: number) {
    this.#free = size;
  }

  async take(): Promise<void> {
    if (this.#free > 0) {
      this.#free--;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  give(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#free++;
  }
}
