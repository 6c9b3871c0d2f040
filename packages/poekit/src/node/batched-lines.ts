/** How long a line may wait for others before they are written together. */
export const BATCH_MS = 10;
/** A batch this large is written at once. */
const BATCH_CHARS = 64 * 1024;

/**
 * Lines gathered and written together, within {@link BATCH_MS}: on Linux a write to a file or a pipe
 * is a system call that blocks, and one per access line cost as much as formatting it. What is
 * pending when the process exits is written then.
 * @example
 * const writeLine = batchedLines((chunk) => process.stdout.write(chunk));
 * writeLine('{"msg":"hello"}');
 */
export function batchedLines(write: (chunk: string) => void): (line: string) => void {
  let pending = "";
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending === "") return;
    const chunk = pending;
    pending = "";
    try {
      write(chunk);
    } catch {
      // The lines are lost (their reader is gone, say); the server goes on.
    }
  };
  process.once("exit", flush);
  return (line) => {
    pending += `${line}\n`;
    if (pending.length >= BATCH_CHARS) flush();
    else if (!scheduled) {
      scheduled = true;
      // Unref'd: pending lines do not keep a process alive; the exit listener writes them.
      setTimeout(flush, BATCH_MS).unref();
    }
  };
}
