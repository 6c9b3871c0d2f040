import { DataResponse, ErrorResponse, MetaResponse, PartialResponse } from "poekit";
import { createTestClient, mockBots } from "poekit/testing";
import { describe, expect, it } from "vitest";
import bot, { AllCapsBot, shout } from "./index.js";

const KEY = "allcaps-test-key-0123456789abcde";

describe("all-caps", () => {
  it("default-exports a bot that shouts GPT-4o-Mini's answer", async () => {
    expect(bot).toBeInstanceOf(AllCapsBot);
    expect(bot.upstream).toBe("GPT-4o-Mini");
    const settings = await createTestClient(new AllCapsBot()).settings();
    expect(settings.server_bot_dependencies).toEqual({ "GPT-4o-Mini": 1 });
    expect(settings.introduction_message).toMatch(/^[^a-z]+$/);
  });

  it("upper-cases every piece of the answer, one text event per piece", async () => {
    using mocks = mockBots({ "GPT-4o-Mini": ["Kathmandu is ", "the capital ", "of Nepal, ß."] });
    const response = await createTestClient(new AllCapsBot({ accessKey: KEY })).query(
      "What is the capital of Nepal?",
    );
    expect(response.error).toBeNull();
    expect(response.done).toBe(true);
    expect(response.events).toEqual([
      { event: "text", data: { text: "KATHMANDU IS " } },
      { event: "text", data: { text: "THE CAPITAL " } },
      { event: "text", data: { text: "OF NEPAL, SS." } },
      { event: "done", data: {} },
    ]);
    const [call] = mocks.callsTo("GPT-4o-Mini");
    expect(call?.accessKey).toBe(KEY);
    expect(call?.request.query.at(-1)?.content).toBe("What is the capital of Nepal?");
  });

  it("sends each piece on as it arrives, before the other bot has finished", async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    using _mocks = mockBots({
      "GPT-4o-Mini": async function* () {
        yield "first ";
        await released;
        yield "second";
      },
    });
    const seen: unknown[] = [];
    for await (const event of createTestClient(new AllCapsBot({ accessKey: KEY })).stream("Hi")) {
      seen.push(event);
      if (seen.length === 1) release();
    }
    expect(seen).toEqual([
      { event: "text", data: { text: "FIRST " } },
      { event: "text", data: { text: "SECOND" } },
      { event: "done", data: {} },
    ]);
  });

  it("upper-cases replacements, keeps suggested replies, and drops the other bot's meta and data", async () => {
    using _mocks = mockBots({
      "GPT-4o-Mini": [
        new MetaResponse({ content_type: "text/plain" }),
        "draft",
        new PartialResponse({ text: "Final answer", is_replace_response: true }),
        new PartialResponse({ text: "Tell me more", is_suggested_reply: true }),
        new DataResponse({ metadata: "upstream state" }),
      ],
    });
    const response = await createTestClient(new AllCapsBot({ accessKey: KEY })).query("Hi");
    expect(response.events.map((event) => event.event)).toEqual([
      "text",
      "replace_response",
      "suggested_reply",
      "done",
    ]);
    expect(response.text).toBe("FINAL ANSWER");
    expect(response.suggestedReplies).toEqual(["Tell me more"]);
    expect(response.meta).toBeNull();
    expect(response.data).toBeNull();
  });

  it("passes files the other bot attaches on", () => {
    const attachment = {
      url: "https://files.test/a.png",
      content_type: "image/png",
      name: "a.png",
      inline_ref: null,
      parsed_content: null,
    };
    expect(shout(new PartialResponse({ text: "see", attachment }))).toMatchObject({
      text: "SEE",
      attachment,
    });
    expect(shout(new PartialResponse({ text: "" }))).toBeUndefined();
  });

  it("shows the other bot's error as its own, keeping whether a retry may help", async () => {
    using _mocks = mockBots({
      "GPT-4o-Mini": ["Part", new ErrorResponse({ text: "The model is overloaded.", allow_retry: false })],
    });
    const response = await createTestClient(new AllCapsBot({ accessKey: KEY })).query("Hi");
    expect(response.text).toBe("PART");
    expect(response.error).toMatchObject({
      allow_retry: false,
      text: "GPT-4o-Mini could not answer: The model is overloaded.",
    });
    expect(response.done).toBe(true);
  });
});
