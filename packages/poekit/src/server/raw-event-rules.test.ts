import { describe, expect, it } from "vitest";
import type { RawEvent } from "../core/responses.js";
import { post, queryBody, readEvents, recordingLogger } from "../test-support/requests.js";
import { makeApp } from "./make-app.js";
import { PoeBot } from "./poe-bot.js";

/** A bot that yields the given raw events, in order. */
class RawBot extends PoeBot {
  constructor(private readonly items: RawEvent[]) {
    super({ botName: "RawBot" });
  }
  override async *getResponse() {
    yield* this.items;
  }
}

async function serve(items: RawEvent[], limits?: { maxCharacters: number }) {
  const logger = recordingLogger();
  const app = makeApp(new RawBot(items), { allowWithoutKey: true, logger, env: {}, limits });
  const events = await readEvents(await app.fetch(post(queryBody())));
  return { events, warnings: logger.lines.filter((line) => line.startsWith("warn")) };
}

describe("raw events a bot yields, checked by the protocol's event rules", () => {
  it("sends a raw event that breaks a rule as yielded, and warns once per response", async () => {
    const { events, warnings } = await serve([
      { event: "txt", data: { text: "typo" } },
      { event: "file", data: { url: "https://f.test/a.png" } },
      { event: "text", data: { text: "fine" } },
    ]);
    expect(events.map((event) => event.event)).toEqual(["txt", "file", "text", "done"]);
    expect(warnings).toEqual([
      expect.stringMatching(
        /RawBot \(message m-1\): the event name "txt" is not one of the protocol; Poe ignores/,
      ),
    ]);
  });

  it("warns of no well-formed raw event", async () => {
    const { warnings } = await serve([
      { event: "meta", data: { content_type: "text/plain" } },
      { event: "text", data: { text: "a" } },
      { event: "replace_response", data: { text: "b" } },
      { event: "json", data: [1, 2] },
      { event: "data", data: { metadata: "{}" } },
    ]);
    expect(warnings).toEqual([]);
  });

  it("does not count a malformed replace_response as starting the answer over (Poe ignores it)", async () => {
    // Before, a replace_response whose text was not a string reset the count to 0.
    const { warnings } = await serve(
      [
        { event: "text", data: { text: "0123456789" } },
        { event: "replace_response", data: { text: 42 } },
        { event: "text", data: { text: "0123456789" } },
      ],
      { maxCharacters: 15 },
    );
    expect(warnings).toEqual([
      expect.stringMatching(/wrong "text"/),
      expect.stringMatching(/20 characters of text, over Poe's limit of 15/),
    ]);
  });
});
