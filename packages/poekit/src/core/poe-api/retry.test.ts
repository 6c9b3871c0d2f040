import { describe, expect, it } from "vitest";
import { abortableSleep, backoffDelay, isRetryableStatus, parseRetryAfter, retryPolicy } from "./retry.js";

describe("retry policy", () => {
  it("defaults to two tries and accepts a number or options", () => {
    expect(retryPolicy().tries).toBe(2);
    expect(retryPolicy(5).tries).toBe(5);
    expect(retryPolicy({ baseDelayMs: 10 }).baseDelayMs).toBe(10);
    expect(retryPolicy({ tries: undefined }).tries).toBe(2);
  });

  it("refuses tries below one", () => {
    expect(() => retryPolicy(0)).toThrow(/at least 1/);
    expect(() => retryPolicy(1.5)).toThrow(/whole number/);
  });

  it("retries timeouts, rate limits and server errors only", () => {
    expect([408, 429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 413, 422].some(isRetryableStatus)).toBe(false);
  });

  it("backs off exponentially with jitter between half and all of the step, capped", () => {
    const low = retryPolicy({ baseDelayMs: 100, maxDelayMs: 1000, random: () => 0 });
    const high = retryPolicy({ baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.999999 });
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(low, n))).toEqual([50, 100, 200, 400, 500, 500]);
    expect([1, 2, 3].map((n) => backoffDelay(high, n))).toEqual([100, 200, 400]);
  });

  it("honours retry-after in seconds or as a date, up to the policy's maximum", () => {
    const policy = retryPolicy({ maxRetryAfterMs: 5_000, now: () => Date.parse("2026-01-01T00:00:00Z") });
    expect(backoffDelay(policy, 1, "2")).toBe(2_000);
    expect(backoffDelay(policy, 1, "0.5")).toBe(500);
    expect(backoffDelay(policy, 1, "Thu, 01 Jan 2026 00:00:03 GMT")).toBe(3_000);
    expect(backoffDelay(policy, 1, "Wed, 31 Dec 2025 00:00:00 GMT")).toBe(0);
    expect(backoffDelay(policy, 1, "60")).toBeUndefined();
  });

  it("ignores a retry-after it cannot read", () => {
    expect(parseRetryAfter("soon", 0)).toBeUndefined();
    expect(parseRetryAfter("", 0)).toBeUndefined();
    expect(parseRetryAfter(null, 0)).toBeUndefined();
  });

  it("sleeps until aborted", async () => {
    const controller = new AbortController();
    const waiting = abortableSleep(60_000, controller.signal);
    controller.abort(new Error("stop"));
    await expect(waiting).rejects.toThrow("stop");
    await expect(abortableSleep(1)).resolves.toBeUndefined();
  });
});
