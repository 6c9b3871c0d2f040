import { describe, expect, it } from "vitest";
import { readRecordedHttp } from "../test-support/recorded-http.js";
import {
  type Answer,
  answerLengthAfter,
  contentAfter,
  displayedContentType,
  emptyAnswer,
  errorAllowsRetry,
  foldAnswer,
} from "./answer-fold.js";
import { KEEP_ALIVE, ResponseSequence } from "./event-rules.js";
import type { ResponseEvent } from "./response-events.js";
import { SseDecoder } from "./sse-decoder.js";

const fold = (events: ResponseEvent[]): Answer => {
  const answer = emptyAnswer();
  for (const event of events) foldAnswer(answer, event);
  return answer;
};

describe("foldAnswer", () => {
  it.each<[string, ResponseEvent[], Partial<Answer>]>([
    ["nothing: empty Markdown", [], { content: "", contentType: "text/markdown", done: false }],
    [
      "text appended",
      [
        { event: "text", data: { text: "Hel" } },
        { event: "text", data: { text: "lo" } },
      ],
      { content: "Hello" },
    ],
    [
      "a replacement starts over, and text appends to it",
      [
        { event: "text", data: { text: "draft" } },
        { event: "replace_response", data: { text: "final" } },
        { event: "text", data: { text: "!" } },
      ],
      { content: "final!" },
    ],
    [
      "an empty replacement empties the answer",
      [
        { event: "text", data: { text: "a" } },
        { event: "replace_response", data: { text: "" } },
      ],
      { content: "" },
    ],
    [
      "suggested replies are not text",
      [{ event: "suggested_reply", data: { text: "More" } }],
      { content: "", suggestedReplies: ["More"] },
    ],
    [
      "the last data event is kept",
      [
        { event: "data", data: { metadata: "1" } },
        { event: "data", data: { metadata: "2" } },
      ],
      { metadata: "2" },
    ],
    [
      "the first error is kept: Poe ends the response there",
      [
        { event: "error", data: { text: "first" } },
        { event: "error", data: { text: "second" } },
      ],
      { error: { text: "first" } },
    ],
    [
      "meta declares plain text",
      [{ event: "meta", data: { content_type: "text/plain" } }],
      { contentType: "text/plain" },
    ],
    [
      "meta asks for a settings refetch",
      [{ event: "meta", data: { refetch_settings: true } }],
      { refetchSettings: true },
    ],
    [
      "json changes nothing",
      [{ event: "json", data: { choices: [] } }],
      { content: "", files: [], metadata: null },
    ],
    ["done", [{ event: "done", data: {} }], { done: true }],
  ])("%s", (_name, events, expected) => {
    expect(fold(events)).toMatchObject(expected);
  });

  it("keeps files and errors as the records given make them", () => {
    const answer = emptyAnswer<string, boolean>();
    const records = { file: (data: { name: string }) => data.name, error: errorAllowsRetry };
    foldAnswer(
      answer,
      { event: "file", data: { url: "u", content_type: "image/png", name: "a.png" } },
      records,
    );
    foldAnswer(answer, { event: "error", data: { allow_retry: false } }, records);
    expect(answer.files).toEqual(["a.png"]);
    expect(answer.error).toBe(false);
  });

  it("updates in place and returns the same answer", () => {
    const answer = emptyAnswer();
    expect(foldAnswer(answer, { event: "done", data: {} })).toBe(answer);
  });
});

describe("recorded fastapi_poe responses, folded", () => {
  /** The answer Poe would show for a recorded response: its events through the sequence, then folded. */
  function answerOf(name: string, toolsOffered = false): Answer {
    const sequence = new ResponseSequence({ toolsOffered });
    const decoder = new SseDecoder();
    const answer = emptyAnswer();
    for (const sse of [...decoder.push(readRecordedHttp(name).body), ...decoder.end()]) {
      const event = sequence.read(sse);
      if (event !== KEEP_ALIVE && !("rule" in event)) foldAnswer(answer, event);
    }
    return answer;
  }

  it.each<[string, Partial<Answer>]>([
    ["response-echo.http", { content: "What is the capital of Nepal?", done: true, error: null }],
    [
      "response-features.http",
      {
        content: "final answer",
        contentType: "text/plain",
        suggestedReplies: ["tell me more"],
        metadata: '{"turn": 1}',
        refetchSettings: false,
        done: true,
      },
    ],
    [
      "response-error.http",
      { content: "partial", error: { allow_retry: false, text: "upstream broke" }, done: true },
    ],
    ["response-slow-with-ping.http", { content: "ab", done: true }],
    [
      "response-file-event.http",
      {
        content: "Here is the swatch.",
        files: [
          expect.objectContaining({ name: "swatch.png", inline_ref: "WdbRQwQy" }),
          expect.objectContaining({ name: "notes.txt", inline_ref: null }),
        ],
        done: true,
      },
    ],
    ["response-model-tool-calls.http", { content: "", files: [], error: null, done: true }],
  ])("%s", (name, expected) => {
    expect(answerOf(name, name === "response-model-tool-calls.http")).toMatchObject(expected);
  });
});

describe("displayedContentType", () => {
  it.each<[string | null | undefined, string]>([
    [undefined, "text/markdown"],
    [null, "text/markdown"],
    ["text/markdown", "text/markdown"],
    ["text/plain", "text/plain"],
    ["text/html", "text/plain"],
  ])("%s is shown as %s", (declared, shown) => {
    expect(displayedContentType({ content_type: declared })).toBe(shown);
  });
});

describe("errorAllowsRetry", () => {
  it.each<[boolean | null | undefined, boolean]>([
    [undefined, true],
    [null, true],
    [true, true],
    [false, false],
  ])("allow_retry %s: %s", (allowRetry, allowed) => {
    expect(errorAllowsRetry({ allow_retry: allowRetry })).toBe(allowed);
  });
});

describe("the answer's text and length after one more text event", () => {
  it.each<[string, boolean, string, string]>([
    ["Hel", false, "lo", "Hello"],
    ["Hello", true, "Bye", "Bye"],
    ["Hello", true, "", ""],
  ])("contentAfter(%j, %s, %j) is %j", (content, replaces, text, after) => {
    expect(contentAfter(content, replaces, text)).toBe(after);
  });

  it.each<[number, boolean, number, number]>([
    [10, false, 3, 13],
    [10, true, 3, 3],
  ])("answerLengthAfter(%i, %s, %i) is %i", (length, replaces, characters, after) => {
    expect(answerLengthAfter(length, replaces, characters)).toBe(after);
  });
});
