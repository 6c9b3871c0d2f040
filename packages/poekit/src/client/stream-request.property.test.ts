import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PoeError } from "../core/errors.js";
import { DataResponse, PartialResponse } from "../core/responses.js";
import { fakeFetch } from "../test-support/fake-fetch.js";
import { queryBody, TEST_KEY } from "../test-support/requests.js";
import { streamRequest } from "./stream-request.js";

const EVENT_NAMES = [
  "meta",
  "text",
  "replace_response",
  "suggested_reply",
  "json",
  "file",
  "data",
  "error",
  "done",
  "ping",
  "unknown",
];

/** Data that is sometimes right for its event, often not: every JSON shape, and text that is not JSON. */
const data = fc
  .oneof(
    fc.record({ text: fc.oneof(fc.string(), fc.integer(), fc.constant(null)) }, { requiredKeys: [] }),
    fc.record(
      {
        url: fc.oneof(fc.webUrl(), fc.integer()),
        content_type: fc.string(),
        name: fc.string(),
        inline_ref: fc.oneof(fc.string(), fc.constant(null)),
      },
      { requiredKeys: [] },
    ),
    fc.record({ allow_retry: fc.oneof(fc.boolean(), fc.string()), text: fc.string() }, { requiredKeys: [] }),
    fc.record({ metadata: fc.oneof(fc.string(), fc.integer()) }, { requiredKeys: [] }),
    fc.record({ content_type: fc.string(), suggested_replies: fc.oneof(fc.boolean(), fc.string()) }),
    fc.jsonValue(),
  )
  .map((value) => JSON.stringify(value));
const rawData = fc.oneof(
  data,
  fc.string().map((text) => text.replace(/[\r\n]/g, " ")),
);
const event = fc.tuple(fc.constantFrom(...EVENT_NAMES), rawData);

async function drain(body: string | Uint8Array<ArrayBuffer>): Promise<unknown> {
  const fetch = fakeFetch([new Response(body, { headers: { "content-type": "text/event-stream" } })]);
  try {
    for await (const message of streamRequest(queryBody() as never, "Fuzzed", TEST_KEY, {
      baseUrl: "http://fuzz.test/bot/",
      fetch,
      retries: 1,
      onError: () => {},
      maxEventBytes: 4096,
    })) {
      expect(message instanceof PartialResponse || message instanceof DataResponse).toBe(true);
    }
    return undefined;
  } catch (error) {
    return error;
  }
}

describe("streamRequest against generated responses", () => {
  it("yields response objects or throws a PoeError, for any sequence of events", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(event, { maxLength: 12 }), async (events) => {
        const body = events.map(([name, value]) => `event: ${name}\ndata: ${value}\n\n`).join("");
        const error = await drain(body);
        if (error !== undefined) expect(error).toBeInstanceOf(PoeError);
      }),
      { numRuns: 300 },
    );
  });

  it("yields response objects or throws a PoeError, for random bytes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), async (generated) => {
        const bytes = new Uint8Array(generated);
        const error = await drain(bytes);
        if (error !== undefined) expect(error).toBeInstanceOf(PoeError);
      }),
      { numRuns: 200 },
    );
  });
});
