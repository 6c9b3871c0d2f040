import { describe, expectTypeOf, it } from "vitest";
import * as z from "zod";
import {
  type Attachment,
  type BotMessage,
  type BotResponseItem,
  DataResponse,
  defineTool,
  ErrorResponse,
  getFinalResponse,
  MetaResponse,
  PartialResponse,
  PoeBot,
  type ProtocolMessage,
  type QueryRequest,
  type QueryRequestInit,
  type ReportFeedbackRequest,
  type Role,
  type SettingsResponse,
  streamRequest,
} from "./index.js";
import type { mockBots } from "./testing/index.js";

// These assertions are checked by `tsc` (npm run typecheck); at run time they are no-ops.

describe("wire types keep Poe's snake_case", () => {
  it("QueryRequest", () => {
    expectTypeOf<QueryRequest>().toHaveProperty("message_id").toEqualTypeOf<string>();
    expectTypeOf<QueryRequest>().toHaveProperty("conversation_id").toEqualTypeOf<string>();
    expectTypeOf<QueryRequest>().toHaveProperty("access_key").toEqualTypeOf<string>();
    expectTypeOf<QueryRequest>().toHaveProperty("skip_system_prompt").toEqualTypeOf<boolean>();
    expectTypeOf<QueryRequest>().toHaveProperty("temperature").toEqualTypeOf<number | null>();
    expectTypeOf<QueryRequest["query"]>().toEqualTypeOf<ProtocolMessage[]>();
    // Unknown keys are kept (an index signature of unknown), so camelCase names are not typed fields.
    expectTypeOf<QueryRequest["messageId"]>().toBeUnknown();
    expectTypeOf<QueryRequest["conversationId"]>().toBeUnknown();
  });

  it("ProtocolMessage, Attachment, settings and reports", () => {
    expectTypeOf<ProtocolMessage>().toHaveProperty("content_type");
    expectTypeOf<ProtocolMessage>()
      .toHaveProperty("referenced_message")
      .toEqualTypeOf<ProtocolMessage | null>();
    expectTypeOf<ProtocolMessage["contentType"]>().toBeUnknown();
    expectTypeOf<Attachment>().toHaveProperty("parsed_content").toEqualTypeOf<string | null>();
    expectTypeOf<Attachment>().toHaveProperty("inline_ref").toEqualTypeOf<string | null>();
    expectTypeOf<SettingsResponse>().toHaveProperty("introduction_message");
    expectTypeOf<SettingsResponse>().toHaveProperty("server_bot_dependencies");
    expectTypeOf<ReportFeedbackRequest>().toHaveProperty("feedback_type");
    expectTypeOf<ErrorResponse>().toHaveProperty("allow_retry").toEqualTypeOf<boolean>();
    expectTypeOf<PartialResponse>().toHaveProperty("is_replace_response").toEqualTypeOf<boolean>();
  });

  it("unknown roles stay distinct from the known ones", () => {
    expectTypeOf<"user">().toExtend<Role>();
    expectTypeOf<"narrator">().toExtend<Role>();
    expectTypeOf<Role>().not.toEqualTypeOf<string>();
  });
});

describe("a bot's getResponse", () => {
  it("may yield strings and every response class", () => {
    class EveryKind extends PoeBot {
      override async *getResponse(_request: QueryRequest) {
        yield "plain text";
        yield new PartialResponse({ text: "partial" });
        yield new MetaResponse({ content_type: "text/plain" });
        yield new ErrorResponse({ text: "oops" });
        yield new DataResponse({ metadata: "{}" });
        yield { event: "json", data: { any: 1 } };
      }
    }
    expectTypeOf<ReturnType<EveryKind["getResponse"]>>().toExtend<AsyncIterable<BotResponseItem>>();
    expectTypeOf<string>().toExtend<BotResponseItem>();
    expectTypeOf<PartialResponse>().toExtend<BotResponseItem>();
    expectTypeOf<ErrorResponse>().toExtend<BotResponseItem>();
    expectTypeOf<MetaResponse>().toExtend<BotResponseItem>();
    expectTypeOf<DataResponse>().toExtend<BotResponseItem>();
    expectTypeOf<number>().not.toExtend<BotResponseItem>();
  });

  it("rejects a misspelt response field at compile time", () => {
    // Not called: the constructor would also refuse the key at run time (tested in responses.test.ts).
    // @ts-expect-error isReplaceResponse is not a field; is_replace_response is.
    const misspelt = () => new PartialResponse({ text: "x", isReplaceResponse: true });
    expectTypeOf(misspelt).toBeFunction();
  });
});

describe("the client's types", () => {
  it("streams PartialResponse or DataResponse, which a bot may yield as they are", () => {
    expectTypeOf(streamRequest).returns.toEqualTypeOf<AsyncGenerator<BotMessage, void, undefined>>();
    expectTypeOf<BotMessage>().toEqualTypeOf<PartialResponse | DataResponse>();
    expectTypeOf<BotMessage>().toExtend<BotResponseItem>();
    expectTypeOf(getFinalResponse).returns.toEqualTypeOf<Promise<string>>();
  });

  it("takes the request a bot received, and refuses a wrong option", () => {
    expectTypeOf(streamRequest).parameter(0).toExtend<QueryRequestInit>();
    expectTypeOf<QueryRequest>().toExtend<Parameters<typeof streamRequest>[0]>();
    // Never called: only the compiler looks at it.
    const misspelt = () =>
      // @ts-expect-error misspelt option
      streamRequest({} as QueryRequest, "Bot", "key", { toolExecutable: [] });
    expectTypeOf(misspelt).toBeFunction();
  });

  it("types a defined tool's arguments from its schema", () => {
    defineTool({
      name: "t",
      parameters: z.object({ n: z.number() }),
      execute: (args) => expectTypeOf(args).toEqualTypeOf<{ n: number }>(),
    });
  });

  it("gives mock bot handlers the parsed request and the call", () => {
    type Handler = Extract<Parameters<typeof mockBots>[0][string], (...args: never[]) => unknown>;
    expectTypeOf<Parameters<Handler>[0]>().toEqualTypeOf<QueryRequest>();
    expectTypeOf<Parameters<Handler>[1]["signal"]>().toEqualTypeOf<AbortSignal>();
  });
});
