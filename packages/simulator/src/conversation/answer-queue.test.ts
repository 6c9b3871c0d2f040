import { describe, expect, it } from "vitest";
import { AnswerQueue } from "./answer-queue.js";

function deferred() {
  let resolve = () => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe("AnswerQueue", () => {
  it("runs the answers of one conversation in order, and other conversations alongside", async () => {
    const queue = new AnswerQueue();
    const order: string[] = [];
    const first = deferred();
    const a1 = queue.enqueue("c-a", async () => {
      order.push("a1 start");
      await first.promise;
      order.push("a1 end");
    });
    const a2 = queue.enqueue("c-a", async () => {
      order.push("a2");
    });
    const b1 = queue.enqueue("c-b", async () => {
      order.push("b1");
    });
    await b1;
    expect(order).toEqual(["a1 start", "b1"]);
    first.resolve();
    await Promise.all([a1, a2]);
    expect(order).toEqual(["a1 start", "b1", "a1 end", "a2"]);
    expect(queue.size).toBe(0);
  });

  it("goes on after a failed answer", async () => {
    const queue = new AnswerQueue();
    const failed = queue.enqueue("c-a", async () => {
      throw new Error("boom");
    });
    let ran = false;
    const next = queue.enqueue("c-a", async () => {
      ran = true;
    });
    await expect(failed).rejects.toThrow("boom");
    await next;
    expect(ran).toBe(true);
  });
});
