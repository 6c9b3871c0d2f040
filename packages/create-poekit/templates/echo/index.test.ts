import { createTestClient } from "poekit/testing";
import { describe, expect, it } from "vitest";
import bot, { EchoBot } from "./index.js";

describe("EchoBot", () => {
  it("is the module's default export", () => {
    expect(bot).toBeInstanceOf(EchoBot);
  });

  it("answers with the user's last message", async () => {
    const response = await createTestClient(new EchoBot()).query([
      "Hello",
      { role: "bot", content: "Hello" },
      "What is the capital of Nepal?",
    ]);
    expect(response.error).toBeNull();
    expect(response.text).toBe("What is the capital of Nepal?");
    expect(response.done).toBe(true);
  });

  it("introduces itself", async () => {
    const settings = await createTestClient(new EchoBot()).settings();
    expect(settings.introduction_message).toBe("Say anything, and I will say it back.");
  });
});
