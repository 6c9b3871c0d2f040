import type { AnswerState, ExchangeTimings, Violation } from "@poekit/simulator";
import { type Colors, colorsFor } from "../terminal.js";
import { oneLine } from "../user-error.js";

/** Where `poekit chat` writes: `process.stdout` or, in tests, anything with `write` and maybe `isTTY`. */
export interface ChatOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** The commands of `poekit chat`, for `/help` and for an unknown command. */
const COMMANDS: ReadonlyArray<readonly [string, string]> = [
  ["/clear", "start a new conversation: new conversation_id, empty history"],
  ["/settings", "fetch the bot's settings and print them"],
  ["/help", "show this list"],
  ["/quit", "leave (Ctrl-C and Ctrl-D too)"],
  ["<number>", "send that suggested reply"],
  ["//text", 'send a message that starts with "/" ("/text")'],
];

/**
 * `text` without the control characters a terminal acts on: escape sequences can clear the screen,
 * rewrite what was printed, set the window title or the clipboard, and a bot's text must be shown,
 * never obeyed. Line breaks and tabs stay.
 * @example
 * printable("hi\u001b[2J"); // "hi[2J"
 */
export function printable(text: string): string {
  // Every control character (C0, DEL and C1: some terminals take U+009B as CSI) but tab and line feed.
  return text.replace(/[^\P{Cc}\t\n]/gu, "");
}

/** One line of `text` that is safe to print: see {@link printable} and `oneLine`. */
function printableLine(text: string): string {
  return oneLine(printable(text));
}

/**
 * Writes the one line of a failure that ends `poekit chat`, worded like every poekit error.
 * @example
 * writeFailure(process.stderr, process.env, "could not reach http://127.0.0.1:8080/: connection refused.");
 */
export function writeFailure(
  stream: ChatOutput,
  env: Record<string, string | undefined>,
  message: string,
): void {
  stream.write(`poekit: ${colorsFor(stream, env).red("error")}: ${printableLine(message)}\n`);
}

/**
 * Everything `poekit chat` shows, laid out for a terminal. It remembers whether the cursor is at the
 * start of a line, so that streamed text which ends mid-line is never run into the next line.
 * @example
 * const printer = new ChatPrinter(process.stdout, process.env);
 * printer.text("Hello");
 * printer.endAnswer(answer, outcome.timings);
 */
export class ChatPrinter {
  readonly #output: ChatOutput;
  readonly #colors: Colors;
  #atLineStart = true;

  constructor(output: ChatOutput, env: Record<string, string | undefined>) {
    this.#output = output;
    this.#colors = colorsFor(output, env);
  }

  /** The first line: which bot this is, and its introduction when it has one. */
  header(url: string, introduction: string | null): void {
    const c = this.#colors;
    const intro = introduction ? ` ${c.dim("—")} ${printableLine(introduction)}` : "";
    this.#line(`${c.bold("poekit chat")} with ${c.cyan(url)}${intro}  ${c.dim("(/help for commands)")}`);
  }

  /** A problem worth knowing that does not stop the chat, such as unreadable settings. */
  warning(message: string): void {
    this.#line(this.#colors.yellow(`warning: ${printableLine(message)}`));
  }

  /** A remark of no consequence, such as a bot without settings. */
  note(message: string): void {
    this.#line(this.#colors.dim(printableLine(message)));
  }

  /** The bot's settings JSON, indented. */
  settings(settings: Record<string, unknown>): void {
    this.#line(JSON.stringify(settings, null, 2));
  }

  /** The list of commands. */
  help(): void {
    const width = Math.max(...COMMANDS.map(([name]) => name.length));
    this.#line("Commands:");
    for (const [name, meaning] of COMMANDS) this.#line(`  ${name.padEnd(width)}  ${meaning}`);
  }

  /** A `/word` that is not a command, then the list of those that are. */
  unknownCommand(command: string): void {
    this.#line(this.#colors.yellow(`unknown command ${command}`));
    this.help();
  }

  /** The context was cleared. */
  cleared(): void {
    this.#line(this.#colors.dim("context cleared"));
  }

  /**
   * A message as it is sent, when the user did not type it as it stands: piped input, which the
   * terminal did not echo, or a suggested reply chosen by its number.
   */
  sent(text: string): void {
    this.#line(this.#colors.dim(`> ${printable(text)}`));
  }

  /** A piece of the answer, as it streams in. */
  text(delta: string): void {
    this.#write(printable(delta));
  }

  /** The bot replaced its answer so far: the new text, on a fresh line and marked. */
  replaced(text: string): void {
    this.#endLine();
    this.#write(`${this.#colors.dim("(replaced)")} ${printable(text)}`);
  }

  /** A rule of the protocol the bot broke, shown as it happens. */
  violation(violation: Violation): void {
    this.#line(this.#colors.yellow(`violation [${violation.rule}]: ${printableLine(violation.message)}`));
  }

  /** What follows the answer's text: files, the error, the suggested replies (numbered), the timings. */
  endAnswer(answer: AnswerState, timings: ExchangeTimings): void {
    const c = this.#colors;
    this.#endLine();
    for (const file of answer.files) {
      this.#line(`  ${printableLine(file.name)} ${c.cyan(`<${printableLine(file.url)}>`)}`);
    }
    if (answer.error) {
      const retry = answer.error.allowRetry ? "retry allowed" : "no retry";
      const type = answer.error.errorType ? `, ${printableLine(answer.error.errorType)}` : "";
      const text = answer.error.text === "" ? "" : `: ${printableLine(answer.error.text)}`;
      this.#line(c.red(`error${text} (${retry}${type})`));
    }
    answer.suggestedReplies.forEach((reply, index) => {
      this.#line(`  ${c.bold(String(index + 1))}. ${printableLine(reply)}`);
    });
    this.#line(c.dim(formatTimings(timings)));
  }

  /** Ends a line left open by streamed text, before the chat ends. */
  close(): void {
    this.#endLine();
  }

  #line(text: string): void {
    this.#endLine();
    this.#write(`${text}\n`);
  }

  #endLine(): void {
    if (!this.#atLineStart) this.#write("\n");
  }

  #write(text: string): void {
    if (text === "") return;
    this.#output.write(text);
    this.#atLineStart = text.endsWith("\n");
  }
}

/** `first byte 12 ms, first text 40 ms, done 310 ms`, with "–" for what never happened. */
function formatTimings(timings: ExchangeTimings): string {
  const ms = (value: number | null) => (value === null ? "–" : `${Math.round(value)} ms`);
  return `first byte ${ms(timings.firstByteMs)}, first text ${ms(timings.firstTextMs)}, done ${ms(timings.doneMs)}`;
}
