import { readFileSync } from "node:fs";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { ResponseReader } from "../client/response-reader.js";
import { streamRequest } from "../client/stream-request.js";
import { BotError, BotErrorNoRetry } from "../core/errors.js";
import { CostItem } from "../core/poe-api/cost.js";
import { uploadFile } from "../core/poe-api/upload-file.js";
import { DataResponse, ErrorResponse, MetaResponse, PartialResponse } from "../core/responses.js";
import { serializeSettings } from "../core/serialize-settings.js";
import { mapResponseItem } from "../server/event-mapping.js";
import { mockBots } from "../testing/mock-bots.js";
import * as protocol from "./index.js";
import { SseDecoder } from "./sse-decoder.js";

/**
 * Every protocol model of fastapi_poe 0.0.81, minimal and full, as the library dumps them (unset
 * optional fields as `null`): each must be read by poekit's counterpart, and what poekit writes for
 * it must read back as the same thing.
 */

type Json = Record<string, unknown>;
const file = JSON.parse(
  readFileSync(new URL("./fixtures/fastapi_poe/models.json", import.meta.url), "utf8"),
) as { models: { minimal: Record<string, Json>; full: Record<string, Json> } };
const instances = (["minimal", "full"] as const).flatMap((kind) =>
  Object.entries(file.models[kind]).map(([model, value]) => ({ kind, model, value })),
);

/** The schema poekit reads each wire model with. */
const SCHEMAS: Record<string, z.ZodMiniType> = {
  ProtocolMessage: protocol.ProtocolMessageSchema,
  QueryRequest: protocol.QueryRequestSchema,
  SettingsRequest: protocol.SettingsRequestSchema,
  ReportFeedbackRequest: protocol.ReportFeedbackRequestSchema,
  ReportReactionRequest: protocol.ReportReactionRequestSchema,
  ReportErrorRequest: protocol.ReportErrorRequestSchema,
  SettingsResponse: protocol.SettingsResponseSchema,
  Attachment: protocol.AttachmentSchema,
  Sender: protocol.SenderSchema,
  User: protocol.UserSchema,
  CustomToolDefinition: protocol.CustomToolDefinitionSchema,
  CustomCallDefinition: protocol.CustomCallDefinitionSchema,
  ToolDefinition: protocol.ToolDefinitionSchema,
  ToolCallDefinition: protocol.ToolCallDefinitionSchema,
  ToolResultDefinition: protocol.ToolResultDefinitionSchema,
  ToolCallDefinitionDelta: protocol.ToolCallDefinitionDeltaSchema,
};
/** Python-side objects poekit mirrors as classes (a bot yields them; the client makes them). */
const CLASSES: Record<string, (value: Json) => unknown> = {
  PartialResponse: (value) => new PartialResponse(value as never),
  ErrorResponse: (value) => new ErrorResponse(value as never),
  MetaResponse: (value) => new MetaResponse(value as never),
  DataResponse: (value) => new DataResponse(value as never),
  CostItem: (value) => new CostItem(value as never),
};
// AttachmentUploadResponse is Poe's answer to an upload; the upload test below reads it.
const READ_ELSEWHERE = new Set(["AttachmentUploadResponse"]);

let restore: (() => void) | undefined;
afterEach(() => restore?.());

