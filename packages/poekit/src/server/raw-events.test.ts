import { describe, expect, it } from "vitest";
import { silentLogger } from "../core/logger.js";
import type { RawEvent } from "../core/responses.js";
import { post, queryBody, readEvents } from "../test-support/requests.js";
import { makeApp } from "./make-app.js";
import { PoeBot } from "./poe-bot.js";
import { doneEvent, errorEvent, metaEvent } from "./raw-events.js";

describe("metaEvent", () => {
  it("fills in the protocol's defaults", () => {
    expect(metaEvent()).toEqual({
      event: "meta",
      data: {
        content_type: "text/markdown",
        refetch_settings: false,
        linkify: true,
        suggested_replies: false,
      },
    });
  });

  it("takes every field given, false included", () => {
    expect(
      metaEvent({
        content_type: "text/plain",
        refetch_settings: true,
        linkify: false,
        suggested_replies: true,
      }),
    ).toEqual({
      event: "meta",
      data: { content_type: "text/plain", refetch_settings: true, linkify: false, suggested_replies: true },
    });
  });
});

describe("errorEvent", () => {
  it("allows a retry by default and sends no field it was not given", () => {
    expect(errorEvent()).toEqual({ event: "error", data: { allow_retry: true } });
  });

  it("takes every field given", () => {
    expect(
      errorEvent({
        text: "Upstream failed",
        raw_response: { status: 502 },
        allow_retry: false,
        error_type: "insufficient_fund",
      }),
    ).toEqual({
      event: "error",
      data: {
        allow_retry: false,
        text: "Upstream failed",
        raw_response: { status: 502 },
        error_type: "insufficient_fund",
      },
    });
  });

  it("leaves out null fields rather than sending null", () => {
    expect(errorEvent({ text: null, raw_response: null, error_type: null, allow_retry: false })).toEqual({
      event: "error",
      data: { allow_retry: false },
    });
  });
});

describe("doneEvent", () => {
  it("is done with an empty object", () => {
    expect(doneEvent()).toEqual({ event: "done", data: {} });
  });
});

describe("raw events yielded by a bot", () => {
  it("go on the wire as built", async () => {
    class RawBot extends PoeBot {
      override async *getResponse(): AsyncGenerator<RawEvent> {
        yield metaEvent({ content_type: "text/plain", linkify: false });
        yield errorEvent({ text: "Out of credit", allow_retry: false, error_type: "insufficient_fund" });
      }
    }
    const app = makeApp(new RawBot(), { allowWithoutKey: true, logger: silentLogger, env: {} });
    const events = await readEvents(await app.fetch(post(queryBody())));
    expect(events).toEqual([
      {
        event: "meta",
        data: {
          content_type: "text/plain",
          refetch_settings: false,
          linkify: false,
          suggested_replies: false,
        },
      },
      {
        event: "error",
        data: { allow_retry: false, text: "Out of credit", error_type: "insufficient_fund" },
      },
      { event: "done", data: {} },
    ]);
  });
});
