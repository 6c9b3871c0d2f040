import { createTestClient } from "poekit/testing";
import { describe, expect, it } from "vitest";
import { EchoBot } from "./echo.js";

describe("EchoBot", () => {
  it("answers with the last user message as-is, after a Markdown meta event", async () => {
    const message = "  Hello, **world**!\n\n- one\n- two  ";
    const response = await createTestClient(new EchoBot()).query(message);
    expect(response.status).toBe(200);
    expect(response.done).toBe(true);
    expect(response.text).toBe(message);
    expect(response.events[0]).toEqual({
      event: "meta",
      data: expect.objectContaining({ content_type: "text/markdown" }),
    });
    expect(response.events.map((event) => event.event)).toEqual(["meta", "text", "done"]);
  });

  it("echoes the user's last message, not an earlier one or a bot's", async () => {
    const response = await createTestClient(new EchoBot()).query([
      "first",
      { role: "bot", content: "first" },
      "second",
    ]);
    expect(response.text).toBe("second");
  });

  it("answers an empty text when there is no user message, and still ends properly", async () => {
    const response = await createTestClient(new EchoBot()).query([{ role: "system", content: "Be brief." }]);
    expect(response.text).toBe("");
    expect(response.error).toBeNull();
    expect(response.done).toBe(true);
  });

  it("allows attachments and introduces itself", async () => {
    const settings = await createTestClient(new EchoBot()).settings();
    expect(settings.allow_attachments).toBe(true);
    expect(settings.introduction_message).toMatch(/Echo/);
  });

  it("is served on /Echo as Echo, unless told otherwise", () => {
    expect(new EchoBot()).toMatchObject({ path: "/Echo", botName: "Echo" });
    expect(new EchoBot({ path: "/echo2", botName: "Echo2" })).toMatchObject({
      path: "/echo2",
      botName: "Echo2",
    });
  });
});
