import type { Logger } from "poekit";
import { createTestClient, type TestEvent } from "poekit/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import bot, { CatBot, MARKDOWN_SHOWCASE, STEP_MS, timerSleep } from "./index.js";

const instantSleep = async () => {};

/** Asks a cat that never really sleeps, and returns every event. */
async function ask(message: string) {
  return createTestClient(new CatBot({ sleep: instantSleep })).query(message);
}

const MARKDOWN_META = { content_type: "text/markdown", suggested_replies: true };

function texts(...texts: string[]): TestEvent[] {
  return texts.map((text) => ({ event: "text", data: { text } }));
}

/** The answer's events after the meta event, `done` left out. */
function body(events: readonly TestEvent[]): TestEvent[] {
  expect(events[0]?.event).toBe("meta");
  expect(events.at(-1)).toEqual({ event: "done", data: {} });
  return events.slice(1, -1);
}

/** Events with the (fake) time each arrived at, in milliseconds after the query was sent. */
async function timedEvents(message: string): Promise<Array<{ at: number; event: TestEvent }>> {
  const start = Date.now();
  const received: Array<{ at: number; event: TestEvent }> = [];
  const reading = (async () => {
    for await (const event of createTestClient(new CatBot()).stream(message)) {
      received.push({ at: Date.now() - start, event });
    }
  })();
  // Time moves one millisecond at a time, so each event is stamped with the moment it became due.
  for (let elapsed = 0; elapsed < 12 * STEP_MS; elapsed++) await vi.advanceTimersByTimeAsync(1);
  await reading;
  return received;
}

