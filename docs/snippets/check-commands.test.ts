import { Command, InvalidArgumentError } from "commander";
import { describe, expect, it } from "vitest";
import { createProgram } from "../../packages/cli/src/main.js";
import { cliProblem, poekitArguments, poekitProblem } from "./check-commands.js";

describe("poekitArguments", () => {
  it.each([
    [
      ["poekit", "serve", "bot.ts"],
      ["serve", "bot.ts"],
    ],
    [["npx", "poekit", "sim"], ["sim"]],
    [
      ["PORT=1", "POE_ACCESS_KEY=k", "npx", "--yes", "poekit@latest", "serve", "x"],
      ["serve", "x"],
    ],
    [
      ["npx", "@poekit/cli", "check", "url"],
      ["check", "url"],
    ],
    [
      ["npm", "exec", "poekit", "--", "dev", "bot.ts"],
      ["dev", "bot.ts"],
    ],
    [
      ["pnpm", "exec", "poekit", "chat", "url"],
      ["chat", "url"],
    ],
  ])("finds the CLI's arguments in %j", (words, expected) => {
    expect(poekitArguments(words)).toEqual(expected);
  });

  it.each([
    [["npm", "test"]],
    [["npm", "create", "poekit", "my-bot"]],
    [["npx", "create-poekit"]],
    [["PORT=1"]],
    [["echo", "poekit", "serve"]],
  ])("ignores %j", (words) => {
    expect(poekitArguments(words)).toBeUndefined();
  });
});

describe("cliProblem", () => {
  let ran = 0;
  const program = () => {
    const root = new Command("tool").exitOverride();
    root
      .command("serve")
      .argument("<module...>")
      .option("-p, --port <port>", "port", (value: string) => {
        if (!/^\d+$/.test(value)) throw new InvalidArgumentError("Not a port.");
        return Number(value);
      })
      .option("--no-sync")
      .action(() => {
        ran++;
      });
    root
      .command("chat")
      .argument("<url>")
      .action(() => {
        ran++;
      });
    return root;
  };

  it("accepts a valid command line without running the command", () => {
    expect(cliProblem(program(), ["serve", "a.ts", "b.ts", "-p", "80", "--no-sync"])).toBeUndefined();
    expect(cliProblem(program(), ["serve", "--port=80", "a.ts"])).toBeUndefined();
    expect(ran).toBe(0);
  });

  it("names an unknown command", () => {
    expect(cliProblem(program(), ["serv", "a.ts"])).toMatch(/unknown command 'serv'/);
  });

  it("names an unknown option", () => {
    expect(cliProblem(program(), ["serve", "a.ts", "--prot", "80"])).toMatch(/unknown option '--prot'/);
  });

  it("names a missing or a surplus argument", () => {
    expect(cliProblem(program(), ["serve", "--port", "80"])).toMatch(/missing required argument 'module'/);
    expect(cliProblem(program(), ["chat", "a", "b"])).toMatch(/too many arguments/);
  });

  it("passes on what the option's own parser refuses, but not placeholders", () => {
    expect(cliProblem(program(), ["serve", "a.ts", "--port", "eighty"])).toMatch(/Not a port/);
    expect(cliProblem(program(), ["serve", "a.ts", "--port", "$PORT"])).toBeUndefined();
    expect(cliProblem(program(), ["serve", "a.ts", "--port", "<port>"])).toBeUndefined();
  });

  it("accepts --help anywhere", () => {
    expect(cliProblem(program(), ["serve", "--help"])).toBeUndefined();
    expect(cliProblem(program(), ["--help"])).toBeUndefined();
  });

  it("reads the real CLI's commands and options, and serve's with the SDK's own parser", () => {
    expect(
      poekitProblem(createProgram(), ["serve", "bot.ts", "--allow-without-key", "--port", "3000"]),
    ).toBeUndefined();
    expect(poekitProblem(createProgram(), ["serve", "bot.ts", "--allow-without-keys"])).toMatch(
      /unknown option '--allow-without-keys'/,
    );
    expect(poekitProblem(createProgram(), ["dev", "bot.ts", "--pol"])).toMatch(/unknown option '--pol'/);
    expect(poekitProblem(createProgram(), ["--version"])).toBeUndefined();
  });
});
