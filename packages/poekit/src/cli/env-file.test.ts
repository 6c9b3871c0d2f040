import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { firstMalformedLine, loadEnvFile } from "./env-file.js";
import { UserError } from "./user-error.js";

let folder = "";
const touched = ["POEKIT_TEST_A", "POEKIT_TEST_B", "POEKIT_TEST_MULTI"];

beforeEach(() => {
  folder = mkdtempSync(path.join(tmpdir(), "poekit-env-file-"));
});
afterEach(() => {
  for (const name of touched) delete process.env[name];
  rmSync(folder, { recursive: true, force: true });
});

describe("loadEnvFile", () => {
  it("loads ./.env into process.env, a variable already set keeping its value", () => {
    writeFileSync(path.join(folder, ".env"), "POEKIT_TEST_A=from-file\nexport POEKIT_TEST_B='quoted'\n");
    process.env.POEKIT_TEST_A = "from-env";
    expect(loadEnvFile(undefined, folder)).toBe(path.join(folder, ".env"));
    expect(process.env.POEKIT_TEST_A).toBe("from-env");
    expect(process.env.POEKIT_TEST_B).toBe("quoted");
  });

  it("loads nothing, quietly, when there is no ./.env, or with --no-dotenv (false)", () => {
    expect(loadEnvFile(undefined, folder)).toBeUndefined();
    writeFileSync(path.join(folder, ".env"), "POEKIT_TEST_A=1\n");
    expect(loadEnvFile(false, folder)).toBeUndefined();
    expect(process.env.POEKIT_TEST_A).toBeUndefined();
  });

  it("loads the file named instead, which must exist", () => {
    writeFileSync(path.join(folder, "prod.env"), "POEKIT_TEST_A=prod\n");
    loadEnvFile("prod.env", folder);
    expect(process.env.POEKIT_TEST_A).toBe("prod");
    expect(() => loadEnvFile("missing.env", folder)).toThrow(
      new UserError("cannot read the env file missing.env: there is no such file."),
    );
  });

  it("refuses a file with a line that is not NAME=value, naming the line, and loads none of it", () => {
    writeFileSync(path.join(folder, ".env"), "POEKIT_TEST_A=1\n\n# fine\nPOEKIT_TEST_B value\n");
    expect(() => loadEnvFile(undefined, folder)).toThrow(
      '.env:4: "POEKIT_TEST_B value" is not NAME=value; fix or remove the line, or pass --no-dotenv.',
    );
    expect(process.env.POEKIT_TEST_A).toBeUndefined();
  });
});

describe("firstMalformedLine", () => {
  it("accepts comments, blank lines, export and quoted values over several lines", () => {
    const text = '# c\n\nA=1\nexport B = two\nC="multi\nline value\nend"\nD=`x`\r\nE=\n';
    expect(firstMalformedLine(text)).toBeUndefined();
  });

  it("names the first line that is not an assignment", () => {
    expect(firstMalformedLine("A=1\nnot a variable\nB=2\n")).toEqual({ number: 2, text: "not a variable" });
    expect(firstMalformedLine("1A=x\n")).toEqual({ number: 1, text: "1A=x" });
  });
});
