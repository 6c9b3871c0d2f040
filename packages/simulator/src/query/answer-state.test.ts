import { describe, expect, it } from "vitest";
import { applyEvent, createAnswer } from "./answer-state.js";

describe("answer state", () => {
  it("starts empty, as Markdown", () => {
    expect(createAnswer()).toEqual({
      content: "",
      contentType: "text/markdown",
      suggestedReplies: [],
      files: [],
      metadata: null,
      error: null,
      done: false,
      refetchSettings: false,
    });
  });

  it("notes a meta event's refetch_settings", () => {
    const asked = applyEvent(createAnswer(), { event: "meta", data: { refetch_settings: true } });
    expect(asked.refetchSettings).toBe(true);
    expect(applyEvent(createAnswer(), { event: "meta", data: {} }).refetchSettings).toBe(false);
  });

  it("appends text, replaces it, and appends after a replacement", () => {
    const answer = createAnswer();
    applyEvent(answer, { event: "text", data: { text: "Hel" } });
    applyEvent(answer, { event: "text", data: { text: "lo" } });
    expect(answer.content).toBe("Hello");
    applyEvent(answer, { event: "replace_response", data: { text: "Bye" } });
    applyEvent(answer, { event: "text", data: { text: "!" } });
    expect(answer.content).toBe("Bye!");
  });

  it("updates in place and returns the same answer", () => {
    const answer = createAnswer();
    expect(applyEvent(answer, { event: "done", data: {} })).toBe(answer);
    expect(answer.done).toBe(true);
  });

  it("renders Markdown by default and any other declared content type as plain text (docs/protocol.md §1.8)", () => {
    const plain = applyEvent(createAnswer(), { event: "meta", data: { content_type: "text/plain" } });
    expect(plain.contentType).toBe("text/plain");
    const other = applyEvent(createAnswer(), { event: "meta", data: { content_type: "text/html" } });
    expect(other.contentType).toBe("text/plain");
    const markdown = applyEvent(createAnswer(), { event: "meta", data: { content_type: "text/markdown" } });
    expect(markdown.contentType).toBe("text/markdown");
    expect(applyEvent(createAnswer(), { event: "meta", data: {} }).contentType).toBe("text/markdown");
  });

  it("collects suggested replies and files, keeps the last data event", () => {
    const answer = createAnswer();
    applyEvent(answer, { event: "suggested_reply", data: { text: "One" } });
    applyEvent(answer, { event: "suggested_reply", data: { text: "Two" } });
    applyEvent(answer, {
      event: "file",
      data: { url: "https://f.test/cat.png", content_type: "image/png", name: "cat.png", inline_ref: "ab12" },
    });
    applyEvent(answer, {
      event: "file",
      data: { url: "https://f.test/a.txt", content_type: "text/plain", name: "a.txt" },
    });
    applyEvent(answer, { event: "data", data: { metadata: "first" } });
    applyEvent(answer, { event: "data", data: { metadata: "second" } });
    applyEvent(answer, { event: "json", data: { choices: [] } });
    expect(answer.suggestedReplies).toEqual(["One", "Two"]);
    expect(answer.files).toEqual([
      {
        fileId: null,
        url: "https://f.test/cat.png",
        name: "cat.png",
        contentType: "image/png",
        inlineRef: "ab12",
      },
      {
        fileId: null,
        url: "https://f.test/a.txt",
        name: "a.txt",
        contentType: "text/plain",
        inlineRef: null,
      },
    ]);
    expect(answer.metadata).toBe("second");
    expect(answer.content).toBe("");
  });

  it("turns an error event into the page's error, retry allowed unless the bot says otherwise", () => {
    const bare = applyEvent(createAnswer(), { event: "error", data: {} });
    expect(bare.error).toEqual({ text: "", allowRetry: true, errorType: null, rawResponse: null });
    const full = applyEvent(createAnswer(), {
      event: "error",
      data: {
        allow_retry: false,
        text: "Too long",
        error_type: "user_message_too_long",
        raw_response: { upstream: 413 },
      },
    });
    expect(full.error).toEqual({
      text: "Too long",
      allowRetry: false,
      errorType: "user_message_too_long",
      rawResponse: '{"upstream":413}',
    });
    expect(
      applyEvent(createAnswer(), { event: "error", data: { raw_response: "plain" } }).error?.rawResponse,
    ).toBe("plain");
  });

  it("keeps the first error: Poe ends the response there", () => {
    // Before, a second error event replaced the first.
    const answer = createAnswer();
    applyEvent(answer, { event: "error", data: { text: "first" } });
    applyEvent(answer, { event: "error", data: { text: "second", allow_retry: false } });
    expect(answer.error).toMatchObject({ text: "first", allowRetry: true });
  });

  it("shows a meta whose content_type is null as Markdown, null being absent", () => {
    // Before, null was taken for a declared type other than Markdown, and shown as plain text.
    const answer = applyEvent(createAnswer(), { event: "meta", data: { content_type: null } });
    expect(answer.contentType).toBe("text/markdown");
  });
});
