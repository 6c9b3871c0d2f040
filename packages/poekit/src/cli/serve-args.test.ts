import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseServeArgs } from "./serve-args.js";
import { UserError } from "./user-error.js";

describe("parseServeArgs", () => {
  it("reads the command lines serve is given, as commander read them before", () => {
    expect(parseServeArgs(["examples/echo"])).toEqual({
      modules: ["examples/echo"],
      flags: { syncSettings: true },
    });
    expect(
      parseServeArgs([
        "bot.js",
        "--port",
        "3000",
        "--host",
        "127.0.0.1",
        "--allow-without-key",
        "--no-sync-settings",
      ]),
    ).toEqual({
      modules: ["bot.js"],
      flags: { port: "3000", host: "127.0.0.1", allowWithoutKey: true, syncSettings: false },
    });
    expect(
      parseServeArgs([
        "a.ts",
        "b.ts",
        "--access-key=0123456789abcdefghijklmnopqrstuv",
        "--bot-name",
        "MyBot",
      ]),
    ).toEqual({
      modules: ["a.ts", "b.ts"],
      flags: { accessKey: "0123456789abcdefghijklmnopqrstuv", botName: "MyBot", syncSettings: true },
    });
    // The last of a repeated option wins; a short option takes its value attached or next.
    expect(
      parseServeArgs(["--port", "8080", "bot.ts", "--grace", "2", "--workers", "auto", "-p9090"]),
    ).toEqual({
      modules: ["bot.ts"],
      flags: { port: "9090", grace: "2", workers: "auto", syncSettings: true },
    });
    expect(parseServeArgs(["bot.ts", "--host="])).toEqual({
      modules: ["bot.ts"],
      flags: { host: "", syncSettings: true },
    });
    // After `--`, everything is a module; a value may start with a single dash.
    expect(parseServeArgs(["--port", "-1", "--", "--odd-name.ts"])).toEqual({
      modules: ["--odd-name.ts"],
      flags: { port: "-1", syncSettings: true },
    });
  });

  it("reads --dotenv and --no-dotenv into one flag", () => {
    expect(parseServeArgs(["bot.ts", "--dotenv", "prod.env"])).toMatchObject({
      flags: { dotenv: "prod.env" },
    });
    expect(parseServeArgs(["bot.ts", "--no-dotenv"])).toMatchObject({ flags: { dotenv: false } });
    expect(parseServeArgs(["bot.ts"])).not.toHaveProperty("flags.dotenv");
  });

  it("asks for help with -h or --help, anywhere", () => {
    for (const args of [["--help"], ["bot.ts", "-h"], ["--port", "1", "--help", "--prot"]]) {
      expect(parseServeArgs(args), args.join(" ")).toEqual({ help: true });
    }
  });

  it.each([
    [
      ["bot.ts", "--prot", "8080"],
      "unknown option '--prot' (Did you mean --port?); `poekit serve --help` lists the options.",
    ],
    [["bot.ts", "--colour"], "unknown option '--colour'; `poekit serve --help` lists the options."],
    [["bot.ts", "-x"], "unknown option '-x'; `poekit serve --help` lists the options."],
    [["bot.ts", "--port"], "option '-p, --port <port>' argument missing; give it a value."],
    [["bot.ts", "--port", "--host", "h"], "option '-p, --port <port>' argument missing; give it a value."],
    [
      ["bot.ts", "--allow-without-key=yes"],
      "option '--allow-without-key' takes no value; write --allow-without-key alone.",
    ],
    [
      ["--port", "80"],
      expect.stringMatching(/^missing required argument 'module'; give the bot's file or folder/),
    ],
  ])("refuses %j with a UserError saying what is wrong", (args, message) => {
    expect(() => parseServeArgs(args)).toThrow(UserError);
    let thrown: unknown;
    try {
      parseServeArgs(args);
    } catch (error) {
      thrown = error;
    }
    expect((thrown as Error).message).toEqual(message);
  });

  it("reads any command line as modules and flags, help, or a UserError: never anything else", () => {
    const token = fc.constantFrom(
      "bot.ts",
      "",
      "3000",
      "-1",
      "-",
      "--",
      "--port",
      "-p",
      "-p3000",
      "--port=8080",
      "--host",
      "--access-key",
      "--allow-without-key",
      "--no-sync-settings",
      "--sync-settings",
      "--dotenv",
      "--no-dotenv",
      "--help",
      "-x",
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 8 }), (args) => {
        try {
          const parsed = parseServeArgs(args);
          if (!parsed.help) expect(parsed.modules.length).toBeGreaterThan(0);
        } catch (error) {
          expect(error).toBeInstanceOf(UserError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
