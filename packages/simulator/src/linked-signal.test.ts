import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { linkSignals } from "./linked-signal.js";
import { TaskTracker } from "./task-tracker.js";

describe("linkSignals", () => {
  it("aborts with the reason of whichever signal aborts first", () => {
    const first = new AbortController();
    const second = new AbortController();
    const linked = linkSignals(first.signal, second.signal);
    expect(linked.signal.aborted).toBe(false);
    second.abort("second");
    expect(linked.signal.aborted).toBe(true);
    expect(linked.signal.reason).toBe("second");
    first.abort("first");
    expect(linked.signal.reason).toBe("second");
  });

  it("is aborted at once when a signal already is", () => {
    const linked = linkSignals(new AbortController().signal, AbortSignal.abort("gone"));
    expect(linked.signal.reason).toBe("gone");
  });

  it("leaves no listener on a long-lived signal once released, however many times it is used", () => {
    const lifelong = new AbortController();
    for (let i = 0; i < 1_000; i++) {
      const call = new AbortController();
      const linked = linkSignals(call.signal, lifelong.signal);
      if (i % 2) call.abort();
      linked.release();
    }
    expect(getEventListeners(lifelong.signal, "abort")).toHaveLength(0);
    const linked = linkSignals(lifelong.signal);
    lifelong.abort("closing");
    expect(linked.signal.reason).toBe("closing");
  });

  it("follows the simulator's shutdown signal from any number of calls at once, without Node's leak warning", async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      const tasks = new TaskTracker();
      const linked = Array.from({ length: 50 }, () =>
        linkSignals(new AbortController().signal, tasks.signal),
      );
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((warning) => warning.name === "MaxListenersExceededWarning")).toEqual([]);
      for (const link of linked) link.release();
    } finally {
      process.off("warning", onWarning);
    }
  });
});
