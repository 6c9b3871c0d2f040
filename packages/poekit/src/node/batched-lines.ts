/**
 * Lines gathered and written together, once per turn of the event loop: on Linux a write to a file or
 * a pipe is a system call that blocks, and one per access line was a tenth of an echo server's time
 * under load. What is pending when the process exits is written then.
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
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  };
}
