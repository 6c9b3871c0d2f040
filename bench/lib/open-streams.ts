import { Agent, request } from "node:http";
import { createParser } from "eventsource-parser";
import { checkResponseEvent } from "poekit/protocol";
import { QUERY_HEADERS, queryBody } from "./query.js";

/** What holding many streams open measured. */
export interface OpenStreamsResult {
  /** Streams that got every event and `done`. */
  served: number;
  /** The most streams open at the same moment (headers received, `done` not yet). */
  peakOpen: number;
  /** How late each event arrived after the time the bot meant to send it, in ms. */
  lagsMs: Float64Array;
  /**
   * The lags of the events due while every stream was open (after the last one opened, before the
   * first one ended): the steady state, without the opening rush. Empty when there was none.
   */
  steadyLagsMs: Float64Array;
  /** From the first request to the last stream's headers. */
  openedInMs: number;
  /** The first few failures, described. */
  failures: string[];
}

const now = () => performance.timeOrigin + performance.now();

/** Requests waiting for their headers at most at a time. */
const MAX_CONNECTING = 64;

/**
 * Opens `count` query streams to a server that sends `events` text events per stream, each carrying
 * the time it was due (`<index>@<epoch ms>`, see bench/bots/sleepy-bot.ts), and reads them all to
 * the end. Every stream has a connection of its own (no keep-alive). At most 64 requests
 * wait for their headers at a time, so streams open as fast as the server accepts them: a flood would
 * overflow the listen backlog, and the dropped connections, retried together a second or more later,
 * would start their streams in lockstep, every event of a wave due in the same millisecond.
 * Gives up on streams still open after `timeoutMs`.
 * @example
 * const result = await holdOpenStreams({ url, count: 10_000, events: 30, timeoutMs: 60_000 });
 */
export async function holdOpenStreams(options: {
  url: string;
  count: number;
  events: number;
  timeoutMs: number;
}): Promise<OpenStreamsResult> {
  let connecting = 0;
  let slotFreed: (() => void) | undefined;
  const freeSlot = () => {
    connecting--;
    slotFreed?.();
    slotFreed = undefined;
  };
  const agent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
  const body = queryBody("Take your time");
  const lags = new Float64Array(options.count * options.events);
  const dues = new Float64Array(options.count * options.events);
  let lagCount = 0;
  let allOpenAt = Number.POSITIVE_INFINITY;
  let firstEndAt = Number.POSITIVE_INFINITY;
  let served = 0;
  let open = 0;
  let peakOpen = 0;
  let lastHeadersAt = 0;
  const failures: string[] = [];
  const fail = (message: string) => {
    if (failures.length < 10) failures.push(message);
  };
  const requests = new Set<ReturnType<typeof request>>();

  const stream = (index: number) =>
    new Promise<void>((resolve) => {
      let texts = 0;
      let done = false;
      let waiting = true;
      const settled = () => {
        if (waiting) {
          waiting = false;
          freeSlot();
        }
      };
      connecting++;
      const req = request(options.url, { method: "POST", agent, headers: QUERY_HEADERS }, (res) => {
        settled();
        lastHeadersAt = performance.now();
        open++;
        peakOpen = Math.max(peakOpen, open);
        if (open === options.count) allOpenAt = now();
        if (res.statusCode !== 200) fail(`stream ${index}: HTTP ${res.statusCode}`);
        const parser = createParser({
          onEvent(sse) {
            const event = checkResponseEvent({ event: sse.event ?? "message", data: sse.data });
            if ("rule" in event) return;
            if (event.event === "text") {
              const text = event.data.text;
              const due = Number(text.slice(text.indexOf("@") + 1));
              if (lagCount < lags.length) {
                dues[lagCount] = due;
                lags[lagCount++] = now() - due;
              }
              texts++;
            } else if (event.event === "done") {
              done = true;
            }
          },
        });
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => parser.feed(chunk));
        res.on("end", () => {
          firstEndAt = Math.min(firstEndAt, now());
          open--;
          if (res.statusCode === 200 && done && texts === options.events) served++;
          else
            fail(
              `stream ${index}: ended after ${texts} of ${options.events} events${done ? "" : ", no done"}`,
            );
          requests.delete(req);
          resolve();
        });
        res.on("error", (error) => {
          open--;
          fail(`stream ${index}: ${error.message}`);
          requests.delete(req);
          resolve();
        });
      });
      req.on("error", (error) => {
        settled();
        fail(`stream ${index}: ${error.message}`);
        requests.delete(req);
        resolve();
      });
      requests.add(req);
      req.end(body);
    });

  const started = performance.now();
  let cut = false;
  const timer = setTimeout(() => {
    cut = true;
    fail(`${requests.size} streams still open after ${options.timeoutMs / 1000} s; cut`);
    for (const req of requests) req.destroy();
  }, options.timeoutMs);
  const all: Promise<void>[] = [];
  for (let i = 0; i < options.count && !cut; i++) {
    while (connecting >= MAX_CONNECTING) await new Promise<void>((resolve) => (slotFreed = resolve));
    all.push(stream(i));
  }
  await Promise.all(all);
  clearTimeout(timer);
  agent.destroy();
  const steady: number[] = [];
  for (let i = 0; i < lagCount; i++) {
    const due = dues[i] as number;
    if (due >= allOpenAt && due < firstEndAt) steady.push(lags[i] as number);
  }
  return {
    served,
    peakOpen,
    lagsMs: lags.subarray(0, lagCount),
    steadyLagsMs: Float64Array.from(steady),
    openedInMs: lastHeadersAt - started,
    failures,
  };
}
