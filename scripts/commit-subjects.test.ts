// The commit convention (CONTRIBUTING.md, "Commit messages"): the shared rule, the commit-msg hook that
// applies it, and the history since the convention began. Older commits are history we leave alone.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { COMMIT_TYPES, MAX_SUBJECT_LENGTH, subjectOf, subjectProblems } from "./commit-subject.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** The last commit before the convention; the commits after it follow it. */
const CUTOFF = "94f0e6c";

function git(...args: string[]): { ok: boolean; out: string } {
  const run = spawnSync("git", args, { cwd: ROOT, encoding: "utf8" });
  return { ok: run.status === 0, out: run.stdout ?? "" };
}

/** Why the history cannot be read here (no git, not a clone, a shallow one), or null when it can. */
function historyUnavailable(): string | null {
  if (!git("--version").ok) return "git is not installed";
  if (path.resolve(git("rev-parse", "--show-toplevel").out.trim() || "/nonexistent") !== path.resolve(ROOT)) {
    return "the repository is not a git clone (a tarball or a copy)";
  }
  if (!git("cat-file", "-e", `${CUTOFF}^{commit}`).ok) {
    return `commit ${CUTOFF} is not in this clone (a shallow clone?)`;
  }
  if (!git("merge-base", "--is-ancestor", CUTOFF, "HEAD").ok) return `HEAD does not descend from ${CUTOFF}`;
  return null;
}

describe("subjectProblems", () => {
  it("accepts type(scope): summary and type: summary, for every type", () => {
    for (const type of COMMIT_TYPES) {
      expect(subjectProblems(`${type}(simulator): the page keeps its toasts apart`)).toEqual([]);
      expect(subjectProblems(`${type}: one summary`)).toEqual([]);
    }
    expect(subjectProblems("refactor(bench,soak): read answers through the fold")).toEqual([]);
  });

  it(`rejects a subject longer than ${MAX_SUBJECT_LENGTH} characters, counting characters, not bytes`, () => {
    const at = `fix(cli): ${"a".repeat(MAX_SUBJECT_LENGTH - 10)}`;
    expect(subjectProblems(at)).toEqual([]);
    expect(subjectProblems(`${at}b`)).toEqual([
      expect.stringContaining(`${MAX_SUBJECT_LENGTH + 1} characters`),
    ]);
    expect(subjectProblems(`fix(cli): ${"é".repeat(MAX_SUBJECT_LENGTH - 10)}`)).toEqual([]);
  });

  it.each([
    ["Fixed the thing", /does not read/],
    ["fix(cli) no colon", /does not read/],
    ["fix(CLI): upper-case scope", /does not read/],
    ["fix(): empty scope", /does not read/],
    ["fix(cli):no space", /does not read/],
    ["fix(cli): ", /does not read/],
    ["feature(cli): a type not on the list", /has the type "feature"/],
    ["style: a type not on the list", /has the type "style"/],
  ])("rejects %j", (subject, problem) => {
    expect(subjectProblems(subject)).toEqual([expect.stringMatching(problem)]);
  });
});

describe("subjectOf", () => {
  it("takes the first line that is not blank or a comment, as git does", () => {
    expect(subjectOf("# Please enter the commit message\n\nfix(cli): a  \n\nThe body.\n")).toBe(
      "fix(cli): a",
    );
    expect(subjectOf("")).toBe("");
  });
});

describe(".githooks/commit-msg", () => {
  const hook = path.join(ROOT, ".githooks", "commit-msg");
  const folder = mkdtempSync(path.join(tmpdir(), "poekit-commit-msg-"));
  function runHook(message: string) {
    const file = path.join(folder, "COMMIT_EDITMSG");
    writeFileSync(file, message);
    // The hook runs from the repository's top, as git runs it, with the Node this test runs on.
    const env = {
      ...process.env,
      PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}`,
    };
    return spawnSync("sh", [hook, file], { cwd: ROOT, encoding: "utf8", env });
  }

  it.skipIf(process.platform === "win32")(
    "lets a good subject through and refuses a bad one, naming it",
    () => {
      expect(runHook("docs(server): say why the limit is 1 MiB\n\nThe body.\n").status).toBe(0);
      const refused = runHook(`Update server.md and ${"explain ".repeat(10)}\n`);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain('the subject "Update server.md');
      expect(refused.stderr).toContain("more than 72");
      expect(refused.stderr).toContain("does not read");
    },
  );

  it.skipIf(process.platform === "win32")(
    "lets fixup! commits through: rebase --autosquash folds them",
    () => {
      expect(runHook("fixup! docs(server): say why the limit is 1 MiB\n").status).toBe(0);
    },
  );
});

const unavailable = historyUnavailable();

describe(`the commits after ${CUTOFF}`, () => {
  it.skipIf(unavailable !== null)(
    `follow the convention${unavailable ? ` (skipped: ${unavailable})` : ""}`,
    () => {
      const log = git("log", "--no-merges", "--format=%H%x09%s", `${CUTOFF}..HEAD`);
      expect(log.ok).toBe(true);
      const broken = log.out
        .split("\n")
        .filter((line) => line !== "")
        .flatMap((line) => {
          const [hash = "", subject = ""] = line.split("\t");
          const problems = subjectProblems(subject);
          return problems.length === 0 ? [] : [`${hash.slice(0, 7)} "${subject}": ${problems.join("; ")}`];
        });
      expect(broken, `subjects to reword (git rebase -i ${CUTOFF}, "reword")`).toEqual([]);
    },
  );
});
