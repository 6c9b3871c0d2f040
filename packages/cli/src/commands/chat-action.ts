import type { Readable } from "node:stream";
import {
  applyEvent,
  createAnswer,
  type ExchangeTarget,
  fetchBotSettings,
  generateAccessKey,
  reportViolations,
  runExchange,
} from "@poekit/simulator/exchange";
import { makeIdentifier } from "poekit/protocol";
import { parseBotUrl } from "../bot-url.js";
import { type ChatInput, interpret, openLines } from "../chat/chat-input.js";
import { type ChatOutput, ChatPrinter, writeFailure } from "../chat/chat-output.js";
import { botNameFromUrl, ChatSession, type Turn } from "../chat/chat-session.js";
import { UserError } from "../user-error.js";

/** The flags of `poekit chat`, as commander parses them. */
export interface ChatFlags {
  accessKey?: string;
  user?: string;
}

/** Where `poekit chat` reads and writes; the process's streams, or anything a test drives it with. */
export interface ChatIO {
  /** The user's lines: a stream (stdin), or an iterable whose items are one line each. */
  input: AsyncIterable<string> | Readable;
  output: ChatOutput;
  /** Where the line of a failure that ends the chat goes; default `output`. */
  errorOutput?: ChatOutput;
  env: Record<string, string | undefined>;
  /** Aborting it ends the chat at once, as Ctrl-C does: the answer streaming is dropped. */
  signal?: AbortSignal;
}

/**
 * What `poekit chat` does once commander has parsed its command line: chats on the process's stdin and
 * stdout until the input ends, `/quit` or Ctrl-C, and sets the exit code of a chat that failed.
 * @example
 * await chatAction("http://127.0.0.1:8080/", {});
 */
export async function chatAction(url: string, flags: ChatFlags): Promise<void> {
  // Piped input gets no Ctrl-C from readline; the signal ends the chat the same way.
  const interrupted = new AbortController();
  const onSignal = () => interrupted.abort();
  process.on("SIGINT", onSignal);
  try {
    const code = await chat(url, flags, {
      input: process.stdin,
      output: process.stdout,
      errorOutput: process.stderr,
      env: process.env,
      signal: interrupted.signal,
    });
    // main() reports only usage errors and bugs; a chat that failed sets the code itself.
    if (code !== 0) process.exitCode = code;
  } finally {
    process.off("SIGINT", onSignal);
  }
}

/**
 * Chats with the bot at `url` until the input ends, `/quit`, or Ctrl-C (or `io.signal`), and resolves
 * with the exit code: 0, or 1 when the bot cannot be reached at all. A URL that is not http(s) is a
 * {@link UserError}.
 * @example
 * const code = await chat("http://127.0.0.1:8080/", {}, { input: process.stdin, output: process.stdout, env: process.env });
 */
