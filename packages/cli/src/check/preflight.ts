import type { CheckContext } from "./check-context.js";
import { normalQuery, settingsRequest } from "./query-bodies.js";

/** Whether the checks can run, and why not when they cannot. */
export type Preflight =
  | { ok: true }
  | {
      ok: false;
      /** `unreachable`: no answer at all; `refused`: every request is refused for its credentials. */
      kind: "unreachable" | "refused";
      message: string;
    };

/**
 * Makes sure the checks can say anything: the bot answers, and it does not refuse every request for
 * its key. A settings request is tried first; only when it is refused is a query tried too (some bots
 * guard only queries, or only settings).
 * @example
 * const ready = await preflight(context);
 * if (!ready.ok) console.error(ready.message);
 */
export async function preflight(context: CheckContext): Promise<Preflight> {
  const settings = await context.post(settingsRequest());
  if (settings.status === null) {
    return {
      ok: false,
      kind: "unreachable",
      message: `Could not reach ${context.url} (${settings.response.error}). Is the bot running, and is the URL right?`,
    };
  }
  if (!isRefusal(settings.status)) return { ok: true };
  const query = await context.post(normalQuery());
  if (query.status === null || !isRefusal(query.status)) return { ok: true };
  const message =
    context.accessKey === null
      ? `The bot at ${context.url} answered ${query.status} to every request: it needs its access key. Pass --access-key <key> or set POE_ACCESS_KEY.`
      : `The bot at ${context.url} refused the access key given (HTTP ${query.status} to every request); check --access-key or POE_ACCESS_KEY.`;
  return { ok: false, kind: "refused", message };
}

function isRefusal(status: number): boolean {
  return status === 401 || status === 403;
}
