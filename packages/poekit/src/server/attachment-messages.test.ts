import { afterEach, describe, expect, it, vi } from "vitest";
import type { ProtocolMessageInit } from "../protocol/protocol-message.js";
import { type QueryRequest, QueryRequestSchema } from "../protocol/query-request.js";
import { concatAttachmentContentToMessageBody, insertAttachmentMessages } from "./attachment-messages.js";
import { imageAttachmentPrompt, textAttachmentPrompt, urlAttachmentPrompt } from "./attachment-templates.js";

function attachment(name: string, contentType: string, parsedContent: string | null) {
  return {
    url: `https://pfst.cf2.poecdn.net/base/${name}`,
    content_type: contentType,
    name,
    inline_ref: null,
    parsed_content: parsedContent,
  };
}

function queryRequest(query: ProtocolMessageInit[]): QueryRequest {
  return QueryRequestSchema.parse({
    version: "1.2",
    type: "query",
    query,
    user_id: "u-1",
    conversation_id: "c-1",
    message_id: "m-1",
  });
}

/** The docs/protocol.md §5 test-3 conversation: a file of every kind on the last message. */
function requestWithEveryKind(): QueryRequest {
  return queryRequest([
    { role: "system", content: "Be brief." },
    { role: "user", content: "Earlier", attachments: [attachment("old.txt", "text/plain", "old text")] },
    { role: "bot", content: "Noted." },
    {
      role: "user",
      content: "What is in these?",
      message_id: "last",
      attachments: [
        attachment("notes.txt", "text/plain", "Buy milk"),
        attachment("photo.png", "image/png", "cat.png***A grey cat"),
        attachment("beach.jpg", "image/jpeg", "Sand and sea"),
        attachment("report.pdf", "application/pdf", "Quarterly numbers"),
        attachment("https://example.com", "text/html", "Example Domain"),
        attachment("clip.mp4", "video/mp4", "a video transcript"),
      ],
    },
  ]);
}

describe("insertAttachmentMessages", () => {
  it("adds text-like files in attachment order, then images, before the unchanged last message", () => {
    const request = requestWithEveryKind();
    const last = request.query[3];

    const result = insertAttachmentMessages(request);

    expect(result.query.slice(0, 3)).toEqual(request.query.slice(0, 3));
    expect(result.query.map((m) => m.content)).toEqual([
      "Be brief.",
      "Earlier",
      "Noted.",
      textAttachmentPrompt({ attachmentName: "notes.txt", parsedContent: "Buy milk" }),
      textAttachmentPrompt({ attachmentName: "report.pdf", parsedContent: "Quarterly numbers" }),
      urlAttachmentPrompt({ attachmentName: "https://example.com", content: "Example Domain" }),
      imageAttachmentPrompt({ filename: "cat.png", parsedImageDescription: "A grey cat" }),
      imageAttachmentPrompt({ filename: "beach.jpg", parsedImageDescription: "Sand and sea" }),
      "What is in these?",
    ]);
    expect(result.query.some((m) => m.content.includes("a video transcript"))).toBe(false);
    expect(result.query.at(-1)).toBe(last);
    expect(result.query.at(-1)?.attachments).toHaveLength(6);
  });

  it("makes the new messages user messages with an empty sender and default fields", () => {
    const result = insertAttachmentMessages(requestWithEveryKind());
    const inserted = result.query.slice(3, -1);
    expect(inserted).toHaveLength(5);
    for (const message of inserted) {
      expect(message).toEqual({
        role: "user",
        message_type: null,
        sender_id: null,
        sender: { id: null, name: null },
        content: message.content,
        parameters: {},
        content_type: "text/markdown",
        timestamp: 0,
        message_id: "",
        feedback: [],
        attachments: [],
        metadata: null,
        referenced_message: null,
        reactions: [],
      });
    }
  });

  it("splits an image's parsed content only at the first ***", () => {
    const request = queryRequest([
      { role: "user", content: "Look", attachments: [attachment("x.png", "image/png", "a.png***b***c")] },
    ]);
    const result = insertAttachmentMessages(request);
    expect(result.query[0]?.content).toBe(
      imageAttachmentPrompt({ filename: "a.png", parsedImageDescription: "b***c" }),
    );
  });

  it("treats any text/* type as a text file and ignores types it does not know", () => {
    const request = queryRequest([
      {
        role: "user",
        content: "Files",
        attachments: [
          attachment("data.json", "application/json", '{"a":1}'),
          attachment("main.py", "text/x-python", "print(1)"),
          attachment("song.mp3", "audio/mpeg", "lyrics"),
        ],
      },
    ]);
    const result = insertAttachmentMessages(request);
    expect(result.query.map((m) => m.content)).toEqual([
      textAttachmentPrompt({ attachmentName: "main.py", parsedContent: "print(1)" }),
      "Files",
    ]);
  });

  it("ignores attachments on earlier messages", () => {
    const request = queryRequest([
      { role: "user", content: "First", attachments: [attachment("a.txt", "text/plain", "alpha")] },
      { role: "bot", content: "Got it" },
      { role: "user", content: "Second" },
    ]);
    // Nothing to insert: the request itself comes back, unchanged.
    expect(insertAttachmentMessages(request)).toBe(request);
    expect(request.query).toHaveLength(3);
  });

  it("ignores attachments without parsed content", () => {
    const request = queryRequest([
      {
        role: "user",
        content: "Here",
        attachments: [
          attachment("a.txt", "text/plain", null),
          attachment("b.txt", "text/plain", ""),
          attachment("c.png", "image/png", null),
        ],
      },
    ]);
    const result = insertAttachmentMessages(request);
    expect(result.query).toEqual(request.query);
  });

  it("does not change the request given", () => {
    const request = requestWithEveryKind();
    const snapshot = structuredClone(request);
    const query = request.query;

    const result = insertAttachmentMessages(request);

    expect(result).not.toBe(request);
    expect(result.query).not.toBe(query);
    expect(request.query).toBe(query);
    expect(request).toEqual(snapshot);
    expect({ ...result, query: snapshot.query }).toEqual(snapshot);
  });

  it("returns a request with an empty query as it is", () => {
    const request = queryRequest([]);
    expect(insertAttachmentMessages(request)).toBe(request);
  });
});

