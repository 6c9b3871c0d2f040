import { describe, expect, it } from "vitest";
import { PoeConfigError } from "../core/errors.js";
import { resolveLogFormat } from "./log-format.js";

describe("resolveLogFormat", () => {
  it("is pretty on a terminal and json otherwise, by default", () => {
    expect(resolveLogFormat(undefined, {}, true)).toBe("pretty");
    expect(resolveLogFormat(undefined, {}, false)).toBe("json");
  });

  it("takes POEKIT_LOG_FORMAT, and the option (or --log-format) over it", () => {
    expect(resolveLogFormat(undefined, { POEKIT_LOG_FORMAT: "json" }, true)).toBe("json");
    expect(resolveLogFormat(undefined, { POEKIT_LOG_FORMAT: "Pretty" }, false)).toBe("pretty");
    expect(resolveLogFormat("json", { POEKIT_LOG_FORMAT: "pretty" }, true)).toBe("json");
  });

  it("refuses anything else, naming where it came from", () => {
    expect(() => resolveLogFormat(undefined, { POEKIT_LOG_FORMAT: "xml" }, true)).toThrow(
      new PoeConfigError('POEKIT_LOG_FORMAT must be json or pretty, got "xml".'),
    );
    expect(() => resolveLogFormat("text", {}, true)).toThrow(PoeConfigError);
  });
});
