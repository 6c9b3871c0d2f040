import { Hono } from "hono";
import type { SimulatorContext } from "../context.js";

/**
 * Types a browser would run script in if it rendered them on the simulator's origin: they are served
 * with `Content-Security-Policy: sandbox`, which gives them an opaque origin and no scripts.
 */
function isScriptable(contentType: string): boolean {
  return (
    contentType === "text/html" ||
    contentType === "application/xhtml+xml" ||
    contentType === "text/xml" ||
    contentType === "application/xml" ||
    contentType.endsWith("+xml")
  );
}

/**
 * Types a browser runs as script or applies as style when a page loads them (`<script src>`, a worker,
 * a stylesheet link). Served as they are, a file of one of them on the simulator's origin would get
 * past the page's `script-src 'self'`; served as plain text, `nosniff` keeps browsers from using it so.
 */
function isScriptOrStyle(contentType: string): boolean {
  // The JavaScript types of the MIME Sniffing standard: javascript, x-ecmascript, jscript, livescript…
  return contentType === "text/css" || /\/(?:x-)?(?:java|ecma|j|live)script/.test(contentType);
}

/** Types a browser shows itself; anything else is offered as a download. */
function isShownInline(contentType: string): boolean {
  return (
    contentType.startsWith("image/") || contentType.startsWith("text/") || contentType === "application/pdf"
  );
}

/** RFC 8187 encoding for `filename*`: percent-encoding that also covers the characters it reserves. */
function encodeFilename(name: string): string {
  return encodeURIComponent(name).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * `GET /files/:id/:name?expires=…&signature=…`: a stored file (a user's attachment or a bot's upload)
 * through the signed URL the simulator handed out, until it expires, as Poe's file URLs do. A URL that
 * was tampered with answers 403, an expired one 410, a file that is gone 404, each `{"detail"}`.
 *
 * Files come from users and bots, so they are served so that they can never act on the simulator's
 * origin: `nosniff`, and a sandbox for HTML and SVG. Paths are absolute: mount with
 * `app.route("/", fileRoutes(context))`.
 *
 * @example
 * app.route("/", fileRoutes(context));
 * const url = `${origin}${context.fileUrls.pathFor(stored)}`;
 */
export function fileRoutes(context: SimulatorContext): Hono {
  const app = new Hono();

  app.get("/files/:id/:name", (c) => {
    const id = c.req.param("id");
    const check = context.fileUrls.check(id, c.req.query("expires"), c.req.query("signature"));
    if (check === "invalid") {
      return c.json(
        {
          detail:
            "This file URL is not valid: its expires/signature parameters are missing or do not match. Use the URL exactly as the simulator gave it.",
        },
        403,
      );
    }
    if (check === "expired") {
      return c.json(
        {
          detail: `This file URL expired (file URLs work for ${context.fileUrls.ttlSeconds} seconds, --file-ttl).`,
        },
        410,
      );
    }
    const file = context.store.files.get(id);
    const data = context.store.files.data(id);
    if (!file || !data) return c.json({ detail: "This file is no longer stored in the simulator." }, 404);

    const stored = file.contentType.toLowerCase();
    const type = isScriptOrStyle(stored) ? "text/plain" : stored;
    // Stored text is almost always UTF-8; without a charset browsers guess, often wrongly.
    const contentType =
      (type.startsWith("text/") || type === "application/json") && !type.includes("charset")
        ? `${type}; charset=utf-8`
        : type;
    const headers: Record<string, string> = {
      "content-type": contentType,
      "content-disposition": `${isShownInline(type) ? "inline" : "attachment"}; filename*=UTF-8''${encodeFilename(file.name)}`,
      "x-content-type-options": "nosniff",
      "cache-control": "private, max-age=60",
    };
    if (isScriptable(type)) headers["content-security-policy"] = "sandbox";
    return c.body(new Uint8Array(data), 200, headers);
  });

  return app;
}