describe("catbot", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("default-exports a cat", () => {
    expect(bot).toBeInstanceOf(CatBot);
    expect(bot.sleep).toBe(timerSleep);
  });

  it('crunches "cardboard" in two text events', async () => {
    const response = await ask("Here is some CARDBOARD");
    expect(response.meta).toMatchObject(MARKDOWN_META);
    expect(body(response.events)).toEqual(texts("crunch ", "crunch"));
    expect(response.text).toBe("crunch crunch");
  });

  it.each(["Go to the kitchen", "Time for a meal", "Want some food?"])(
    'meows and suggests "feed the cat" for "%s"',
    async (message) => {
      const response = await ask(message);
      expect(body(response.events)).toEqual([
        ...texts("meow ", "meow"),
        { event: "suggested_reply", data: { text: "feed the cat" } },
      ]);
      expect(response.suggestedReplies).toEqual(["feed the cat"]);
    },
  );

  it('peeks ten times at a "stranger"', async () => {
    const response = await ask("A stranger is here");
    expect(body(response.events)).toEqual(texts(...Array<string>(10).fill("peek ")));
  });

  it('refuses "square" snacks, allowing a retry', async () => {
    const response = await ask("a square snack");
    expect(body(response.events)).toEqual([
      { event: "error", data: { allow_retry: true, text: "Square snacks are not tasty." } },
    ]);
  });

  it('refuses "cube" snacks, forbidding a retry', async () => {
    const response = await ask("a cube snack");
    expect(body(response.events)).toEqual([
      { event: "error", data: { allow_retry: false, text: "Cube snacks are even less tasty." } },
    ]);
  });

  it('counts to ten with replacements on "count"', async () => {
    const response = await ask("Count for me");
    expect(body(response.events)).toEqual(
      Array.from({ length: 10 }, (_, i) => ({ event: "replace_response", data: { text: String(i + 1) } })),
    );
    expect(response.text).toBe("10");
  });

  it('sleeps ("zzz") on anything else, an empty message or an empty conversation', async () => {
    expect(body((await ask("hello")).events)).toEqual(texts("zzz"));
    expect(body((await ask("")).events)).toEqual(texts("zzz"));
    const empty = await createTestClient(new CatBot()).query([]);
    expect(body(empty.events)).toEqual(texts("zzz"));
  });

  it("checks the commands in order: the first that matches wins", async () => {
    expect((await ask("cardboard food stranger square cube count")).text).toBe("crunch crunch");
    expect((await ask("food stranger square")).text).toBe("meow meow");
    expect((await ask("stranger square")).text).toBe("peek ".repeat(10));
    expect((await ask("square cube")).error?.text).toBe("Square snacks are not tasty.");
    expect((await ask("cube count")).error?.text).toBe("Cube snacks are even less tasty.");
  });

  it('answers in plain text when the message says "plain"', async () => {
    const response = await ask("plain cardboard");
    expect(response.meta).toMatchObject({ content_type: "text/plain", suggested_replies: true });
    expect(response.text).toBe("crunch crunch");
  });

  it('turns Poe\'s suggested replies off when the message says "dog"', async () => {
    const response = await ask("my DOG says hi");
    expect(response.meta).toMatchObject({ content_type: "text/markdown", suggested_replies: false });
    expect(body(response.events)).toEqual(texts("zzz"));
  });

  it('streams the Markdown showcase first when the message says "markdown", then the command', async () => {
    const response = await ask("markdown and food");
    expect(body(response.events)).toEqual([
      ...texts(...MARKDOWN_SHOWCASE, "meow ", "meow"),
      { event: "suggested_reply", data: { text: "feed the cat" } },
    ]);
    const showcase = MARKDOWN_SHOWCASE.join("");
    expect(showcase).toMatch(/^# /m);
    expect(showcase).toMatch(/\*\*[^*]+\*\*/);
    expect(showcase).toMatch(/^- .*\[[^\]]+\]\(https:\/\/poe\.com\)/m);
    expect(showcase).toMatch(/^\| --- \| --- \|$/m);
  });

  it("sends the meta event first in every answer, errors included", async () => {
    for (const message of ["cardboard", "food", "square", "cube", "count quickly", "plain markdown"]) {
      const response = await ask(message);
      expect(response.events[0]?.event).toBe("meta");
      expect(response.done).toBe(true);
    }
  });

  it('waits one second between "peek"s, the first at once', async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const received = await timedEvents("stranger");
    const peeks = received.filter(({ event }) => event.event === "text");
    expect(peeks.map(({ at }) => at)).toEqual(Array.from({ length: 10 }, (_, i) => i * STEP_MS));
    expect(received[0]).toEqual({ at: 0, event: { event: "meta", data: expect.any(Object) } });
    expect(received.at(-1)).toEqual({ at: 9 * STEP_MS, event: { event: "done", data: {} } });
  });

  it('counts one number a second, unless the message says "quickly"', async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const slow = await timedEvents("count");
    expect(slow.filter(({ event }) => event.event === "replace_response").map(({ at }) => at)).toEqual(
      Array.from({ length: 10 }, (_, i) => i * STEP_MS),
    );
    const quick = await timedEvents("count quickly");
    const replaced = quick.filter(({ event }) => event.event === "replace_response");
    expect(replaced.map(({ event }) => (event.data as { text: string }).text)).toEqual(
      Array.from({ length: 10 }, (_, i) => String(i + 1)),
    );
    expect(quick.every(({ at }) => at === 0)).toBe(true);
  });

  it("stops waiting, and stops, as soon as the user leaves", async () => {
    const signals: AbortSignal[] = [];
    // A sleep that only the user's leaving ends.
    const cat = new CatBot({
      sleep: (_ms, signal) => {
        signals.push(signal);
        return new Promise((resolve) => signal.addEventListener("abort", () => resolve()));
      },
    });
    for await (const event of createTestClient(cat).stream("stranger")) {
      if (event.event === "text") break;
    }
    await vi.waitFor(() => expect(signals[0]?.aborted).toBe(true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(signals).toHaveLength(1);
  });

  it("logs feedback", async () => {
    const lines: string[] = [];
    const logger: Logger = { info: (line) => lines.push(line), warn() {}, error() {} };
    const result = await createTestClient(new CatBot({ logger }), {
      userId: "u-1",
      conversationId: "c-1",
    }).feedback({ messageId: "m-1", feedbackType: "like" });
    expect(result.status).toBe(200);
    expect(lines).toEqual(['Feedback "like" on message m-1 from user u-1 in conversation c-1']);
  });

  it("allows attachments and introduces its commands", async () => {
    const settings = await createTestClient(new CatBot()).settings();
    expect(settings.allow_attachments).toBe(true);
    for (const command of ["cardboard", "food", "stranger", "square", "cube", "count", "markdown"]) {
      expect(settings.introduction_message).toContain(command);
    }
  });
});
