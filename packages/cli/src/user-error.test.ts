import { PoeConfigError, PoeError } from "poekit";
import { describe, expect, it } from "vitest";
import { reportError } from "./report-error.js";
import { toUserError, UserError } from "./user-error.js";

describe("toUserError", () => {
  it("turns the SDK's PoeConfigError into a UserError with its message", () => {
    const cause = new PoeConfigError("Port 8080 is in use; pass --port.");
    const error = toUserError(cause);
    expect(error).toBeInstanceOf(UserError);
    expect(error?.message).toBe("Port 8080 is in use; pass --port.");
    expect(error?.cause).toBe(cause);
  });

  it("turns a UserError of poekit's bin (which loads bot modules here too) into this package's", () => {
    const cause = Object.assign(new Error("bot.ts does not exist; give a .ts file."), { name: "UserError" });
    const error = toUserError(cause);
    expect(error).toBeInstanceOf(UserError);
    expect(error?.message).toBe("bot.ts does not exist; give a .ts file.");
  });

  it("leaves other errors, PoeErrors with another code included, to be reported as bugs", () => {
    expect(toUserError(new Error("boom"))).toBeUndefined();
    expect(toUserError(new PoeError("remote failure", "BOT_ERROR"))).toBeUndefined();
    expect(toUserError("a string")).toBeUndefined();
  });

  it("reports a PoeConfigError on one line with exit code 2", () => {
    let written = "";
    const code = reportError(new PoeConfigError("No access key.\nSet POE_ACCESS_KEY."), {
      write: (text: string) => {
        written += text;
      },
    });
    expect(code).toBe(2);
    expect(written).toBe("poekit: error: No access key. Set POE_ACCESS_KEY.\n");
  });
});
