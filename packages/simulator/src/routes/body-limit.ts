import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";

/**
 * Refuses request bodies over `maxSize` bytes with 413 and a JSON `detail`. A body that declares its
 * length is judged by the header alone (Node's parser never reads past it); only one sent in chunks is
 * counted as it is read, by Hono's `bodyLimit`. That one reads `c.req.raw.body`, which makes
 * `@hono/node-server` wrap Node's request in a web `Request` and stream, through which the route then
 * reads the body too: time per request that the bot query API need not spend (docs/benchmarks.md).
 *
 * @example
 * app.use("/bot/*", limitBody(16 * 1024 * 1024));
 */
export function limitBody(maxSize: number): MiddlewareHandler {
  const tooLarge = (c: Context) =>
    c.json({ detail: `The request body is larger than ${maxSize} bytes.` }, 413);
  const counted = bodyLimit({ maxSize, onError: tooLarge });
  return async (c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    const length = c.req.header("content-length");
    if (length !== undefined && c.req.header("transfer-encoding") === undefined) {
      return Number(length) > maxSize ? tooLarge(c) : next();
    }
    return counted(c, next);
  };
}
