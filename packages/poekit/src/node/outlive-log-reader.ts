// A server's log goes to stdout and stderr, often a pipe to a log shipper. When that reader goes
// away, the next write fails with EPIPE, which Node emits as an 'error' event: with no listener the
// process dies, and with `quietEpipe` (the bin's) it exits. A server must go on answering Poe
// whether or not anyone reads its log, so its log writes that cannot land are dropped.
// No imports: the bin's quietEpipe checks the same mark by its global symbol.

/** Marks a stream whose failed log writes are dropped; quiet-epipe.ts reads it by the same key. */
const OUTLIVES = Symbol.for("poekit.outlivesLogReader");

type Marked = NodeJS.WriteStream & { [OUTLIVES]?: true };

/** Write errors that mean only that the reader is gone (or the stream ended because it went). */
const READER_GONE = new Set(["EPIPE", "ECONNRESET", "ERR_STREAM_DESTROYED", "ERR_STREAM_WRITE_AFTER_END"]);

/**
 * From now on, a write to `streams` (stdout and stderr by default) that fails because their reader is
 * gone is dropped, and the process goes on. Any other write error is thrown as before when no other
 * listener handles it. Installing it again on the same stream does nothing.
 * @example
 * outliveLogReader(); // as the server starts listening
 */
export function outliveLogReader(
  streams: readonly NodeJS.WriteStream[] = [process.stdout, process.stderr],
): void {
  for (const stream of streams as readonly Marked[]) {
    if (stream[OUTLIVES]) continue;
    stream[OUTLIVES] = true;
    stream.on("error", function onLogStreamError(error: NodeJS.ErrnoException) {
      if (READER_GONE.has(error.code ?? "")) return;
      if (stream.listenerCount("error") === 1) throw error;
    });
  }
}

/** Whether `stream` has {@link outliveLogReader}'s listener. */
export function outlivesLogReader(stream: NodeJS.WriteStream): boolean {
  return (stream as Marked)[OUTLIVES] === true;
}
