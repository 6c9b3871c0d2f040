// fastapi_poe's recorded answers, replayed byte for byte by a stand-in server, read by `poekit chat`
// and judged by `poekit check`: what a real Python bot sends must pass both.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type RawExchange,
  type RawSseServer,
  startRawSseServer,
} from "../../poekit/src/test-support/raw-sse-server.js";
import { readRecordedHttp } from "../../poekit/src/test-support/recorded-http.js";
import { selectChecks } from "./check/catalog.js";
import { runChecks } from "./check/run-checks.js";
import { driveChat } from "./test-support/drive-chat.js";

const KEY = "recorded0123456789abcdefghijklmn";

/** Each recorded query answer, with a line `poekit chat` must print for it. */
const ANSWERS = [
  { file: "response-echo.http", shows: "What is the capital of Nepal?" },
  { file: "response-error.http", shows: "upstream broke" },
  { file: "response-features.http", shows: "final answer" },
  { file: "response-file-event.http", shows: "Here is the swatch." },
  { file: "response-slow-with-ping.http", shows: "ab" },
] as const;

/** The checks that judge a query's answer and the settings: the rest probe how a bot reads requests. */
const ANSWER_CHECKS = [
  "settings-json",
  "settings-schema",
  "query-status",
  "query-event-grammar",
  "query-meta-first",
  "query-content",
  "query-done",
  "query-limits",
];

/** Answers settings with the recorded settings and every query with one recorded answer, as recorded. */
function replay(answer: string) {
  const settings = readRecordedHttp("response-settings-parameter-controls.http");
  const query = readRecordedHttp(answer);
  return ({ response, body }: RawExchange) => {
    const recorded = body.type === "settings" ? settings : query;
    response.writeHead(200, { "content-type": recorded.headers.get("content-type") ?? "text/event-stream" });
    response.end(recorded.body);
  };
}

describe("a Python bot's recorded answers", () => {
  let raw: RawSseServer;

  beforeAll(async () => {
    raw = await startRawSseServer(
      Object.fromEntries(ANSWERS.map(({ file }) => [file.replace(".http", ""), replay(file)])),
    );
  });
  afterAll(() => raw.close());

  for (const { file, shows } of ANSWERS) {
    const url = () => `${raw.baseUrl}${file.replace(".http", "")}`;

    it(`${file}: poekit check finds nothing wrong with the answer or the settings`, async () => {
      const run = await runChecks({ url: url(), accessKey: KEY, selected: selectChecks(ANSWER_CHECKS) });
      if (!run.ok) throw new Error(run.message);
      const wrong = run.results.filter((result) => result.status === "fail" || result.status === "warn");
      expect(wrong).toEqual([]);
      expect(run.results.map((result) => result.id).sort()).toEqual([...ANSWER_CHECKS].sort());
    });

    it(`${file}: poekit chat shows "${shows}" and ends cleanly`, async () => {
      const { code, output, errors } = await driveChat(url(), ["hello"], { accessKey: KEY });
      expect({ code, errors }).toMatchObject({ code: 0 });
      expect(output + errors).toContain(shows);
      expect(raw.reports).toEqual([]);
    });
  }
});
