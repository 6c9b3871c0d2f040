import { describe, expect, it } from "vitest";
import { DataResponse, ErrorResponse, MetaResponse, PartialResponse } from "./responses.js";

describe("response classes", () => {
  it("have fastapi_poe's defaults", () => {
    expect(new PartialResponse({ text: "x" })).toMatchObject({
      text: "x",
      is_suggested_reply: false,
      is_replace_response: false,
      attachment: null,
      tool_calls: [],
      index: null,
    });
    expect(new ErrorResponse()).toMatchObject({ text: "", allow_retry: true, error_type: null });
    expect(new MetaResponse()).toMatchObject({
      content_type: "text/markdown",
      suggested_replies: true,
      linkify: true,
      refetch_settings: false,
    });
    expect(new DataResponse({ metadata: "m" }).metadata).toBe("m");
  });

  it("refuse unknown fields, naming them and the known ones", () => {
    const init = { text: "x", isReplaceResponse: true } as unknown as ConstructorParameters<
      typeof PartialResponse
    >[0];
    expect(() => new PartialResponse(init)).toThrow(
      /PartialResponse has no field "isReplaceResponse". Known fields: text,/,
    );
    expect(() => new ErrorResponse({ allowRetry: false } as never)).toThrow(
      /ErrorResponse has no field "allowRetry"/,
    );
    expect(() => new MetaResponse({ contentType: "x" } as never)).toThrow(
      /MetaResponse has no field "contentType"/,
    );
    expect(() => new DataResponse({ metadata: "", meta: 1 } as never)).toThrow(
      /DataResponse has no field "meta"/,
    );
  });

  it("keep subclass fields usable", () => {
    expect(
      new ErrorResponse({ text: "t", allow_retry: false, error_type: "user_message_too_long" }),
    ).toBeInstanceOf(PartialResponse);
  });
});
