import { ProtocolMessageSchema } from "poekit/protocol";
import { createTestClient } from "poekit/testing";
import { describe, expect, it } from "vitest";
import bot, { QUOTE_LENGTH, quote, speakerOf, WhoSaidWhatBot } from "./index.js";

describe("multi-bot", () => {
  it("default-exports the bot", () => {
    expect(bot).toBeInstanceOf(WhoSaidWhatBot);
  });

  it("asks for other bots' messages and keeps each message separate", async () => {
    const settings = await createTestClient(new WhoSaidWhatBot()).settings();
    expect(settings.enable_multi_entity_prompting).toBe(true);
    expect(settings.enforce_author_role_alternation).toBe(false);
    expect(settings.introduction_message).toContain("@");
  });

  it("tells who said what, from each message's sender", async () => {
    const response = await createTestClient(new WhoSaidWhatBot()).query([
      { role: "system", content: "You are in a group chat." },
      { role: "user", content: "Hello, bots!", sender: { id: "u-1" } },
      { role: "bot", content: "Hello, bots!", sender: { id: "Echo", name: "Echo" } },
      { role: "bot", content: "Hi there.", sender: { id: "GPT-4o-Mini", name: "GPT-4o-Mini" } },
      { role: "user", content: "Who said what?", sender: { id: "u-1" } },
    ]);
    expect(response.error).toBeNull();
    expect(response.text).toBe(
      [
        "Who said what in this chat, oldest first:",
        "",
        "1. **you**: Hello, bots\\!",
        "2. **Echo**: Hello, bots\\!",
        "3. **GPT\\-4o\\-Mini**: Hi there\\.",
        "4. **you**: Who said what?",
        "",
        "Messages per speaker: you 2, Echo 1, GPT\\-4o\\-Mini 1.",
      ].join("\n"),
    );
  });

  it("names people in a chat with several users", async () => {
    const response = await createTestClient(new WhoSaidWhatBot()).query([
      { role: "user", content: "I am Ada.", sender: { id: "u-1", name: "Ada" } },
      { role: "user", content: "And I am Grace.", sender: { id: "u-2", name: "Grace" } },
    ]);
    expect(response.text).toContain("1. **Ada**: I am Ada\\.\n2. **Grace**: And I am Grace\\.");
    expect(response.text).toContain("Messages per speaker: Ada 1, Grace 1.");
  });

  it("falls back on the role when there is no sender, unknown roles included", () => {
    const message = (init: Record<string, unknown>) => ProtocolMessageSchema.parse({ content: "", ...init });
    expect(speakerOf(message({ role: "user" }))).toBe("you");
    expect(speakerOf(message({ role: "bot" }))).toBe("a bot");
    expect(speakerOf(message({ role: "bot", sender: { id: "Echo" } }))).toBe("Echo");
    expect(speakerOf(message({ role: "narrator" }))).toBe('someone (role "narrator")');
    expect(speakerOf(message({ role: "tool", sender: { name: "weather" } }))).toBe("weather");
  });

  it("quotes the start of each message on one line, as written", () => {
    expect(quote("**bold**\n\n# not a heading")).toBe("\\*\\*bold\\*\\* \\# not a heading");
    const long = quote("a".repeat(QUOTE_LENGTH + 10));
    expect(long).toBe(`${"a".repeat(QUOTE_LENGTH - 1)}…`);
  });

  it("answers an empty chat, and an empty message", async () => {
    const client = createTestClient(new WhoSaidWhatBot());
    expect((await client.query([])).text).toBe("Nobody has said anything yet.");
    expect((await client.query("")).text).toContain("1. **you**: _(nothing)_");
  });
});
