import { describe, expect, it } from "vitest";
import type { BotResponseItem } from "../core/responses.js";
import { QueryRequestSchema } from "../protocol/query-request.js";
import { DONE_EVENT, encodeEvent, encodeTextEvent, PING_COMMENT } from "../protocol/sse-encoder.js";
import { queryBody, recordingLogger } from "../test-support/requests.js";
import { LazyAbort } from "./lazy-abort.js";
import { POE_RESPONSE_LIMITS, type ResponseLimits } from "./limits-monitor.js";
import { PoeBot } from "./poe-bot.js";
import { QueryStream, type StreamHost, type StreamSink, UNEXPECTED_ERROR_TEXT } from "./query-stream.js";
import type { RequestContext } from "./request-context.js";

type Step = IteratorResult<unknown>;

/** A bot whose every step the test gives or fails by hand, so that each phase can be stopped in. */
class HandBot extends PoeBot {
  readonly pending: Array<{ resolve(step: Step): void; reject(error: unknown): void }> = [];
  stopped = false;

  override getResponseWithContext(): AsyncIterable<BotResponseItem> {
    const iterator = {
      next: () => new Promise<Step>((resolve, reject) => this.pending.push({ resolve, reject })),
      return: async (): Promise<Step> => {
        this.stopped = true;
        return { done: true, value: undefined };
      },
    };
    return { [Symbol.asyncIterator]: () => iterator } as unknown as AsyncIterable<BotResponseItem>;
  }

  /** Settles the step the stream asked for. */
  give(step: Step | Error): void {
    const asked = this.pending.shift();
    if (asked === undefined) throw new Error("The stream has not asked the bot for a step.");
    if (step instanceof Error) asked.reject(step);
    else asked.resolve(step);
  }

  say(text: string): void {
    this.give({ done: false, value: text });
  }

  finish(): void {
    this.give({ done: true, value: undefined });
  }
}

/** A bot whose items are all ready at once: `count` texts of `size` characters. */
class ReadyBot extends PoeBot {
  constructor(
    private readonly count: number,
    private readonly size: number,
  ) {
    super();
  }

  override getResponseWithContext(): AsyncIterable<BotResponseItem> {
    const { count, size } = this;
    function* items() {
      for (let i = 0; i < count; i++) yield String(i % 10).repeat(size);
    }
    // A plain iterable: the stream takes its items without waiting.
    return items() as unknown as AsyncIterable<BotResponseItem>;
  }
}

class ThrowingBot extends PoeBot {
  override getResponseWithContext(): AsyncIterable<BotResponseItem> {
    throw new Error("no response today");
  }
}

