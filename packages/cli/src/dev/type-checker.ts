import { createRequire } from "node:module";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { compiledEntry } from "./compiled-entry.js";
import type {
  CheckRequest,
  CheckResult,
  TypeCheckStart,
  TypeCheckWorkerData,
} from "./type-check-messages.js";

/** The errors one check found: none when `errorCount` is 0. */
export interface TypeCheckOutcome {
  errorCount: number;
  /** Each as `file:line:column - error TS1234: message`. */
  diagnostics: string[];
  /** The files with errors, relative to the working folder, each once. */
  files: string[];
}

/** Checks what the bot runs on demand, in a worker thread. */
export interface TypeChecker {
  /** The tsconfig.json whose options the bot's files are checked with. */
  tsconfig: string;
  /**
   * Type-checks the bot's file and the files it imports as they are on disk now (not the project's
   * other files, such as its tests). Rejects when the worker failed.
   */
  check(): Promise<TypeCheckOutcome>;
  close(): Promise<void>;
}

/** A type checker, or why there is none. */
export type TypeCheckerStart = { checker: TypeChecker } | { off: string };

/**
 * Starts type-checking `botFile` and what it imports with the project's own TypeScript and the
 * options of the nearest tsconfig.json that includes the file. Without TypeScript installed where the bot can import it, or
 * without such a tsconfig.json, there is no checker, and `off` says why.
 * @example
 * const started = await startTypeChecker("/abs/bot.ts", process.cwd());
 * if ("checker" in started) console.log((await started.checker.check()).diagnostics);
 */
export async function startTypeChecker(botFile: string, cwd: string): Promise<TypeCheckerStart> {
  let typescript: string;
  try {
    typescript = createRequire(botFile).resolve("typescript");
  } catch {
    const display = path.relative(cwd, botFile) || botFile;
    return { off: `TypeScript is not installed where ${display} can import it (npm install -D typescript)` };
  }
  const worker = new Worker(compiledEntry("type-check-worker"), {
    workerData: { typescript, botFile, cwd } satisfies TypeCheckWorkerData,
  });
  const pending = new Map<number, { resolve(outcome: TypeCheckOutcome): void; reject(error: Error): void }>();
  let failure: Error | undefined;
  const fail = (error: Error) => {
    failure ??= error;
    for (const { reject } of pending.values()) reject(failure);
    pending.clear();
  };
  worker.on("error", fail);
  worker.on("exit", () => fail(new Error("the type-checking worker stopped")));

  const start = await new Promise<TypeCheckStart>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  }).catch((error: Error) => ({
    type: "off" as const,
    reason: `TypeScript failed to start: ${error.message}`,
  }));
  if (start.type === "off") {
    await worker.terminate();
    return { off: start.reason };
  }
  worker.on("message", ({ id, errorCount, diagnostics, files }: CheckResult) => {
    pending.get(id)?.resolve({ errorCount, diagnostics, files });
    pending.delete(id);
  });

  let nextId = 0;
  return {
    checker: {
      tsconfig: start.tsconfig,
      check: () => {
        if (failure) return Promise.reject(failure);
        const id = nextId++;
        return new Promise((resolve, reject) => {
          pending.set(id, { resolve, reject });
          worker.postMessage({ type: "check", id } satisfies CheckRequest);
        });
      },
      close: async () => {
        await worker.terminate();
      },
    },
  };
}
