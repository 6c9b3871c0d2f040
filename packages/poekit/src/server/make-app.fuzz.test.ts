import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type * as z from "zod/mini";
import { MAX_JSON_DEPTH } from "../protocol/json-depth.js";
import { QueryRequestSchema } from "../protocol/query-request.js";
import { ReportErrorRequestSchema } from "../protocol/report-error-request.js";
import { ReportFeedbackRequestSchema } from "../protocol/report-feedback-request.js";
import { ReportReactionRequestSchema } from "../protocol/report-reaction-request.js";
import { SettingsRequestSchema } from "../protocol/settings-request.js";
import {
  fuzzRequest,
  fuzzRuns,
  fuzzTimeout,
  nestedJsonText,
  toRequest,
} from "../test-support/fuzz-inputs.js";
import { queryBody, readEvents, recordingLogger, TEST_KEY } from "../test-support/requests.js";
import { makeApp } from "./make-app.js";
import { PoeBot } from "./poe-bot.js";
import type { RequestContext } from "./request-context.js";

/** What the handler may answer to anything at all. */
const ALLOWED_STATUSES = [200, 400, 401, 404, 405, 413, 501];
const RUNS = fuzzRuns(2_000);
/** Small enough that generated huge strings cross it, so 413 is reached too. */
const MAX_BODY_BYTES = 200_000;
const RIGHT_KEY = new RegExp(`^\\s*bearer\\s+${TEST_KEY}\\s*$`, "i");

/**
 * A bot whose every hook checks what it was given: input that fails the SDK's own schema, or a hook
 * called for a request without the right key, is recorded as a problem (a throw would only be logged).
 */
class InspectingBot extends PoeBot {
  readonly problems: string[] = [];
  readonly calls = { query: 0, settings: 0, report_feedback: 0, report_reaction: 0, report_error: 0 };

  constructor() {
    super({ accessKey: TEST_KEY, botName: "Inspector" });
  }

  #check(
    hook: keyof InspectingBot["calls"],
    schema: z.ZodMiniType,
    request: unknown,
    context: RequestContext,
  ) {
    this.calls[hook]++;
    const parsed = schema.safeParse(request);
    if (!parsed.success)
      this.problems.push(`${hook} got invalid input: ${parsed.error.message.slice(0, 300)}`);
    if ((request as { type?: unknown }).type !== hook)
      this.problems.push(`${hook} got type ${String((request as { type?: unknown }).type)}`);
    if (!RIGHT_KEY.test(context.request.headers.get("authorization") ?? "")) {
      this.problems.push(`${hook} ran for a request without the right key`);
    }
  }

  override async *getResponseWithContext(request: never, context: RequestContext) {
    this.#check("query", QueryRequestSchema, request, context);
    yield "ok";
  }
  override async getSettingsWithContext(request: never, context: RequestContext) {
    this.#check("settings", SettingsRequestSchema, request, context);
    return { introduction_message: "hi" };
  }
  override async onFeedbackWithContext(request: never, context: RequestContext) {
    this.#check("report_feedback", ReportFeedbackRequestSchema, request, context);
  }
  override async onReactionWithContext(request: never, context: RequestContext) {
    this.#check("report_reaction", ReportReactionRequestSchema, request, context);
  }
  override async onErrorWithContext(request: never, context: RequestContext) {
    this.#check("report_error", ReportErrorRequestSchema, request, context);
  }
}

/** Checks one answer against the rules for bad input; returns the `detail` of an error answer. */
async function checkAnswer(response: Response, method: string): Promise<void> {
  expect(ALLOWED_STATUSES).toContain(response.status);
  const type = response.headers.get("content-type") ?? "";
  if (response.status !== 200) {
    expect(type).toBe("application/json");
    const body = (await response.json()) as { detail?: unknown };
    expect(body.detail).toEqual(expect.any(String));
    if (response.status === 401) expect(response.headers.get("www-authenticate")).toBe("Bearer");
    return;
  }
  if (method === "GET" || method === "HEAD") {
    expect(type).toMatch(/^text\/html/);
    await response.arrayBuffer();
  } else if (type.startsWith("text/event-stream")) {
    const events = await readEvents(response);
    expect(events.at(-1)?.event).toBe("done");
  } else {
    expect(type).toBe("application/json");
    await response.json();
  }
}

