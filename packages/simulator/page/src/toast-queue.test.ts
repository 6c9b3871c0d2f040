import { describe, expect, it } from "vitest";
import { ToastQueue } from "./toast-queue.ts";

describe("ToastQueue", () => {
  it("shows toasts newest last, errors by default, and tells of each change", () => {
    let changes = 0;
    const toasts = new ToastQueue(() => changes++);
    toasts.show("Sending failed");
    toasts.show("Settings fetched", "info");
    expect(toasts.items).toEqual([
      { id: 1, kind: "error", text: "Sending failed" },
      { id: 2, kind: "info", text: "Settings fetched" },
    ]);
    toasts.dismiss(1);
    expect(toasts.items.map((toast) => toast.id)).toEqual([2]);
    expect(changes).toBe(3);
  });

  it("keeps the five newest, each with its own id", () => {
    const toasts = new ToastQueue(() => {});
    for (let i = 1; i <= 7; i++) toasts.show(`failure ${i}`);
    expect(toasts.items.map((toast) => toast.text)).toEqual([
      "failure 3",
      "failure 4",
      "failure 5",
      "failure 6",
      "failure 7",
    ]);
    expect(new Set(toasts.items.map((toast) => toast.id)).size).toBe(5);
  });
});
