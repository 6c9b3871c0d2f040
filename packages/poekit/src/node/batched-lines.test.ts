import { describe, expect, it } from "vitest";
import { BATCH_MS, batchedLines } from "./batched-lines.js";

/** Until the batch has been written: one timer of BATCH_MS, set after the line's, fires after it. */
const nextTurn = () => new Promise((resolve) => setTimeout(resolve, BATCH_MS));

describe("batchedLines", () => {
  it("writes lines that come together in one write, each ended by a line break", async () => {
    const chunks: string[] = [];
    const writeLine = batchedLines((chunk) => chunks.push(chunk));
    writeLine("one");
    writeLine("two");
    expect(chunks).toEqual([]);
    await nextTurn();
    writeLine("three");
    await nextTurn();
    expect(chunks).toEqual(["one\ntwo\n", "three\n"]);
  });

  it("writes a large batch at once", () => {
    const chunks: string[] = [];
    const writeLine = batchedLines((chunk) => chunks.push(chunk));
    const line = "x".repeat(1023);
    for (let count = 0; count < 64; count++) writeLine(line);
    expect(chunks).toEqual([`${line}\n`.repeat(64)]);
  });

  it("drops a batch whose write throws, and writes the next", async () => {
    const chunks: string[] = [];
    let fail = true;
    const writeLine = batchedLines((chunk) => {
      if (fail) throw new Error("EPIPE");
      chunks.push(chunk);
    });
    writeLine("lost");
    await nextTurn();
    fail = false;
    writeLine("kept");
    await nextTurn();
    expect(chunks).toEqual(["kept\n"]);
  });
});
