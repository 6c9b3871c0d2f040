import * as z from "zod/mini";
import { ParameterControlsSchema } from "./parameter-controls.js";
import { useEnglishMessages } from "./zod-messages.js";

useEnglishMessages();

/** The generation of Poe's defaults a settings reply asks for (omitted fields take these defaults). */
export const SETTINGS_RESPONSE_VERSION = 2;

/**
 * A bot's settings, the reply to a `settings` request. Every field is optional: a field left out (or
 * `null`) takes Poe's default, so the server sends only the fields the bot set.
 * @example
 * const settings: SettingsResponse = { introduction_message: "Hi!", allow_attachments: true,
 *   server_bot_dependencies: { "GPT-4o": 1 } };
 */
export const SettingsResponseSchema = z.looseObject({
  response_version: z.nullish(z.int()),
  /** @deprecated Poe no longer uses it. */
  context_clear_window_secs: z.nullish(z.int()),
  /** @deprecated Poe no longer uses it. */
  allow_user_context_clear: z.nullish(z.boolean()),
  /** @deprecated Renamed `rate_card`. */
  custom_rate_card: z.nullish(z.string()),
  /** Bot name → calls per user message (at most 10 in all); Poe refuses calls to undeclared bots. */
  server_bot_dependencies: z.nullish(z.record(z.string(), z.int().check(z.nonnegative()))),
  allow_attachments: z.nullish(z.boolean()),
  /** Markdown greeting shown when a chat starts. */
  introduction_message: z.nullish(z.string()),
  /** Poe parses text and PDF attachments into `parsed_content`. */
  expand_text_attachments: z.nullish(z.boolean()),
  /** Poe describes images into `parsed_content` (one image per message). */
  enable_image_comprehension: z.nullish(z.boolean()),
  /** Poe merges messages so that user and bot strictly alternate. */
  enforce_author_role_alternation: z.nullish(z.boolean()),
  /** @deprecated Use `enable_multi_entity_prompting`. */
  enable_multi_bot_chat_prompting: z.nullish(z.boolean()),
  enable_multi_entity_prompting: z.nullish(z.boolean()),
  /** Markdown pricing text; `[usd_milli_cents=X]` tags become points. */
  rate_card: z.nullish(z.string()),
  cost_label: z.nullish(z.string()),
  parameter_controls: z.nullish(ParameterControlsSchema),
});
export type SettingsResponse = z.input<typeof SettingsResponseSchema>;
/** Settings after validation, defaults of nested fields filled. */
export type ParsedSettingsResponse = z.output<typeof SettingsResponseSchema>;
