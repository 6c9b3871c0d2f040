import { describe, expect, it } from "vitest";
import { LazyAbort } from "./lazy-abort.js";

describe("LazyAbort", () => {
  it("aborts a signal read before the abort", () => {
    const lazy = new LazyAbort();
    const signal = lazy.signal;
    expect(signal.aborted).toBe(false);
    lazy.abort(new Error("gone"));
    expect(signal.aborted).toBe(true);
    expect((signal.reason as Error).message).toBe("gone");
  });

  it("hands out an aborted signal when read after the abort, and keeps the first reason", () => {
    const lazy = new LazyAbort();
    lazy.abort("first");
    lazy.abort("second");
    expect(lazy.signal.aborted).toBe(true);
    expect(lazy.signal.reason).toBe("first");
  });
});
