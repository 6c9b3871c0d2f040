/**
 * The simulator's defaults, in a module of their own so that the CLI can show them in `--help`
 * without loading the simulator (SQLite, the HTTP app, the PDF parser).
 */

/** The port `poekit sim` uses unless told otherwise. */
export const DEFAULT_SIMULATOR_PORT = 7777;

/** Where the simulator keeps its data unless told otherwise (relative to the working directory). */
export const DEFAULT_DB_PATH = ".poekit/simulator.db";

/** How long a file URL works unless configured: Poe promises at least 10 minutes. */
export const DEFAULT_FILE_TTL_SECONDS = 600;
