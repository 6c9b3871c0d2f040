import type { StaleReason } from "@poekit/simulator";
import type { TypeCheckOutcome } from "./type-checker.js";

/** Diagnostics shown for one failed check; the last line says how many more there were. */
export const MAX_DIAGNOSTICS_SHOWN = 10;

/**
 * Why what answers is not the code on disk: a save that did not load or did not type-check (the
 * previous version, if any, goes on answering), or the serving process that stopped. `poekit dev`
 * prints it and tells the simulator, whose chat page shows it until a version serves again.
 */
export interface Refusal {
  reason: StaleReason;
  /** One line: `2 type errors in index.ts`, or the loader's own message. */
  summary: string;
  /** The first diagnostics, or the further lines of the error. */
  details: string[];
  /** The bots it concerns: the refused version's when it loaded, else the last served; none before any. */
  bots: string[];
  /** When the version still answering started to (ms since epoch); null when none answers. */
  servingSince: number | null;
}

/** What a refusal says, without whom it concerns. */
export type RefusalText = Pick<Refusal, "reason" | "summary" | "details">;

/**
 * A check that found type errors: how many, in which files, and the first diagnostics.
 * @example
 * typeErrors({ errorCount: 2, diagnostics, files: ["index.ts"] }).summary; // "2 type errors in index.ts"
 */
export function typeErrors(outcome: TypeCheckOutcome): RefusalText {
  const count = `${outcome.errorCount} type error${outcome.errorCount === 1 ? "" : "s"}`;
  const where = outcome.files.length > 0 ? ` in ${listFiles(outcome.files)}` : "";
  const more = outcome.errorCount - MAX_DIAGNOSTICS_SHOWN;
  return {
    reason: "type-errors",
    summary: `${count}${where}`,
    details: [
      ...outcome.diagnostics.slice(0, MAX_DIAGNOSTICS_SHOWN),
      ...(more > 0 ? [`…and ${more} more.`] : []),
    ],
  };
}

/**
 * A module that did not load: its first line says why (the loader's messages are one line), any
 * further lines (a stack) are the details.
 * @example
 * loadFailure("syntax error at index.ts:5:3: Expected \";\"").summary;
 */
export function loadFailure(message: string): RefusalText {
  const [first = "", ...rest] = message.split("\n");
  // Written for poekit serve; under poekit dev, saving is what runs it again.
  const summary = first.trim().replace(/; fix it and run again\.$/, "");
  return { reason: "load-failed", summary, details: rest.filter((line) => line.trim() !== "") };
}

/**
 * The serving process that stopped: `how` is `exited with code 3` or `was killed by SIGKILL`.
 * @example
 * exited("exited with code 3").summary; // "the bot's process exited with code 3"
 */
export function exited(how: string): RefusalText {
  return { reason: "exited", summary: `the bot's process ${how}`, details: [] };
}

function listFiles(files: readonly string[]): string {
  if (files.length <= 2) return files.join(" and ");
  return `${files[0]} and ${files.length - 1} more files`;
}
