import { Hono } from "hono";
import type { QueryRequest } from "poekit";
import {
  DONE_EVENT,
  encodeEvent,
  formatIssues,
  MAX_BOT_CALLS_PER_MESSAGE,
  MISSING_ACCESS_KEY,
  makeIdentifier,
  QueryRequestSchema,
} from "poekit/protocol";
import type { SimulatorContext } from "../context.js";
import { linkSignals } from "../linked-signal.js";
import type { ExchangeRecord, Violation } from "../model.js";
import { recordExchange } from "../query/recorded-exchange.js";
import { type Caller, judgeCaller } from "./bot-query-caller.js";
import { openCallerStream } from "./caller-stream.js";
import { TOO_DEEP, tooDeep } from "./read-json.js";
import { isCrossSiteRequest } from "./same-origin.js";
import { SSE_HEADERS } from "./sse-headers.js";

/** Request types a client may send to the bot query API besides `query`; they are accepted and ignored. */
const IGNORED_TYPES = new Set(["report_error", "report_feedback", "report_reaction"]);

/**
 * `POST /bot/:name`: Poe's bot query API, which bots (and scripts) use to call other bots. The simulator
 * applies Poe's rules — the key must be the calling bot's access key (see `judgeCaller`), a calling
 * bot may call only the bots in its `server_bot_dependencies`, as many times per message as declared,
 * and a message may cause at most {@link MAX_BOT_CALLS_PER_MESSAGE} calls — then sends the query to the bot, records the exchange for the inspector (nested under the
 * caller's) and streams the bot's valid events back as they arrive. Refusals and failures of the
 * called bot arrive as an `error` event followed by `done`, as on Poe.
 *
 * Paths are absolute: mount with `app.route("/", botQueryRoutes(context))`.
 *
 * @example
 * app.route("/", botQueryRoutes(context));
 * // a bot then calls: streamRequest(request, "Echo", request.access_key, { baseUrl: `${origin}/bot/` })
 */
export function botQueryRoutes(context: SimulatorContext): Hono {
  const app = new Hono();

  app.post("/bot/:name", async (c) => {
    // Bots and scripts send no Origin; a browser does. Without this, any web page the user visits could
    // make the simulator call its bots (and the paid models behind some of them) with a simple POST.
    if (isCrossSiteRequest(c, context.origin())) {
      return c.json(
        { detail: "The bot query API does not accept requests from web pages of other sites." },
        403,
      );
    }
    const name = c.req.param("name");
    const target = context.registry.target(name);
    if (!target) {
      return c.json(
        {
          detail: `There is no bot named "${name}" in the simulator. Register it (--bot ${name}=URL#KEY, or on the page) or check the name's spelling and case.`,
        },
        404,
      );
    }

    let json: unknown;
    try {
      json = await c.req.json();
    } catch {
      return c.json({ detail: "The body must be a JSON query request." }, 400);
    }
    if (tooDeep(json)) return c.json({ detail: TOO_DEEP }, 400);
    const type = typeof json === "object" && json !== null ? (json as { type?: unknown }).type : undefined;
    // Clients send report_error to the endpoint they queried when a response breaks the protocol;
    // the simulator grades every response itself, so such reports are accepted and dropped.
    if (typeof type === "string" && IGNORED_TYPES.has(type)) return c.json({});
    const parsed = QueryRequestSchema.safeParse(json);
    if (!parsed.success) {
      const issues = formatIssues(parsed.error.issues);
      const details = issues
        .slice(0, 5)
        .map((issue) => `${issue.path}: ${issue.message}`)
        .join("; ");
      return c.json({ detail: `Invalid query request: ${details}`, issues }, 400);
    }
    const request = parsed.data as QueryRequest;
    // Scripts often send an empty message_id; such calls belong to no message and share no count.
    const messageId = request.message_id === "" ? null : request.message_id;
    const earlier = messageId === null ? [] : context.store.exchanges.listForMessage(messageId);
    const verdict = judgeCaller(context, c.req.header("authorization"), name, earlier);
    // Poe answers a refused key with a retryable "Access denied" error event.
    if (verdict.kind === "refused") return c.body(refusalEvents(verdict.text, true), 200, SSE_HEADERS);
    const { caller } = verdict;

    const refusal = checkRules(context, caller, name, earlier, messageId);
    if (refusal !== null) return c.body(refusalEvents(refusal, false), 200, SSE_HEADERS);

    const body = {
      ...request,
      // The key only ever travels in the Authorization header; the called bot gets its own from its server.
      access_key: MISSING_ACCESS_KEY,
      api_key: MISSING_ACCESS_KEY,
      // Poe gives every query its own id, so that the called bot's cost calls charge its own query.
      bot_query_id: makeIdentifier("bq"),
    };
    const abort = new AbortController();
    const stream = openCallerStream(c, () => abort.abort());
    // No await since the rules were checked: the exchange is stored at once, so a concurrent call
    // counts it.
    context.tasks.run(
      async () => {
        const linked = linkSignals(abort.signal, context.tasks.signal);
        const { outcome } = await recordExchange(context, {
          target,
          body,
          messageId,
          parentId: caller.parentId,
          caller: { kind: "bot", botName: caller.botName },
          callerViolations:
            verdict.kind === "flagged"
              ? [{ rule: "bot-query-key", message: verdict.violation, atMs: 0, seq: null }]
              : [],
          signal: linked.signal,
          onEvent: (event) => {
            stream.send(event.event, event.data);
            // Poe ends the call at `done`; the exchange goes on a moment only to grade what follows.
            if (event.event === "done") stream.close();
          },
        }).finally(linked.release);
        // Unless the caller left (then nothing is sent), its stream must end properly here too.
        if (!outcome.completed) {
          const text = outcome.aborted
            ? `The call to bot "${name}" was cancelled: the simulator is shutting down.`
            : failureText(name, outcome.violations);
          stream.send("error", { allow_retry: true, text });
          stream.send("done", {});
        }
        stream.close();
      },
      (error) => {
        console.error(`[poekit simulator] the call to bot "${name}" failed:`, error);
        stream.send("error", {
          allow_retry: true,
          text: `The simulator could not complete the call to bot "${name}"; see its console.`,
        });
        stream.send("done", {});
        stream.close();
      },
    );
    return stream.response;
  });

  return app;
}