/** Lets every queued microtask, and the turns a stream counts, run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

function setUp(
  bot: PoeBot,
  options: { limits?: Partial<ResponseLimits>; strictLimits?: boolean; sink?: Partial<StreamSink> } = {},
) {
  const logger = recordingLogger();
  const events = { ended: 0, attached: 0 };
  const host: StreamHost = {
    limits: { ...POE_RESPONSE_LIMITS, ...options.limits },
    strictLimits: options.strictLimits ?? false,
    logger,
    onAttach: () => events.attached++,
    onEnd: () => events.ended++,
  };
  const query = QueryRequestSchema.parse(queryBody("Hi"));
  const abort = new LazyAbort();
  const context = { request: new Request("http://localhost/"), signal: abort.signal } as RequestContext;
  const stream = new QueryStream(host, bot, query, context, abort);
  const out = { text: "", closed: false, failed: undefined as unknown, wantsMore: true };
  const sink: StreamSink = {
    write: (sse) => {
      out.text += sse;
    },
    close: () => {
      out.closed = true;
    },
    wantsMore: () => out.wantsMore,
    fail: (error) => {
      out.failed = error;
    },
    ...options.sink,
  };
  return { stream, sink, out, log: logger.lines, events, signal: context.signal };
}

describe("QueryStream's phases", () => {
  it("goes idle → patient → ahead → awaiting → reading → patient → ahead → holding → reading → ended, a step at a time", async () => {
    const bot = new HandBot();
    const { stream, sink, out, events } = setUp(bot);
    expect(stream.phase).toBe("idle");

    const started = stream.start();
    // The first item gets a few microtask turns.
    expect(stream.phase).toBe("patient");
    await settle();
    expect(stream.phase).toBe("ahead");
    expect(await started).toEqual({ complete: false, text: "" });
    stream.attach(sink);
    expect(events.attached).toBe(1);

    const firstPull = stream.pull();
    expect(stream.phase).toBe("awaiting");
    bot.say("a");
    await firstPull;
    expect(out.text).toBe(encodeTextEvent("a"));
    // The bot was asked for its next item meanwhile; it comes while the reader wants nothing.
    expect(stream.phase).toBe("ahead");
    bot.say("b");
    await settle();
    expect(stream.phase).toBe("holding");

    const secondPull = stream.pull();
    // The held item was taken at once, and the next asked for, with a few turns.
    expect(stream.phase).toBe("patient");
    await secondPull;
    expect(out.text).toBe(encodeTextEvent("a") + encodeTextEvent("b"));

    bot.finish();
    await settle();
    expect(stream.phase).toBe("holding");
    await stream.pull();
    expect(stream.phase).toBe("ended");
    expect(out.text).toBe(encodeTextEvent("a") + encodeTextEvent("b") + DONE_EVENT);
    expect(out.closed).toBe(true);
    expect(events.ended).toBe(1);
    expect(bot.stopped).toBe(false);
  });

  it("rests idle after a full chunk of ready items, and reads on when the reader wants more", async () => {
    // 16 KiB is a chunk: five items of 4,000 characters fill one.
    const { stream, sink, out } = setUp(new ReadyBot(8, 4_000));
    const { complete, text } = await stream.start();
    expect(complete).toBe(false);
    expect(stream.phase).toBe("idle");
    // A chunk's worth of items, not all of them.
    expect(text.length).toBeGreaterThanOrEqual(16 * 1024);
    expect(text.length).toBeLessThan(8 * 4_000);
    stream.attach(sink);
    await stream.pull();
    expect(stream.phase).toBe("ended");
    let expected = "";
    for (let i = 0; i < 8; i++) expected += encodeTextEvent(String(i % 10).repeat(4_000));
    expect(text + out.text).toBe(expected + DONE_EVENT);
  });

  it("in resume mode, goes on after a full chunk while the sink takes more", async () => {
    const { stream, sink, out } = setUp(new ReadyBot(8, 4_000));
    const { text } = await stream.start();
    stream.attach(sink);
    stream.resume();
    expect(stream.phase).toBe("ended");
    expect((text + out.text).endsWith(DONE_EVENT)).toBe(true);
  });

  it("is complete at start when the bot finishes at once", async () => {
    const { stream, events } = setUp(new ReadyBot(2, 3));
    expect(await stream.start()).toEqual({
      complete: true,
      text: encodeTextEvent("000") + encodeTextEvent("111") + DONE_EVENT,
    });
    expect(stream.phase).toBe("ended");
    expect(events.ended).toBe(1);
  });
});

describe("QueryStream's ways to end", () => {
  /** A stream whose bot was asked for its second item, the first written: `ahead`. */
  async function ahead(options?: Parameters<typeof setUp>[1]) {
    const bot = new HandBot();
    const setup = setUp(bot, options);
    const started = setup.stream.start();
    bot.say("a");
    await started;
    setup.stream.attach(setup.sink);
    expect(setup.stream.phase).toBe("ahead");
    return { bot, ...setup };
  }

  it("clientLeft: stops the bot, writes nothing more, and drops the step that comes after", async () => {
    const { bot, stream, out, events, signal } = await ahead();
    stream.clientLeft();
    expect(stream.phase).toBe("ended");
    expect(signal.aborted).toBe(true);
    await settle();
    expect(bot.stopped).toBe(true);
    bot.say("late");
    await settle();
    expect(out.text).toBe("");
    expect(out.closed).toBe(false);
    // A second departure, a pull or a tick after the end change nothing.
    stream.clientLeft();
    await stream.pull();
    stream.tick();
    expect(out.text).toBe("");
    expect(events.ended).toBe(1);
  });

  it("shutDown: writes the error and done, stops the bot; once", async () => {
    const { bot, stream, out, events } = await ahead();
    stream.shutDown("The server is shutting down.", true);
    const error = encodeEvent("error", { allow_retry: true, text: "The server is shutting down." });
    expect(out.text).toBe(error + DONE_EVENT);
    expect(out.closed).toBe(true);
    stream.shutDown("again", false);
    expect(out.text).toBe(error + DONE_EVENT);
    expect(events.ended).toBe(1);
    await settle();
    expect(bot.stopped).toBe(true);
  });

  it("botThrew while ahead: the failure is held, and ends the response when the reader wants more", async () => {
    const { bot, stream, out, log } = await ahead();
    bot.give(new Error("boom"));
    await settle();
    expect(stream.phase).toBe("holding");
    expect(out.text).toBe("");
    await stream.pull();
    expect(stream.phase).toBe("ended");
    expect(out.text).toContain(UNEXPECTED_ERROR_TEXT);
    expect(out.text).toContain("Error: boom");
    expect(out.text.endsWith(DONE_EVENT)).toBe(true);
    expect(log.some((line) => line.includes("failed"))).toBe(true);
  });

  it("botThrew while awaiting: ends the response at once", async () => {
    const { bot, stream, out } = await ahead();
    const pulled = stream.pull();
    expect(stream.phase).toBe("awaiting");
    bot.give(new Error("boom"));
    await pulled;
    expect(stream.phase).toBe("ended");
    expect(out.text).toContain("Error: boom");
  });

  it("botFailedToStart: the response is complete at start, an error and done", async () => {
    const { stream, events } = setUp(new ThrowingBot());
    const { complete, text } = await stream.start();
    expect(complete).toBe(true);
    expect(text).toContain("Error: no response today");
    expect(text.endsWith(DONE_EVENT)).toBe(true);
    expect(stream.phase).toBe("ended");
    expect(events.ended).toBe(1);
  });

  it("botYieldedDone: a raw done ends the response and stops the bot", async () => {
    const { bot, stream, out } = await ahead();
    const pulled = stream.pull();
    bot.give({ done: false, value: { event: "done", data: {} } });
    await pulled;
    expect(stream.phase).toBe("ended");
    expect(out.text).toBe(DONE_EVENT);
    await settle();
    expect(bot.stopped).toBe(true);
  });

  it("limitReached: under strictLimits it ends the response; otherwise it only warns", async () => {
    const strict = await ahead({ limits: { maxEvents: 1 }, strictLimits: true });
    const pulled = strict.stream.pull();
    strict.bot.say("b");
    await pulled;
    expect(strict.stream.phase).toBe("ended");
    expect(strict.out.text).toContain("The response was stopped");
    await settle();
    expect(strict.bot.stopped).toBe(true);

    const lenient = await ahead({ limits: { maxEvents: 1 } });
    const next = lenient.stream.pull();
    lenient.bot.say("b");
    await next;
    expect(lenient.stream.phase).toBe("ahead");
    expect(lenient.out.text).toBe(encodeTextEvent("b"));
    expect(lenient.log.some((line) => line.includes("Poe may cut the response short"))).toBe(true);
  });

  it("limitReached on a tick: a response past its time ends under strictLimits", async () => {
    const { bot, stream, out } = await ahead({ limits: { maxDurationMs: 200 }, strictLimits: true });
    stream.tick();
    expect(stream.phase).toBe("ahead");
    await new Promise((resolve) => setTimeout(resolve, 250));
    stream.tick();
    expect(stream.phase).toBe("ended");
    expect(out.text).toContain("The response was stopped");
    await settle();
    expect(bot.stopped).toBe(true);
  });

  it("writeFailed: a write that throws cuts the response off and stops the bot", async () => {
    const bot = new HandBot();
    const failure = new Error("socket gone");
    const { stream, sink, out, events } = setUp(bot, {
      sink: {
        write: () => {
          throw failure;
        },
      },
    });
    const started = stream.start();
    bot.say("a");
    await started;
    // Nothing is written before a sink is attached: this write comes with the next chunk.
    stream.attach(sink);
    stream.resume();
    expect(stream.phase).toBe("awaiting");
    bot.say("b");
    await settle();
    expect(stream.phase).toBe("ended");
    expect(out.failed).toBe(failure);
    expect(events.ended).toBe(1);
    await settle();
    expect(bot.stopped).toBe(true);
  });

  it("writes a ping on a tick when nothing else was written since the last one", async () => {
    const { stream, out } = await ahead();
    stream.tick();
    expect(out.text).toBe("");
    stream.tick();
    expect(out.text).toBe(PING_COMMENT);
  });
});
