import { describe, expect, it } from "vitest";
import { POLL_INTERVAL_MS, pollInterval } from "./dev-action.js";

describe("poekit dev --poll", () => {
  it("polls with --poll, or with POEKIT_POLL set to anything but empty, 0 or false", () => {
    expect(pollInterval({ poll: true }, {})).toBe(POLL_INTERVAL_MS);
    for (const value of ["1", "true", "yes"])
      expect(pollInterval({}, { POEKIT_POLL: value })).toBe(POLL_INTERVAL_MS);
    for (const value of ["", "0", "false"]) expect(pollInterval({}, { POEKIT_POLL: value })).toBeUndefined();
    expect(pollInterval({}, {})).toBeUndefined();
  });
});
