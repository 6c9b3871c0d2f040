import { describe, expect, it } from "vitest";
import type { MessageRecord } from "../../src/model.ts";
import { isAhead } from "./record-order.ts";

function snapshot(status: MessageRecord["status"], content = ""): MessageRecord {
  return { id: "m", status, content } as MessageRecord;
}

describe("isAhead", () => {
  it("orders snapshots by status only: pending, streaming, then complete or error", () => {
    expect(isAhead(snapshot("streaming"), snapshot("pending"))).toBe(true);
    expect(isAhead(snapshot("complete"), snapshot("streaming"))).toBe(true);
    expect(isAhead(snapshot("error"), snapshot("streaming"))).toBe(true);
    expect(isAhead(snapshot("complete"), snapshot("error"))).toBe(false);
    // A replace_response shortens the content; the longer older snapshot is not ahead.
    expect(isAhead(snapshot("streaming", "long text"), snapshot("streaming", "short"))).toBe(false);
    expect(isAhead(snapshot("pending"), snapshot("complete"))).toBe(false);
  });
});
