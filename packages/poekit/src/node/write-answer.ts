import type { ServerResponse } from "node:http";
import type { Answer } from "../server/answer.js";
import type { QueryStream } from "../server/query-stream.js";
import { DISCARD_LIMITS, discardBody } from "./discard-body.js";

/**
 * Writes an answer to a node:http response. A whole answer goes out in one write with its length;
 * a stream is written as the bot produces it, waiting for `drain` when the client reads slowly, and
 * the bot is stopped when the client goes away.
 * @example
 * writeAnswer(await answer(incomingFromNode(req)), res);
 */
export function writeAnswer(answer: Answer, response: ServerResponse): Promise<void> {
  if (answer.stream === undefined) {
    // A refused body may still be arriving: the connection is closed after this answer (once the rest
    // has been read and dropped, below) rather than kept for another request.
    if (answer.status === 413) response.shouldKeepAlive = false;
    // writeHead fixes the header block, so the length must be in it for the body to go unchunked.
    // A flat list: a fresh object spread from the headers made every answer measurably slower. One
    // list per headers object, its last value set each time: writeHead copies it and keeps none.
    const head = headListOf(answer.headers);
    head[head.length - 1] = String(Buffer.byteLength(answer.body));
    response.writeHead(answer.status, head);
    if (answer.status === 413) return answerRefusedBody(answer.body, response);
    response.end(answer.body);
    return Promise.resolve();
  }
  return writeStream(answer.stream, answer.initial, answer.headers, response);
}

/**
 * The answer goes out at once, for a client that reads while it sends; the connection is closed only
 * once the rest of the body has been read (within {@link DISCARD_LIMITS}), so that a client still
 * sending gets the answer rather than a reset.
 */
async function answerRefusedBody(body: string, response: ServerResponse): Promise<void> {
  // A client that went away meanwhile makes a write fail here; there is no one left to answer.
  response.on("error", () => {});
  response.write(body);
  await discardBody(response.req, DISCARD_LIMITS);
  if (!response.destroyed) response.end();
}

function writeStream(
  stream: QueryStream,
  initial: string,
  headers: Record<string, string>,
  response: ServerResponse,
): Promise<void> {
  return new Promise((resolve) => {
    // Written after the end, a `close` means the client left early.
    response.on("close", () => {
      if (!response.writableFinished) stream.clientLeft();
      resolve();
    });
    // A write to a socket that just closed reports an error here; the `close` above handles it.
    response.on("error", () => {});
    response.writeHead(200, headers);
    // The headers leave with what the bot had ready; when it had nothing, at once.
    if (initial !== "") response.write(initial);
    else response.flushHeaders();
    stream.attach({
      write: (sse) => {
        if (!response.destroyed) response.write(sse);
      },
      close: () => {
        if (!response.destroyed) response.end();
      },
      wantsMore: () => !response.writableNeedDrain && !response.destroyed,
      fail: () => response.destroy(),
    });
    // The stream writes as the bot produces while the socket takes it, and stops when it is full.
    response.on("drain", () => stream.resume());
    stream.resume();
  });
}

const headLists = new WeakMap<Record<string, string>, string[]>();

/** `headers` as writeHead's flat list, ending with `content-length` and a value to fill in. */
function headListOf(headers: Record<string, string>): string[] {
  let list = headLists.get(headers);
  if (list === undefined) {
    list = [];
    for (const name in headers) list.push(name, headers[name] as string);
    list.push("content-length", "");
    // Answers made per request (errors, JSON) have headers of their own: only shared ones are kept.
    if (Object.isFrozen(headers)) headLists.set(headers, list);
  }
  return list;
}
