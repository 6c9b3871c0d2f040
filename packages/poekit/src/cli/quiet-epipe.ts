// A reader that goes away early (`poekit --help | head -1`) makes the next write to the pipe fail
// with EPIPE, which Node emits as an 'error' event on the stream: with no listener, it crashes with a
// stack trace. A command line tool stops quietly instead, as `git log | head` does, with exit code 0,
// because the reader choosing to stop is not the command failing (docs/cli.md, conventions).
// No imports: `poekit serve` installs this before anything else, and its start-up is measured.

/** Marks a stream that already has the listener: the bin installs it, and @poekit/cli, which it may hand over to, too. */
const INSTALLED = Symbol.for("poekit.quietEpipe");
/** Set by a server (node/outlive-log-reader.ts): once it serves, a reader going away must not end it. */
const OUTLIVES = Symbol.for("poekit.outlivesLogReader");

type Marked = NodeJS.WriteStream & { [INSTALLED]?: true; [OUTLIVES]?: true };

/** The exit code when the reader of stdout or stderr went away. */
export const EPIPE_EXIT_CODE = 0;

/**
 * Makes an EPIPE on the given streams (stdout and stderr by default) end the process with
 * {@link EPIPE_EXIT_CODE}, writing nothing, unless a server serving from this process has taken the
 * stream over (it goes on serving); any other write error is thrown as before, an uncaught
 * exception. Installing it again on the same stream does nothing.
 * @example
 * quietEpipe(); // first thing in a CLI entry
 */
export function quietEpipe(
  streams: readonly NodeJS.WriteStream[] = [process.stdout, process.stderr],
  exit: (code: number) => void = (code) => process.exit(code),
): void {
  for (const stream of streams as readonly Marked[]) {
    if (stream[INSTALLED]) continue;
    stream[INSTALLED] = true;
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
      if (stream[OUTLIVES]) return;
      exit(EPIPE_EXIT_CODE);
    });
  }
}
