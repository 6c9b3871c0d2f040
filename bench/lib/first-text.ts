import { type Agent, request } from "node:http";
import { createParser } from "eventsource-parser";
import { emptyAnswer, foldAnswer, KEEP_ALIVE, ResponseSequence } from "poekit/protocol";

/** One answer, timed from sending the request. */
export interface TimedAnswer {
  /** Until the first `text` event was decoded. */
  firstTextMs: number;
  /** Until the response ended. */
  totalMs: number;
  /** The event names in order, `done` last for a complete answer. */
  events: string[];
  /** The answer's text as Poe shows it (poekit's `foldAnswer`). */
  text: string;
}

/**
 * POSTs one query and times its first `text` event and its end. Fails unless the answer is a 200
 * with a text event and ends with `done`, so a refusal is never timed as an answer.
 * @example
 * const answer = await timeFirstText("http://127.0.0.1:8080/", { headers: QUERY_HEADERS, body, agent });
 * answer.firstTextMs; // 0.41
 */
export function timeFirstText(
  url: string,
  options: { headers: Record<string, string>; body: string; agent: Agent },
): Promise<TimedAnswer> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let firstTextMs = Number.NaN;
    const events: string[] = [];
    const sequence = new ResponseSequence();
    const answer = emptyAnswer();
    const parser = createParser({
      onEvent(sse) {
        const name = sse.event ?? "message";
        events.push(name);
        const event = sequence.read({ event: name, data: sse.data });
        if (event === KEEP_ALIVE || "rule" in event) return;
        if (event.event === "text" && Number.isNaN(firstTextMs)) firstTextMs = performance.now() - started;
        foldAnswer(answer, event);
      },
    });
    const req = request(url, { method: "POST", headers: options.headers, agent: options.agent }, (res) => {
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => parser.feed(chunk));
      res.on("error", reject);
      res.on("end", () => {
        const totalMs = performance.now() - started;
        if (res.statusCode !== 200) {
          reject(new Error(`${url} answered ${res.statusCode}.`));
        } else if (Number.isNaN(firstTextMs) || events.at(-1) !== "done") {
          reject(new Error(`${url} answered without a text event and done: ${events.join(", ")}.`));
        } else {
          resolve({ firstTextMs, totalMs, events, text: answer.content });
        }
      });
    });
    req.on("error", reject);
    req.end(options.body);
  });
}
