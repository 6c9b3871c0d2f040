import { createInterface } from "node:readline/promises";
import { Readable, Writable } from "node:stream";
import type { ChatOutput } from "./chat-output.js";

/** What a line of input asks for. */
export type ChatInput =
  | { kind: "empty" }
  | { kind: "quit" }
  | { kind: "clear" }
  | { kind: "settings" }
  | { kind: "help" }
  | { kind: "unknown"; command: string }
  /** `echo`: the text is not what was typed (a suggested reply chosen by number), so show it. */
  | { kind: "message"; text: string; echo: boolean };

/**
 * What a line typed in `poekit chat` means: a `/command`, a suggested reply picked by its number
 * (from `suggestions`, the last answer's), or a message. `//text` sends `/text`.
 * @example
 * interpret("2", ["Go on", "Stop"]); // { kind: "message", text: "Stop", echo: true }
 */
export function interpret(line: string, suggestions: readonly string[]): ChatInput {
  const text = line.trim();
  if (text === "") return { kind: "empty" };
  if (text.startsWith("//")) return { kind: "message", text: text.slice(1), echo: false };
  if (text.startsWith("/")) {
    const command = text.split(/\s+/)[0]?.toLowerCase() ?? text;
    if (command === "/quit" || command === "/exit") return { kind: "quit" };
    if (command === "/clear") return { kind: "clear" };
    if (command === "/settings") return { kind: "settings" };
    if (command === "/help") return { kind: "help" };
    return { kind: "unknown", command };
  }
  // A number picks a suggested reply when there is one by that number; otherwise it is a message.
  const reply = /^\d+$/.test(text) ? suggestions[Number(text) - 1] : undefined;
  if (reply !== undefined) return { kind: "message", text: reply, echo: true };
  return { kind: "message", text, echo: false };
}

/** The user's lines, one at a time. */
export interface LineSource {
  /** The next line; `null` once the input has ended or the chat was interrupted. */
  next(): Promise<string | null>;
  /** Whether the terminal shows what the user types, so that sent messages need not be repeated. */
  echoes: boolean;
  close(): void;
}

/**
 * Reads the user's lines from a stream (stdin: a terminal with a `> ` prompt and line editing, or a
 * pipe read to its end) or from an iterable whose items are one line each. Ctrl-C on the terminal
 * aborts `interrupted`; aborting it otherwise ends the reading too.
 * @example
 * const lines = openLines(process.stdin, process.stdout, new AbortController());
 * for (let line = await lines.next(); line !== null; line = await lines.next()) console.log(line);
 * lines.close();
 */
export function openLines(
  input: AsyncIterable<string> | Readable,
  output: ChatOutput,
  interrupted: AbortController,
): LineSource {
  const interruption = new Promise<null>((resolve) => {
    if (interrupted.signal.aborted) resolve(null);
    interrupted.signal.addEventListener("abort", () => resolve(null), { once: true });
  });
  if (!(input instanceof Readable)) {
    const iterator = input[Symbol.asyncIterator]();
    return {
      echoes: false,
      next: async () => {
        const result = await Promise.race([iterator.next(), interruption]);
        return result === null || result.done ? null : result.value;
      },
      close: () => void iterator.return?.(),
    };
  }
  // readline only runs the terminal (prompt, echo, line editing, Ctrl-C) when both ends are one.
  const terminal =
    (input as Readable & { isTTY?: boolean }).isTTY === true &&
    output.isTTY === true &&
    output instanceof Writable;
  const rl = createInterface({ input, ...(terminal && { output: output as Writable }), terminal });
  rl.setPrompt("> ");
  rl.on("SIGINT", () => interrupted.abort());
  // Made at once, so that no line read while an answer streams is lost: piped lines all arrive early.
  const iterator = rl[Symbol.asyncIterator]();
  let prompted = false;
  return {
    echoes: terminal,
    next: async () => {
      if (terminal) rl.prompt();
      prompted = terminal;
      const result = await Promise.race([iterator.next(), interruption]);
      if (result === null || result.done) return null;
      prompted = false;
      return result.value;
    },
    close: () => {
      rl.close();
      // Left at the prompt by Ctrl-C or Ctrl-D: the shell's prompt belongs on a line of its own.
      if (prompted) output.write("\n");
    },
  };
}
