import { describe, expect, it } from "vitest";
import { BotErrorNoRetry } from "../core/errors.js";
import { DataResponse, MetaResponse, PartialResponse } from "../core/responses.js";
import { SseDecoder } from "../protocol/sse-decoder.js";
import { readRecordedHttp } from "../test-support/recorded-http.js";
import { ResponseReader, type Verdict } from "./response-reader.js";

/** A recorded fastapi_poe response through the decoder and the client's reader, as streamRequest reads it. */
function read(name: string, toolsSent = false) {
  const reader = new ResponseReader({ botName: "Bot", messageId: "m-1", toolsSent });
  const decoder = new SseDecoder();
  const events = [...decoder.push(readRecordedHttp(name).body), ...decoder.end()];
  const messages: Array<PartialResponse | DataResponse> = [];
  const verdicts: Verdict[] = [];
  for (const event of events) {
    const out = reader.read(event);
    if (out instanceof PartialResponse || out instanceof DataResponse) messages.push(out);
    else verdicts.push(out);
  }
  return { messages, verdicts, incomplete: decoder.hadIncompleteEvent };
}

/** Violations the reader would report to the bot (none expected from the reference library). */
const violations = (verdicts: Verdict[]) =>
  verdicts.filter((verdict) => "violation" in verdict && verdict.violation);

describe("recorded fastapi_poe responses through the client's reader", () => {
  it("response-echo: text, done", () => {
    const { messages, verdicts } = read("response-echo.http");
    expect(messages.map((m) => (m as PartialResponse).text)).toEqual(["What is the capital of Nepal?"]);
    expect(violations(verdicts)).toEqual([]);
  });

  it("response-features: meta first, replacement, suggested reply, data", () => {
    const { messages, verdicts } = read("response-features.http");
    expect(messages[0]).toBeInstanceOf(MetaResponse);
    expect(messages.at(-1)).toEqual(new DataResponse({ metadata: '{"turn": 1}' }));
    expect(messages.filter((m) => m instanceof PartialResponse && m.is_suggested_reply)).toHaveLength(1);
    expect(violations(verdicts)).toEqual([]);
  });

  it("response-error: the error event throws BotErrorNoRetry", () => {
    expect(() => read("response-error.http")).toThrow(BotErrorNoRetry);
  });

  it("response-slow-with-ping: the keep-alive comments are no events", () => {
    const { messages, verdicts, incomplete } = read("response-slow-with-ping.http");
    expect(messages.length).toBeGreaterThan(0);
    expect(violations(verdicts)).toEqual([]);
    expect(incomplete).toBe(false);
  });

  it("response-file-event (chunked): two attachments, the second with a null inline_ref, then text", () => {
    const { messages, verdicts } = read("response-file-event.http");
    const [first, second, text] = messages as PartialResponse[];
    expect(first?.attachment).toMatchObject({ name: "swatch.png", inline_ref: "WdbRQwQy" });
    expect(second?.attachment).toMatchObject({ name: "notes.txt", inline_ref: null });
    expect(text?.text).toBe("Here is the swatch.");
    expect(violations(verdicts)).toEqual([]);
  });

  it("response-model-tool-calls: json chunks and no text are a normal answer when tools were sent", () => {
    const { messages, verdicts } = read("response-model-tool-calls.http", true);
    expect(messages).toHaveLength(4);
    expect(messages.every((m) => m instanceof PartialResponse && m.data !== null)).toBe(true);
    expect(violations(verdicts)).toEqual([]);
  });
});
