import type { ErrorHandler } from "hono";
import { ConversationError } from "../conversation/conversation-error.js";

/**
 * A client mistake with the HTTP status to answer and a sentence saying what was wrong; the routes
 * turn it into `{"detail": ...}`.
 */
export class ApiError extends Error {
  override readonly name = "ApiError";

  constructor(
    readonly status: 400 | 403 | 404 | 409 | 410 | 413 | 415 | 422,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The error handler of every route: an {@link ApiError}, a {@link ConversationError} (404 when
 * something is missing, 422 when a bot's settings refuse), or an error of the framework that carries a
 * 4xx status, answers `{"detail"}` with that status; anything else is a simulator bug, logged and
 * answered 500. The log names the route, not the path: paths carry access keys
 * (`/bot/fetch_settings/:bot/:key`).
 *
 * @example
 * app.onError(answerError);
 */
export const answerError: ErrorHandler = (error, c) => {
  if (error instanceof ApiError) return c.json({ detail: error.message }, error.status);
  if (error instanceof ConversationError) {
    return c.json({ detail: error.message }, error.reason === "not-found" ? 404 : 422);
  }
  const status = (error as { status?: unknown }).status;
  if (typeof status === "number" && status >= 400 && status < 500) {
    return c.json({ detail: error.message || "Bad request" }, status as 400);
  }
  console.error(`[poekit simulator] ${c.req.method} ${c.req.routePath} failed:`, error);
  return c.json({ detail: "The simulator failed on this request; see its console." }, 500);
};