describe("fastapi_poe's models are read by poekit", () => {
  it("every model has a reader here", () => {
    const unmapped = instances
      .map(({ model }) => model)
      .filter((model) => !(model in SCHEMAS) && !(model in CLASSES) && !READ_ELSEWHERE.has(model));
    expect(unmapped).toEqual([]);
  });

  it.each(instances.filter(({ model }) => model in SCHEMAS))(
    "$kind $model parses, nothing lost",
    ({ model, value }) => {
      const parsed = z.parse(SCHEMAS[model] as z.ZodMiniType, value);
      // Every value the library sent is kept as sent (its nulls too); only defaults may be added.
      expect(parsed).toMatchObject(value);
    },
  );

  it.each(instances.filter(({ model }) => model in CLASSES))(
    "$kind $model builds poekit's class with the same fields",
    ({ model, value }) => {
      const made = (CLASSES[model] as (value: Json) => unknown)(value);
      expect({ ...(made as object) }).toEqual(value);
    },
  );

  it("any mix of its optional fields set to null or left out still parses (property)", () => {
    const nullable = instances.filter(({ model }) => model in SCHEMAS);
    fc.assert(
      fc.property(
        fc.constantFrom(...nullable),
        fc.infiniteStream(fc.constantFrom("keep", "null", "drop")),
        ({ model, value }, choices) => {
          const schema = SCHEMAS[model] as z.ZodMiniType;
          // Only fields the library itself sends as null are optional for sure.
          const mixed: Json = {};
          for (const [key, field] of Object.entries(value)) {
            const choice = field === null ? choices.next().value : "keep";
            if (choice === "keep") mixed[key] = field;
            else if (choice === "null") mixed[key] = null;
          }
          expect(z.safeParse(schema, mixed).success).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("what poekit writes for these models reads back the same", () => {
  it.each(["minimal", "full"] as const)("%s SettingsResponse: makeApp's serialized settings", (kind) => {
    const model = file.models[kind].SettingsResponse as Json;
    const written = serializeSettings(model);
    if (!written.ok) throw new Error(written.detail);
    const readBack = protocol.SettingsResponseSchema.parse(JSON.parse(JSON.stringify(written.settings)));
    // The server leaves unset (null) top-level fields out; every set one comes back as the library sent it.
    const set = Object.fromEntries(Object.entries(model).filter(([, value]) => value !== null));
    expect(readBack).toEqual(protocol.SettingsResponseSchema.parse(set));
    expect(readBack).toMatchObject(set);
  });

  it.each(["minimal", "full"] as const)("%s QueryRequest: what streamRequest sends", async (kind) => {
    const model = file.models[kind].QueryRequest as Json;
    const mocks = mockBots({ Model: () => "ok" });
    restore = () => mocks.restore();
    for await (const _ of streamRequest(model as never, "Model", "k".repeat(32))) {
      // drained
    }
    const received = mocks.calls[0]?.request;
    // The client speaks its own protocol version and never forwards the caller's key.
    expect(received).toEqual({
      ...protocol.QueryRequestSchema.parse(model),
      version: protocol.PROTOCOL_VERSION,
      access_key: "<missing>",
      api_key: "<missing>",
    });
  });

  const responses = instances.filter(({ model }) =>
    ["PartialResponse", "MetaResponse", "DataResponse"].includes(model),
  );
  it.each(responses)("$kind $model: the bot's SSE read by the client", ({ model, value }) => {
    const made = (CLASSES[model] as (value: Json) => unknown)(value);
    const read = readEvents(mapResponseItem(made).sse);
    expect(read).toHaveLength(1);
    const back = read[0] as Json;
    if (model === "DataResponse") expect(back).toEqual(value);
    else if (model === "MetaResponse") {
      for (const key of ["content_type", "linkify", "suggested_replies", "refetch_settings"]) {
        expect(back[key], key).toEqual(value[key]);
      }
    } else {
      for (const key of ["text", "is_suggested_reply", "is_replace_response"]) {
        expect(back[key], key).toEqual(value[key]);
      }
    }
  });

  it.each(instances.filter(({ model }) => model === "ErrorResponse"))(
    "$kind ErrorResponse: the client throws it back",
    ({ value }) => {
      const sse = mapResponseItem(new ErrorResponse(value as never)).sse;
      let thrown: unknown;
      try {
        readEvents(sse);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(value.allow_retry ? BotError : BotErrorNoRetry);
      expect((thrown as Error).message).toBe(value.text);
      expect((thrown as BotError).errorType).toBe(value.error_type);
    },
  );

  it("AttachmentUploadResponse: uploadFile reads Poe's answer, its null name and inline_ref included", async () => {
    const answer = file.models.minimal.AttachmentUploadResponse as Json;
    const fetch = async () => new Response(JSON.stringify(answer), { status: 200 });
    const attachment = await uploadFile({ apiKey: "k", fetch, file: new Uint8Array([1]), fileName: "f.png" });
    expect(attachment).toMatchObject({ url: answer.attachment_url, content_type: answer.mime_type });
  });
});

/** SSE text through the decoder and the client's reader, response objects out. */
function readEvents(sse: string): unknown[] {
  const reader = new ResponseReader({ botName: "Bot", messageId: "m-1", toolsSent: false });
  const decoder = new SseDecoder();
  return [...decoder.push(sse), ...decoder.end()]
    .map((event) => reader.read(event))
    .filter((item) => item instanceof PartialResponse || item instanceof DataResponse)
    .map((item) => ({ ...item }));
}
