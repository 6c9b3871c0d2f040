import { PoeBot, type QueryRequest, type RequestContext } from "poekit";

/** The message of a short query, and the text the bot answers it with. */
export const SHORT_QUERY = "ping";
export const SHORT_ANSWER = "pong";

/**
 * The message that asks for a streamed answer of `events` text events, `intervalMs` apart.
 * @example
 * streamMessage(20, 100); // "stream 20 100"
 */
export function streamMessage(events: number, intervalMs: number): string {
  return `stream ${events} ${intervalMs}`;
}

/**
 * The text of the answer to {@link streamMessage}: the events' pieces, together.
 * @example
 * streamedText(3); // "0 1 2 "
 */
export function streamedText(events: number): string {
  let text = "";
  for (let i = 0; i < events; i++) text += `${i} `;
  return text;
}

/**
 * The soak's bot: answers {@link SHORT_QUERY} at once, and a {@link streamMessage} as a model streams,
 * a piece at a time with a pause between, stopping when the response is cut (`context.signal`).
 * @example
 * await run(new SoakBot(), { port: 0, allowWithoutKey: true });
 */
export class SoakBot extends PoeBot {
  override async *getResponseWithContext(request: QueryRequest, context: RequestContext) {
    const message = request.query.at(-1)?.content ?? "";
    const stream = /^stream (\d+) (\d+)$/.exec(message);
    if (!stream) {
      yield SHORT_ANSWER;
      return;
    }
    const events = Number(stream[1]);
    const intervalMs = Number(stream[2]);
    for (let i = 0; i < events; i++) {
      if (i > 0) await pause(intervalMs, context.signal);
      yield `${i} `;
    }
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