/** The events refusing a call, as Poe sends them: an `error` event, then `done`. */
function refusalEvents(text: string, allowRetry: boolean): string {
  return encodeEvent("error", { allow_retry: allowRetry, text }) + DONE_EVENT;
}

/** Why Poe would refuse this call, or null when it may go ahead. */
function checkRules(
  context: SimulatorContext,
  caller: Caller,
  targetName: string,
  earlier: readonly ExchangeRecord[],
  messageId: string | null,
): string | null {
  const calls = earlier.filter((exchange) => exchange.caller.kind === "bot");
  if (caller.botName !== null) {
    const from = caller.botName;
    const declared = context.registry.settings(from).serverBotDependencies[targetName];
    if (declared === undefined) {
      return `Bot "${from}" may not call "${targetName}": ${targetName} is not in ${from}'s server_bot_dependencies. Declare it in the bot's settings (server_bot_dependencies: {"${targetName}": 1}) and sync them.`;
    }
    const made = calls.filter(
      (exchange) =>
        exchange.caller.kind === "bot" && exchange.caller.botName === from && exchange.botName === targetName,
    ).length;
    if (made >= declared) {
      return `Bot "${from}" may not call "${targetName}" again for this message: its server_bot_dependencies allow ${declared} call${declared === 1 ? "" : "s"} per message and it has made ${made}. Raise the number in the bot's settings and sync them.`;
    }
  }
  if (messageId !== null && calls.length >= MAX_BOT_CALLS_PER_MESSAGE) {
    return `The call to "${targetName}" was refused: message ${messageId} has already made ${calls.length} bot query API calls, and Poe allows at most ${MAX_BOT_CALLS_PER_MESSAGE} per user message.`;
  }
  return null;
}

/** What the caller is told when the bot it called failed, from the violation that ended the response. */
function failureText(name: string, violations: readonly Violation[]): string {
  const fatal = violations.find(
    (violation) => violation.rule !== "unknown-event" && violation.rule !== "meta-not-first",
  );
  return fatal
    ? `The bot "${name}" failed: ${fatal.message}`
    : `The bot "${name}" failed: its response ended without a "done" event.`;
}
