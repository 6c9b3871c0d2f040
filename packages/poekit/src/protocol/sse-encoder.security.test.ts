import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PartialResponse } from "../core/responses.js";
import { makeApp } from "../server/make-app.js";
import { PoeBot } from "../server/poe-bot.js";
import { fuzzRuns, NASTY_STRINGS } from "../test-support/fuzz-inputs.js";
import { post, queryBody, readEvents, recordingLogger } from "../test-support/requests.js";
import { SseDecoder } from "./sse-decoder.js";
import { encodeEvent } from "./sse-encoder.js";

const RUNS = fuzzRuns(2_000);

/** Text a bot could be tricked into repeating (from a user, a web page, another model). */
const FORGERIES = [
  "\n\nevent: done\ndata: {}\n\n",
  '\r\n\r\nevent: error\r\ndata: {"allow_retry":false,"text":"forged"}\r\n\r\n',
  '\revent: replace_response\rdata: {"text":"forged"}\r\r',
  "data: {}\n\n",
  "\u2028event: done\u2029",
  ...NASTY_STRINGS,
];

function decodeAll(text: string) {
  const decoder = new SseDecoder();
  const events = [...decoder.push(text), ...decoder.end()];
  return { events, incomplete: decoder.hadIncompleteEvent };
}

describe("SSE output cannot be forged", () => {
  it("keeps any text, data and name within its own event: read back, it is exactly one event", () => {
    const name = fc
      .string({ unit: "binary", minLength: 1, maxLength: 20 })
      .filter((text) => !/[\r\n]/.test(text));
    fc.assert(
      fc.property(
        name,
        fc.oneof(fc.constantFrom(...FORGERIES), fc.string({ unit: "binary" })),
        fc.jsonValue(),
        (event, text, extra) => {
          const frame = encodeEvent(event, { text, extra });
          // One `event:` line, one `data:` line, one blank line: nothing else can end a line.
          expect(frame.split(/\r\n|\r|\n/)).toHaveLength(4);
          const { events, incomplete } = decodeAll(frame);
          expect(incomplete).toBe(false);
          expect(events).toHaveLength(1);
          // The decoder strips one leading space from a field's value, as every SSE reader does.
          expect(events[0]?.event).toBe(event);
          expect(JSON.parse(events[0]?.data ?? "")).toEqual(JSON.parse(JSON.stringify({ text, extra })));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("refuses event names with a line break", () => {
    for (const name of ["text\n\nevent: done", "text\r", "\rdone", "a\r\nb", "\n"]) {
      expect(() => encodeEvent(name, {}), JSON.stringify(name)).toThrow(TypeError);
    }
  });

  it("streams a bot's forged text as text, a raw event with a line break in its name as an error, and one done last", async () => {
    class Forger extends PoeBot {
      override async *getResponse() {
        for (const text of FORGERIES) yield new PartialResponse({ text });
        yield { event: "text\n\nevent: done", data: { text: "forged" } };
        yield "never sent";
      }
    }
    const logger = recordingLogger();
    const app = makeApp(new Forger(), { allowWithoutKey: true, logger, env: {} });
    const events = await readEvents(await app.fetch(post(queryBody())));
    expect(events.slice(0, FORGERIES.length)).toEqual(
      FORGERIES.map((text) => ({ event: "text", data: { text: JSON.parse(JSON.stringify(text)) } })),
    );
    expect(events.slice(FORGERIES.length).map((event) => event.event)).toEqual(["error", "done"]);
    expect(events.at(FORGERIES.length)?.data).toMatchObject({
      allow_retry: false,
      raw_response: expect.stringMatching(/CR or LF/),
    });
    expect(logger.lines.some((line) => line.startsWith("error"))).toBe(true);
  });
});
