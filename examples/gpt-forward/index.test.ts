import { ErrorResponse, PartialResponse } from "poekit";
import { createTestClient, mockBots } from "poekit/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import bot, { GptForwardBot } from "./index.js";

const KEY = "forward-test-key-0123456789abcde";

describe("gpt-forward", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("default-exports a bot that forwards to GPT-4o-Mini", () => {
    expect(bot).toBeInstanceOf(GptForwardBot);
    expect(bot.upstream).toBe("GPT-4o-Mini");
  });

  it("streams the upstream answer through: text, suggested reply and replacement", async () => {
    using mocks = mockBots({
      "GPT-4o-Mini": [
        "Kathmandu",
        " is the capital.",
        new PartialResponse({ text: "Tell me about Pokhara", is_suggested_reply: true }),
        new PartialResponse({ text: "Kathmandu is the capital of Nepal.", is_replace_response: true }),
      ],
    });
    const response = await createTestClient(new GptForwardBot({ accessKey: KEY })).query(
      "What is the capital of Nepal?",
    );
    expect(response.error).toBeNull();
    expect(response.done).toBe(true);
    expect(response.text).toBe("Kathmandu is the capital of Nepal.");
    expect(response.suggestedReplies).toEqual(["Tell me about Pokhara"]);
    expect(response.events.map((event) => event.event)).toEqual([
      "text",
      "text",
      "suggested_reply",
      "replace_response",
      "done",
    ]);
    expect(mocks.calls).toHaveLength(1);
  });

  it("sends the whole conversation, with the bot's own key as Bearer", async () => {
    using mocks = mockBots({ "GPT-4o-Mini": "Sure." });
    await createTestClient(new GptForwardBot({ accessKey: KEY })).query([
      "Hello",
      { role: "bot", content: "Hi! How can I help?" },
      "Name a river in Nepal.",
    ]);
    const [call] = mocks.callsTo("GPT-4o-Mini");
    expect(call?.accessKey).toBe(KEY);
    expect(call?.request.query.map(({ role, content }) => ({ role, content }))).toEqual([
      { role: "user", content: "Hello" },
      { role: "bot", content: "Hi! How can I help?" },
      { role: "user", content: "Name a river in Nepal." },
    ]);
  });

  it("forwards to the bot given in the options", async () => {
    using mocks = mockBots({ "Claude-3-Haiku": "From Claude." });
    const forward = new GptForwardBot({ accessKey: KEY, upstream: "Claude-3-Haiku" });
    const response = await createTestClient(forward).query("Hi");
    expect(response.text).toBe("From Claude.");
    expect(mocks.callsTo("Claude-3-Haiku")).toHaveLength(1);
    expect((await createTestClient(forward).settings()).server_bot_dependencies).toEqual({
      "Claude-3-Haiku": 1,
    });
  });

  it("declares the upstream bot as a dependency and has an introduction", async () => {
    const settings = await createTestClient(new GptForwardBot()).settings();
    expect(settings.server_bot_dependencies).toEqual({ "GPT-4o-Mini": 1 });
    expect(settings.introduction_message).toContain("GPT-4o-Mini");
  });

  it("turns an upstream error that forbids retrying into its own error event", async () => {
    using mocks = mockBots({
      "GPT-4o-Mini": ["Partial", new ErrorResponse({ text: "The model is overloaded.", allow_retry: false })],
    });
    const response = await createTestClient(new GptForwardBot({ accessKey: KEY })).query("Hi");
    expect(response.text).toBe("Partial");
    expect(response.error).toMatchObject({
      allow_retry: false,
      text: "GPT-4o-Mini could not answer: The model is overloaded.",
    });
    expect(response.done).toBe(true);
    expect(mocks.calls).toHaveLength(1);
  });

  it("keeps allow_retry when the upstream allows a retry (after the client's own retry)", async () => {
    using mocks = mockBots({
      "GPT-4o-Mini": [new ErrorResponse({ text: "Rate limited, try again.", allow_retry: true })],
    });
    const response = await createTestClient(new GptForwardBot({ accessKey: KEY })).query("Hi");
    expect(response.error).toMatchObject({
      allow_retry: true,
      text: "GPT-4o-Mini could not answer: Rate limited, try again.",
    });
    expect(response.done).toBe(true);
    // The client tried twice before giving up, as nothing had been shown yet.
    expect(mocks.calls).toHaveLength(2);
    expect(mocks.warnings).toHaveLength(2);
  });

  it("shows any failure of the call to the user, not only error events", async () => {
    using _mocks = mockBots({ "Some-Other-Bot": "unused" });
    const response = await createTestClient(new GptForwardBot({ accessKey: KEY })).query("Hi");
    expect(response.error).toMatchObject({
      allow_retry: false,
      text: expect.stringMatching(/^GPT-4o-Mini could not answer: Bot GPT-4o-Mini answered HTTP 404/),
    });
    expect(response.done).toBe(true);
  });

  it("stops the upstream call when the user disconnects", async () => {
    using mocks = mockBots({
      "GPT-4o-Mini": async function* (_request, call) {
        yield "first";
        // Silent from here: only the forwarding bot's signal can end this call.
        await new Promise((resolve) => call.signal.addEventListener("abort", resolve));
      },
    });
    const client = createTestClient(new GptForwardBot({ accessKey: KEY }));
    for await (const event of client.stream("Tell me a long story")) {
      expect(event).toEqual({ event: "text", data: { text: "first" } });
      break;
    }
    await vi.waitFor(() => expect(mocks.calls[0]?.signal.aborted).toBe(true));
  });
});
