import { Command } from "commander";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addServeCommand } from "./serve.js";
import { parseServeArgs, type ServeArgs } from "./serve-args.js";

/** What commander hands serve's action for `poekit serve <args>`, or the error it stops with. */
async function viaCommander(args: readonly string[]): Promise<ServeArgs | "error"> {
  const program = new Command("poekit")
    .exitOverride()
    .configureOutput({ writeErr: () => {}, writeOut: () => {} });
  addServeCommand(program);
  let handed: ServeArgs | undefined;
  program.commands[0]?.action((modules: string[], flags: ServeArgs["flags"]) => {
    handed = { modules, flags: { ...flags } };
  });
  try {
    await program.parseAsync(["serve", ...args], { from: "user" });
  } catch {
    return "error";
  }
  return handed ?? "error";
}

describe("parseServeArgs", () => {
  it("reads the command lines serve is usually given as commander does", async () => {
    const lines = [
      ["examples/echo"],
      ["bot.js", "--port", "3000", "--host", "127.0.0.1", "--allow-without-key", "--no-sync-settings"],
      ["a.ts", "b.ts", "--access-key=0123456789abcdefghijklmnopqrstuv", "--bot-name", "MyBot"],
      ["--port", "8080", "bot.ts", "--grace", "2", "--workers", "auto", "-p", "9090"],
      ["bot.ts", "--host="],
    ];
    for (const args of lines) {
      expect(parseServeArgs(args), args.join(" ")).toEqual(await viaCommander(args));
    }
  });

  it("leaves help, version, `--`, attached short values and mistakes to commander", () => {
    for (const args of [
      [],
      ["bot.ts", "--help"],
      ["bot.ts", "-h"],
      ["bot.ts", "-v"],
      ["--", "bot.ts"],
      ["bot.ts", "-p3000"],
      ["bot.ts", "--prot", "8080"],
      ["bot.ts", "--port"],
      ["bot.ts", "--port", "-1"],
      ["bot.ts", "--allow-without-key=yes"],
      ["-", "bot.ts"],
    ]) {
      expect(parseServeArgs(args), args.join(" ")).toBeUndefined();
    }
  });

  it("agrees with commander on any command line it reads", async () => {
    const token = fc.constantFrom(
      "bot.ts",
      "examples/echo",
      "",
      "3000",
      "-1",
      "--port",
      "-p",
      "--port=8080",
      "--host",
      "--host=::",
      "--access-key",
      "--bot-name",
      "--allow-without-key",
      "--grace",
      "--no-sync-settings",
      "--sync-settings",
      "--workers",
      "--help",
      "--",
      "-x",
    );
    await fc.assert(
      fc.asyncProperty(fc.array(token, { maxLength: 8 }), async (args) => {
        const quick = parseServeArgs(args);
        if (quick !== undefined) expect(quick).toEqual(await viaCommander(args));
      }),
      { numRuns: 300 },
    );
  });
});
