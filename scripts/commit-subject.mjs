// The commit convention, in one place for the commit-msg hook (.githooks/commit-msg) and the test that
// checks the history (scripts/commit-subjects.test.ts): a subject is `type(scope): summary` or
// `type: summary`, at most 72 characters, so that `git log --oneline` and review tools show it whole;
// figures and reasons go in the body. Plain JavaScript, so the hook runs on any Node, without a build.
// As a command: `node scripts/commit-subject.mjs <message file>` exits 1 naming what is wrong.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The kinds of change a commit may be; the subject starts with one. */
export const COMMIT_TYPES = ["feat", "fix", "perf", "refactor", "docs", "test", "build", "chore"];

/** The longest subject, in characters. */
export const MAX_SUBJECT_LENGTH = 72;

// A scope is a lowercase name (a package, a folder, a topic), or several separated by commas.
const SUBJECT = /^([a-z]+)(?:\(([a-z0-9][a-z0-9./-]*(?:,[a-z0-9][a-z0-9./-]*)*)\))?: (\S.*)$/;

/**
 * What is wrong with a commit subject under the convention; empty when nothing is.
 * @example
 * subjectProblems("fix(cli): check exits 1 on a broken stream"); // []
 * subjectProblems("Fixed stuff"); // ['does not read "type(scope): summary" ...']
 */
export function subjectProblems(subject) {
  const problems = [];
  const length = [...subject].length;
  if (length > MAX_SUBJECT_LENGTH) {
    problems.push(`is ${length} characters, more than ${MAX_SUBJECT_LENGTH}: move details into the body`);
  }
  const match = SUBJECT.exec(subject);
  if (!match) {
    problems.push(
      `does not read "type(scope): summary" (or "type: summary"), with a lowercase scope and one space after the colon`,
    );
  } else if (!COMMIT_TYPES.includes(match[1])) {
    problems.push(`has the type "${match[1]}", not one of ${COMMIT_TYPES.join(", ")}`);
  }
  return problems;
}

/**
 * The subject of a commit message as git records it: the first line that is neither blank nor a
 * comment (`#`), without trailing spaces.
 * @example
 * subjectOf("# Please enter the commit message\nfix(cli): a\n\nbody"); // "fix(cli): a"
 */
export function subjectOf(message) {
  const line = message.split("\n").find((text) => text.trim() !== "" && !text.startsWith("#"));
  return (line ?? "").trimEnd();
}

// Commits made with `git commit --fixup/--squash` are folded into another by `git rebase --autosquash`
// before they land; the hook lets them through, the history check does not.
const AUTOSQUASH = /^(fixup|squash|amend)! /;

function checkMessageFile(file) {
  const subject = subjectOf(readFileSync(file, "utf8"));
  if (AUTOSQUASH.test(subject)) return 0;
  const problems = subjectProblems(subject);
  if (problems.length === 0) return 0;
  process.stderr.write(
    `commit-msg: the subject "${subject}"\n${problems.map((problem) => `  - ${problem}\n`).join("")}` +
      `The convention (CONTRIBUTING.md): type(scope): summary, at most ${MAX_SUBJECT_LENGTH} characters, ` +
      `type one of ${COMMIT_TYPES.join(", ")}; figures and reasons in the body.\n`,
  );
  return 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write("usage: node scripts/commit-subject.mjs <commit message file>\n");
    process.exit(2);
  }
  process.exit(checkMessageFile(file));
}