describe("concatAttachmentContentToMessageBody", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  async function freshModule() {
    vi.resetModules();
    return import("./attachment-messages.js");
  }

  it("appends each parsed attachment's prompt to the last message after a blank line", async () => {
    vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    const { concatAttachmentContentToMessageBody: concat } = await freshModule();
    const request = queryRequest([
      { role: "bot", content: "Hello" },
      {
        role: "user",
        content: "Read these",
        attachments: [
          attachment("page", "text/html", "Page text"),
          attachment("notes.txt", "text/plain", "Buy milk"),
          attachment("photo.png", "image/png", "cat.png***A grey cat"),
          attachment("beach.jpg", "image/jpeg", "Sand and sea"),
          attachment("report.pdf", "application/pdf", "Quarterly numbers"),
          attachment("empty.txt", "text/plain", null),
        ],
      },
    ]);
    const snapshot = structuredClone(request);

    const result = concat(request);

    expect(result.query).toHaveLength(2);
    expect(result.query[0]).toBe(request.query[0]);
    expect(result.query[1]?.content).toBe(
      [
        "Read these",
        urlAttachmentPrompt({ attachmentName: "page", content: "Page text" }),
        textAttachmentPrompt({ attachmentName: "notes.txt", parsedContent: "Buy milk" }),
        imageAttachmentPrompt({ filename: "cat.png", parsedImageDescription: "A grey cat" }),
        imageAttachmentPrompt({ filename: "beach.jpg", parsedImageDescription: "Sand and sea" }),
      ].join("\n\n"),
    );
    expect(result.query[1]?.attachments).toEqual(request.query[1]?.attachments);
    expect(request).toEqual(snapshot);
  });

  it("warns once per process that it is deprecated", async () => {
    const emitWarning = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    const { concatAttachmentContentToMessageBody: concat } = await freshModule();
    const request = queryRequest([{ role: "user", content: "Hi" }]);

    concat(request);
    concat(request);
    concat(queryRequest([]));

    expect(emitWarning).toHaveBeenCalledTimes(1);
    expect(emitWarning).toHaveBeenCalledWith(
      expect.stringContaining("insertAttachmentMessages"),
      expect.objectContaining({ type: "DeprecationWarning" }),
    );
  });

  it("falls back to console.warn where process.emitWarning is missing", async () => {
    vi.stubGlobal("process", { ...process, emitWarning: undefined });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const { concatAttachmentContentToMessageBody: concat } = await freshModule();
      concat(queryRequest([{ role: "user", content: "Hi" }]));
      concat(queryRequest([{ role: "user", content: "Hi" }]));
    } finally {
      vi.unstubAllGlobals();
    }
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("deprecated"));
  });

  it("returns a request with an empty query as it is", () => {
    vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    const request = queryRequest([]);
    expect(concatAttachmentContentToMessageBody(request)).toBe(request);
  });
});
