import { describe, expect, it } from "vitest";
import { selectChecks } from "./catalog.js";
import { maskKey, redactKey } from "./redact.js";

const KEY = "0123456789abcdefghijklmnopqrstuv";

describe("redactKey", () => {
  it("masks the key in every string at any depth, as sent, URL-encoded or JSON-escaped", () => {
    const report = {
      headers: { authorization: `Bearer ${KEY}` },
      body: `{"echo":"${KEY}"}`,
      events: [{ data: `url?key=${encodeURIComponent(KEY)}` }],
      [KEY]: 1,
      count: 3,
    };
    const redacted = redactKey(report, KEY);
    expect(JSON.stringify(redacted)).not.toContain(KEY);
    expect(redacted).toEqual({
      headers: { authorization: "Bearer ••••stuv" },
      body: '{"echo":"••••stuv"}',
      events: [{ data: "url?key=••••stuv" }],
      "••••stuv": 1,
      count: 3,
    });
  });

  it("shows nothing of a short key, and changes nothing without one", () => {
    expect(maskKey("abc")).toBe("••••");
    expect(redactKey({ a: "abc" }, null)).toEqual({ a: "abc" });
  });
});

describe("selectChecks", () => {
  it("takes ids and groups, repeated or comma-separated, a group's spaces written as dashes", () => {
    expect([...selectChecks(["query-done, auth-missing", "forward-compatibility"])]).toEqual([
      "query-done",
      "auth-missing",
      "unknown-fields",
      "unknown-role",
      "unknown-content-type",
      "unknown-feedback-type",
    ]);
    expect(selectChecks([]).size).toBe(31);
  });
});
