import { DataResponse, ErrorResponse, MetaResponse, PartialResponse } from "poekit";
import { createTestClient, mockBots } from "poekit/testing";
import { describe, expect, it, vi } from "vitest";
import bot, { CompareBot, renderPanels } from "./index.js";

const KEY = "compare-test-key-0123456789abcde";

/** Resolves when `promise` does, or fails the test after `ms`: a call that never came. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

describe("compare", () => {
  it("default-exports a bot comparing GPT-4o-Mini and Claude-3-Haiku, both declared", async () => {
    expect(bot).toBeInstanceOf(CompareBot);
    expect(bot.bots).toEqual(["GPT-4o-Mini", "Claude-3-Haiku"]);
    const settings = await createTestClient(new CompareBot()).settings();
    expect(settings.server_bot_dependencies).toEqual({ "GPT-4o-Mini": 1, "Claude-3-Haiku": 1 });
    expect(settings.introduction_message).toContain("Claude-3-Haiku");
  });

  it("refuses an empty or repeated list of bots", () => {
    expect(() => new CompareBot({ bots: [] })).toThrow(/at least one bot/);
    expect(() => new CompareBot({ bots: ["A", "A"] })).toThrow(/each named once/);
  });

  it("shows both answers under their names, re-rendered with replace_response", async () => {
    using mocks = mockBots({
      "GPT-4o-Mini": ["Kathmandu", " is the capital."],
      "Claude-3-Haiku": [
        new MetaResponse({}),
        "It is ",
        "Kathmandu.",
        new DataResponse({ metadata: "theirs" }),
      ],
    });
    const response = await createTestClient(new CompareBot({ accessKey: KEY })).query(
      "What is the capital of Nepal?",
    );
    expect(response.error).toBeNull();
    expect(response.done).toBe(true);
    expect(response.text).toBe(
      "**GPT-4o-Mini**\n\nKathmandu is the capital.\n\n---\n\n**Claude-3-Haiku**\n\nIt is Kathmandu.",
    );
    const kinds = response.events.map((event) => event.event);
    expect(kinds.slice(-2)).toEqual(["data", "done"]);
    expect(new Set(kinds.slice(0, -2))).toEqual(new Set(["replace_response"]));
    // The first rendering leaves at once, with both names waiting.
    expect(response.events[0]?.data).toEqual({
      text: "**GPT-4o-Mini**\n\n_…_\n\n---\n\n**Claude-3-Haiku**\n\n_…_",
    });
    expect(JSON.parse(response.data ?? "")).toEqual({
      answers: { "GPT-4o-Mini": "Kathmandu is the capital.", "Claude-3-Haiku": "It is Kathmandu." },
    });
    expect(mocks.callsTo("GPT-4o-Mini")[0]?.accessKey).toBe(KEY);
    expect(mocks.callsTo("Claude-3-Haiku")[0]?.accessKey).toBe(KEY);
  });

  it("asks both bots at once and shows each piece as it arrives", async () => {
    let claudeCalled!: () => void;
    const claudeStarted = new Promise<void>((resolve) => {
      claudeCalled = resolve;
    });
    let finishClaude!: () => void;
    const claudeMayFinish = new Promise<void>((resolve) => {
      finishClaude = resolve;
    });
    using _mocks = mockBots({
      // GPT-4o-Mini answers only once Claude-3-Haiku was called too: sequential calls would stall here.
      "GPT-4o-Mini": async function* () {
        await within(claudeStarted, 5000, "the call to Claude-3-Haiku");
        yield "Fast answer.";
      },
      "Claude-3-Haiku": async function* () {
        claudeCalled();
        yield "Slow";
        await claudeMayFinish;
        yield " answer.";
      },
    });
    const texts: string[] = [];
    for await (const event of createTestClient(new CompareBot({ accessKey: KEY })).stream("Hi")) {
      if (event.event !== "replace_response") continue;
      const text = (event.data as { text: string }).text;
      texts.push(text);
      if (text.includes("Fast answer.") && text.includes("Slow")) finishClaude();
    }
    expect(texts.some((text) => text.includes("Fast answer.") && !text.includes("Slow answer."))).toBe(true);
    expect(texts.at(-1)).toBe("**GPT-4o-Mini**\n\nFast answer.\n\n---\n\n**Claude-3-Haiku**\n\nSlow answer.");
  });

  it("follows a bot's own replace_response and ignores its suggested replies", async () => {
    using _mocks = mockBots({
      "GPT-4o-Mini": [
        "draft",
        new PartialResponse({ text: "Final.", is_replace_response: true }),
        new PartialResponse({ text: "More?", is_suggested_reply: true }),
      ],
      "Claude-3-Haiku": "Other.",
    });
    const response = await createTestClient(new CompareBot({ accessKey: KEY })).query("Hi");
    expect(response.text).toBe("**GPT-4o-Mini**\n\nFinal.\n\n---\n\n**Claude-3-Haiku**\n\nOther.");
    expect(response.suggestedReplies).toEqual([]);
  });

  it("sends each bot only its own earlier answers, from the previous message's metadata", async () => {
    using mocks = mockBots({ "GPT-4o-Mini": "Sure.", "Claude-3-Haiku": "Of course." });
    const previous = renderPanels([
      { bot: "GPT-4o-Mini", text: "Kathmandu.", failure: null, finished: true },
      { bot: "Claude-3-Haiku", text: "It is Kathmandu.", failure: null, finished: true },
    ]);
    await createTestClient(new CompareBot({ accessKey: KEY })).query([
      "What is the capital of Nepal?",
      {
        role: "bot",
        content: previous,
        metadata: JSON.stringify({
          answers: { "GPT-4o-Mini": "Kathmandu.", "Claude-3-Haiku": "It is Kathmandu." },
        }),
      },
      { role: "bot", content: "An answer from before metadata was kept." },
      "And of Peru?",
    ]);
    const sent = (name: string) =>
      mocks
        .callsTo(name)[0]
        ?.request.query.map(({ role, content, metadata }) => ({ role, content, metadata }));
    expect(sent("GPT-4o-Mini")).toEqual([
      { role: "user", content: "What is the capital of Nepal?", metadata: null },
      { role: "bot", content: "Kathmandu.", metadata: null },
      { role: "bot", content: "An answer from before metadata was kept.", metadata: null },
      { role: "user", content: "And of Peru?", metadata: null },
    ]);
    expect(sent("Claude-3-Haiku")?.[1]).toEqual({ role: "bot", content: "It is Kathmandu.", metadata: null });
  });

  it("shows one bot's failure beside the other's answer, and keeps only the answer that came", async () => {
    using _mocks = mockBots({
      "GPT-4o-Mini": [new ErrorResponse({ text: "The model is overloaded.", allow_retry: false })],
      "Claude-3-Haiku": "Kathmandu.",
    });
    const response = await createTestClient(new CompareBot({ accessKey: KEY })).query("Hi");
    expect(response.error).toBeNull();
    expect(response.text).toBe(
      "**GPT-4o-Mini**\n\n_GPT-4o-Mini could not answer: The model is overloaded._\n\n---\n\n**Claude-3-Haiku**\n\nKathmandu.",
    );
    expect(JSON.parse(response.data ?? "")).toEqual({ answers: { "Claude-3-Haiku": "Kathmandu." } });
  });

  it("stops both calls when the user leaves", async () => {
    const silent = async function* (_request: unknown, call: { signal: AbortSignal }) {
      yield "first";
      await new Promise((resolve) => call.signal.addEventListener("abort", resolve));
    };
    using mocks = mockBots({ "GPT-4o-Mini": silent, "Claude-3-Haiku": silent });
    for await (const event of createTestClient(new CompareBot({ accessKey: KEY })).stream("Hi")) {
      if (event.event === "replace_response" && (event.data as { text: string }).text.includes("first"))
        break;
    }
    await vi.waitFor(() => {
      expect(mocks.calls).toHaveLength(2);
      expect(mocks.calls.every((call) => call.signal.aborted)).toBe(true);
    });
  });

  it("renders a bot that finished without text, and one still waiting", () => {
    expect(
      renderPanels([
        { bot: "A", text: "", failure: null, finished: true },
        { bot: "B", text: "", failure: null, finished: false },
      ]),
    ).toBe("**A**\n\n_(no answer)_\n\n---\n\n**B**\n\n_…_");
  });
});
