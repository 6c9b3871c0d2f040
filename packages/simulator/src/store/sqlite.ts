import type * as Sqlite from "node:sqlite";

/**
 * Node's built-in SQLite module, fetched with `getBuiltinModule` rather than imported: an import would
 * load it, and have Node 22 warn, before any of our code runs.
 *
 * @example
 * const { DatabaseSync } = loadSqlite();
 */
export function loadSqlite(): typeof Sqlite {
  const emitWarning = process.emitWarning;
  // Node 22 tells every simulator user on stderr that SQLite is experimental: noise about our internals.
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (isSqliteExperimentalWarning(warning, rest[0])) return;
    Reflect.apply(emitWarning, process, [warning, ...rest]);
  }) as typeof process.emitWarning;
  try {
    return process.getBuiltinModule("node:sqlite");
  } finally {
    process.emitWarning = emitWarning;
  }
}

/** Exactly the warning Node 22 emits when node:sqlite first loads (Node 24 and later emit none). */
function isSqliteExperimentalWarning(warning: string | Error, type: unknown): boolean {
  return (
    type === "ExperimentalWarning" &&
    typeof warning === "string" &&
    warning.startsWith("SQLite is an experimental feature")
  );
}
