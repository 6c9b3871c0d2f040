import { describe, expect, it } from "vitest";
import { batchedLines } from "./batched-lines.js";

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe("batchedLines", () => {
  it("writes the lines of one turn of the event loop together, each ended by a line break", async () => {
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
