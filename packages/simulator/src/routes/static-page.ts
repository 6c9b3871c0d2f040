import { readFile } from "node:fs/promises";
import path from "node:path";
import { Hono } from "hono";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".map": "application/json",
};

// The page renders what bots send: the policy keeps any script that slipped through sanitising from
// running, and keeps the page from being framed by another site.
const PAGE_HEADERS = {
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: http: https:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

/** Serves the built chat page (`dist/page`): `index.html` at `/`, files under `/assets/`. */
export function staticPageRoutes(pageDir: string): Hono {
  const app = new Hono();
  const send = async (file: string, cache: string) => {
    const body = await readFile(path.join(pageDir, file)).catch(() => undefined);
    if (!body) return undefined;
    return new Response(body, {
      headers: {
        ...PAGE_HEADERS,
        "content-type": TYPES[path.extname(file)] ?? "application/octet-stream",
        "cache-control": cache,
      },
    });
  };

  app.get("/", async (c) => {
    const page = await send("index.html", "no-cache");
    return (
      page ??
      c.json(
        {
          detail: `The chat page is not built (no ${path.join(pageDir, "index.html")}). Run: npm run build:page -w @poekit/simulator`,
        },
        503,
      )
    );
  });

  app.get("/assets/:file", async (c) => {
    const file = c.req.param("file");
    // Only names vite writes; never a path.
    if (!/^[\w.-]+$/.test(file) || file.startsWith(".")) return c.json({ detail: "Not found" }, 404);
    return (
      (await send(path.join("assets", file), "public, max-age=31536000, immutable")) ??
      c.json({ detail: "Not found" }, 404)
    );
  });

  return app;
}
