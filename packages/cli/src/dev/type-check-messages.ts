/**
 * What `poekit dev` and its type-checking worker thread tell each other. The worker loads the
 * project's own TypeScript, finds the tsconfig.json that includes the bot's file, and checks the bot's
 * file and what it imports, with that tsconfig's options, each time it is asked, reusing what did not
 * change.
 */

/** The worker's `workerData`. */
export interface TypeCheckWorkerData {
  /** The file of the project's TypeScript module (`…/node_modules/typescript/lib/typescript.js`). */
  typescript: string;
  /** The bot's file, absolute: the tsconfig.json used is the nearest one that includes it. */
  botFile: string;
  /** Diagnostics name files relative to this folder. */
  cwd: string;
}

/** From the worker, once: whether it checks, with which tsconfig.json, or why not. */
export type TypeCheckStart = { type: "ready"; tsconfig: string } | { type: "off"; reason: string };

/** To the worker: check the project now. */
export interface CheckRequest {
  type: "check";
  id: number;
}

/** From the worker: the outcome of the check `id`. */
export interface CheckResult {
  type: "result";
  id: number;
  errorCount: number;
  /** Each error as `file:line:column - error TS1234: message`, in the order TypeScript reports them. */
  diagnostics: string[];
  /** The files with errors, as `diagnostics` name them, each once, in that order. */
  files: string[];
}
