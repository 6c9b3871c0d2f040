import { MAX_BOT_CALLS_PER_MESSAGE, SettingsResponseSchema } from "poekit/protocol";
import type { CheckUnit } from "./check-context.js";
import type { CheckResult } from "./check-result.js";
import type { PlainProbe } from "./http-probe.js";
import { makeResult } from "./make-result.js";
import { settingsRequest } from "./query-bodies.js";

/** Settings are a few kilobytes; this much is read at most. */
const MAX_SETTINGS_BYTES = 1024 * 1024;

/**
 * `settings-json` and `settings-schema`: one settings request, its answer parsed and then validated
 * with the SDK's settings schema.
 * @example
 * const results = await settingsChecks[0].run(context);
 */
export const settingsChecks: readonly CheckUnit[] = [
  {
    ids: ["settings-json", "settings-schema"],
    async run(context) {
      const probe = await context.post(settingsRequest(), undefined, MAX_SETTINGS_BYTES);
      const read = readSettings(probe);
      if (read.settings === null) {
        return [
          read.result,
          makeResult(
            "settings-schema",
            "skip",
            "There are no settings to validate (see settings-json).",
            probe,
          ),
        ];
      }
      return [read.result, validateSettings(read.settings, probe)];
    },
  },
];

function readSettings(probe: PlainProbe): { result: CheckResult; settings: Record<string, unknown> | null } {
  const fail = (status: "warn" | "fail", message: string) => ({
    result: makeResult("settings-json", status, message, probe),
    settings: null,
  });
  if (probe.status === null) {
    return fail(
      "fail",
      `Expected 200 with JSON; the settings request got no answer (${probe.response.error}).`,
    );
  }
  if (probe.status === 501) {
    return fail(
      "warn",
      "Expected 200 with JSON; the bot answered 501, so Poe applies its default settings (answer {} to say the same clearly).",
    );
  }
  if (probe.status !== 200) {
    return fail(
      "fail",
      `Expected 200 with JSON; the settings request got HTTP ${probe.status}, so Poe keeps its previous settings.`,
    );
  }
  if (!probe.complete) {
    return fail("fail", "Expected a JSON object; the settings answer did not end, or is larger than 1 MB.");
  }
  let json: unknown;
  try {
    json = JSON.parse(probe.text);
  } catch {
    return fail("fail", "Expected a JSON object; the settings answer is not JSON, so Poe ignores it.");
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return fail("fail", "Expected a JSON object; the settings answer is JSON but not an object.");
  }
  const contentType = probe.response.contentType ?? "";
  if (!contentType.toLowerCase().includes("json")) {
    return {
      result: makeResult(
        "settings-json",
        "warn",
        `The settings are a JSON object, but the content type is ${contentType === "" ? "missing" : `"${contentType}"`} instead of application/json.`,
        probe,
      ),
      settings: json as Record<string, unknown>,
    };
  }
  return {
    result: makeResult("settings-json", "pass", "The settings request got 200 with a JSON object.", probe),
    settings: json as Record<string, unknown>,
  };
}

function validateSettings(settings: Record<string, unknown>, probe: PlainProbe): CheckResult {
  const parsed = SettingsResponseSchema.safeParse(settings);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.map(String).join(".") || "settings";
    return makeResult(
      "settings-schema",
      "fail",
      `Expected valid settings; ${field} is invalid (${issue?.message ?? "invalid"}), so Poe rejects the settings.`,
      probe,
    );
  }
  const known = new Set(Object.keys(SettingsResponseSchema.shape));
  const unknown = Object.keys(settings).filter((key) => !known.has(key));
  if (unknown.length > 0) {
    return makeResult(
      "settings-schema",
      "warn",
      `The settings have field${unknown.length === 1 ? "" : "s"} Poe does not know (${unknown.join(", ")}); check the spelling, Poe ignores them.`,
      probe,
    );
  }
  const dependencies = Object.values(parsed.data.server_bot_dependencies ?? {});
  const calls = dependencies.reduce((sum, count) => sum + count, 0);
  if (calls > MAX_BOT_CALLS_PER_MESSAGE) {
    return makeResult(
      "settings-schema",
      "warn",
      `server_bot_dependencies declare ${calls} calls per message, but Poe allows at most ${MAX_BOT_CALLS_PER_MESSAGE} in all.`,
      probe,
    );
  }
  const version = settings.response_version;
  return makeResult(
    "settings-schema",
    "pass",
    version === undefined || version === null
      ? "The settings are valid (no response_version: Poe applies its original defaults to fields left out)."
      : `The settings are valid (response_version ${String(version)}).`,
    probe,
  );
}
