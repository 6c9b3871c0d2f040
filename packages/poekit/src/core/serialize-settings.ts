import { formatIssues, type ValidationIssue } from "../protocol/request-schemas.js";
import { SETTINGS_RESPONSE_VERSION, SettingsResponseSchema } from "../protocol/settings-response.js";

const KNOWN_FIELDS: ReadonlySet<string> = new Set(Object.keys(SettingsResponseSchema.shape));

export type SerializedSettings =
  | { ok: true; settings: Record<string, unknown>; unknownKeys: string[] }
  | { ok: false; detail: string; issues: ValidationIssue[] };

/**
 * Validates a bot's settings and keeps only the fields it set (`null` counts as unset), plus
 * `response_version: 2` unless the bot chose one, so every omitted field takes Poe's default.
 * @example
 * serializeSettings({ allow_attachments: true }); // { ok: true, settings: { allow_attachments: true, response_version: 2 }, … }
 */
export function serializeSettings(value: unknown): SerializedSettings {
  const parsed = SettingsResponseSchema.safeParse(value ?? {});
  if (!parsed.success) {
    const issues = formatIssues(parsed.error.issues);
    return { ok: false, detail: issues.map((issue) => `${issue.path}: ${issue.message}`).join("; "), issues };
  }
  const settings: Record<string, unknown> = {};
  const unknownKeys: string[] = [];
  for (const [key, field] of Object.entries(parsed.data)) {
    if (field === null || field === undefined) continue;
    settings[key] = field;
    if (!KNOWN_FIELDS.has(key)) unknownKeys.push(key);
  }
  settings.response_version ??= SETTINGS_RESPONSE_VERSION;
  return { ok: true, settings, unknownKeys };
}
