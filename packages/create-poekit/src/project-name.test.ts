import { describe, expect, it } from "vitest";
import { invalidPackageNameReason, packageNameFromFolder } from "./project-name.js";

describe("packageNameFromFolder", () => {
  it.each([
    ["my-bot", "my-bot"],
    ["My Weather Bot", "my-weather-bot"],
    ["  Été  2025!! ", "t-2025"],
    [".hidden_bot", "hidden_bot"],
    ["__init__", "init__"],
    ["bot.v2", "bot.v2"],
    ["日本語", "my-bot"],
    ["", "my-bot"],
  ])("turns %j into %j", (folder, name) => {
    expect(packageNameFromFolder(folder)).toBe(name);
    expect(invalidPackageNameReason(name)).toBeUndefined();
  });

  it("keeps to npm's 214 characters", () => {
    expect(packageNameFromFolder("a".repeat(300))).toHaveLength(214);
  });
});

describe("invalidPackageNameReason", () => {
  it("accepts plain and scoped names", () => {
    expect(invalidPackageNameReason("my-bot")).toBeUndefined();
    expect(invalidPackageNameReason("@me/my-bot")).toBeUndefined();
  });

  it.each(["", "My-Bot", "my bot", ".bot", "_bot", "@me/", "a/b", "a".repeat(215)])("refuses %j", (name) => {
    expect(invalidPackageNameReason(name)).toMatch(/^a package name/);
  });
});
