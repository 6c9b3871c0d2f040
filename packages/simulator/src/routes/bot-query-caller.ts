import { MISSING_ACCESS_KEY } from "poekit/protocol";
import type { SimulatorContext } from "../context.js";
import type { ExchangeRecord } from "../model.js";
import { accessKeyFrom } from "./access-key.js";

/** Who made a call through the bot query API. */
export interface Caller {
  /** The calling bot, or null for an outside script. */
  botName: string | null;
  /** The caller's own exchange for this message, under which the call is nested in the inspector. */
  parentId: string | null;
}

/**
 * What Poe would make of the key of a bot query API call:
 * - `allowed`: the calling bot's own access key (or one the simulator cannot check: a script's);
 * - `refused`: Poe would answer "Access denied"; `text` says why and how to fix it;
 * - `flagged`: Poe would refuse it, but the calling bot has no key in the simulator to pass, so the
 *   call is answered and `violation` is shown on its exchange.
 */
export type CallerVerdict =
  | { kind: "allowed"; caller: Caller }
  | { kind: "refused"; text: string }
  | { kind: "flagged"; caller: Caller; violation: string };

/**
 * Judges the key of a call as Poe does and finds the calling bot. Poe takes the calling bot's access
 * key (what it gets as `request.access_key`) or a user's API key, and answers anything else with an
 * `error` event "Access denied". The calling bot is the registered bot whose access key the Bearer
 * token is. Else it is the bot the simulator asked to answer this message (`message_id`), which sent
 * a key that is not its own: refused when the simulator knows its key, flagged when it does not (a
 * key generated for a bot registered without one counts as none, as everywhere in Poe's APIs). Else
 * it is an outside script, whose key the simulator cannot check (it has no Poe accounts), so only a
 * missing one is refused.
 *
 * @example
 * const verdict = judgeCaller(context, c.req.header("authorization"), "GPT-4o-Mini", earlier);
 * if (verdict.kind === "refused") return refuse(verdict.text);
 */
export function judgeCaller(
  context: SimulatorContext,
  authorization: string | undefined,
  targetName: string,
  earlier: readonly ExchangeRecord[],
): CallerVerdict {
  const { registry } = context;
  const given = accessKeyFrom(authorization);
  const key = given === MISSING_ACCESS_KEY ? null : given;
  const owner = key === null ? undefined : registry.findByAccessKey(key);
  if (owner) return { kind: "allowed", caller: callerFor(owner.name, earlier) };

  // The latest one: a retried message has several exchanges of the simulator's own.
  const answering = earlier.findLast((exchange) => exchange.caller.kind === "simulator")?.botName;
  if (answering === undefined) {
    if (key !== null) return { kind: "allowed", caller: { botName: null, parentId: null } };
    return {
      kind: "refused",
      text: `Access denied: the call to "${targetName}" carried no key. Poe's bot query API needs "Authorization: Bearer <key>": inside a bot, pass request.access_key to streamRequest; from a script, pass a Poe user's API key.`,
    };
  }
  const record = registry.get(answering);
  const what = describeKey(given);
  const pass =
    "pass request.access_key to streamRequest (the bot's own key, which Poe sends with every request)";
  if (record?.hasAccessKey) {
    return {
      kind: "refused",
      text: `Access denied: bot "${answering}" called "${targetName}" with ${what}, not its access key. On Poe a bot calls other bots with its own access key: ${pass}, and check that the bot server runs with the key it was registered with in the simulator.`,
    };
  }
  const why =
    record?.kind === "url"
      ? `"${answering}" was registered without an access key, so the simulator answered; register it with the key its server runs with (--bot ${answering}=URL#KEY, or on the page)`
      : `"${answering}" is run by the simulator itself, without an access key, so the simulator answered`;
  return {
    kind: "flagged",
    caller: callerFor(answering, earlier),
    violation: `Bot "${answering}" called "${targetName}" with ${what}; Poe refuses such a call ("Access denied"). ${why}, and ${pass}.`,
  };
}

/** The calling bot with the exchange to nest its call under: its running one for this message. */
function callerFor(botName: string, earlier: readonly ExchangeRecord[]): Caller {
  const own = earlier.filter((exchange) => exchange.botName === botName);
  const parent = own.findLast((exchange) => exchange.status === "running") ?? own.at(-1);
  return { botName, parentId: parent?.id ?? null };
}

/** The key as a violation may show it: never whole, since it may be nearly right. */
function describeKey(key: string | null): string {
  if (key === null) return "no key";
  if (key === MISSING_ACCESS_KEY) {
    return `the key "${MISSING_ACCESS_KEY}" (what a bot served without an access key gets as request.access_key)`;
  }
  return `a ${key.length}-character key starting "${key.slice(0, 4)}…"`;
}
