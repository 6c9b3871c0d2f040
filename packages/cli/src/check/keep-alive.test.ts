import { describe, expect, it } from "vitest";
import { judgeKeepAlive } from "./keep-alive.js";

describe("judgeKeepAlive", () => {
  it("passes a bot that paused and pinged every interval", () => {
    expect(
      judgeKeepAlive(
        { startMs: 0, endMs: 40_000, eventTimes: [10, 40_000], keepAliveTimes: [15_000, 30_000] },
        15_000,
      ),
    ).toEqual({ status: "pass", longestPauseMs: 39_990, longestSilenceMs: 15_000, allowedSilenceMs: 18_000 });
  });

  it("fails a silence longer than the interval and its allowance, pings or not", () => {
    expect(
      judgeKeepAlive({ startMs: 0, endMs: 20_000, eventTimes: [20_000], keepAliveTimes: [] }, 15_000).status,
    ).toBe("fail");
    // A ping at 15 s, then nothing for 19 s.
    expect(
      judgeKeepAlive({ startMs: 0, endMs: 34_000, eventTimes: [34_000], keepAliveTimes: [15_000] }, 15_000)
        .status,
    ).toBe("fail");
    // The silence before the end of a response that never sent done counts too.
    expect(
      judgeKeepAlive({ startMs: 100, endMs: 30_000, eventTimes: [200], keepAliveTimes: [] }, 15_000).status,
    ).toBe("fail");
  });

  it("tolerates a ping a little late, and skips a bot that never paused", () => {
    expect(
      judgeKeepAlive({ startMs: 0, endMs: 17_000, eventTimes: [17_000], keepAliveTimes: [16_500] }, 15_000)
        .status,
    ).toBe("pass");
    expect(
      judgeKeepAlive({ startMs: 5, endMs: 900, eventTimes: [10, 500, 900], keepAliveTimes: [] }, 15_000),
    ).toEqual({
      status: "skip",
      longestPauseMs: 490,
      longestSilenceMs: 490,
      allowedSilenceMs: 18_000,
    });
  });
});
