import type { CheckUnit } from "./check-context.js";
import type { CheckResult } from "./check-result.js";
import type { PlainProbe } from "./http-probe.js";
import { makeResult } from "./make-result.js";
import { normalQuery } from "./query-bodies.js";
import type { QueryProbe } from "./query-probe.js";

/** The checks that need the bot's key; without one they are skipped. */
const KEYED_CHECKS = ["auth-wrong-key", "auth-wrong-scheme", "auth-lowercase-scheme", "auth-right-key"];

/**
 * The authentication matrix: the normal query without Authorization, with a wrong key, with a wrong
 * scheme, with a lower-case scheme; the right key is judged from the normal query itself. Queries
 * rather than settings requests, because a query is what costs the bot's owner money, so it is what
 * must be guarded. Without a key only `auth-missing` runs, and it warns that anyone can call the bot.
 * @example
 * const results = await authChecks[0].run(context);
 */
export const authChecks: readonly CheckUnit[] = [
  {
    ids: ["auth-missing"],
    async run(context) {
      const probe = await context.post(normalQuery(), null);
      if (context.accessKey === null) return [openBot(probe)];
      return [judgeRefusal("auth-missing", probe, "a request without Authorization")];
    },
  },
  {
    ids: KEYED_CHECKS,
    usesBaseline: true,
    async run(context) {
      const key = context.accessKey;
      if (key === null) {
        return KEYED_CHECKS.map((id) =>
          makeResult(
            id,
            "skip",
            "No access key was given; pass --access-key (or set POE_ACCESS_KEY) to check it.",
          ),
        );
      }
      const [wrongKey, wrongScheme, lowercase, right] = await Promise.all([
        context.post(normalQuery(), `Bearer ${wrongKeyFor(key)}`),
        context.post(normalQuery(), `Token ${key}`),
        context.post(normalQuery(), `bearer ${key}`),
        context.baseline(),
      ]);
      return [
        judgeRefusal("auth-wrong-key", wrongKey, "a request with a wrong key"),
        judgeRefusal(
          "auth-wrong-scheme",
          wrongScheme,
          'a request with the scheme "Token" (and the right key)',
        ),
        judgeLowercase(lowercase),
        judgeRightKey(right),
      ];
    },
  },
];

function openBot(probe: PlainProbe): CheckResult {
  const accepted = probe.status !== null && probe.status >= 200 && probe.status <= 299;
  const how = accepted ? "without any Authorization header" : "with a made-up key";
  return makeResult(
    "auth-missing",
    "warn",
    `No access key was given, and the bot answers requests ${how}: anyone who finds its URL can call it; give the bot an access key and pass it with --access-key.`,
    probe,
  );
}

function judgeRefusal(id: string, probe: PlainProbe, what: string): CheckResult {
  const { status } = probe;
  if (status === 401) {
    const challenge = probe.headers?.get("www-authenticate") ? "" : " (without WWW-Authenticate: Bearer)";
    return makeResult(id, "pass", `The bot refused ${what}: 401${challenge}.`, probe);
  }
  if (status !== null && status >= 200 && status <= 299) {
    return makeResult(
      id,
      "fail",
      `Expected 401; the bot accepted ${what} (HTTP ${status}), so it can be called without its key.`,
      probe,
    );
  }
  if (status === 403) {
    return makeResult(
      id,
      "warn",
      `Expected 401; got 403 for ${what} (as older FastAPI versions answer), which keeps callers out all the same.`,
      probe,
    );
  }
  const got = status === null ? `no answer (${probe.response.error})` : `HTTP ${status}`;
  return makeResult(id, "warn", `Expected 401 for ${what}; got ${got}.`, probe);
}

function judgeLowercase(probe: PlainProbe): CheckResult {
  const { status } = probe;
  if (status !== null && status >= 200 && status <= 299) {
    return makeResult(
      "auth-lowercase-scheme",
      "pass",
      `The bot accepted "bearer <key>" (HTTP ${status}).`,
      probe,
    );
  }
  const got = status === null ? `no answer (${probe.response.error})` : `HTTP ${status}`;
  return makeResult(
    "auth-lowercase-scheme",
    "warn",
    `Expected "bearer <key>" to be accepted (the scheme is case-insensitive); got ${got}. Poe sends "Bearer", so this works on Poe.`,
    probe,
  );
}

function judgeRightKey(probe: QueryProbe): CheckResult {
  const status = probe.outcome.httpStatus;
  if (status === null) {
    return makeResult("auth-right-key", "skip", "The normal query got no answer (see query-status).", probe);
  }
  if (isRefusal(status)) {
    return makeResult(
      "auth-right-key",
      "fail",
      `Expected the right key to be accepted; the normal query got HTTP ${status}.`,
      probe,
    );
  }
  return makeResult(
    "auth-right-key",
    "pass",
    `The bot accepted its key with the normal query (HTTP ${status}).`,
    probe,
  );
}

function isRefusal(status: number): boolean {
  return status === 401 || status === 403;
}

/** A key of the same length that is not `key`. */
function wrongKeyFor(key: string): string {
  const length = Math.max(key.length, 1);
  const wrong = "wrongkey".repeat(Math.ceil(length / 8)).slice(0, length);
  return wrong === key ? "0".repeat(length) : wrong;
}
