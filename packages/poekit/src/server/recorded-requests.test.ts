import { describe, expect, it } from "vitest";
import type { QueryRequest } from "../protocol/query-request.js";
import { SettingsResponseSchema } from "../protocol/settings-response.js";
import { readRecordedHttp, recordedText } from "../test-support/recorded-http.js";
import { readEvents, recordingLogger } from "../test-support/requests.js";
import { makeApp } from "./make-app.js";
import { PoeBot } from "./poe-bot.js";

/** Keeps what it was asked, answers with the last message. */
class Recorder extends PoeBot {
  readonly seen: QueryRequest[] = [];
  override async *getResponse(request: QueryRequest) {
    this.seen.push(request);
    yield request.query.at(-1)?.content ?? "";
  }
}

/** A recorded request replayed against makeApp: its headers (Authorization too) and exact body. */
async function replay(name: string, bot: PoeBot) {
  const { startLine, headers, body } = readRecordedHttp(name);
  const path = startLine.split(" ")[1] ?? "/";
  const app = makeApp(bot, { allowWithoutKey: true, logger: recordingLogger(), env: {} });
  const sent = new Headers([...headers].filter(([key]) => !["host", "content-length"].includes(key)));
  return app.fetch(new Request(`http://bot.test${path}`, { method: "POST", headers: sent, body }));
}

describe("makeApp accepts the fastapi_poe client's requests, byte for byte", () => {
  it.each([
    "client-request-query.http",
    "client-request-query-tools.http",
    "client-request-query-tool-results.http",
  ])("%s", async (name) => {
    const bot = new Recorder({ path: readRecordedHttp(name).startLine.split(" ")[1] });
    const response = await replay(name, bot);
    expect(response.status).toBe(200);
    const events = await readEvents(response);
    expect(events.map((event) => event.event)).toEqual(["text", "done"]);
    // Everything the client sent reaches the bot; nulls stand for absent values.
    const sent = JSON.parse(recordedText(name));
    expect(bot.seen[0]?.tools ?? null).toEqual(sent.tools);
    expect(bot.seen[0]?.tool_calls ?? null).toEqual(sent.tool_calls);
    expect(bot.seen[0]?.tool_results ?? null).toEqual(sent.tool_results);
    expect(bot.seen[0]?.query[0]?.content).toBe(sent.query[0].content);
  });

  it("client-request-settings.http", async () => {
    class Settings extends PoeBot {
      override async getSettings() {
        return { introduction_message: "hi" };
      }
    }
    const { startLine } = readRecordedHttp("client-request-settings.http");
    const response = await replay(
      "client-request-settings.http",
      new Settings({ path: startLine.split(" ")[1] }),
    );
    expect(response.status).toBe(200);
    const settings = SettingsResponseSchema.parse(await response.json());
    expect(settings.introduction_message).toBe("hi");
  });
});

describe("the fastapi_poe settings replies read through poekit's schema", () => {
  it.each(["response-settings.http", "response-settings-parameter-controls.http"])("%s", (name) => {
    const json = JSON.parse(recordedText(name));
    expect(SettingsResponseSchema.parse(json)).toMatchObject(json);
  });
});
