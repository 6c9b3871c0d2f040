import { describe, expect, it } from "vitest";
import { shellCommands } from "./shell-commands.js";

const words = (script: string, options?: { promptsOnly?: boolean }) =>
  shellCommands(script, options).map((command) => command.words);

describe("shellCommands", () => {
  it("splits lines into words, dropping comments", () => {
    expect(shellCommands("npx poekit serve bot.ts   # serve it\n\n# a comment line\nnpm test")).toEqual([
      { line: 0, words: ["npx", "poekit", "serve", "bot.ts"] },
      { line: 3, words: ["npm", "test"] },
    ]);
  });

  it("keeps quoted text as one word, without its quotes", () => {
    expect(words(`curl -d '{"a": "b c"}' -H "x: \\"y\\"" a"b"'c' "#"`)).toEqual([
      ["curl", "-d", '{"a": "b c"}', "-H", 'x: "y"', "abc", "#"],
    ]);
  });

  it("splits commands on |, ||, &&, ; and &", () => {
    expect(words("a 1 | b && c || d; e & f")).toEqual([["a", "1"], ["b"], ["c"], ["d"], ["e"], ["f"]]);
  });

  it("drops redirections and their targets", () => {
    expect(words("poekit check url > report.txt 2>&1\npoekit sim 2> log &> all >>more x")).toEqual([
      ["poekit", "check", "url"],
      ["poekit", "sim", "x"],
    ]);
  });

  it("keeps <placeholders> as words", () => {
    expect(words("poekit serve bot.ts --access-key <key>")).toEqual([
      ["poekit", "serve", "bot.ts", "--access-key", "<key>"],
    ]);
    expect(words("poekit sim --bot A=http://h/#<access key>   # <a> > b")).toEqual([
      ["poekit", "sim", "--bot", "A=http://h/#<access key>"],
    ]);
  });

  it("joins continued lines into the command of the first one", () => {
    expect(shellCommands("npx autocannon -c 100 \\\n  -m POST \\\n  http://127.0.0.1/\nnext")).toEqual([
      { line: 0, words: ["npx", "autocannon", "-c", "100", "-m", "POST", "http://127.0.0.1/"] },
      { line: 3, words: ["next"] },
    ]);
  });

  it("drops a $ prompt; in a transcript, reads only the prompted lines", () => {
    const transcript = "$ poekit sim\npoekit simulator on http://127.0.0.1:7777\n$ poekit chat url";
    expect(words(transcript)).toHaveLength(3);
    expect(shellCommands(transcript, { promptsOnly: true })).toEqual([
      { line: 0, words: ["poekit", "sim"] },
      { line: 2, words: ["poekit", "chat", "url"] },
    ]);
  });
});
