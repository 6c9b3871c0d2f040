import { createTestClient, mockBots } from "poekit/testing";
import { describe, expect, it } from "vitest";
import bot, { LlmBot, MODEL } from "./index.js";

// Any 32 characters: the bot sends its key along with its calls to the model.
const ACCESS_KEY = "test-key-0123456789abcdefghijklm";

describe("LlmBot", () => {
  it("is the module's default export", () => {
    expect(bot).toBeInstanceOf(LlmBot);
  });

  it("streams the model's answer back", async () => {
    using _mocks = mockBots({ [MODEL]: ["Kathmandu", " is the capital of Nepal."] });
    const response = await createTestClient(new LlmBot({ accessKey: ACCESS_KEY })).query(
      "What is the capital of Nepal?",
    );
    expect(response.error).toBeNull();
    expect(response.text).toBe("Kathmandu is the capital of Nepal.");
    expect(response.done).toBe(true);
  });

  it("sends the model the whole conversation, with the bot's access key", async () => {
    using mocks = mockBots({ [MODEL]: "The Koshi." });
    await createTestClient(new LlmBot({ accessKey: ACCESS_KEY })).query([
      "Hello",
      { role: "bot", content: "Hi! How can I help?" },
      "Name a river in Nepal.",
    ]);
    const [call, ...more] = mocks.callsTo(MODEL);
    expect(more).toEqual([]);
    expect(call?.accessKey).toBe(ACCESS_KEY);
    expect(call?.request.query.map(({ role, content }) => ({ role, content }))).toEqual([
      { role: "user", content: "Hello" },
      { role: "bot", content: "Hi! How can I help?" },
      { role: "user", content: "Name a river in Nepal." },
    ]);
  });

  it("declares its call to the model, as Poe requires", async () => {
    const settings = await createTestClient(new LlmBot()).settings();
    expect(settings.server_bot_dependencies).toEqual({ [MODEL]: 1 });
  });
});
