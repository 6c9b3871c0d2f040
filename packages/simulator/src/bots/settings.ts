import type { ParameterControls } from "poekit";
import { SettingsResponseSchema } from "poekit/protocol";
import type { BotSettings } from "../model.js";

/** What a settings reply did not pass validation for, as a sentence. */
export class InvalidSettingsError extends Error {
  override readonly name = "InvalidSettingsError";
}

/**
 * Checks a bot's settings JSON against the protocol's schema and fills in what it left out with
 * Poe's defaults for its `response_version` (0 when absent: attachments and multi-entity prompting
 * off; 1 and later: on).
 *
 * @example
 * normalizeSettings({ response_version: 2 }).allowAttachments; // true
 */
export function normalizeSettings(raw: Record<string, unknown>): BotSettings {
  const parsed = SettingsResponseSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join(".") : "(the object)";
    throw new InvalidSettingsError(
      `Invalid settings at ${where}: ${issue?.message ?? "not a settings object"}`,
    );
  }
  const settings = parsed.data;
  const modern = (settings.response_version ?? 0) >= 1;
  return {
    introductionMessage: settings.introduction_message || null,
    allowAttachments: settings.allow_attachments ?? modern,
    expandTextAttachments: settings.expand_text_attachments ?? true,
    enableImageComprehension: settings.enable_image_comprehension ?? false,
    enforceAuthorRoleAlternation: settings.enforce_author_role_alternation ?? false,
    enableMultiEntityPrompting:
      settings.enable_multi_entity_prompting ?? settings.enable_multi_bot_chat_prompting ?? modern,
    serverBotDependencies: settings.server_bot_dependencies ?? {},
    parameterControls: (settings.parameter_controls as ParameterControls | null | undefined) ?? null,
    // custom_rate_card is rate_card's former name: read when the new one is absent.
    rateCard: settings.rate_card ?? settings.custom_rate_card ?? null,
    costLabel: settings.cost_label ?? null,
    raw,
  };
}

/** The settings of a bot that has sent none yet (or whose settings are unusable). */
export const DEFAULT_SETTINGS: BotSettings = normalizeSettings({});
