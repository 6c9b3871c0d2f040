import { SseDecoder } from "poekit/protocol";
import { describe, expect, it } from "vitest";
import { readRecordedHttp, recordedText } from "../../../poekit/src/test-support/recorded-http.js";
import { normalizeSettings } from "../bots/settings.js";
import { DEFAULT_EXCHANGE_LIMITS } from "./exchange-limits.js";
import { ResponseGrader } from "./response-grader.js";

/** A recorded fastapi_poe response graded as the simulator grades a bot's answer. */
function grade(name: string, options: { toolsOffered?: boolean } = {}) {
  const grader = new ResponseGrader(DEFAULT_EXCHANGE_LIMITS, {}, () => 0, options);
  const decoder = new SseDecoder({ onComment: (text) => grader.keepAlive(":", text) });
  for (const event of [...decoder.push(readRecordedHttp(name).body), ...decoder.end()]) grader.event(event);
  grader.streamEnded();
  return grader;
}

describe("the simulator's grader on fastapi_poe's recorded responses", () => {
  it.each([
    "response-echo.http",
    "response-features.http",
    "response-error.http",
    "response-slow-with-ping.http",
    "response-file-event.http",
  ])("%s breaks no rule", (name) => {
    const grader = grade(name);
    expect(grader.violations).toEqual([]);
    expect(grader.doneReceived).toBe(true);
  });

  it("response-model-tool-calls.http breaks no rule when the request carried tools", () => {
    expect(grade("response-model-tool-calls.http", { toolsOffered: true }).violations).toEqual([]);
  });

  it("response-model-tool-calls.http is an answer without text when the request offered no tools", () => {
    expect(grade("response-model-tool-calls.http").violations.map((v) => v.rule)).toEqual([
      "no-text-or-error",
    ]);
  });
});

describe("the simulator takes a Python bot's settings", () => {
  it.each(["response-settings.http", "response-settings-parameter-controls.http"])("%s", (name) => {
    const settings = normalizeSettings(JSON.parse(recordedText(name)));
    expect(settings.introductionMessage).toBe(JSON.parse(recordedText(name)).introduction_message || null);
  });

  it("keeps the parameter controls, their nulls standing for unset values", () => {
    const settings = normalizeSettings(JSON.parse(recordedText("response-settings-parameter-controls.http")));
    expect(settings.parameterControls?.sections.map((section) => section.name)).toEqual(["Basics", null]);
  });
});
