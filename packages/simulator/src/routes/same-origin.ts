import type { MiddlewareHandler } from "hono";

/**
 * Refuses state-changing `/api` calls made from another site, so that a web page the user visits
 * cannot drive the simulator (or its bots) through the browser. Tools without an `Origin` header
 * (curl, tests) are allowed: they are not a browser acting for someone else.
 */
export function sameOriginOnly(origin: () => string): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    const from = c.req.header("origin");
    const site = c.req.header("sec-fetch-site");
    if ((from && from !== origin() && from !== new URL(c.req.url).origin) || site === "cross-site") {
      return c.json({ detail: "Cross-site requests to the simulator's API are refused." }, 403);
    }
    return next();
  };
}