export async function chat(url: string, flags: ChatFlags, io: ChatIO): Promise<number> {
  const botUrl = parseBotUrl(url);
  const givenKey = flags.accessKey || io.env.POE_ACCESS_KEY || null;
  // Poe always sends a key; some bot libraries refuse a request without one even when they check none.
  const accessKey = givenKey ?? generateAccessKey();
  const target: ExchangeTarget = { name: botNameFromUrl(botUrl), url: botUrl.href, accessKey };
  const printer = new ChatPrinter(io.output, io.env);
  const session = new ChatSession({
    botName: target.name,
    ...(flags.user !== undefined && { userId: flags.user }),
  });

  const first = await readSettings(target);
  if (first.unreachable !== null) {
    writeFailure(
      io.errorOutput ?? io.output,
      io.env,
      `could not reach ${target.url}: ${first.unreachable}. Is the bot running? (start it with poekit serve <module>)`,
    );
    return 1;
  }
  printer.header(target.url, introductionOf(first.settings));
  // Shown (once) because it was made up: a bot that takes it checks no key. A given key is never printed.
  if (givenKey === null) printer.note(`no access key given: sending Authorization: Bearer ${accessKey}`);
  showSettingsProblem(printer, first);
  session.enforceAuthorRoleAlternation = first.settings?.enforce_author_role_alternation === true;

  // Ctrl-C, on the terminal or as a signal, ends the chat: nothing more is read, sent or reported.
  const interrupted = new AbortController();
  const onAbort = () => interrupted.abort();
  io.signal?.addEventListener("abort", onAbort, { once: true });
  if (io.signal?.aborted) interrupted.abort();
  const lines = openLines(io.input, io.output, interrupted);
  const reports = new Set<Promise<unknown>>();
  let suggestions: string[] = [];

  const ask = async (turn: Turn) => {
    const answer = createAnswer();
    const outcome = await runExchange({
      target,
      body: turn.body,
      signal: interrupted.signal,
      observer: {
        onEvent: (event) => {
          applyEvent(answer, event);
          if (event.event === "text") printer.text(event.data.text);
          else if (event.event === "replace_response") printer.replaced(event.data.text);
        },
        onViolation: (violation) => printer.violation(violation),
      },
    });
    if (outcome.aborted) return;
    printer.endAnswer(answer, outcome.timings);
    suggestions = answer.suggestedReplies;
    // As on Poe, only an answer that finished without an error goes back to the bot in the history.
    if (outcome.completed && answer.error === null) {
      session.answered(turn, {
        content: answer.content,
        contentType: answer.contentType,
        metadata: answer.metadata,
      });
    }
    if (outcome.violations.length > 0) {
      // In the background, as Poe does: the next message need not wait for the bot to take them.
      const report = reportViolations({
        target,
        violations: outcome.violations,
        messageId: turn.messageId,
        exchangeId: makeIdentifier("x"),
        httpStatus: outcome.httpStatus,
        signal: interrupted.signal,
      });
      reports.add(report);
      void report.finally(() => reports.delete(report));
    }
  };

  /** Acts on one line of input; false when it ends the chat. */
  const handle = async (input: ChatInput): Promise<boolean> => {
    switch (input.kind) {
      case "empty":
        return true;
      case "quit":
        return false;
      case "clear":
        session.clear();
        suggestions = [];
        printer.cleared();
        return true;
      case "settings": {
        const result = await readSettings(target);
        if (result.settings) {
          printer.settings(result.settings);
          session.enforceAuthorRoleAlternation = result.settings.enforce_author_role_alternation === true;
        } else showSettingsProblem(printer, result);
        return true;
      }
      case "help":
        printer.help();
        return true;
      case "unknown":
        printer.unknownCommand(input.command);
        return true;
      case "message":
        if (input.echo || !lines.echoes) printer.sent(input.text);
        await ask(session.ask(input.text));
        return true;
    }
  };

  try {
    while (!interrupted.signal.aborted) {
      const line = await lines.next();
      if (line === null || !(await handle(interpret(line, suggestions)))) break;
    }
  } finally {
    lines.close();
    io.signal?.removeEventListener("abort", onAbort);
    printer.close();
  }
  // Reports are bounded by their own timeout; an interrupted chat has already stopped them.
  await Promise.allSettled(reports);
  return 0;
}

/** The bot's settings, or why there are none; `unreachable` says why no connection could be made. */
interface SettingsRead {
  settings: Record<string, unknown> | null;
  problem: string | null;
  /** The bot has no settings (501): Poe's defaults apply, nothing is wrong. */
  notImplemented: boolean;
  unreachable: string | null;
}

/**
 * Asks the bot for its settings. A request that could not even connect is told apart from every
 * other failure, because only that one means the chat cannot work at all.
 */
async function readSettings(target: ExchangeTarget): Promise<SettingsRead> {
  let connectionError: unknown = null;
  const result = await fetchBotSettings({
    ...target,
    fetch: async (input, init) => {
      try {
        return await fetch(input, init);
      } catch (error) {
        connectionError = error;
        throw error;
      }
    },
  });
  if (result.ok)
    return { settings: result.settings, problem: null, notImplemented: false, unreachable: null };
  const unreachable = connectionError === null ? null : connectionFailure(connectionError);
  return { settings: null, problem: result.error, notImplemented: result.notImplemented, unreachable };
}

function showSettingsProblem(printer: ChatPrinter, read: SettingsRead): void {
  if (read.problem === null) return;
  if (read.notImplemented) printer.note(read.problem);
  else printer.warning(`the bot's settings could not be read: ${read.problem}`);
}

function introductionOf(settings: Record<string, unknown> | null): string | null {
  const introduction = settings?.introduction_message;
  return typeof introduction === "string" && introduction.trim() !== "" ? introduction : null;
}

/** Why a fetch could not connect, in a few words; null when it did not fail to connect but timed out. */
function connectionFailure(error: unknown): string | null {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) return null;
  const cause =
    error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === "string" ? cause.code : null;
  if (code !== null && code in CONNECTION_ERRORS) return CONNECTION_ERRORS[code] as string;
  if (typeof cause?.message === "string" && cause.message !== "") return cause.message;
  return error instanceof Error ? error.message : String(error);
}

const CONNECTION_ERRORS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "the connection was reset",
  ENOTFOUND: "no such host",
  EAI_AGAIN: "the host name could not be looked up",
  EHOSTUNREACH: "the host is unreachable",
  ENETUNREACH: "the network is unreachable",
  ETIMEDOUT: "the connection timed out",
};
