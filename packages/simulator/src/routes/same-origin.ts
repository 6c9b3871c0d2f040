import { isIP } from "node:net";
import type { Context, MiddlewareHandler } from "hono";

/**
 * Refuses `/api` calls that a web page of another site makes through the user's browser, so that a
 * site the user visits cannot drive the simulator (or its bots). State-changing calls must come from
 * the simulator's own page; any call from a browser must use the simulator's own host name (see
 * {@link isForeignHost}). Tools without `Origin` or `Sec-Fetch-Site` headers (curl, bots, tests) are
 * allowed: they are not a browser acting for someone else.
 */
export function sameOriginOnly(origin: () => string): MiddlewareHandler {
  return async (c, next) => {
    const reading = c.req.method === "GET" || c.req.method === "HEAD";
    if (isForeignHost(c, origin())) return c.json({ detail: foreignHostDetail(c, origin()) }, 403);
    if (!reading && isCrossSiteRequest(c, origin())) {
      return c.json({ detail: "Cross-site requests to the simulator's API are refused." }, 403);
    }
    return next();
  };
}

/**
 * Whether a browser sent this request for a page of another site: its `Origin` names another site, the
 * browser says it is cross-site, or it came under a host name that is not the simulator's.
 *
 * @example
 * if (isCrossSiteRequest(c, context.origin())) return c.json({ detail: "Refused." }, 403);
 */
export function isCrossSiteRequest(c: Context, origin: string): boolean {
  const from = c.req.header("origin");
  const site = c.req.header("sec-fetch-site");
  return (
    isForeignHost(c, origin) ||
    (from !== undefined && from !== origin && from !== new URL(c.req.url).origin) ||
    site === "cross-site"
  );
}

/**
 * Whether a browser reached the simulator under a host name that is not its own. A site can make its
 * name resolve to 127.0.0.1 (DNS rebinding); its pages are then same-origin with the simulator in the
 * browser's eyes, and `Origin` proves nothing. IP addresses, `localhost` and the simulator's own host
 * name cannot be taken over that way.
 */
function isForeignHost(c: Context, origin: string): boolean {
  const fromBrowser = c.req.header("origin") !== undefined || c.req.header("sec-fetch-site") !== undefined;
  if (!fromBrowser) return false;
  const host = new URL(c.req.url).hostname;
  return !(
    host === new URL(origin).hostname ||
    host === "localhost" ||
    host.endsWith(".localhost") ||
    isIP(host.replace(/^\[(.*)\]$/, "$1")) !== 0
  );
}

function foreignHostDetail(c: Context, origin: string): string {
  const host = new URL(c.req.url).hostname;
  return `The simulator does not answer browsers that reach it as "${host}" (a site could point that name at this machine); open it at ${origin} instead.`;
}