describe("makeApp under generated bad input", () => {
  it(`answers ${RUNS} generated requests with an allowed status and JSON detail, calls hooks only with valid input, and keeps serving`, {
    timeout: fuzzTimeout(RUNS, 8),
  }, async () => {
    const bot = new InspectingBot();
    const logger = recordingLogger();
    const app = makeApp(bot, { logger, maxBodyBytes: MAX_BODY_BYTES, env: {}, syncSettings: false });
    const statuses = new Map<number, number>();

    await fc.assert(
      fc.asyncProperty(fuzzRequest, async (generated) => {
        const response = await app.fetch(toRequest(generated, "http://bot.test"));
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        await checkAnswer(response, generated.method);
      }),
      { numRuns: RUNS },
    );

    expect(bot.problems).toEqual([]);
    // Nothing the fuzzer sent is a bug in poekit, so nothing was logged as an unexpected failure.
    expect(logger.lines.filter((line) => line.includes("Unexpected failure"))).toEqual([]);
    expect(app.openStreams).toBe(0);
    // The generators reach every hook and every refusal, so the properties above say something.
    for (const [hook, count] of Object.entries(bot.calls)) expect([hook, count > 0]).toEqual([hook, true]);
    for (const status of ALLOWED_STATUSES) expect([status, statuses.has(status)]).toEqual([status, true]);
    console.info(
      `makeApp fuzz: ${RUNS} requests; statuses ${JSON.stringify(Object.fromEntries(statuses))}; hook calls ${JSON.stringify(bot.calls)}`,
    );

    const after = await app.fetch(
      new Request("http://bot.test/", {
        method: "POST",
        headers: { authorization: `Bearer ${TEST_KEY}` },
        body: JSON.stringify(queryBody("still serving")),
      }),
    );
    expect((await readEvents(after)).map((event) => event.event)).toEqual(["text", "done"]);
  });

  it("refuses JSON nested past the depth limit with 400, and accepts it at the limit", async () => {
    const app = makeApp(new InspectingBot(), { logger: recordingLogger(), env: {}, syncSettings: false });
    // The body, `query`, the message and `parameters` are four levels; the array fills up the rest.
    const withParameters = (levels: number) =>
      JSON.stringify(
        queryBody("deep", { query: [{ role: "user", content: "deep", parameters: { a: 0 } }] }),
      ).replace('{"a":0}', `{"a":${nestedJsonText(levels, "array")}}`);
    const send = (body: string) =>
      app.fetch(
        new Request("http://bot.test/", {
          method: "POST",
          headers: { authorization: `Bearer ${TEST_KEY}` },
          body,
        }),
      );

    const atLimit = await send(withParameters(MAX_JSON_DEPTH - 4));
    expect(atLimit.status).toBe(200);
    expect((await readEvents(atLimit)).at(-1)?.event).toBe("done");
    // Under a key the schema does not know, in the request or in a message, the same limits hold.
    const underUnknownKey = (levels: number, where: "request" | "message") =>
      JSON.stringify(
        where === "request"
          ? queryBody("deep", { extra: { a: 0 } })
          : queryBody("deep", { query: [{ role: "user", content: "deep", extra: { a: 0 } }] }),
      ).replace('{"a":0}', nestedJsonText(levels, "array"));
    expect((await send(underUnknownKey(MAX_JSON_DEPTH - 1, "request"))).status).toBe(200);
    expect((await send(underUnknownKey(MAX_JSON_DEPTH - 3, "message"))).status).toBe(200);
    const refusals = [
      withParameters(MAX_JSON_DEPTH - 3),
      withParameters(100_000),
      underUnknownKey(MAX_JSON_DEPTH, "request"),
      underUnknownKey(MAX_JSON_DEPTH - 2, "message"),
      underUnknownKey(100_000, "message"),
    ];
    for (const body of refusals) {
      const refused = await send(body);
      expect(refused.status).toBe(400);
      expect(await refused.json()).toEqual({
        detail: `The request body's JSON nests more than ${MAX_JSON_DEPTH} levels deep.`,
      });
    }
  });
});
