import { describe, expect, it } from "vitest";
import { findMention, insertMention, matchNames } from "./mentions.ts";

describe("mentions", () => {
  it("finds an @word being typed at the start of a word", () => {
    expect(findMention("hi @Ec", 6)).toEqual({ start: 3, end: 6, query: "Ec" });
    expect(findMention("@", 1)).toEqual({ start: 0, end: 1, query: "" });
    expect(findMention("mail me@host", 12)).toBeNull();
    expect(findMention("hi @Echo there", 14)).toBeNull();
  });

  it("offers names starting with the query first", () => {
    expect(matchNames(["ScriptedLLM", "Echo", "MyEchoBot", "echo2"], "ec")).toEqual([
      "Echo",
      "echo2",
      "MyEchoBot",
    ]);
    expect(matchNames(["A", "B"], "")).toEqual(["A", "B"]);
  });

  it("puts the chosen name in with a space after it", () => {
    const text = "ask @ec please";
    const mention = findMention(text, 7);
    expect(mention).not.toBeNull();
    if (!mention) return;
    expect(insertMention(text, mention, "Echo")).toEqual({ text: "ask @Echo please", caret: 10 });
    const end = findMention("@Scr", 4);
    if (!end) return;
    expect(insertMention("@Scr", end, "ScriptedLLM")).toEqual({ text: "@ScriptedLLM ", caret: 13 });
  });
});
